"""Shared test helpers: fixture stores laid out like a build, and real server processes.

General on purpose — other test modules may use them:

- ``build_store(data_dir, *trig_files)``: an on-disk Oxigraph store at
  ``{data_dir}/current/store`` (``current`` -> ``builds/test``), the default graph the merge of
  the named graphs, as ``ctkg build`` leaves it.
- ``free_port()``: a free TCP port on 127.0.0.1.
- ``ServerProcess``: ``python -m ctkg.server.run`` (granian) on a free loopback port, with
  ``CTKG_*`` settings from a dict; waits for ``/healthz``; ``stop()`` sends SIGTERM.
- fixtures ``sample_data_dir`` (a fresh copy of the sample store per test) and
  ``server_factory`` (start servers; all are stopped at the end of the test).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

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

    def start(self, timeout: float = 30) -> ServerProcess:
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
