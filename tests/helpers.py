"""Helpers the tests share (an ordinary module: import it, never ``conftest``).

- ``build_store(data_dir, *trig_files)``: an on-disk Oxigraph store at
  ``{data_dir}/current/store`` (``current`` -> ``builds/test``), the default graph the merge of
  the named graphs, as ``ctkg build`` leaves it.
- ``free_port()``: a free TCP port on 127.0.0.1.
- ``ServerProcess``: ``python -m ctkg.server.run`` (granian) on a free loopback port, with
  ``CTKG_*`` settings from a dict; waits for ``/healthz``; ``stop()`` sends SIGTERM.
- ``OxigraphServer``: Oxigraph's own SPARQL server (the ``oxigraph`` CLI from the venv) on a
  free loopback port, for the remote-store tests.
- ``VirtuosoServer``: Virtuoso 7 with a temporary ``virtuoso.ini`` (``ctkg.graph.virtuoso``, the
  benchmark's template) on free loopback ports (the second remote store).
- ``tool(name)``: an executable the tests need, found next to ``sys.executable`` first (tools
  installed into the venv are there, whether or not its ``bin/`` is on ``PATH``), then on
  ``PATH``; missing, the test fails (on CI and off it).
- ``wait_until(check, timeout)``: poll instead of sleeping; ``wait_until_answering``, until a
  store's SPARQL endpoint answers.
- ``chromium_launch()``: the keyword arguments that launch Debian's headless Chromium from
  Playwright (sync or async API), for the browser tests; ``EDITION``, the page they all visit.
- ``settings_for``, ``make_app``, ``close_app``: the Flask app on a data directory, for the
  test client.

The fixtures built on these (the real graph, the sample store, servers) are in ``conftest.py``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from ctkg.config import Settings
from ctkg.graph.virtuoso import virtuoso_ini
from ctkg.tools import executable

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
RESOURCES = Path(__file__).resolve().parent / "resources"
SAMPLE_TRIG = RESOURCES / "server-sample.trig"


def build_store(data_dir: Path, *trig_files: Path) -> Path:
    """Load ``trig_files`` into ``{data_dir}/current/store``; returns the store path."""
    import pyoxigraph as ox

    from ctkg.graph.store import merge_into_default_graph

    build = Path(data_dir) / "builds" / "test"
    build.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(build / "store"))
    for path in trig_files:
        store.load(path=str(path), format=ox.RdfFormat.TRIG)
    merge_into_default_graph(store)
    store.flush()
    del store  # closes RocksDB, so a server can open it
    link = Path(data_dir) / "current"
    if not link.exists():
        link.symlink_to(Path("builds") / "test")
    return build / "store"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """The production server (granian via ``ctkg.server.run``) in a child process."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, log_path=None):
        self.data_dir = Path(data_dir)
        self.extra_env = dict(env or {})
        self.log_path = Path(log_path or self.data_dir.parent / f"server-{id(self)}.log")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> ServerProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CTKG_")}
        env.update({"CTKG_DATA_DIR": str(self.data_dir), "CTKG_WORKERS": "2"})
        env.update(self.extra_env)
        log = open(self.log_path, "ab")  # noqa: SIM115 - owned by the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ctkg.server.run",
                "--host",
                "127.0.0.1",
                "--port",
                f"{self.port}",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            self._wait_until_up(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_up(self, timeout: float) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code in (200, 503):
                    return
            except requests.RequestException:  # not listening yet, or workers still booting
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start within {timeout} s:\n{self.log()}")

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the server's own process group
            self.process.wait(5)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


def under_ci() -> bool:
    """``CI`` is set (to anything but empty, ``0`` or ``false``): a missing tool is a failure."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def tool(name: str) -> str:
    """The path of executable ``name``; a missing one fails the test, on CI and off it alike
    (a skip would hide a missing install step: `make install-test` installs them all)."""
    path = executable(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed (next to {sys.executable} or on PATH); "
            "`make install-test` installs it",
            pytrace=False,
        )
    return path


# Headless Chromium for the browser tests: no sandbox (containers), no network of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EDITION = "/id/edition/hoi-nghi-cong-thuong-phia-bac/2019"


def chromium_launch() -> dict:
    """``playwright.chromium.launch(**chromium_launch())``: Debian's ``chromium`` (`make
    system-deps` installs it; missing, a failure under CI, else a skip) with ``CHROMIUM_ARGS``."""
    return {"executable_path": tool("chromium"), "args": CHROMIUM_ARGS}


def wait_until(check: Callable[[], object], timeout: float = 20, interval: float = 0.05):
    """Call ``check`` until it returns something true (returned) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true within {timeout} s: {check}")
        time.sleep(interval)


def wait_until_answering(
    process: subprocess.Popen, endpoint: str, timeout: float, log: Callable[[], str] = str
) -> None:
    """Poll ``endpoint`` with ``ASK {}`` until it answers; fail at once, with ``log()``, if the
    store's ``process`` exits first (a store that cannot start must not cost the whole wait)."""

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{log()}")
        try:
            with urllib.request.urlopen(endpoint + "?query=ASK%7B%7D", timeout=2):
                return True
        except OSError:
            return False

    wait_until(answers, timeout, interval=0.1)


class OxigraphServer:
    """``oxigraph serve`` (or ``serve-read-only``) on ``location`` and a free loopback port."""

    def __init__(self, location: Path, *, read_only: bool = False):
        self.location = Path(location)
        self.command = "serve-read-only" if read_only else "serve"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> OxigraphServer:
        bind = f"127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [tool("oxigraph"), self.command, "--location", str(self.location), "--bind", bind],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        try:
            wait_until_answering(self.process, self.url + "/query", timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class PublishedCopy:
    """An Oxigraph server holding a copy of ``data_dir``'s graph, published as ``ctkg build``
    publishes to a remote store; ``env`` serves it (``CTKG_STORE``/``CTKG_STORE_UPDATE_URL``)."""

    def __init__(self, data_dir: Path, location: Path):
        from ctkg.graph.remote import RemoteStore
        from ctkg.graph.store import open_store

        self.server = OxigraphServer(location).start()
        self.query_url = self.server.url + "/query"
        self.update_url = self.server.url + "/update"
        settings = settings_for(data_dir)
        RemoteStore(self.query_url, self.update_url).publish(
            open_store(settings), settings.base_iri
        )
        self.env = {"CTKG_STORE": self.query_url, "CTKG_STORE_UPDATE_URL": self.update_url}

    def stop(self) -> None:
        self.server.stop()


# the backends the HTTP suites run on: the embedded store, and the same data on a remote store
BACKENDS = ["embedded", "oxigraph-server"]


def settings_for(data_dir: Path, **overrides) -> Settings:
    return Settings.from_env({}, data_dir=str(data_dir), **overrides)


def make_app(data_dir: Path, **overrides):
    from ctkg.server.app import create_app

    app = create_app(settings_for(data_dir, **overrides))
    app.config["TESTING"] = True
    return app


def close_app(app) -> None:
    app.extensions["ctkg"].backend.close()


@contextlib.contextmanager
def app_on(backend: str, data_dir: Path, scratch: Path):
    """The app over ``data_dir``'s build on ``backend`` (one of ``BACKENDS``). On the remote
    store it is as ``ctkg build`` with ``CTKG_STORE`` leaves things: the graph published there,
    the build's dumps and manifest here; every triple served comes from the remote store."""
    remote = PublishedCopy(data_dir, scratch) if backend != "embedded" else None
    overrides = {"store": remote.query_url, "store_update_url": remote.update_url} if remote else {}
    app = make_app(data_dir, **overrides)
    try:
        yield app
    finally:
        close_app(app)
        if remote is not None:
            remote.stop()


class VirtuosoServer:
    """OpenLink Virtuoso 7 (Debian ``virtuoso-opensource``: ``virtuoso-t``, ``isql-vt``) with a
    temporary ``virtuoso.ini`` and database on free loopback ports. Set up as a deployment
    should be: ``/sparql`` answers queries to anybody and takes no update; updates go to
    ``/sparql-auth`` (HTTP Digest) as the account ``user``/``password``, created with the
    ``SPARQL_UPDATE`` role alone."""

    user = "ctkg"

    def __init__(self, location: Path):
        self.db = Path(location)
        self.db.mkdir(parents=True, exist_ok=True)
        self.http_port, self.sql_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None
        self.password = secrets.token_hex(8)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout: float = 120) -> VirtuosoServer:
        server, isql = tool("virtuoso-t"), tool("isql-vt")
        ini = self.db / "virtuoso.ini"
        ini.write_text(
            virtuoso_ini(self.db, sql_port=self.sql_port, http_port=self.http_port),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [server, "+foreground", "+configfile", str(ini)],
            cwd=self.db,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

        def log() -> str:
            return (self.db / "virtuoso.log").read_text(errors="replace")[-2000:]

        try:
            wait_until_answering(self.process, self.url + "/sparql", timeout, log=log)
            grant = (
                f"DB.DBA.USER_CREATE ('{self.user}', '{self.password}'); "
                f'GRANT SPARQL_UPDATE TO "{self.user}";'
            )
            subprocess.run(
                [isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={grant}"],
                check=True,
                capture_output=True,
                timeout=60,
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
