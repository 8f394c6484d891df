"""From a job to an HTTP answer, shared by the SPARQL and Graph Store endpoints.

Time budgets (the Fuseki design): ``CTKG_QUERY_TIMEOUT`` by default, a client's ``timeout``
parameter (seconds) capped at ``CTKG_MAX_QUERY_TIMEOUT``. ETags: a weak tag over the data
version and everything that shapes the answer, checked before the job runs, so an unchanged
answer costs one ``stat``. Answers already computed for the same data version and the same job
come from the exact answer cache (``answer_cache.py``) without an executor round trip; the
ETag and the cache key are digests of the same inputs (data version, job, media type).
Outcomes that are not ``ok`` become error answers here.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Response, g, request

from ..engine.answer_cache import cacheable
from ..engine.backend import Busy, Timeout
from ..engine.jobs import Outcome, Status
from .context import state
from .errors import (
    ApiError,
    BadRequest,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    log,
    not_acceptable,
)
from .formats import GRAPH, RESULTS, Choice, choose, offered_media_types

TRUNCATED_HEADER = "X-CTKG-Results-Truncated"
# the environ key under which ``direct.py`` hands the view what running the job gave (an
# outcome that is not ``ok``, or the exception): the view answers it as if it had run it
RAN = "ctkg.ran"
LIMIT_HEADER = "X-CTKG-Result-Limit"
CHUNK = 64 * 1024


def query_formats(params) -> tuple[Choice | None, Choice | None]:
    """The negotiated formats of a query's answer: (results for SELECT/ASK, graph for
    CONSTRUCT/DESCRIBE), from ``format=``/``output=`` in ``params``, else ``Accept``; a 406 if
    the client accepts neither kind (which kind the query is, only the engine knows)."""
    return negotiate_query(params, request.headers.get("Accept"))


def negotiate_query(params, accept: str | None) -> tuple[Choice | None, Choice | None]:
    """``query_formats`` for a given ``Accept`` value: no request needed (the fast path's)."""
    values = params.getlist("format") + params.getlist("output")
    results, graph = choose(accept, values, RESULTS), choose(accept, values, GRAPH)
    if results is None and graph is None:
        raise not_acceptable(offered_media_types(RESULTS) + offered_media_types(GRAPH))
    return results, graph


def budget(values, settings=None) -> float:
    """The time budget in seconds: the default, or the client's ``timeout`` within the maximum."""
    settings = settings or state().settings
    raw = values.get("timeout")
    if raw in (None, ""):
        return min(settings.query_timeout_s, settings.max_query_timeout_s)
    try:
        asked = float(raw)
    except ValueError:
        asked = math.nan
    if not math.isfinite(asked) or asked <= 0:
        raise BadRequest("timeout must be a positive number of seconds", parameter="timeout")
    return min(asked, settings.max_query_timeout_s)


def data_version() -> str:
    """The data version, read once per request (a ``stat``): the ETag and the cache key agree."""
    version = g.get("data_version")
    if version is None:
        version = g.data_version = state().backend.data_version()
    return version


def etag_for(*parts: object) -> str:
    """A weak ETag over the data version and the parts that shape this answer."""
    return etag_of(data_version(), *parts)


def etag_of(version: str, *parts: object) -> str:
    """``etag_for`` on a given data version (no request needed: the fast path's)."""
    digest = hashlib.sha256()
    digest.update(version.encode())
    for part in parts:
        digest.update(b"\x1f")
        digest.update(repr(part).encode())
    return digest.hexdigest()[:32]


def not_modified(etag: str) -> Response | None:
    """A 304 if the client already holds this answer (GET/HEAD only)."""
    if request.method in ("GET", "HEAD") and request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        response.headers["Vary"] = "Accept"
        response.headers["Cache-Control"] = "no-cache"
        state().counters.add("queries_not_modified_total")
        return response
    return None


def run_read(job, timeout: float) -> Outcome:
    """The answer to a read job: from the answer cache, else run within ``timeout`` (a
    timeout or a full pool becomes a 503) and kept for the next identical request."""
    server = state()
    counters = server.counters
    cache, key = server.answers, None
    if cache is not None and cacheable(job):
        version = data_version()
        key = cache.key(version, job)
        hit = cache.get(version, key)
        if hit is not None:
            counters.add("answer_cache_hits_total")
            g.log_note = g.get("log_note", "") + " cached"
            return hit
        counters.add("answer_cache_misses_total")
    outcome = _run(job, timeout)
    if key is not None:
        cache.put(version, key, outcome)
    return outcome


def budget_left(timeout: float) -> float:
    """What is left of ``timeout`` since the request *arrived* (stamped by the front,
    ``front.py``), not since a thread took it; a 503 if the queue ate all of it."""
    arrived = request.environ.get("ctkg.arrived")
    left = timeout if arrived is None else timeout - (time.monotonic() - arrived)
    if left <= 0.001:
        state().counters.add("queue_timeouts_total")
        raise ServiceUnavailable(
            f"The request waited its whole time budget ({timeout:g} s) for a free worker; "
            "the server is overloaded, try again shortly.",
            headers={"Retry-After": "1"},
        )
    return left


def _run(job, timeout: float) -> Outcome:
    counters = state().counters
    try:
        ran = request.environ.pop(RAN, None)
        if ran is None:
            outcome = state().backend.run(job, budget_left(timeout))
        elif isinstance(ran, BaseException):  # direct.py ran it: the same job, the same end
            raise ran
        else:
            outcome = ran
    except Timeout:
        counters.add("query_timeouts_total")
        g.log_note = " timeout"
        raise ServiceUnavailable(
            f"The query did not finish within its time budget of {timeout:g} s and was "
            "cancelled. Narrow it (LIMIT, more specific patterns) or ask for a longer "
            f"budget with the timeout parameter (at most "
            f"{state().settings.max_query_timeout_s:g} s).",
            timeout_s=timeout,
        ) from None
    except Busy:
        counters.add("query_errors_total")
        raise ServiceUnavailable(
            "The server is busy; try again shortly.", headers={"Retry-After": "1"}
        ) from None
    if outcome.status != Status.OK:
        counters.add("query_errors_total")
        raise_for(outcome)
    return outcome


def raise_for(outcome: Outcome) -> None:
    """Raise the error answer for an outcome that is not ``ok``."""
    status = outcome.status
    if status == Status.SYNTAX:
        details = {}
        if outcome.line is not None:
            details = {"line": outcome.line, "column": outcome.column}
        raise BadRequest(outcome.message or "malformed request", **details)
    if status == Status.INVALID:
        raise BadRequest(outcome.message)
    if status == Status.FORBIDDEN:
        state().counters.add("refused_remote_total")
        raise Forbidden(outcome.message)
    if status == Status.NOT_ACCEPTABLE:
        raise not_acceptable(offered_media_types(outcome.kind))
    if status == Status.NOT_FOUND:
        raise NotFound(outcome.message)
    if status == Status.UNAVAILABLE:
        raise ServiceUnavailable(
            "No graph is being served: none has been built yet (run `ctkg build`)."
        )
    if status == Status.UPSTREAM:
        raise ApiError(outcome.message, status=502)
    if status == Status.MEMORY:
        limit = state().settings.executor_memory_mb
        raise ApiError(
            f"The request needed more memory than one query may use ({limit} MiB, "
            "CTKG_EXECUTOR_MEMORY_MB) and was stopped; nothing else was affected. Narrow it "
            "(LIMIT, more specific patterns, fewer ORDER BY/GROUP BY/DISTINCT over large results).",
            status=507,
        )
    if status == Status.CRASHED:
        log.error("executor crashed [request %s]: %s", g.get("request_id", "-"), outcome.message)
        raise ServiceUnavailable(
            "The query engine stopped while running this request (a crash, not a time-out); it "
            "was not answered and nothing was written. Simplify it (less nesting, shorter "
            "chains of UNION or operators)."
        )
    # a server fault: the detail goes to the log, not to the client
    log.error("executor error [request %s]: %s", g.get("request_id", "-"), outcome.message)
    raise ApiError("The server failed to answer this request; the request id identifies it.")


def stream_file(file):
    """A spooled answer in chunks, closing (and so removing) the spool when the client is done."""
    try:
        while chunk := file.read(CHUNK):
            yield chunk
    finally:
        file.close()


def answer(outcome: Outcome, choice: Choice, etag: str | None = None) -> Response:
    """The 200 answer for an ``ok`` outcome: streamed from the spool, or from memory."""
    # headers built as one list: werkzeug's per-header ``set`` is a visible cost on a hit
    headers = [("Vary", "Accept")]
    if etag:
        headers += [("ETag", f'W/"{etag}"'), ("Cache-Control", "no-cache")]
    if outcome.truncated:
        headers += [(TRUNCATED_HEADER, "true"), (LIMIT_HEADER, str(state().settings.result_limit))]
        state().counters.add("results_truncated_total")
        g.log_note = " truncated"
    if outcome.spooled:
        headers.append(("Content-Length", str(outcome.size)))
        return Response(
            stream_file(outcome.file),
            headers=headers,
            content_type=choice.content_type,
            direct_passthrough=True,
        )
    return Response(outcome.body, headers=headers, content_type=choice.content_type)
