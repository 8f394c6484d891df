"""The developer tooling is in place: the type-check baseline exists in the form
``.ci/typecheck.py`` reads, the pre-commit hooks name ruff and nbstripout, and the version
has one source (pyproject.toml, via the installed metadata)."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from importlib.metadata import version

import yaml
from helpers import ROOT

import ctkg


def _typecheck():
    spec = importlib.util.spec_from_file_location("typecheck", ROOT / ".ci" / "typecheck.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_mypy_baseline_exists_and_is_one_count():
    typecheck = _typecheck()
    text = typecheck.BASELINE.read_text(encoding="utf-8")
    assert re.fullmatch(r"errors: \d+\n", text), text
    assert typecheck.read_baseline() == int(text.split()[1])
    assert set(typecheck.FOLDERS) >= {"ctkg", "graph", "server", "queries", "ontology"}


def test_a_malformed_baseline_is_refused(tmp_path):
    typecheck = _typecheck()
    bad = tmp_path / "baseline.txt"
    bad.write_text("296\n", encoding="utf-8")
    try:
        typecheck.read_baseline(bad)
    except SystemExit as exc:
        assert "errors: N" in str(exc)
    else:
        raise AssertionError("a baseline without 'errors: ' was read")


def test_mypy_is_pinned_in_the_test_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    test_extra = project["optional-dependencies"]["test"]
    assert any(re.fullmatch(r"mypy==[\d.]+", dep) for dep in test_extra)


def test_pre_commit_runs_ruff_and_strips_notebooks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "nbstripout"} <= set(hooks)
    assert hooks["nbstripout"].get("files", "").startswith("^notebooks/")


def test_the_version_has_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert ctkg.__version__ == version("ctkg") == project["version"]
    # no second copy of the number in the package
    assert project["version"] not in (ROOT / "ctkg" / "__init__.py").read_text(encoding="utf-8")
