"""The exact answer cache: an answer already computed for the same data is served without
running anything.

Why it is exact: the key is a digest of the data version (``store_access.data_version``: the
build directory plus the identity of ``store.version``, which every write replaces before it
is acknowledged) and of the whole job (query text or named query with its bound parameters,
the protocol dataset, both negotiated result formats, the result cap, the base IRI). A write
or a new build changes the version, so every later request computes a new key: no answer
computed before a write is reachable after it. The executor re-reads the version when a job
starts, so an answer stored under a version was computed on that version's data or a later one,
never an earlier one. Queries whose answer may differ between two runs on the same data are
never cached (``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()``, ``BNODE()``, ``SERVICE``).
Only ``ok`` answers are kept, with their truncation flag, so caps and headers are replayed
exactly.

Shared by the workers of one server: entries are files under
``{data_dir}/answer-cache/<version digest>/`` (written to a temporary name, then renamed, so
a reader sees a whole entry or none), and each worker keeps the hottest entries in memory as
well: the answers asked for again (read back from disk), not every answer computed, so a
stream of one-off queries (distinct ``ASK``s) never pushes the repeated ones out, nor fills
the workers' memory with answers nobody asks for twice. The bytes on disk are counted in memory
shared by the workers (created with the app, before the workers fork), and so is each worker's
in-memory total (for ``/stats`` and ``/metrics``); past ``CTKG_ANSWER_CACHE_BYTES`` one worker
prunes: directories of older versions first, then the oldest entries, down to half the budget,
in two passes over the directory that hold a fixed amount of memory however many entries there
are (a list of every entry's name and age was ~20 MiB at the default budget, a step in the
worker's memory that stayed). An answer larger than an eighth of the budget is not kept.
Remote stores are not cached: their data can change without this server knowing
(``remote_backend.py``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import mmap
import multiprocessing
import os
import re
import shutil
import struct
import threading
import uuid
from collections import OrderedDict
from pathlib import Path

from ctkg.processes import pid_alive

from .jobs import GraphReadJob, Outcome, QueryJob, Status

MEMORY_MAX_BYTES = 32 * 1024 * 1024
# What an entry costs beside its body, charged against the budgets: in memory its key, metadata
# and LRU link (about 420 bytes, measured with tracemalloc), on disk the file's blocks. Counting
# bodies only let a stream of distinct tiny answers (ASKs of 26 bytes) hold 16 times the memory
# budget: the 10-minute soak (bench.load --soak 600) saw each worker grow ~4.5 MiB a minute.
MEMORY_ENTRY_OVERHEAD = 512
DISK_BLOCK = 4096
READ_INTO_MEMORY = 1 << 20
# processes (workers) whose in-memory bytes are shown in the shared map (a slot each)
MEMORY_SLOTS = 64
# the prune's histogram of entry ages: at most this many buckets (memory: a small dict)
PRUNE_BUCKETS = 1024
_VOLATILE = re.compile(r"\b(NOW|RAND|UUID|STRUUID|BNODE|SERVICE)\b\s*[(<?$]", re.I)
_HEADER = struct.Struct("!I")


def cacheable(job) -> bool:
    """True for reads whose answer depends only on the data and the job itself."""
    if isinstance(job, GraphReadJob):
        return True
    if isinstance(job, QueryJob):
        return _VOLATILE.search(job.query) is None
    return False


class AnswerCache:
    """Answers by key: a per-process LRU in memory in front of files shared by all workers."""

    def __init__(self, root: Path, max_bytes: int):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.entry_max = max(1, max_bytes // 8)
        self.memory_max = min(MEMORY_MAX_BYTES, max(1, max_bytes // 4))
        # shared by the forked workers: the bytes on disk, then a (pid, bytes in memory) slot
        # per process
        self._shared = mmap.mmap(-1, 8 + 16 * MEMORY_SLOTS)
        self._shared_lock = multiprocessing.Lock()
        self._init_process()

    def _init_process(self) -> None:
        self._pid = os.getpid()
        self._memory: OrderedDict[str, tuple[dict, bytes]] = OrderedDict()
        self._memory_bytes = 0
        self._lock = threading.Lock()
        self._slot = self._claim_slot()
        self._pruner: threading.Thread | None = None

    def _claim_slot(self) -> int | None:
        """This process's slot for its in-memory bytes: a free one or a dead process's."""
        with self._shared_lock:
            for slot in range(MEMORY_SLOTS):
                offset = 8 + 16 * slot
                (pid,) = struct.unpack_from("q", self._shared, offset)
                if pid in (0, self._pid) or not pid_alive(pid):
                    struct.pack_into("qq", self._shared, offset, self._pid, 0)
                    return offset + 8
        return None  # more processes than slots: this one's memory is not shown

    @staticmethod
    def key(version: str, job) -> str:
        """The key of ``job``'s answer on the data of ``version``."""
        digest = hashlib.sha256(version.encode())
        digest.update(b"\x1f")
        digest.update(repr(job).encode())
        return digest.hexdigest()

    def _dir(self, version: str) -> Path:
        return self.root / hashlib.sha256(version.encode()).hexdigest()[:16]

    # --- reading ---------------------------------------------------------------------------

    def get(self, version: str, key: str) -> Outcome | None:
        """The cached answer, or None."""
        if os.getpid() != self._pid:
            self._init_process()
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
        if hit is not None:
            return _outcome(*hit)
        try:
            file = open(self._dir(version) / key, "rb")  # noqa: SIM115 - closed below or by the response
        except OSError:
            return None
        try:
            (length,) = _HEADER.unpack(file.read(_HEADER.size))
            meta = json.loads(file.read(length))
            if meta["size"] <= READ_INTO_MEMORY:
                body = file.read()
                file.close()
                if len(body) != meta["size"]:
                    return None
                self._remember(key, meta, body)
                return _outcome(meta, body)
        except (OSError, ValueError, KeyError, struct.error):
            file.close()
            return None
        outcome = _outcome(meta, None)
        outcome.spooled, outcome.file = True, file
        return outcome

    def _remember(self, key: str, meta: dict, body: bytes) -> None:
        """Hold an answer read back from disk in memory (a repeat), within ``memory_max``."""
        if len(body) > self.memory_max:
            return
        with self._lock:
            if key in self._memory:
                return
            self._memory[key] = (meta, body)
            self._memory_bytes += len(body) + MEMORY_ENTRY_OVERHEAD
            while self._memory_bytes > self.memory_max and self._memory:
                _, (_, old) = self._memory.popitem(last=False)
                self._memory_bytes -= len(old) + MEMORY_ENTRY_OVERHEAD
            if self._slot is not None:  # one writer per slot: no lock needed
                struct.pack_into("q", self._shared, self._slot, self._memory_bytes)

    # --- writing ---------------------------------------------------------------------------

    def put(self, version: str, key: str, outcome: Outcome) -> bool:
        """Keep an ``ok`` answer; a spooled one is copied and its file rewound. True if kept."""
        size = outcome.size if outcome.spooled else len(outcome.body or b"")
        if outcome.status != Status.OK or size > self.entry_max:
            return False
        if os.getpid() != self._pid:
            self._init_process()
        meta = {
            "kind": outcome.kind,
            "format": outcome.format,
            "truncated": outcome.truncated,
            "size": size,
        }
        header = json.dumps(meta).encode()
        directory = self._dir(version)
        tmp = directory / f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(_HEADER.pack(len(header)))
                f.write(header)
                if outcome.spooled:
                    start = outcome.file.tell()
                    shutil.copyfileobj(outcome.file, f)
                    outcome.file.seek(start)
                else:
                    f.write(outcome.body or b"")
            os.replace(tmp, directory / key)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return False
        # not held in memory yet: only once asked for again (``get`` reads it back from disk)
        if self._add_bytes(_on_disk(size + len(header) + _HEADER.size)) > self.max_bytes:
            self._prune_soon(version)
        return True

    def _prune_soon(self, version: str) -> None:
        """Prune in a thread of its own, one at a time per process. Why: at the default budget
        a prune stats ~65,000 entries and unlinks half (~5 s on the 2-core machine), and run
        inside ``put`` it held the request that crossed the budget, and its lane place, as long."""
        with self._lock:
            if self._pruner is not None and self._pruner.is_alive():
                return
            self._pruner = threading.Thread(
                target=self._prune_while_over, args=(version,), name="ctkg-cache-prune", daemon=True
            )
            self._pruner.start()

    def _prune_while_over(self, version: str) -> None:
        # answers put while a prune ran are not in its count: prune again if still over
        for _ in range(3):
            self.prune(version)
            if self.disk_bytes <= self.max_bytes:
                return

    def wait_for_prune(self, timeout: float | None = None) -> None:
        """Wait for this process's background prune, if one runs (tests, benchmarks)."""
        pruner = self._pruner
        if pruner is not None:
            pruner.join(timeout)

    def _add_bytes(self, amount: int) -> int:
        with self._shared_lock:
            (value,) = struct.unpack_from("q", self._shared, 0)
            value = max(0, value + amount)
            struct.pack_into("q", self._shared, 0, value)
            return value

    @property
    def disk_bytes(self) -> int:
        """Bytes on disk (as counted by the workers since the last prune)."""
        return struct.unpack_from("q", self._shared, 0)[0]

    @property
    def memory_bytes(self) -> int:
        """Bytes this process holds in memory, as charged against ``memory_max``."""
        return self._memory_bytes

    @property
    def memory_bytes_all(self) -> int:
        """Bytes in memory over the processes that share this cache (the workers), as charged
        against their ``memory_max`` each (a slot of a process that has exited is not counted)."""
        total = 0
        for slot in range(MEMORY_SLOTS):
            pid, value = struct.unpack_from("qq", self._shared, 8 + 16 * slot)
            if pid and (pid == os.getpid() or pid_alive(pid)):
                total += value
        return total

    def prune(self, version: str) -> None:
        """Bring the disk use under half the budget; one worker at a time, others skip.

        In fixed memory: the directories of other versions are emptied entry by entry, and the
        current one is read twice, once for a histogram of its entries' ages and sizes (at most
        ``PRUNE_BUCKETS`` buckets), once to remove the entries older than the age that leaves
        at most half the budget. (A list of every entry, sorted, cost ~20 MiB at the default
        budget, and that memory stayed with the worker: ``bench.load --soak``.)"""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".prune-lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return  # another worker is pruning
            current = self._dir(version)
            with os.scandir(self.root) as entries:
                for entry in entries:
                    if entry.is_dir() and entry.path != str(current):
                        _remove_dir(entry.path)
            shift, sizes = _age_histogram(current)
            total = sum(sizes.values())
            cutoff = None  # entries in buckets up to this one go
            for bucket in sorted(sizes):
                if total <= self.max_bytes // 2:
                    break
                total -= sizes[bucket]
                cutoff = bucket
            if cutoff is not None:
                for path, mtime_ns, _ in _entries(current):
                    if mtime_ns >> shift <= cutoff:
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(path)
            with self._shared_lock:
                struct.pack_into("q", self._shared, 0, total)
        finally:
            os.close(fd)


