"""When a query's executor is lowered in CPU priority, and when its lane place is handed back
(``backend._Executor.call``), and a replacement executor's start-up at a low priority
(``ExecutorPool._start_ready``): issue 14's cheap requests under slow queries.

Where priorities can be raised back (root, CAP_SYS_NICE), a query still running after
``CPU_DEMOTE_AFTER_S`` yields the CPU, and only after ``DEMOTE_AFTER_S`` gives its lane place
back; elsewhere both happen at ``DEMOTE_AFTER_S`` (a demoted executor is replaced there, not
reused). The order of events is checked with a stand-in connection, not with timings."""

from __future__ import annotations

import os

import pytest

from ctkg.config import Settings
from ctkg.server.engine import backend as engine
from ctkg.server.engine.jobs import QueryJob


class _Clock:
    """``backend.time`` in these tests: the time that the stand-in connection's polls waited."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now


class _Conn:
    """A connection to an executor whose answer never comes (or comes at poll ``answer_at``);
    each poll waits out its whole timeout on ``clock``."""

    def __init__(self, events: list, clock: _Clock, answer_at: int | None = None):
        self.events = events
        self.clock = clock
        self.answer_at = answer_at
        self.polls = 0

    def send(self, job):
        self.events.append("send")

    def poll(self, seconds):
        self.polls += 1
        self.events.append(("poll", round(seconds, 2)))
        if self.polls == self.answer_at:
            return True
        self.clock.now += seconds
        return False

    def recv(self):
        self.events.append("recv")
        return "answer"


@pytest.fixture
def clock(monkeypatch):
    fake = _Clock()
    monkeypatch.setattr(engine, "time", fake)
    return fake


def _executor(events, answer_at=None):
    item = object.__new__(engine._Executor)
    item.conn = _Conn(events, engine.time, answer_at)  # type: ignore[arg-type]
    item.demoted = False
    item.demote = lambda: events.append("demote")  # type: ignore[method-assign]
    return item


def _call(item, events, timeout):
    with engine.when_slow(lambda: events.append("lane")):
        try:
            return item.call(QueryJob("ASK {}", "json", None, 0, ""), timeout)
        except engine.Timeout:
            events.append("timeout")


def test_where_priorities_can_be_raised_the_cpu_is_yielded_before_the_lane_place(
    monkeypatch, clock
):
    monkeypatch.setattr(engine, "can_raise_priority", lambda: True)
    events: list = []
    _call(_executor(events), events, 5.0)
    cpu, lane = engine.CPU_DEMOTE_AFTER_S, engine.DEMOTE_AFTER_S
    assert cpu < lane
    assert events[:5] == ["send", ("poll", cpu), "demote", ("poll", round(lane - cpu, 2)), "lane"]
    assert events[-1] == "timeout" and events.count("demote") == 1

    events.clear()  # answered between the two: demoted, but its lane place kept
    assert _call(_executor(events, answer_at=2), events, 5.0) == "answer"
    assert "demote" in events and "lane" not in events

    events.clear()  # a budget shorter than the hand-off: demoted, then stopped at its budget
    _call(_executor(events), events, 0.1)
    assert events == ["send", ("poll", cpu), "demote", ("poll", round(0.1 - cpu, 2)), "timeout"]


def test_elsewhere_both_come_at_the_hand_off(monkeypatch, clock):
    monkeypatch.setattr(engine, "can_raise_priority", lambda: False)
    events: list = []
    _call(_executor(events), events, 5.0)
    lane = engine.DEMOTE_AFTER_S
    assert events[:4] == ["send", ("poll", lane), "demote", "lane"]
    assert events[-1] == "timeout"
    events.clear()
    assert _call(_executor(events, answer_at=1), events, 5.0) == "answer"
    assert events == ["send", ("poll", lane), "recv"]


def test_a_replacement_starts_at_low_priority_and_is_restored_once_ready(
    sample_data_dir, monkeypatch
):
    """A killed executor's replacement opens its store at ``SLOW_NICE`` (background work, not
    to be shared with cheap requests), and joins the pool at normal priority."""
    assert engine.can_raise_priority()  # the server runs as root here, as CI does
    settings = Settings.from_env({}, data_dir=str(sample_data_dir))
    pool = engine.ExecutorPool(settings, 2)
    restored = []
    original = engine._Executor.restore

    def restore(self):
        restored.append(os.getpriority(os.PRIO_PROCESS, self.child.pid))
        return original(self)

    monkeypatch.setattr(engine._Executor, "restore", restore)
    try:
        pool._start_ready()
        assert restored == [engine.SLOW_NICE]
        (item,) = pool._idle
        assert os.getpriority(os.PRIO_PROCESS, item.child.pid) == 0
        assert pool.run(QueryJob("ASK {}", "json", None, 0, settings.base_iri), 10).status == "ok"
    finally:
        pool.close()


def test_without_the_right_to_raise_a_replacement_starts_at_normal_priority(
    sample_data_dir, monkeypatch
):
    monkeypatch.setattr(engine, "can_raise_priority", lambda: False)
    settings = Settings.from_env({}, data_dir=str(sample_data_dir))
    pool = engine.ExecutorPool(settings, 2)
    try:
        pool._start_ready()
        (item,) = pool._idle
        assert os.getpriority(os.PRIO_PROCESS, item.child.pid) == 0
    finally:
        pool.close()


@pytest.mark.parametrize("soft", [0, 20])
def test_the_right_to_raise_is_read_from_the_nice_limit_and_capabilities(monkeypatch, soft):
    import resource

    engine.can_raise_priority.cache_clear()
    monkeypatch.setattr(resource, "getrlimit", lambda which: (soft, soft))
    try:
        expected = soft == 20 or bool(_cap_eff() >> 23 & 1)
        assert engine.can_raise_priority() is expected
    finally:
        engine.can_raise_priority.cache_clear()


def _cap_eff() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return 0


def test_a_fork_server_started_from_a_lane_thread_runs_at_the_worker_s_priority():
    """Lane threads run ``LANE_NICE`` below the worker; a fork server (re)started from one
    takes the worker's main-thread priority, or its executors all run lowered too. Raising a
    priority back needs the right to (root or CAP_SYS_NICE); without it, it stays lowered."""
    import threading
    import time

    from ctkg.server.engine.zygote import Zygote
    from ctkg.server.http.lanes import LANE_NICE

    base = os.getpriority(os.PRIO_PROCESS, os.getpid())
    zygote, started = Zygote(), threading.Event()

    def lane_thread():
        os.setpriority(os.PRIO_PROCESS, 0, base + LANE_NICE)
        zygote._start()
        started.set()

    threading.Thread(target=lane_thread).start()
    assert started.wait(10)
    try:
        expected = base if engine.can_raise_priority() else base + LANE_NICE
        deadline = time.monotonic() + 10
        nice = None
        while time.monotonic() < deadline:
            nice = os.getpriority(os.PRIO_PROCESS, zygote._process.pid)
            if nice == expected:
                break
            time.sleep(0.02)
        assert nice == expected, (nice, base, expected)
    finally:
        zygote._reset()
