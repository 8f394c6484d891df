"""The front's lanes (``server/http/lanes.py``, issue 14): a small answer comes back whole, so
the app's thread is free before the client has read anything; a large one is streamed in
order with bounded memory; a client that leaves mid-stream stops the app's iteration. And a
worker is prepared for its event loop (``run.prepare_worker``)."""

from __future__ import annotations

import asyncio
import contextlib
import threading

import pytest

from ctkg.server.http import lanes

SCOPE = {
    "type": "http",
    "method": "GET",
    "path": "/x",
    "raw_path": b"/x",
    "query_string": b"a=1",
    "root_path": "",
    "http_version": "1.1",
    "headers": [(b"host", b"t"), (b"content-type", b"text/plain")],
    "server": ("127.0.0.1", 80),
    "client": ("127.0.0.1", 5000),
}


async def _receive_body(body: bytes = b""):
    return {"type": "http.request", "body": body, "more_body": False}


def test_a_small_answer_frees_the_thread_before_the_client_reads():
    done = threading.Event()
    seen = {}

    def app(environ, start_response):
        seen["query"] = environ["QUERY_STRING"]
        seen["body"] = environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"hello "
        yield b"world"
        done.set()

    async def main():
        lane = lanes.Lane(app, 1)
        client_reads = asyncio.Event()
        sent = []

        async def send(message):
            sent.append(message)
            if message["type"] == "http.response.body":
                await client_reads.wait()  # a client that does not read

        task = asyncio.ensure_future(lane(SCOPE, lambda: _receive_body(b"q"), send))
        for _ in range(200):
            await asyncio.sleep(0.01)
            if sent and sent[-1]["type"] == "http.response.body":
                break
        # the app has finished and its thread is idle while the answer still waits to be read
        assert done.is_set()
        assert lane.executor._work_queue.empty()
        assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
        assert sent[0]["status"] == 200
        assert (b"content-type", b"text/plain") in sent[0]["headers"]
        assert sent[1] == {"type": "http.response.body", "body": b"hello world", "more_body": False}
        client_reads.set()
        await task

    asyncio.run(main())
    assert seen == {"query": "a=1", "body": b"q"}


def test_a_large_answer_is_streamed_in_order():
    chunk = b"x" * 65536
    count = 40  # 2.5 MiB, ten times BUFFER_BYTES

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/n-triples")])
        for i in range(count):
            yield bytes([65 + i % 26]) + chunk

    async def main():
        lane = lanes.Lane(app, 1)
        sent = []

        async def send(message):
            sent.append(message)

        await lane(SCOPE, _receive_body, send)
        return sent

    sent = asyncio.run(main())
    assert sent[0]["type"] == "http.response.start"
    bodies = sent[1:]
    assert all(m["more_body"] for m in bodies[:-1]) and not bodies[-1]["more_body"]
    assert b"".join(m["body"] for m in bodies) == b"".join(
        bytes([65 + i % 26]) + chunk for i in range(count)
    )
    assert len(bodies) > 2  # streamed, not buffered whole


def test_a_client_that_leaves_mid_stream_stops_the_app():
    produced = []
    closed = threading.Event()

    class Answer:
        def __iter__(self):
            for i in range(10_000):
                produced.append(i)
                yield b"y" * 65536

        def close(self):
            closed.set()

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Answer()

    async def main():
        lane = lanes.Lane(app, 1)
        bodies = 0

        async def send(message):
            nonlocal bodies
            if message["type"] == "http.response.body":
                bodies += 1
                if bodies == 3:
                    raise OSError("client gone")

        with contextlib.suppress(OSError):  # the client's error, as granian would raise it
            await lane(SCOPE, _receive_body, send)
        await asyncio.sleep(0.1)

    asyncio.run(main())
    assert closed.wait(5)
    assert len(produced) < 100  # stopped soon after, not run to the end


def test_a_worker_is_prepared_for_its_event_loop(monkeypatch):
    """``prepare_worker`` (each worker, after the fork): the short GIL switch interval, the
    first executor started, and what exists so far frozen out of the collector's scans."""
    import gc
    import sys

    from ctkg.server import run

    warmed = []

    class Backend:
        def warm(self):
            warmed.append(True)

    class App:
        def __init__(self):
            self.extensions = {"ctkg": type("State", (), {"backend": Backend()})()}

    before = sys.getswitchinterval()
    gc.unfreeze()
    try:
        run.prepare_worker(App())
        assert sys.getswitchinterval() == pytest.approx(run.SWITCH_INTERVAL_S)
        assert gc.get_freeze_count() > 0
        assert warmed == [True]
    finally:
        sys.setswitchinterval(before)
        gc.unfreeze()


def test_a_cancelled_request_keeps_its_place_until_its_thread_is_done():
    running, release = threading.Event(), threading.Event()

    def app(environ, start_response):
        running.set()
        release.wait(10)
        start_response("200 OK", [])
        return [b"late"]

    async def main():
        lane = lanes.Lane(app, 1)

        async def send(message):
            pass

        task = asyncio.ensure_future(lane(SCOPE, _receive_body, send))
        while not running.is_set():
            await asyncio.sleep(0.01)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert lane.busy == 1  # the app still runs in its thread: the place is still taken
        release.set()
        for _ in range(500):
            await asyncio.sleep(0.01)
            if lane.busy == 0:
                break
        assert lane.busy == 0  # given back once the thread was done

    asyncio.run(main())


class Gone(Exception):
    """The client left (as the server's send would raise it)."""


def test_a_client_gone_at_the_last_write_ends_the_stream():
    def app(environ, start_response):
        start_response("200 OK", [])
        return [b"z" * 65536 for _ in range(8)]

    async def main():
        lane = lanes.Lane(app, 1)

        async def send(message):
            if message["type"] == "http.response.body" and not message["more_body"]:
                raise Gone

        with contextlib.suppress(Gone):  # not a timeout (which is an OSError too)
            await asyncio.wait_for(lane(SCOPE, _receive_body, send), 10)
        assert lane.busy == 0

    asyncio.run(main())


def test_the_app_runs_below_the_event_loop_s_priority():
    """A lane's threads run ``LANE_NICE`` below the thread that made the lane (the event loop),
    so when the cores are busy the loop (admission, shedding, /healthz) runs first."""
    import os

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(os.getpriority(os.PRIO_PROCESS, 0)).encode()]

    async def main():
        sent = []

        async def send(message):
            sent.append(message)

        await lanes.Lane(app, 1)(SCOPE, _receive_body, send)
        return int(sent[-1]["body"])

    def in_a_thread(out):
        out.append(os.getpriority(os.PRIO_PROCESS, 0))
        out.append(asyncio.run(main()))

    seen: list[int] = []
    thread = threading.Thread(target=in_a_thread, args=(seen,))  # this test's nice stays as is
    thread.start()
    thread.join(30)
    loop_nice, app_nice = seen
    assert lanes.LANE_NICE > 0
    assert app_nice == min(19, loop_nice + lanes.LANE_NICE)
