"""Fixtures every test module may use (helpers to import are in ``helpers.py``).

- ``built_graph(base_iri=...)``: the real graph (``ctkg build`` on the repository's sources,
  SHACL validation skipped — ``test_build.py`` covers it), built once per base IRI per test
  session into a temporary data directory. Shared: read it, never write to it.
- ``real_data_dir``: ``built_graph()`` at the default base.
- ``sample_store_template``: the small sample dataset (``resources/server-sample.trig``) built
  once; ``sample_data_dir``: a private copy of it per test (safe to write to).
- ``server_factory``: ``start(data_dir, **CTKG_settings)`` starts real servers, all stopped at
  the end of the test.
- ``browser``: headless Chromium (Playwright), one per module.

Under ``CI`` a skipped test is reported as a failure: on CI a skip means a missing install step.
``make test`` runs two pytest-xdist workers, each with a session of its own (its own temporary
directories, its own real graph) and whole files at a time (``--dist loadfile``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import SAMPLE_TRIG, ServerProcess, build_store, chromium_launch, under_ci

from ctkg.config import DEFAULT_BASE_IRI, Settings


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and under_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI (a skip there hides a missing install step): {reason}"


@pytest.fixture(scope="session")
def built_graph(tmp_path_factory):
    """``built_graph(base_iri=DEFAULT_BASE_IRI)``: the data directory of the real graph."""
    from ctkg.graph.build import build

    built: dict[str, Path] = {}

    def get(base_iri: str = DEFAULT_BASE_IRI) -> Path:
        if base_iri not in built:
            data_dir = tmp_path_factory.mktemp("real-graph")
            settings = Settings.from_env({}, data_dir=str(data_dir), base_iri=base_iri)
            build(settings, quiet=True, validate=False)
            built[base_iri] = data_dir
        return built[base_iri]

    return get


@pytest.fixture(scope="session")
def real_data_dir(built_graph) -> Path:
    """The real graph at the default base IRI (shared: do not write to it)."""
    return built_graph()


@pytest.fixture(scope="session")
def sample_store_template(tmp_path_factory) -> Path:
    """The sample dataset built once; copy it before writing to it."""
    data_dir = tmp_path_factory.mktemp("sample-template")
    build_store(data_dir, SAMPLE_TRIG)
    return data_dir


@pytest.fixture
def sample_data_dir(sample_store_template, tmp_path) -> Path:
    """A private copy of the sample data directory (safe to write to)."""
    target = tmp_path / "data"
    shutil.copytree(sample_store_template, target, symlinks=True)
    return target


@pytest.fixture
def server_factory():
    """``start(data_dir, **CTKG_settings)``: a running server, stopped after the test."""
    servers: list[ServerProcess] = []

    def start(data_dir: Path, **env: str) -> ServerProcess:
        server = ServerProcess(data_dir, {k: str(v) for k, v in env.items()}).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, through Playwright), shared by a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(**chromium_launch())
        yield instance
        instance.close()
