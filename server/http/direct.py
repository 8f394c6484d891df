"""Uncached ``/sparql`` queries (and named queries, ``GET /api/queries/NAME``) answered in the
lane's thread without Flask, when they succeed.

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
from .answers import LIMIT_HEADER, TRUNCATED_HEADER, etag_of, stream_file
from .compression import MIMETYPES as COMPRESSED
from .fast_path import _CORS, _NO_CACHE, _VARY, Miss
from .formats import RESULTS
from .middleware import _REQUEST_ID, access_log

MISS = "ctkg.miss"  # the ASGI scope's key for the request's ``Miss`` (set by the front)
ARRIVED = "ctkg.arrived"
NOT_RUN = object()  # what ``Direct.answer`` hands the view when it ran nothing
_TRUNCATED = TRUNCATED_HEADER.lower().encode()
_LIMIT = LIMIT_HEADER.lower().encode()


class Direct:
    """Runs a ``Miss`` in the lane's thread (``lanes.Lane(direct=...)``), before any WSGI
    environ or Flask request exists: the answer, or what the view needs to give its own."""

    def __init__(self, server_state):
        self.server = server_state

    def answer(self, scope) -> tuple[tuple | None, object]:
        """``((status, headers, body), NOT_RUN)`` for an ``ok`` answer, ``body`` bytes or an
        iterator of them (a spooled answer, streamed); else ``(None, ran)``: the view answers,
        given ``ran`` (``answers.RAN``: the outcome or exception of the run, or ``NOT_RUN``)."""
        miss: Miss = scope[MISS]
        keyed, request_headers = miss.keyed, miss.headers
        timeout = keyed.timeout
        if timeout is None or b"if-none-match" in request_headers:
            return None, NOT_RUN
        if request_headers.get(b"accept-encoding") and any(
            choice is not None and choice.media_type in COMPRESSED
            for choice in (keyed.results, keyed.graph)
        ):
            return None, NOT_RUN  # flask-compress may compress it: the view's
        arrived = scope.get(ARRIVED)
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
                    return None, NOT_RUN  # the view streams it
                counted.append("answer_cache_hits_total")
                note = " cached"
            else:
                counted.append("answer_cache_misses_total")
        else:
            key = None
        if outcome is None:
            left = timeout if arrived is None else timeout - (time.monotonic() - arrived)
            if left <= 0.001:
                return None, NOT_RUN  # the queue ate the budget: the view's 503
            try:
                outcome = backend.run(job, left)
            except BaseException as exc:  # Timeout, Busy, a fault: the view's answer
                return None, exc
            choice = keyed.results if outcome.kind == RESULTS else keyed.graph
            if outcome.status != Status.OK or choice is None:
                return None, outcome
            if key is not None:
                cache.put(version, key, outcome)
        choice = keyed.results if outcome.kind == RESULTS else keyed.graph
        if choice is None:  # a cached answer of a kind this request does not accept
            return None, outcome
        headers = [_VARY]
        if etag is not None:
            headers += [(b"etag", f'W/"{etag}"'.encode()), _NO_CACHE]
        if outcome.truncated:
            headers += [(_TRUNCATED, b"true"), (_LIMIT, str(server.settings.result_limit).encode())]
            counted.append("results_truncated_total")
            note = " truncated"
        content_type = choice.content_type.encode()
        body: bytes | object
        if outcome.spooled:
            size = str(outcome.size)
            headers += [(b"content-length", size.encode()), (b"content-type", content_type)]
            body = stream_file(outcome.file)
        else:
            body = outcome.body or b""
            size = str(len(body))
            headers += [(b"content-type", content_type), (b"content-length", size.encode())]
        request_id = request_headers.get(b"x-request-id", b"").decode("latin-1")
        if not _REQUEST_ID.match(request_id):
            request_id = secrets.token_hex(8)
        headers.append((b"x-request-id", request_id.encode()))
        headers += _CORS
        seconds = 0.0 if arrived is None else time.monotonic() - arrived
        server.counters.answered(tuple(counted), 200, seconds)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s %s %.1fms rid=%s%s",
                scope["method"],
                scope["path"],
                200,
                size,
                seconds * 1000,
                request_id,
                note,
            )
        return (200, headers, body), NOT_RUN
