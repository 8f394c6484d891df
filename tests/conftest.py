"""Fixtures every test module may use (helpers to import are in ``helpers.py``).

- ``built_graph(base_iri=...)``: the real graph (``ctkg build`` on the repository's sources,
  SHACL validation skipped — ``test_build.py`` covers it), built once per base IRI per test
  session into a temporary data directory. Shared: read it, never write to it.
- ``real_data_dir``: ``built_graph()`` at the default base.
- ``copy_real_graph(target)``: a private copy of ``real_data_dir`` at ``target`` (safe to write
  to: a module that ingests or builds into it needs the real graph, not a build of its own; a
  validated build holds the same files, validation only reads).
- ``sample_store_template``: the small sample dataset (``resources/server-sample.trig``) built
  once; ``sample_data_dir``: a private copy of it per test (safe to write to).
- ``server_factory``: ``start(data_dir, **CTKG_settings)`` starts real servers, all stopped at
  the end of the test.
- ``browser``: headless Chromium (Playwright), one per module.

Under ``CI`` a skipped test is reported as a failure: on CI a skip means a missing install step.
``make test`` runs two pytest-xdist workers, each with a session of its own (its own temporary
directories, its own real graph) and whole files at a time (``--dist loadfile``), the longest
files first (``LONGEST_FIRST``, with ``--no-loadscope-reorder``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import SAMPLE_TRIG, ServerProcess, build_store, chromium_launch, under_ci

from ctkg.config import DEFAULT_BASE_IRI, Settings

# The slowest test files, longest first (seconds summed over a file's tests: -n 2, session 5,
# shared machine; only the order matters). With ``--dist loadfile`` a worker takes the next file
# when it is nearly done with its own, in collection order; xdist's default order (most tests
# first) left the long files with few tests (the curation workflow: 10 tests, the longest file)
# to the end, where one worker ran them while the other had nothing left. Longest first, the
# last files are short ones and the workers finish together. Unlisted files follow in
# alphabetical order; a new slow file belongs here.
LONGEST_FIRST = [
    "test_curation_workflow.py",
    "test_build.py",
    "test_web_walk.py",
    "test_remote_store.py",
    "test_web_curate.py",
    "test_notebooks.py",
    "test_ontology.py",
    "test_curation_extract.py",
    "test_server_writes.py",
    "test_web_browser.py",
    "test_curation_review.py",
    "test_web_pages.py",
    "test_hardening_crash.py",
    "test_answer_cache.py",
    "test_linked_data.py",
    "test_fast_path.py",
    "test_server_sparql.py",
    "test_reconcile_openrefine.py",
    "test_hardening_front.py",
]


@pytest.hookimpl(trylast=True)  # after pytest groups a file's tests by their fixtures
def pytest_collection_modifyitems(config, items):
    """Files in ``LONGEST_FIRST`` order (a stable sort: tests keep their order in a file)."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


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
def copy_real_graph(real_data_dir):
    """``copy_real_graph(target) -> target``: the real graph's data directory copied (its
    ``current`` link is relative, so the copy is a data directory of its own)."""

    def copy(target: Path) -> Path:
        shutil.copytree(real_data_dir, target, symlinks=True)
        return target

    return copy


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
