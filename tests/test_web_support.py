"""Shared by the web tests (no tests of its own): the real graph, built once per test process.

``built_data_dir(base)`` runs the real build (``ctkg.graph.build``, SHACL validation skipped —
``test_build.py`` covers it) into a temporary data directory and caches it, so the HTTP tests,
the page tests and the browser tests all look at the same real data without building it three
times. ``test_app(data_dir)`` is the Flask app on it, for the test client.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from ctkg.config import DEFAULT_BASE_IRI, Settings

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@cache
def built_data_dir(base_iri: str = DEFAULT_BASE_IRI) -> Path:
    from ctkg.graph.build import build

    data_dir = Path(tempfile.mkdtemp(prefix="ctkg-web-test-"))
    atexit.register(shutil.rmtree, data_dir, True)
    build(
        Settings.from_env({}, data_dir=str(data_dir), base_iri=base_iri), quiet=True, validate=False
    )
    return data_dir


def settings_for(data_dir: Path, **overrides) -> Settings:
    return Settings.from_env({}, data_dir=str(data_dir), **overrides)


def make_app(data_dir: Path, **overrides):
    from ctkg.server.app import create_app

    app = create_app(settings_for(data_dir, **overrides))
    app.config["TESTING"] = True
    return app


def close_app(app) -> None:
    app.extensions["ctkg"].backend.close()
