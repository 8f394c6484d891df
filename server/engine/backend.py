"""The query-execution layer, behind one small typed interface (``Backend``).

``LocalBackend`` runs jobs on the embedded on-disk store through executors (``executor.py``),
started by the worker's fork server (``zygote.py``): each web worker keeps a small pool of
reader executors (one per request thread), started on first use or at worker start, killed
and replaced when a job overruns its budget; each write gets its own writer process, and
writes are serialized across workers by a lock file. ``RemoteBackend``
(``remote_backend.py``, ``CTKG_STORE`` = URL) is the same interface over a remote store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import itertools
import logging
import os
import resource
import signal
import tempfile
import threading
import time
import uuid
from typing import Protocol

from .guard import TooComplex, check_nesting
from .jobs import GraphReadJob, Outcome, QueryJob, ReadJob, Status, WriteJob
from .store_access import (
    StoreMissing,
    bump_version,
    data_version,
    lock_file,
    store_present,
    write_count,
)
from .zygote import Zygote

log = logging.getLogger(__name__)


_SPOOLED = (QueryJob, GraphReadJob)  # the jobs whose answer may spill into a spool file

# A query still running after DEMOTE_AFTER_S seconds has its executor's CPU priority lowered
# (nice SLOW_NICE): slow queries go on, but cheap ones keep the cores (fair scheduling on a
# small machine, where a few CPU-bound queries would otherwise slow every request down).
# A quarter of a second: nearly every request is done in milliseconds, and a slow query that
# ran at full priority for a second kept a core from them for that second, every time (four
# 5 s queries back to back: 0.8 of a core at nice 0 all the time, on a 2-core machine).
DEMOTE_AFTER_S = 0.25
SLOW_NICE = 10
# Where a demoted executor can be put back at normal priority (``restore``: root, CAP_SYS_NICE
# or RLIMIT_NICE), its CPU priority is lowered sooner, after CPU_DEMOTE_AFTER_S; the lane's
# hand-off stays at DEMOTE_AFTER_S. Why: with 4 slow queries restarted together every 5 s
# (their budgets end together), their first quarter second at normal priority, and their
# replacements' start-up, were a burst of ~1.4 core-seconds every 5 s that a cheap request on
# the 2-core machine had to share (1 client: cheap p99 43.6 ms with them, 4.3 ms without). Where
# priorities cannot be raised a demoted executor is replaced, not reused, so demoting every
# query of more than 50 ms would replace executors all the time: there it stays at 0.25 s.
CPU_DEMOTE_AFTER_S = 0.05

_slow = threading.local()


@contextlib.contextmanager
def when_slow(callback):
    """Call ``callback()`` (in this thread) if a job this thread runs turns out slow, i.e. when
    its executor is demoted. Why: the front's main lane then lends this thread's place to
    other requests (``http/lanes.py``), so slow queries that keep the default budget cannot
    hold every thread of the lane while cheap ones wait."""
    previous = getattr(_slow, "callback", None)
    _slow.callback = callback
    try:
        yield
    finally:
        _slow.callback = previous


def _turned_slow() -> None:
    callback = getattr(_slow, "callback", None)
    if callback is not None:
        callback()


@functools.cache
def can_raise_priority() -> bool:
    """May this process raise a process's CPU priority back to nice 0 (root or CAP_SYS_NICE,
    or an RLIMIT_NICE that allows nice 0)? Then a demoted executor is restored and reused."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        soft, _hard = resource.getrlimit(resource.RLIMIT_NICE)
        if soft == resource.RLIM_INFINITY or soft >= 20:  # the floor is 20 - soft
            return True
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) >> 23 & 1)  # CAP_SYS_NICE
    return False


class Timeout(Exception):
    """A job did not finish within its budget; it has been stopped."""


class Busy(Exception):
    """No executor (or the write lock) became free within the budget."""


