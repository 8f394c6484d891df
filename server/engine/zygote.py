"""A fork server: a clean interpreter that forks executor and writer processes on request.

Why not fork from the web worker: a process that has ever opened a RocksDB store has
RocksDB's thread-pool state without the threads after a fork, and the child's next flush waits
forever (seen in development); a threaded worker cannot fork safely either. Why not
``multiprocessing``'s forkserver: it re-runs the caller's ``__main__`` in every child (spawn
semantics), which breaks or misbehaves under scripts, notebooks and test runners.

So each web worker starts one zygote (``python -m ctkg.server.engine.zygote``) with the executor
module preloaded. To start a child the worker sends the zygote, over a SOCK_SEQPACKET pair, the
child's kind, its settings and one end of a fresh socket pair (SCM_RIGHTS); the zygote forks,
the child serves on that socket, and the zygote answers the child's pid. Children are reaped
by the zygote (SIGCHLD ignored) and die with it (PR_SET_PDEATHSIG), and it with its worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

_MAX_REQUEST = 1 << 20


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Child:
    """A process started by the zygote: its pid and our end of its connection."""

    def __init__(self, pid: int, conn: Connection):
        self.pid = pid
        self.conn = conn

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.conn.close()


class Zygote:
    """The web worker's handle on its fork server (started on first use)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        # glibc gives each thread that allocates under contention an arena of 64 MiB address
        # space; the executors' address space is capped (CTKG_EXECUTOR_MEMORY_MB), so how many
        # arenas a start-up happened to create decided whether it fitted (a CI run saw the
        # first executor of a 1,024 MiB server abort). Two arenas make the cap count data.
        env.setdefault("MALLOC_ARENA_MAX", "2")
        # started from a lane thread (after a fork server crash), it would inherit that thread's
        # lower priority (``lanes.LANE_NICE``), and so would every executor: take the worker's
        env[_NICE_ENV] = str(os.getpriority(os.PRIO_PROCESS, os.getpid()))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "ctkg.server.engine.zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            close_fds=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self._control = ours

    def _alive(self) -> bool:
        return (
            self._pid == os.getpid() and self._process is not None and self._process.poll() is None
        )

    def spawn(self, kind: str, settings) -> Child:
        """Start a child of ``kind`` ("reader" or "writer") and connect to it."""
        request = pickle.dumps((kind, settings))
        with self._lock:
            for attempt in (1, 2):
                if not self._alive():
                    self._reset()
                    self._start()
                ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    socket.send_fds(self._control, [request], [theirs.fileno()])
                    reply = self._control.recv(8)
                except OSError:
                    reply = b""
                finally:
                    theirs.close()
                if len(reply) == 4:
                    (pid,) = struct.unpack("!i", reply)
                    return Child(pid, Connection(ours.detach()))
                ours.close()
                self._reset()
                if attempt == 2:
                    raise OSError("the fork server is not answering")
        raise AssertionError("unreachable")

    def exit_status(self, pid: int) -> int | None:
        """How child ``pid`` ended (a ``waitpid`` status), or None if unknown or still running.
        Asked after its connection closed: that tells a crash from running out of memory."""
        with self._lock:
            if not self._alive():
                return None
            try:
                self._control.send(pickle.dumps(("exit-status", pid)))
                reply = self._control.recv(8)
            except OSError:
                return None
        if len(reply) != 4:
            return None
        (status,) = struct.unpack("!i", reply)
        return None if status < 0 else status

    def _reset(self) -> None:
        if self._pid != os.getpid():  # inherited across a fork: not ours to stop
            self._process = None
            self._control = None
            self._pid = os.getpid()
            return
        if self._control is not None:
            with contextlib.suppress(OSError):
                self._control.close()
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(2)
        self._process = None
        self._control = None

    def close(self) -> None:
        with self._lock:
            self._reset()


# --- the zygote process --------------------------------------------------------------------


NETWORKED_KINDS = ("networked-reader", "networked-writer")


