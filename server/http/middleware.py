"""Around every request: a request id, CORS for reads, counters and one access-log line.

CORS: reads (GET/HEAD anywhere, POST queries to ``/sparql`` and ``/reconcile``) answer
``Access-Control-Allow-Origin: *`` without credentials; preflights are answered for those
methods only and never allow the ``Authorization`` header, so a browser page elsewhere cannot
make an authenticated write; write responses carry no CORS headers.
"""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, Response, g, request

from .bodies import refuse_bad_bodies
from .context import state

access_log = logging.getLogger("ctkg.server.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
CORS_ALLOW_HEADERS = "Accept, Content-Type, X-Request-Id"
CORS_EXPOSE_HEADERS = (
    "X-Request-Id, ETag, Content-Length, X-CTKG-Results-Truncated, X-CTKG-Result-Limit"
)


def mark_write() -> None:
    """Flag this request as a write: its response gets no CORS headers."""
    g.write_request = True


def _read_methods(path: str) -> tuple[str, ...]:
    # POST reads: SPARQL queries, reconciliation batches (OpenRefine posts ``queries``)
    if path.rstrip("/") in ("/sparql", "/reconcile"):
        return ("GET", "HEAD", "POST")
    return ("GET", "HEAD")


def _preflight() -> Response:
    response = Response(status=204)
    method = request.headers.get("Access-Control-Request-Method", "").upper()
    allowed = _read_methods(request.path)
    if method in allowed:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = ", ".join(allowed)
        response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    g.preflight = True
    return response


def register(app: Flask) -> None:
    """Install the before/after hooks."""

    @app.before_request
    def start_request():
        g.started = time.perf_counter()
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else secrets.token_hex(8)
        refuse_bad_bodies(request.environ)
        if (
            request.method == "OPTIONS"
            and "Origin" in request.headers
            and "Access-Control-Request-Method" in request.headers
        ):
            return _preflight()
        return None

    @app.after_request
    def finish_request(response: Response) -> Response:
        request_id = g.get("request_id", "-")
        headers = response.headers
        headers["X-Request-Id"] = request_id
        if not g.get("write_request") and not g.get("preflight"):
            headers.add("Access-Control-Allow-Origin", "*")  # no view sets these: add, not set
            headers.add("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS)
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        state().counters.observe(response.status_code, seconds)
        size = response.headers.get("Content-Length", "-")
        access_log.info(
            "%s %s %s %s %.1fms rid=%s%s",
            request.method,
            request.path,
            response.status_code,
            size,
            seconds * 1000,
            request_id,
            g.get("log_note", ""),
        )
        return response
