"""The front's lanes: the Flask app run in a pool of threads, answers handed back whole.

Why not a2wsgi's ``WSGIMiddleware``, which the front used first: it hands every piece of an
answer (the status line, each body chunk, the end) from the app's thread to the event loop
one at a time and makes the thread wait until the loop has taken it. Under load the loop is
the busiest thing in a worker (it admits, sheds, reads bodies and answers ``/healthz``), so
each answer cost three round trips through a long queue, and the threads spent their time
waiting for the loop, not working (a profile of a worker at 512 clients: most of the threads'
samples in a2wsgi's ``send``, waiting). Here the thread runs the app to the end and returns the
answer whole, if it is small (``BUFFER_BYTES``), as nearly all are: one hand-over per request,
and the thread is free as soon as the app is done, however slowly the client reads. Larger
answers (dumps, big results) are streamed: the thread puts chunks in a small bounded queue the
loop drains, so memory stays bounded and a slow reader slows only its own answer.

The WSGI environ is a2wsgi's (``build_environ``), so the app sees exactly what it saw before.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import io
import os
from concurrent.futures import ThreadPoolExecutor

from a2wsgi.wsgi import build_environ

from ..engine.backend import when_slow
from .answers import RAN
from .direct import MISS, NOT_RUN
from .priority import REALTIME

# answers up to this size are handed back whole; larger ones are streamed
BUFFER_BYTES = 256 * 1024
# chunks of a streamed answer that may wait for the loop (bounds its memory)
STREAM_QUEUE = 8
# The CPU priority of the lanes' threads below the worker's event loop (nice, per thread):
# when the cores are busy, the loop (admission, shedding, ``/healthz``, sending answers) runs
# first and the app's work waits, instead of the loop waiting behind it. Measured without it,
# 512 clients on the 2-core machine: the loop thread waited 2.6-3.4 s for a CPU in every 5 s
# (schedstat) and ``/healthz`` took up to 450 ms with the prober at real-time priority.
LANE_NICE = 5


class Lane:
    """ASGI app running a WSGI app in threads of its own (one lane of the front).

    ``threads`` requests run at once; the rest wait here, in the loop, in order of arrival.
    With ``slow_threads``, a request whose query turns out slow (the engine demotes its
    executor, ``backend.when_slow``) gives its place back and runs on in one of up to
    ``slow_threads`` extra threads, so slow queries that keep the default budget cannot take
    every place while cheap requests wait behind them; past ``slow_threads`` slow ones, a slow
    request keeps its place (the number of threads, and of executors, stays bounded).
    """

    def __init__(
        self, wsgi_app, threads: int, name: str = "lane", slow_threads: int = 0, direct=None
    ):
        self.app = wsgi_app
        # ``direct.Direct.answer``: a request the front marked as a miss (``direct.MISS``) is
        # answered by it in the thread, and by the WSGI app only if it declines
        self.direct = direct
        self.threads = threads
        self.slow_threads = slow_threads
        self.executor = ThreadPoolExecutor(
            max_workers=threads + slow_threads, thread_name_prefix=name, initializer=_lower_priority
        )
        self.busy = 0  # requests holding one of the ``threads`` places
        self.slow = 0  # slow requests that gave their place back
        self.waiting: collections.deque[asyncio.Future] = collections.deque()

    async def __call__(self, scope, receive, send) -> None:
        body = bytearray()
        while True:  # the front has read the body already: this is a replay, at once
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        loop = asyncio.get_running_loop()
        request: tuple = (scope, bytes(body), None)
        if self.direct is None or MISS not in scope:  # else the environ is built if needed
            environ = build_environ(scope, io.BytesIO(request[1]))  # type: ignore[arg-type]
            request = (scope, b"", environ)
        stream = _Stream(loop, send)
        context = contextvars.copy_context()
        ticket = await self._enter(loop)
        running = loop.run_in_executor(
            self.executor, context.run, self._run_ticketed, request, stream, ticket
        )
        # the place is given back when the thread is done, even if this task is cancelled first
        running.add_done_callback(lambda future: self._left(ticket, future))
        try:
            answer = await asyncio.shield(running)
        except BaseException:
            if stream.sender is not None:  # the app failed mid-stream: the answer is cut
                stream.sender.cancel()
            raise
        if answer is None:  # streamed: wait for the loop's side to send the rest
            await stream.finished()
            return
        status, headers, payload = answer
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload, "more_body": False})

    # --- places (all in the loop)

    async def _enter(self, loop) -> _Ticket:
        ticket = _Ticket(loop)
        if self.busy < self.threads and not self.waiting:
            self.busy += 1
            return ticket
        turn = loop.create_future()
        self.waiting.append(turn)
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():  # given a place, then cancelled
                self.busy -= 1
                self._wake()
            else:
                with contextlib.suppress(ValueError):
                    self.waiting.remove(turn)
            raise
        return ticket

    def _left(self, ticket: _Ticket, future: asyncio.Future) -> None:
        if not future.cancelled():
            future.exception()  # retrieved: raised to the request's task if it still waits
        self._leave(ticket)

    def _leave(self, ticket: _Ticket) -> None:
        ticket.done = True
        if ticket.slow:
            self.slow -= 1
        else:
            self.busy -= 1
        self._wake()

    def _turned_slow(self, ticket: _Ticket) -> None:
        if ticket.done or ticket.slow or self.slow >= self.slow_threads:
            return
        ticket.slow = True
        self.slow += 1
        self.busy -= 1
        self._wake()

    def _wake(self) -> None:
        while self.waiting and self.busy < self.threads:
            turn = self.waiting.popleft()
            if not turn.done():
                self.busy += 1
                turn.set_result(None)

    # --- the thread's side

    def _run_ticketed(self, request, stream: _Stream, ticket: _Ticket):
        if not self.slow_threads:
            return self._serve(request, stream)
        with when_slow(ticket.turned_slow(self)):
            return self._serve(request, stream)

    def _serve(self, request, stream: _Stream):
        """In a thread: a marked miss by ``direct`` first; else (or if it declines) the app."""
        scope, body, environ = request
        if environ is None:
            environ = self._direct(scope, body, stream)
            if not isinstance(environ, dict):
                return environ  # the direct path's answer (None: streamed)
        return self._run(environ, stream)

    def _direct(self, scope, body: bytes, stream: _Stream):
        """The direct path's answer (a tuple, or None once streamed), or the environ for the
        app if it declined (with what the direct path's run gave, for the view to answer)."""
        answer, ran = self.direct(scope)
        if answer is not None:
            status, headers, payload = answer
            if isinstance(payload, bytes):
                return answer
            return self._collect(payload, [], lambda: (status, headers), stream)
        environ: dict = build_environ(scope, io.BytesIO(body))  # type: ignore[arg-type,assignment]
        if ran is not NOT_RUN:
            environ[RAN] = ran  # the view answers from this run, not a second one
        return environ

    def _run(self, environ, stream: _Stream):
        """In a thread: the app's whole answer ``(status, headers, body)``, or None once it has
        been streamed through ``stream`` (it was larger than ``BUFFER_BYTES``)."""
        started: list = []
        chunks: list[bytes] = []

        def start_response(status: str, headers, exc_info=None):
            if exc_info is not None and stream.started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return chunks.append  # the legacy write() callable: buffered like the rest

        iterable = self.app(environ, start_response)
        return self._collect(iterable, chunks, lambda: _head(*started), stream)

    def _collect(self, iterable, chunks: list[bytes], head, stream: _Stream):
        """``iterable``'s answer whole, or streamed once past ``BUFFER_BYTES`` (then None);
        ``head()`` gives its status and headers, asked only once the app has started it."""
        try:
            size = sum(len(c) for c in chunks)
            for chunk in iterable:
                if not chunk:
                    continue
                chunks.append(chunk)
                size += len(chunk)
                if size > BUFFER_BYTES:
                    status, headers = head()
                    stream.start(status, headers, chunks)
                    for more in iterable:
                        if more and not stream.put(more):
                            break  # the client has gone: stop reading the answer
                    stream.end()
                    return None
            status, headers = head()
            return status, headers, b"".join(chunks)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()


def _lower_priority() -> None:
    """In each lane thread as it starts: ``LANE_NICE`` for this thread alone (on Linux a
    thread's nice is its own). Lowering a priority needs no privilege. If the worker's loop
    runs at real-time priority (``priority.py``), this thread follows it, just below it: a
    thread holding the GIL must not wait behind normal work while the loop waits for it."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, 0, os.getpriority(os.PRIO_PROCESS, 0) + LANE_NICE)
    REALTIME.follow()


class _Ticket:
    """One request's place in a lane."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.slow = False
        self.done = False

    def turned_slow(self, lane: Lane):
        """The callback the engine calls, in the request's thread, when its query turns slow."""
        return lambda: self.loop.call_soon_threadsafe(lane._turned_slow, self)


def _head(status: str, headers) -> tuple[int, list[tuple[bytes, bytes]]]:
    return int(status.split(" ", 1)[0]), [
        (name.strip().encode("latin1").lower(), value.strip().encode("latin1"))
        for name, value in headers
    ]


class _Stream:
    """A large answer's way from the app's thread to the loop: a bounded queue; the thread
    blocks when the client reads slower than the app writes (backpressure)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, send):
        self.loop = loop
        self.send = send
        self.started = False
        self.gone = False
        self.queue: asyncio.Queue | None = None
        self.sender: asyncio.Future | None = None

    # --- the thread's side

    def start(self, status: int, headers, chunks: list[bytes]) -> None:
        self.started = True
        first = b"".join(chunks)
        asyncio.run_coroutine_threadsafe(self._open(status, headers), self.loop).result()
        self.put(first)

    def put(self, chunk: bytes) -> bool:
        """Hand one chunk to the loop; False if the client has gone."""
        if self.gone:
            return False
        assert self.queue is not None
        asyncio.run_coroutine_threadsafe(self.queue.put(chunk), self.loop).result()
        return not self.gone

    def end(self) -> None:
        assert self.queue is not None
        asyncio.run_coroutine_threadsafe(self.queue.put(None), self.loop).result()

    # --- the loop's side

    async def _open(self, status: int, headers) -> None:
        self.queue = asyncio.Queue(STREAM_QUEUE)
        self.sender = asyncio.ensure_future(self._send(status, headers))

    async def _send(self, status: int, headers) -> None:
        assert self.queue is not None
        ended = False  # the thread has put its last chunk (None): nothing more will come
        try:
            await self.send({"type": "http.response.start", "status": status, "headers": headers})
            while (chunk := await self.queue.get()) is not None:
                await self.send({"type": "http.response.body", "body": chunk, "more_body": True})
            ended = True
            await self.send({"type": "http.response.body", "body": b"", "more_body": False})
        except asyncio.CancelledError:
            self.gone = True  # cancelled because the app failed: its thread puts nothing more
            raise
        except BaseException:
            self.gone = True
            # keep taking what the thread puts until it sees ``gone``, so it never blocks
            while not ended and await self.queue.get() is not None:
                pass
            raise

    async def finished(self) -> None:
        if self.sender is not None:
            await self.sender