class Backend(Protocol):
    """What the web layer needs from a store: the engine's one public contract.

    Lifecycle: created in the web server's parent process before it forks (``create_app``);
    ``warm()`` once in each worker process before it takes requests (optional: ``run`` starts
    what it needs on first use); ``run``/``write`` from any request thread; ``close()`` when
    the worker exits. A failure that is the request's fault comes back as an ``Outcome`` with
    its ``Status``; running out of time or capacity raises ``Timeout`` or ``Busy``.
    """

    #: True if ``data_version()`` is a cheap local read (a stat of the build directory) that
    #: may be called in an event loop; False if it asks the store over the network (remote
    #: stores), which must happen in a request thread: the front's fast path declines then,
    #: since a slow or hung store would stall the loop and every request of the worker.
    version_is_local: bool

    def data_version(self) -> str:
        """A token that changes whenever the data may have changed (for ETags)."""
        ...

    def available(self) -> bool:
        """True if there is a store to serve."""
        ...

    def write_count(self) -> int:
        """How many writes the served data has had since its build."""
        ...

    def warm(self) -> None:
        """Start this process's executors now rather than on the first request."""
        ...

    def run(self, job: ReadJob, timeout: float) -> Outcome:
        """Run a read job (query, graph read, stats); raise Timeout or Busy."""
        ...

    def write(self, job: WriteJob, timeout: float) -> Outcome:
        """Apply one write atomically and durably; raise Timeout or Busy."""
        ...

    def close(self) -> None:
        """Stop this process's executors (idempotent)."""
        ...


# how long a replacement executor may take to open its store before it is given up
READY_TIMEOUT_S = 30.0


