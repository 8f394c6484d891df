"""The server's one way to the built store: where it is, which version it is, how to open it.

The graph lives where ``ctkg.graph.store`` puts it: ``{data_dir}/current/store``, ``current``
being a symlink to ``builds/<id>/`` that each build swaps atomically, and is opened with that
module's ``open_store``. Beside the store, in the build directory, the server keeps two files:

- ``store.version``: replaced (write, fsync, rename) after every HTTP write. A reader's *data
  version* is the resolved build directory plus that file's identity, so both a new build and a
  write change it; readers reopen when it changes (a read-only open never sees later writes).
- ``store.write-lock``: a POSIX lock held by the one process writing, so writes from several
  server workers queue instead of failing on RocksDB's own lock.
"""

from __future__ import annotations

import functools
import os
import re
import time
from pathlib import Path

import pyoxigraph as ox

from ctkg.config import Settings
from ctkg.graph.store import MERGE_DEFAULT_GRAPH, StoreMissing, current_dir, open_store

__all__ = [
    "MERGE_DEFAULT_GRAPH",
    "StoreMissing",
    "bump_version",
    "data_version",
    "lock_file",
    "open_reader",
    "open_writer",
    "store_present",
]

VERSION_FILE = "store.version"
LOCK_FILE = "store.write-lock"


def store_present(settings: Settings) -> bool:
    """True if a built store is in place under the data directory."""
    return (settings.data_path / "current" / "store").is_dir()


def data_version(settings: Settings) -> str:
    """A token that changes whenever the served data may have changed (build or write).

    Two system calls (it runs on every request): the ``current`` link's target names the
    build (each build has its own directory), and that build's ``store.version`` identity
    changes with every write.
    """
    data, current = _paths(settings.data_path)
    try:
        target = os.readlink(current)
    except OSError:
        target = os.path.realpath(current)  # missing, or not a link
    build = target if target.startswith("/") else data + target  # os.path.join, without its cost
    try:
        st = os.stat(build + "/" + VERSION_FILE)
    except (FileNotFoundError, NotADirectoryError):
        return f"{build}|0"
    return f"{build}|{st.st_ino}|{st.st_mtime_ns}|{st.st_size}"


@functools.lru_cache(maxsize=16)
def _paths(data_path: Path) -> tuple[str, str]:
    """The data directory with a trailing slash, and its ``current`` link (computed once)."""
    data = os.path.join(str(data_path), "")
    return data, data + "current"


def log_pending(settings: Settings) -> bool:
    """True if the store's write-ahead log holds anything to replay (a writer was killed, or
    a store was closed without a flush); False if every log file is empty, as after a clean
    flush. One ``stat`` per log file: the check that lets a start skip its recovery."""
    store = settings.data_path / "current" / "store"
    try:
        entries = list(os.scandir(store))
    except OSError:
        return False
    return any(
        _WAL.fullmatch(entry.name) and entry.stat().st_size > 0
        for entry in entries
        if entry.is_file()
    )


_WAL = re.compile(r"\d+\.log")


def write_count(settings: Settings) -> int:
    """How many HTTP writes the current build has had."""
    try:
        return int((current_dir(settings) / VERSION_FILE).read_text().strip() or 0)
    except (FileNotFoundError, StoreMissing, ValueError):
        return 0


def bump_version(settings: Settings) -> None:
    """Record a write: readers holding the old version will reopen the store."""
    build = current_dir(settings)
    target = build / VERSION_FILE
    count = write_count(settings) + 1
    tmp = build / f".{VERSION_FILE}.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(f"{count}\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    dir_fd = os.open(build, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def lock_file(settings: Settings) -> Path:
    return current_dir(settings) / LOCK_FILE


def open_reader(settings: Settings, attempts: int = 4) -> ox.Store:
    """Open the store read-only, retrying briefly (an open during a write can fail)."""
    for attempt in range(attempts):
        try:
            return open_store(settings, read_only=True)
        except StoreMissing:
            raise
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def open_writer(settings: Settings, deadline: float) -> ox.Store:
    """Open the store read-write, waiting until ``deadline`` if another process holds it."""
    while True:
        try:
            return open_store(settings, read_only=False)
        except StoreMissing:
            raise
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
