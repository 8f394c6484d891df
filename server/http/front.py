"""The front of ``ctkg serve``: an ASGI layer that holds slow clients and overload in the event
loop, so the Flask app's threads only ever see complete requests.

Why: under granian's WSGI interface a request reaches a Python thread as soon as its headers
are in, and the thread then blocks reading the body, with no timeout: 16 connections that
send headers and no body stalled a 2 × 4-thread server (every ``/healthz`` probe timed out;
measured 2026-12-02). Requests also queued without bound, so past saturation every client
waited longer instead of some being told to come back.

So granian runs this ASGI app, which for each request, in the worker's event loop:

1. admits it only if fewer than ``CTKG_MAX_PENDING`` requests are in this worker (waiting for
   or holding a thread; a request that asks for a longer budget counts against a quarter of
   that, a bound of its own); past that it answers ``503`` with ``Retry-After`` at once (load
   shedding: a bounded queue, not a growing one);
2. reads the whole body within ``CTKG_BODY_READ_TIMEOUT`` seconds (else ``408``) and
   ``CTKG_MAX_BODY_BYTES`` (else ``413``), holding no thread meanwhile;
3. stamps its arrival time into the WSGI environ (``ctkg.arrived``), so time budgets count
   from arrival, not from when a thread took it (``answers.budget_left``);
4. hands the complete request to the Flask app in a pool of threads (``lanes.py``: the answer
   comes back whole when small, so a thread never waits for the loop; an uncached ``/sparql``
   query that the fast path keyed goes from that thread to the engine without Flask, and
   to the Flask view only if it does not succeed, ``direct.py``): one lane for requests
   that keep the default time budget, another (``LONG_LANE_THREADS`` threads) for those that
   ask for more with ``timeout=``, so slow long-budget queries cannot starve the rest; and in
   the main lane, a query that turns out slow gives its place back to cheap requests (up to
   ``SLOW_LANE_THREADS`` of them run on in extra threads).

Headers are granian's job (``header_read_timeout``). Answers larger than
``lanes.BUFFER_BYTES`` still flow through a thread: a client that reads one very slowly holds a
thread until it is done (see SECURITY.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from urllib.parse import parse_qs, urlsplit

from .direct import MISS, Direct
from .fast_path import FAST_PATH
from .lanes import Lane

ARRIVED = "ctkg.arrived"
LONG_LANE_THREADS = 2
# extra threads of the main lane for default-budget queries that turn out slow (lanes.Lane)
SLOW_LANE_THREADS = 2
# the long lane admits up to CTKG_MAX_PENDING / LONG_SHARE requests (at least its threads)
LONG_SHARE = 4


class Front:
    """ASGI app: admission, buffered bodies, arrival stamps; the WSGI app behind it in threads."""

    def __init__(
        self,
        wsgi_app,
        settings,
        threads: int,
        long_threads: int = LONG_LANE_THREADS,
        fast_path: bool = True,
    ):
        # answer-cache hits, answered here without a thread (fast_path.py; speed, issue 12)
        extensions = getattr(wsgi_app, "extensions", {})
        self.fast = extensions.get(FAST_PATH) if fast_path else None
        # and the misses it keys, run in the lanes' threads without Flask (direct.py)
        direct = None if self.fast is None else Direct(self.fast.server).answer
        self.inner = Lane(
            _Stamped(wsgi_app), threads, "main", slow_threads=SLOW_LANE_THREADS, direct=direct
        )
        # requests that ask for a longer budget than the default run in their own threads, so
        # a pile of them cannot keep everyone else waiting
        self.long_lane = Lane(_Stamped(wsgi_app), long_threads, "long", direct=direct)
        self.default_budget = settings.query_timeout_s
        # a keyed request's budget (``answers.budget``: ``timeout=`` up to the maximum) is
        # above the default exactly when its ``timeout=`` is, if the maximum is above it
        self.long_from_budget = settings.max_query_timeout_s > settings.query_timeout_s
        self.max_pending = max(threads, settings.max_pending)
        # long-budget requests are admitted against a bound of their own: counted with the
        # rest, a worker's worth of them (the kernel hashes connections to workers, so one
        # worker can get most of a burst) took every admission and cheap requests were shed
        self.max_pending_long = max(long_threads, self.max_pending // LONG_SHARE)
        self.max_reading = READING_PER_PENDING * self.max_pending
        self.body_timeout = settings.body_read_timeout_s
        self.max_body = settings.max_body_bytes
        self.settings = settings
        self.pending = 0  # admitted to the main lane: queued for a thread or running
        self.pending_long = 0  # admitted to the long lane
        self.reading = 0  # bodies being read (cheap: a coroutine each)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await _not_http(scope, receive, send)
        arrived = time.monotonic()
        if scope["path"] == "/healthz" and scope["method"] in ("GET", "HEAD"):
            return await self._health(send)
        if scope["method"] in ("GET", "HEAD") and not _framed(scope):
            body = b""  # no Content-Length, no Transfer-Encoding: HTTP/1.1 gives it no body
        else:
            if self.reading >= self.max_reading:
                return await _refuse(send, 503, "Too many requests in progress.", _RETRY)
            self.reading += 1
            try:
                body = await self._body(receive, send)
            finally:
                self.reading -= 1
            if body is None:
                return None
        miss = None
        if self.fast is not None:
            handled = await self.fast.answer(scope, send, arrived, body)
            if handled is True:
                return None
            miss = handled or None  # a Miss: the lane runs it without Flask (direct.py)
        if miss is not None and self.long_from_budget:  # the keyer has parsed it already
            long = miss.keyed.timeout > self.default_budget  # type: ignore[operator]
        else:
            long = self._asks_long(scope, body)
        if long and self.pending_long >= self.max_pending_long:
            return await _shed(send)
        if not long and self.pending >= self.max_pending:
            return await _shed(send)
        if long:
            self.pending_long += 1
        else:
            self.pending += 1
        try:
            scope = dict(scope)
            scope["ctkg.arrived"] = arrived
            if miss is not None:
                scope[MISS] = miss
            lane = self.long_lane if long else self.inner
            return await lane(scope, _replay(body, receive), send)
        finally:
            if long:
                self.pending_long -= 1
            else:
                self.pending -= 1

    def _asks_long(self, scope, body: bytes) -> bool:
        """True if the request asks for a time budget above the default (``timeout=``)."""
        values = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        headers = dict(scope.get("headers") or [])
        if headers.get(b"content-type", b"").startswith(b"application/x-www-form-urlencoded"):
            values.update(parse_qs(body.decode("latin-1", "replace")))
        try:
            return float(values.get("timeout", ["0"])[0]) > self.default_budget
        except ValueError:
            return False

    async def _health(self, send) -> None:
        """``/healthz`` in the event loop: answered at once however busy the threads are."""
        from ..engine.store_access import store_present

        if self.settings.store != "oxigraph":  # a remote store: ready while it takes connections
            if await _reachable(self.settings.store):
                return await _refuse(send, 200, "serving", status_word="ok")
            return await _refuse(
                send, 503, "the remote store does not answer", status_word="unavailable"
            )
        if store_present(self.settings):
            return await _refuse(send, 200, "serving", status_word="ok")
        return await _refuse(send, 503, "no graph has been built yet", status_word="unavailable")

    async def _body(self, receive, send) -> bytes | None:
        """The whole body, or None once a refusal has been sent (or the client left)."""
        try:
            async with asyncio.timeout(self.body_timeout):  # no task per request, as wait_for
                return await _read_body(receive, self.max_body)
        except TimeoutError:
            message = (
                f"The request body did not arrive within {self.body_timeout:g} s "
                "(CTKG_BODY_READ_TIMEOUT)."
            )
            await _refuse(send, 408, message)
        except _TooLarge:
            message = (
                f"The request body is larger than this server accepts ({self.max_body} bytes, "
                "CTKG_MAX_BODY_BYTES); nothing was read into the store."
            )
            await _refuse(send, 413, message)
        except _Disconnected:
            # granian reports a malformed chunked body as a disconnect; if the client is still
            # there it gets a 400, if it left the answer goes nowhere
            with contextlib.suppress(Exception):
                await _refuse(
                    send, 400, "The request body ended early or is malformed (chunked encoding?)."
                )
        except Exception as exc:  # granian's decoder: a malformed chunk size, a cut stream
            message = (
                f"The request body could not be read ({type(exc).__name__}): "
                "malformed chunked encoding?"
            )
            await _refuse(send, 400, message)
        return None


async def _not_http(scope, receive, send) -> None:
    """Lifespan: acknowledged (the app starts before the workers fork); websockets: closed."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1000})


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