class _Executor:
    """One reader executor process and our end of its connection."""

    def __init__(self, zygote: Zygote, settings, kind: str = "reader"):
        self.child = zygote.spawn(kind, settings)
        self.conn = self.child.conn
        self.demoted = False

    def usable(self) -> bool:
        """Idle executors have nothing to say; a readable pipe means it died (EOF)."""
        try:
            return not self.conn.poll(0)
        except OSError:
            return False

    def call(self, job, timeout: float) -> Outcome:
        self.conn.send(job)
        started = time.monotonic()
        lane_at = DEMOTE_AFTER_S
        cpu_at = min(CPU_DEMOTE_AFTER_S, lane_at) if can_raise_priority() else lane_at
        for at in sorted({cpu_at, lane_at}):
            if self.conn.poll(max(0.0, min(timeout, at) - (time.monotonic() - started))):
                return self.conn.recv()
            if timeout <= at:
                raise Timeout
            # a slow query: it keeps running, but yields the CPU to everyone else's ...
            if at == cpu_at:
                self.demote()
            if at == lane_at:  # ... and its place in the lane to cheap requests
                _turned_slow()
        if not self.conn.poll(max(0.0, timeout - (time.monotonic() - started))):
            raise Timeout
        return self.conn.recv()

    def demote(self) -> None:
        """Lower the executor's CPU priority (``SLOW_NICE``) while its query runs on."""
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self.child.pid, SLOW_NICE)
        self.demoted = True

    def restore(self) -> bool:
        """Put a demoted executor back at normal priority once its slow job is done; False
        if this process may not (raising a priority needs CAP_SYS_NICE or an RLIMIT_NICE).

        Why keep it rather than start afresh: a new executor reopens the store with a cold
        block cache, so at 10^6 quads every slow query after the first paid for that, and
        concurrent slow queries (``find-entity``) gained nothing from a second client."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.child.pid, 0)
        except OSError:
            return False
        self.demoted = False
        return True

    def kill(self) -> None:
        self.child.kill()


class ExecutorPool:
    """Up to ``size`` reader executors for this process, created on demand."""

    def __init__(self, settings, size: int = 1, kind: str = "reader"):
        self.settings = settings
        self.size = max(1, size)
        self.kind = kind
        self._init_state()

    def _init_state(self) -> None:
        self._pid = os.getpid()
        self.zygote = Zygote()
        self._idle: list[_Executor] = []
        self._closed = False
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.size)

    def _take(self) -> _Executor:
        with self._lock:
            while self._idle:
                candidate = self._idle.pop()
                if candidate.usable():
                    return candidate
                candidate.kill()
        return _Executor(self.zygote, self.settings, self.kind)

    def _give(self, item: _Executor) -> None:
        with self._lock:
            self._idle.append(item)

    def run(self, job, timeout: float) -> Outcome:
        if os.getpid() != self._pid:  # inherited across a fork: start afresh
            self._init_state()
        started = time.monotonic()
        if not self._slots.acquire(timeout=timeout):
            raise Busy
        try:
            item = self._take()
            remaining = max(0.001, timeout - (time.monotonic() - started))
            try:
                outcome = item.call(job, remaining)
            except Timeout:
                item.kill()
                self._replace()
                raise
            except (EOFError, OSError) as exc:
                item.kill()
                self._replace()
                log.error("executor process %s died: %r", item.child.pid, exc)
                return _death(self.zygote, item.child.pid, "executor")
            if item.demoted and not item.restore():
                item.kill()  # its priority cannot be raised back: start afresh
                self._replace()
            else:
                self._give(item)
            return outcome
        finally:
            self._slots.release()

    def _replace(self) -> None:
        """Start a fresh reader for one just killed, with its store open, in a thread of its
        own. Why: a fresh executor's first job pays for the fork and for opening the store
        (50-100 ms measured on the shared 2-core machine), and with slow queries killed or
        demoted all the time, that was a cheap request's cost, not the slow query's."""
        if self.kind != "reader":
            return
        threading.Thread(target=self._start_ready, name="executor-start", daemon=True).start()

    def _start_ready(self) -> None:
        pid = self._pid
        try:
            item = _Executor(self.zygote, self.settings, self.kind)
        except Exception as exc:  # the zygote is gone (closing): the next request starts one
            log.debug("could not start a replacement executor: %r", exc)
            return
        # its start-up (opening the store) is background work: at a low priority where it can
        # be raised back once ready (a timed-out slow query's replacement started at the same
        # moment as the next slow queries, every 5 s, and cheap requests shared the CPU)
        niced = can_raise_priority()
        if niced:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, item.child.pid, SLOW_NICE)
        try:
            # not item.call: no demotion nor lane hand-off for this start-up job
            item.conn.send(QueryJob("ASK {}", "json", None, 0, self.settings.base_iri))
            ready = item.conn.poll(READY_TIMEOUT_S)
            if ready:
                item.conn.recv()
        except (EOFError, OSError):
            ready = False
        if ready and niced:
            ready = item.restore()
        with self._lock:
            if ready and pid == self._pid and not self._closed:
                self._idle.append(item)
                return
        item.kill()

    def warm(self) -> None:
        """Start one executor now, so the first request does not pay for the fork."""
        if os.getpid() != self._pid:
            self._init_state()
        self._give(self._take())

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for item in self._idle:
                item.kill()
            self._idle.clear()
        self.zygote.close()


class LocalBackend:
    """The embedded store: reads in a pool of executors, writes in one writer at a time."""

    def __init__(self, settings, pool_size: int = 1):
        self.settings = settings
        self.pool = ExecutorPool(settings, pool_size)
        # allow-listed SERVICE queries only: the one kind of executor with network access
        self.networked = ExecutorPool(settings, 1, kind="networked-reader")
        self._write_mutex = threading.Lock()
        self.spool_dir = os.path.join(tempfile.gettempdir(), f"ctkg-spool-{os.getuid()}")
        self._spool_pid = 0
        self._spool_prefix = ""
        self._spool_count = itertools.count()
        self._spool_lock = threading.Lock()

    version_is_local = True  # a stat of the current build and its write counter

    def data_version(self) -> str:
        return data_version(self.settings)

    def available(self) -> bool:
        return store_present(self.settings)

    def write_count(self) -> int:
        return write_count(self.settings)

    def warm(self) -> None:
        self.pool.warm()

    def close(self) -> None:
        self.networked.close()
        self.pool.close()

    def _spool_path(self) -> str:
        """A new spool file name: the directory made once per process, then a counter (the
        name had cost a uuid4 and a makedirs per query: ~0.1 ms of the uncached hot path)."""
        with self._spool_lock:
            pid = os.getpid()
            if self._spool_pid != pid:  # first use in this process (workers fork)
                os.makedirs(self.spool_dir, mode=0o700, exist_ok=True)
                self._spool_prefix = os.path.join(self.spool_dir, f"{pid}-{uuid.uuid4().hex}-")
                self._spool_count = itertools.count()
                self._spool_pid = pid
            return f"{self._spool_prefix}{next(self._spool_count)}"

    def run(self, job: ReadJob, timeout: float) -> Outcome:
        refusal = _too_deep(getattr(job, "query", ""), self.settings)
        if refusal is not None:
            return refusal
        spool = ""
        if isinstance(job, _SPOOLED):
            spool = self._spool_path()
            job = dataclasses.replace(job, spool_path=spool)
        started = time.monotonic()
        try:
            outcome = self.pool.run(job, timeout)
            if outcome.status == Status.NEEDS_NETWORK and self.settings.service_prefixes:
                remaining = max(0.001, timeout - (time.monotonic() - started))
                outcome = self.networked.run(job, remaining)
        except BaseException:
            _unlink(spool)
            raise
        if outcome.spooled:
            # open, then unlink: the file lives exactly as long as the response streams it
            outcome.file = open(spool, "rb")  # noqa: SIM115 - closed by the response
            _unlink(spool)
        elif outcome.status != Status.OK:
            _unlink(spool)  # a job that failed after spilling may have left a partial file
        return outcome

    def write(self, job: WriteJob, timeout: float) -> Outcome:
        refusal = _too_deep(job.update, self.settings)
        if refusal is not None:
            return refusal
        deadline = time.monotonic() + timeout
        if not self._write_mutex.acquire(timeout=timeout):
            raise Busy
        try:
            try:
                path = lock_file(self.settings)
            except StoreMissing as exc:
                return Outcome(Status.UNAVAILABLE, message=str(exc))
            with _file_lock(path, deadline):
                outcome = None
                try:
                    outcome = self._fork_writer(job, deadline)
                    if outcome.status == Status.NEEDS_NETWORK and self.settings.service_prefixes:
                        outcome = self._fork_writer(job, deadline, "networked-writer")
                    return outcome
                finally:
                    bump_version(self.settings)
                    stopped = outcome is None or outcome.status in ("crashed", "memory")
                    if stopped and job.operation != "checkpoint":
                        # a writer stopped mid-way may have committed without flushing: fold
                        # its log into the store now, not in every reader's open
                        threading.Thread(target=self.recover, daemon=True).start()
        finally:
            self._write_mutex.release()

    def recover(self, timeout: float = 3600.0) -> Outcome | None:
        """Open the store read-write once and flush: a write-ahead log left by a killed
        writer is replayed here, once, instead of by every read-only open (5-6 s each for a
        170 MB log, measured). Run at server start and after a writer died."""
        if not self.available():
            return None
        try:
            return self.write(WriteJob("checkpoint"), timeout)
        except (Busy, Timeout, OSError) as exc:
            log.warning("store recovery did not finish: %r", exc)
            return None

    def _fork_writer(self, job: WriteJob, deadline: float, kind: str = "writer") -> Outcome:
        if os.getpid() != self.pool._pid:
            self.pool._init_state()
        child = self.pool.zygote.spawn(kind, self.settings)
        try:
            child.conn.send((job, deadline))
            if not child.conn.poll(max(0.0, deadline - time.monotonic())):
                raise Timeout
            try:
                return child.conn.recv()
            except EOFError:
                log.error("writer process %s died", child.pid)
                return _death(self.pool.zygote, child.pid, "writer")
        finally:
            child.kill()  # a no-op if it has already exited
            # the version is bumped after this: a killed writer must be gone by then, or a
            # commit landing later could be read (and cached) under the new version
            _wait_gone(child.pid, 5.0)


def _too_deep(text: str, settings) -> Outcome | None:
    """The 400 for a request nested too deep for the engine, decided here in the web worker.
    Why here and not only in the executor (which checks again): the refusal must not depend
    on an executor being up, and the CI run saw an executor's start-up fail under its memory
    cap and turn a 400 into a 507."""
    try:
        check_nesting(text, int(getattr(settings, "max_query_nesting", 0)))
    except TooComplex as exc:
        return Outcome(Status.INVALID, message=str(exc))
    return None


def _wait_gone(pid: int, limit: float) -> None:
    """Wait (up to ``limit`` s) until ``pid`` has exited; the zygote reaps it at once."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        except PermissionError:
            return
        time.sleep(0.002)


def _death(zygote: Zygote, pid: int, what: str) -> Outcome:
    """The Outcome for a child that died mid-job: out of memory (the engine aborts when an
    allocation fails under the address-space cap), or a crash (a signal, e.g. SIGSEGV)."""
    status = zygote.exit_status(pid)
    if status is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT:
        return Outcome(Status.MEMORY, message=f"the {what} ran out of memory")
    how = (
        f" (signal {os.WTERMSIG(status)})" if status is not None and os.WIFSIGNALED(status) else ""
    )
    return Outcome(Status.CRASHED, message=f"the {what} process died{how}")


@contextlib.contextmanager
def _file_lock(path, deadline: float):
    """Hold a POSIX lock on ``path`` (per process, not inherited by forks) until the block ends."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise Busy from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _unlink(path: str) -> None:
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