def _run_child(kind: str, settings, conn: Connection) -> None:
    """Run one child; unless it is a networked kind (only started for allow-listed SERVICE or
    LOAD), it first gives up network access for good (``ctkg.sandbox``), or fails closed.
    Its address space is capped at ``CTKG_EXECUTOR_MEMORY_MB``: past it, an allocation fails
    and the engine aborts (SIGABRT), which the web worker reports as "out of memory"."""
    import resource

    from ctkg import sandbox

    from . import executor

    limit = int(getattr(settings, "executor_memory_mb", 0) or 0) << 20
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if kind not in NETWORKED_KINDS:
        try:
            sandbox.deny_network()
        except sandbox.SandboxUnavailable as exc:
            executor.refuse_all(conn, kind, f"the network sandbox is unavailable: {exc}")
            return
    if kind in ("reader", "networked-reader"):
        executor.serve(conn, settings, networked=kind == "networked-reader")
    elif kind in ("writer", "networked-writer"):
        executor.write_child(conn, settings, networked=kind == "networked-writer")


def _configure_logging() -> None:
    import logging

    logger = logging.getLogger("ctkg")
    logger.setLevel(os.environ.get("CTKG_LOG_LEVEL", "INFO").upper())
    handler = logging.StreamHandler()
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
    )
    logger.addHandler(handler)


_exits: dict[int, int] = {}  # pid -> waitpid status, the most recent few hundred


def _reap(signum=None, frame=None) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _exits[pid] = status
        while len(_exits) > 256:
            del _exits[next(iter(_exits))]


def _answer_status(control: socket.socket, message: bytes) -> None:
    """Reply to ("exit-status", pid) with the child's waitpid status, or -1."""
    import time

    try:
        request, pid = pickle.loads(message)
    except Exception:
        return
    if request != "exit-status":
        return
    deadline = time.monotonic() + 1.0
    while pid not in _exits and time.monotonic() < deadline:
        _reap()
        time.sleep(0.01)
    with contextlib.suppress(OSError):
        control.send(struct.pack("!i", _exits.get(pid, -1)))


_NICE_ENV = "_CTKG_WORKER_NICE"  # set by Zygote._start; not a setting


def _take_workers_priority() -> None:
    """Run at the web worker's main-thread priority, not at that of the thread that started
    this process; raising it back needs the right to (``backend.can_raise_priority``)."""
    wanted = os.environ.pop(_NICE_ENV, None)
    if wanted is None:
        return
    with contextlib.suppress(OSError, ValueError):
        if os.getpriority(os.PRIO_PROCESS, 0) != int(wanted):
            os.setpriority(os.PRIO_PROCESS, 0, int(wanted))


def main(control_fd: int) -> None:
    """Serve spawn requests on ``control_fd`` until the web worker goes away."""
    from . import executor  # noqa: F401 - preloaded, so children start warm (rdflib: _preload)

    _die_with_parent()
    _configure_logging()
    _take_workers_priority()
    signal.signal(signal.SIGCHLD, _reap)  # children are reaped as they end
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    control = socket.socket(fileno=control_fd)
    preloaded = False
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, _MAX_REQUEST, 1)
        except OSError:
            return
        if not message:
            return
        if not fds:
            _answer_status(control, message)
            continue
        try:
            kind, settings = pickle.loads(message)
        except Exception:
            os.close(fds[0])
            continue
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            code = 0
            try:
                _run_child(kind, settings, Connection(fds[0]))
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(fds[0])
        try:
            control.send(struct.pack("!i", pid))
        except OSError:
            return
        if not preloaded:
            preloaded = True
            _preload()


def _preload() -> None:
    """Import rdflib's SPARQL parser (the guard reads updates and SERVICE with it) once the
    first child is on its way, not before: a worker's first executor, and so its first
    answer, does not wait the ~0.5 s it takes; every writer forked later has it loaded."""
    with contextlib.suppress(Exception):
        from rdflib.plugins.sparql import algebra, parser  # noqa: F401


if __name__ == "__main__":
    main(int(sys.argv[1]))