def _entries(directory: Path):
    """``(path, mtime_ns, bytes on disk)`` of each entry, read one at a time."""
    with contextlib.suppress(FileNotFoundError), os.scandir(directory) as entries:
        for entry in entries:
            with contextlib.suppress(FileNotFoundError):
                st = entry.stat()
                yield entry.path, st.st_mtime_ns, _on_disk(st.st_size)


def _age_histogram(directory: Path) -> tuple[int, dict[int, int]]:
    """Bytes on disk by age bucket (``mtime_ns >> shift``), the buckets widened (``shift``
    raised, neighbours merged) whenever there would be more than ``PRUNE_BUCKETS``."""
    shift, sizes = 0, {}
    for _, mtime_ns, size in _entries(directory):
        bucket = mtime_ns >> shift
        sizes[bucket] = sizes.get(bucket, 0) + size
        while len(sizes) > PRUNE_BUCKETS:
            shift += 1
            merged: dict[int, int] = {}
            for old, amount in sizes.items():
                merged[old >> 1] = merged.get(old >> 1, 0) + amount
            sizes = merged
    return shift, sizes


def _remove_dir(path: str) -> None:
    """An old version's directory (flat: entries only), emptied one entry at a time
    (``shutil.rmtree`` lists a directory whole first)."""
    with contextlib.suppress(FileNotFoundError), os.scandir(path) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    with contextlib.suppress(OSError):
        os.rmdir(path)


def _on_disk(size: int) -> int:
    """The bytes a file of ``size`` bytes takes on disk: whole blocks, at least one."""
    return max(1, -(-size // DISK_BLOCK)) * DISK_BLOCK


def _outcome(meta: dict, body: bytes | None) -> Outcome:
    return Outcome(
        Status.OK,
        kind=meta["kind"],
        format=meta["format"],
        truncated=meta["truncated"],
        body=body,
        size=meta["size"],
    )
