"""A server start skips the store recovery only when there is nothing to recover: a build
leaves its write-ahead log empty (``graph.store.close_log``), a killed writer does not
(``store_access.log_pending``; the recovery itself: test_hardening_crash.py)."""

from __future__ import annotations

import subprocess
import sys

from helpers import SAMPLE_TRIG, build_store, settings_for

from ctkg.bench import synth
from ctkg.config import Settings
from ctkg.graph.store import close_log
from ctkg.server.engine.store_access import log_pending

UNFLUSHED = r"""
import os, signal, sys
import pyoxigraph as ox
store = ox.Store(sys.argv[1])
store.update('INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> "o" } }')
os.kill(os.getpid(), signal.SIGKILL)  # committed, never flushed: it is in the log only
"""


def test_a_closed_log_has_nothing_to_recover_and_a_killed_writer_has(tmp_path):
    data_dir = tmp_path / "data"
    store = build_store(data_dir, SAMPLE_TRIG)  # flushed and closed: RocksDB keeps its log
    settings = settings_for(data_dir)
    assert log_pending(settings)
    close_log(store)
    assert not log_pending(settings)
    subprocess.run([sys.executable, "-c", UNFLUSHED, str(store)], timeout=120)
    assert log_pending(settings)
    close_log(store)  # what the server's recovery does too: replayed, then an empty log
    assert not log_pending(settings)


def test_a_build_leaves_nothing_to_recover(tmp_path):
    generated = synth.generate(tmp_path / "a.nq", 9_000, seed=3)
    settings = Settings(data_dir=str(tmp_path / "data"))
    _, manifest = synth.load(settings, generated.path, generated.default_graph_path)
    assert not log_pending(settings)
    assert "close_log_s" in manifest["timings"]
