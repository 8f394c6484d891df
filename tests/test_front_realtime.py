"""A worker's Python threads at real-time priority where the process may (``http/priority.py``,
issue 14): the event loop and the threads started after it, the lanes' threads just below it,
and nothing they start beyond that (executors, fork servers); the guard that runs them at
normal priority for a window when they took too much CPU; ``CTKG_REALTIME=0`` and a process
without the right leave everything as it was.

Every check runs in threads of its own, so the test process's main thread keeps its priority.
"""

from __future__ import annotations

import ast
import asyncio
import os
import threading

from ctkg.config import Settings
from ctkg.server import run
from ctkg.server.http import lanes, priority


def _may_be_real_time() -> bool:
    """Whether this process may take a real-time priority (tried in a throwaway thread)."""
    out: list[bool] = []

    def attempt():
        try:
            os.sched_setscheduler(0, os.SCHED_RR, os.sched_param(1))
            out.append(True)
        except PermissionError:
            out.append(False)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    return out[0]


def _in_a_thread(function):
    out: list = []
    errors: list[BaseException] = []

    def body():
        try:
            out.append(function())
        except BaseException as exc:  # raised again in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(30)
    if errors:
        raise errors[0]
    return out[0]


def _policy() -> tuple[int, int, bool]:
    """This thread's (policy, real-time priority, reset-on-fork)."""
    policy = os.sched_getscheduler(0)
    reset = bool(policy & os.SCHED_RESET_ON_FORK)
    return policy & ~os.SCHED_RESET_ON_FORK, os.sched_getparam(0).sched_priority, reset


def test_the_loop_its_later_threads_and_the_lanes_run_real_time(monkeypatch):
    """The loop at LOOP_PRIORITY, a thread it starts (as granian's I/O threads) likewise; the
    lane's thread just below with reset-on-fork, so a thread it starts runs normal; the guard
    normal. Before this change every one of them ran normal (``SCHED_OTHER``)."""
    assert _may_be_real_time(), "the tests run as root (CI too): real-time must be permitted"
    realtime = priority.RealTime()
    monkeypatch.setattr(lanes, "REALTIME", realtime)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        started_by_lane = _in_a_thread(_policy)
        return [repr((_policy(), started_by_lane)).encode()]

    async def through_a_lane():
        sent = []

        async def send(message):
            sent.append(message)

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/x",
            "raw_path": b"/x",
            "query_string": b"",
            "root_path": "",
            "http_version": "1.1",
            "headers": [(b"host", b"t")],
            "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 5000),
        }
        lane = lanes.Lane(app, 1)
        await lane(scope, receive, send)
        lane.executor.shutdown()
        return ast.literal_eval(sent[-1]["body"].decode())

    def as_a_worker_loop():
        try:
            entered = realtime.enter_loop()
            loop = _policy()
            started_by_loop = _in_a_thread(_policy)
            in_lane, started_by_lane = asyncio.run(through_a_lane())
            return entered, loop, started_by_loop, in_lane, started_by_lane
        finally:
            realtime.stopped.set()

    entered, loop, started_by_loop, in_lane, started_by_lane = _in_a_thread(as_a_worker_loop)
    assert entered
    assert loop == (os.SCHED_RR, priority.LOOP_PRIORITY, False)
    assert started_by_loop == (os.SCHED_RR, priority.LOOP_PRIORITY, False)
    assert in_lane == (os.SCHED_RR, priority.LANE_PRIORITY, True)
    assert priority.LANE_PRIORITY < priority.LOOP_PRIORITY
    assert started_by_lane[:2] == (os.SCHED_OTHER, 0)
    realtime.guard.join(5)
    assert not realtime.guard.is_alive()


def test_the_guard_demotes_real_time_threads_that_took_too_much_and_restores_them():
    """One real-time thread with a whole core in two windows in a row: every real-time thread
    of the worker runs normal (a lane thread starting meanwhile too), until a quiet window."""
    realtime = priority.RealTime()
    release = threading.Event()
    seen: dict[str, tuple] = {}

    def loop_thread():
        realtime.enter_loop()
        realtime.stopped.set()  # the window is judged below, by hand
        release.wait(30)

    thread = threading.Thread(target=loop_thread)
    thread.start()
    try:
        for _ in range(500):
            if realtime.on:
                break
            threading.Event().wait(0.01)
        tid = next(
            t
            for t, (policy, _, _) in priority._threads().items()
            if policy == os.SCHED_RR and t != threading.get_native_id()
        )
        before = priority._threads()
        now = dict(before)
        quiet = {tid: (*before[tid][:2], before[tid][2] + 10**8)}  # 0.1 s of CPU in 1 s
        assert realtime.judge(before, {**now, **quiet}) is False
        assert os.sched_getscheduler(tid) == os.SCHED_RR
        # two threads at 0.6 of a core each: together over a core, but neither spins
        shared = {
            tid: (*before[tid][:2], before[tid][2] + 6 * 10**8),
            -1: (os.SCHED_RR, 1, 6 * 10**8),
        }
        assert realtime.judge(before, {**now, **shared}) is False
        assert realtime.judge(before, {**now, **shared}) is False
        busy = {tid: (*before[tid][:2], before[tid][2] + 10**9)}  # a whole core
        assert priority.GUARD_WINDOWS == 2
        assert realtime.judge(before, {**now, **busy}) is False  # once is not yet
        assert os.sched_getscheduler(tid) == os.SCHED_RR
        assert realtime.judge(before, {**now, **busy}) is True  # twice in a row
        seen["demoted"] = (os.sched_getscheduler(tid), os.sched_getparam(tid).sched_priority)
        # a lane thread starting meanwhile starts normal and is restored with the rest
        lane: list = []
        lane_go = threading.Event()

        def lane_thread():
            realtime.follow()
            lane.append((threading.get_native_id(), os.sched_getscheduler(0) & 0xFF))
            lane_go.wait(30)

        other = threading.Thread(target=lane_thread)
        other.start()
        while not lane:
            threading.Event().wait(0.01)
        after = priority._threads()
        assert realtime.judge(after, after) is False  # a quiet window: restored
        seen["restored"] = (os.sched_getscheduler(tid), os.sched_getparam(tid).sched_priority)
        seen["lane"] = (lane[0][1], os.sched_getscheduler(lane[0][0]) & 0xFF)
        lane_go.set()
        other.join(5)
    finally:
        release.set()
        thread.join(5)
    assert seen["demoted"] == (os.SCHED_OTHER, 0)
    assert seen["restored"] == (os.SCHED_RR, priority.LOOP_PRIORITY)
    assert seen["lane"] == (os.SCHED_OTHER, os.SCHED_RR)


def test_without_the_right_or_with_ctkg_realtime_0_nothing_changes(monkeypatch):
    realtime = priority.RealTime()

    def refused(*args):
        raise PermissionError(1, "Operation not permitted")

    def attempt():
        with monkeypatch.context() as patch:
            patch.setattr(os, "sched_setscheduler", refused)
            entered = realtime.enter_loop()
            followed = realtime.follow()
        return entered, followed, _policy()

    entered, followed, policy = _in_a_thread(attempt)
    assert (entered, followed, realtime.on, realtime.guard) == (False, False, False, None)
    assert policy[:2] == (os.SCHED_OTHER, 0)

    called = []
    monkeypatch.setattr(priority.REALTIME, "enter_loop", lambda: called.append(1) or True)
    assert run.raise_priority(Settings.from_env({}, realtime=0)) is False
    assert called == []
    assert run.raise_priority(Settings.from_env({"CTKG_REALTIME": "1"})) is True
    assert called == [1]
