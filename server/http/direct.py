"""Uncached ``/sparql`` queries answered in the lane's thread without Flask, when they succeed.

Why: once the answer cache misses, a cheap query paid about 0.35 ms of CPU in Flask and
werkzeug (request context, context-local lookups, ``Headers``, three after-request hooks, URL
adapter binding) on top of the executor's own 0.3-0.5 ms: at 8 clients ctkg answered an
uncached ``LIMIT 10`` at about 0.1× the Oxigraph server's rate (issue 12). The fast path
(``fast_path.py``) has already keyed such a request in the event loop, with the view's own job
builder; here, in the lane thread the front handed it to (after its admission, in the long
lane for ``timeout=``, with the main lane's slow-query hand-off: issue 14's guarantees are the
front's and the lane's, and this code runs inside them), the job goes straight to the backend,
and an ``ok`` outcome becomes the answer the view would give: the same status, headers (in
the same order), body, answer-cache fill, counters and access-log line.

Everything else is the view's, byte for byte, because the view answers it: a request with
``If-None-Match`` (a 304 is the view's), one flask-compress might compress, one whose budget
the queue has eaten, and every outcome that is not ``ok`` (errors, refusals, caps reached as
errors, timeouts, a busy pool, a crash, any exception). For those the view gets what running
the job gave (``answers.RAN`` in the environ) instead of running it again, so a query that
timed out is not run twice and its 503 is the one it always was.
"""

from __future__ import annotations

import logging
import secrets
import time

from ..engine.answer_cache import cacheable
from ..engine.jobs import Status
from .answers import LIMIT_HEADER, RAN, TRUNCATED_HEADER, etag_of
from .compression import MIMETYPES as COMPRESSED
from .fast_path import Miss
from .formats import RESULTS
from .middleware import _REQUEST_ID, CORS_EXPOSE_HEADERS, access_log

MISS = "ctkg.miss"  # the ASGI scope's key for the request's ``Miss`` (set by the front)
ARRIVED = "ctkg.arrived"
CHUNK = 64 * 1024
_CORS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS),
]
_VARY = ("Vary", "Accept, Accept-Encoding")  # the view's Vary, with flask-compress's part


class Direct:
    """WSGI middleware in front of the Flask app: runs a ``Miss`` itself, or hands it on."""

    def __init__(self, app, server_state):
        self.app = app
        self.server = server_state

    def __call__(self, environ, start_response):
        scope = environ.get("asgi.scope")
        miss = None if scope is None else scope.get(MISS)
        if miss is not None:
            answer = self._answer(miss, environ)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return body
        return self.app(environ, start_response)

    def _answer(self, miss: Miss, environ):
        """``(status, headers, body iterable)`` for an ``ok`` answer; None: the view answers
        (then ``environ[RAN]`` holds what running the job gave, if it ran)."""
        keyed, request_headers = miss.keyed, miss.headers
        timeout = keyed.timeout
        if timeout is None or b"if-none-match" in request_headers:
            return None
        if request_headers.get(b"accept-encoding") and any(
            choice is not None and choice.media_type in COMPRESSED
            for choice in (keyed.results, keyed.graph)
        ):
            return None  # flask-compress may compress it: the view's
        arrived = environ.get(ARRIVED)
        server = self.server
        backend, cache, job = server.backend, server.answers, keyed.job
        version = backend.data_version()  # once: the ETag and the cache key agree
        digests = miss.digests
        if digests is not None and digests[0] == version:
            _version, etag, key = digests
        else:
            etag = None if keyed.etag_parts is None else etag_of(version, *keyed.etag_parts)
            key = None if cache is None else cache.key(version, job)
        counted = ["queries_total"]
        note = ""
        outcome = None
        if cache is not None and cacheable(job):
            outcome = cache.get(version, key)
            if outcome is not None:  # filled since the loop looked (an identical request)
                if outcome.spooled:
                    outcome.file.close()
                    return None  # the view streams it
                counted.append("answer_cache_hits_total")
                note = " cached"
            else:
                counted.append("answer_cache_misses_total")
        else:
            key = None
        if outcome is None:
            left = timeout if arrived is None else timeout - (time.monotonic() - arrived)
            if left <= 0.001:
                return None  # the queue ate the budget: the view's 503
            try:
                outcome = backend.run(job, left)
            except BaseException as exc:  # Timeout, Busy, a fault: the view's answer
                environ[RAN] = exc
                return None
            choice = keyed.results if outcome.kind == RESULTS else keyed.graph
            if outcome.status != Status.OK or choice is None:
                environ[RAN] = outcome
                return None
            if key is not None:
                cache.put(version, key, outcome)
        choice = keyed.results if outcome.kind == RESULTS else keyed.graph
        if choice is None:  # a cached answer of a kind this request does not accept
            environ[RAN] = outcome
            return None
        headers = [_VARY]
        if etag is not None:
            headers += [("ETag", f'W/"{etag}"'), ("Cache-Control", "no-cache")]
        if outcome.truncated:
            headers += [
                (TRUNCATED_HEADER, "true"),
                (LIMIT_HEADER, str(server.settings.result_limit)),
            ]
            counted.append("results_truncated_total")
            note = " truncated"
        if outcome.spooled:
            size = str(outcome.size)
            headers += [("Content-Length", size), ("Content-Type", choice.content_type)]
            body = _stream(outcome.file)
        else:
            payload = outcome.body or b""
            size = str(len(payload))
            headers += [("Content-Type", choice.content_type), ("Content-Length", size)]
            body = [payload]
        request_id = request_headers.get(b"x-request-id", b"").decode("latin-1")
        if not _REQUEST_ID.match(request_id):
            request_id = secrets.token_hex(8)
        headers.append(("X-Request-Id", request_id))
        headers += _CORS
        seconds = 0.0 if arrived is None else time.monotonic() - arrived
        server.counters.answered(tuple(counted), 200, seconds)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s %s %.1fms rid=%s%s",
                environ.get("REQUEST_METHOD"),
                environ.get("PATH_INFO"),
                200,
                size,
                seconds * 1000,
                request_id,
                note,
            )
        return "200 OK", headers, body


def _stream(file):
    try:
        while chunk := file.read(CHUNK):
            yield chunk
    finally:
        file.close()