async def _read_body(receive, limit: int) -> bytes:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        body += message.get("body", b"")
        if len(body) > limit:
            raise _TooLarge
        if not message.get("more_body", False):
            return bytes(body)


def _framed(scope) -> bool:
    """Does the request say it has a body (``Content-Length`` or ``Transfer-Encoding``)?
    Without either an HTTP/1.1 request has none, so there is nothing to read or wait for
    (a GET: the event loop skips the body's timer and read, on every cache hit too)."""
    return any(name in _FRAMING for name, _value in scope.get("headers") or ())


_FRAMING = (b"content-length", b"transfer-encoding")


def _replay(body: bytes, receive):
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: only a disconnect can come

    return replayed


_RETRY = [(b"retry-after", b"1")]
READING_PER_PENDING = 8


async def _shed(send) -> None:
    """Past capacity: 503 with ``Retry-After``, keeping the connection. Why keep it: the body
    has been read, so the connection is clean, and closing it made every refused client
    reconnect; at 512 clients that churn of new connections was most of what the worker did,
    and every other new connection (a ``/healthz`` probe among them) queued behind it."""
    await _refuse(send, 503, "The server is at capacity; try again shortly.", _RETRY, close=False)


async def _refuse(
    send, status: int, message: str, headers=(), status_word=None, close: bool | None = None
) -> None:
    """An error answer as the app gives them (JSON, a request id), sent from the event loop."""
    titles = {408: "Request Timeout", 413: "Content Too Large", 503: "Service Unavailable"}
    request_id = secrets.token_hex(8)
    if status_word == "ok":  # /healthz, as the app answers it
        document = {"status": status_word}
    elif status_word is not None:
        document = {"status": status_word, "reason": message}
    else:
        document = {
            "status": status,
            "error": titles.get(status, "Error"),
            "message": message,
            "request_id": request_id,
        }
    payload = json.dumps(document).encode()
    if close is None:  # after an error the rest of the request may still be unread: close
        close = status >= 300
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *([(b"connection", b"close")] if close else []),
                (b"cache-control", b"no-store"),
                (b"x-request-id", request_id.encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class _Stamped:
    """Copies the ASGI scope's arrival stamp into the WSGI environ the lane builds."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        scope = environ.get("asgi.scope") or {}
        if ARRIVED not in environ and "ctkg.arrived" in scope:
            environ[ARRIVED] = scope["ctkg.arrived"]
        return self.app(environ, start_response)


async def _reachable(url: str, timeout: float = 0.5) -> bool:
    """Does the remote store at ``url`` accept a TCP connection within ``timeout``? (Enough
    for a readiness probe that must not wait on the store's query engine.)"""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        _reader, writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, port), timeout
        )
    except (TimeoutError, OSError):
        return False
    writer.close()
    return True
