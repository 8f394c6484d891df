"""Errors are answers: every failure becomes a status, a message and the request id.

The body is JSON (``{"status", "error", "message", "request_id", ...}``) unless the client
prefers plain text. Messages are written for the client; exception text and tracebacks go to
the log only, linked by the request id. (The site's own HTML 404 page for browsers is
registered by ``web/pages.py``.)
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from .formats import parse_accept

log = logging.getLogger("ctkg.server")


class ApiError(Exception):
    """An error answer: status, client-facing message, extra JSON fields and headers."""

    status = 500

    def __init__(self, message: str, *, status: int | None = None, headers=None, **details):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})
        self.details = details


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class NotAcceptable(ApiError):
    status = 406


def not_acceptable(offered) -> NotAcceptable:
    """The one 406: none of the media types the client accepts is among ``offered``."""
    offered = list(offered)
    return NotAcceptable(
        f"None of the formats you accept is offered; offered: {', '.join(offered)}",
        offered=offered,
    )


class UnsupportedMediaType(ApiError):
    status = 415


class ServiceUnavailable(ApiError):
    status = 503


_TITLES = {
    304: "Not Modified",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    507: "Insufficient Storage",
}


def error_response(status: int, message: str, headers=None, **details) -> Response:
    """The error answer in the form the client prefers: JSON, or text if it asks for text."""
    request_id = getattr(g, "request_id", "")
    title = _TITLES.get(status, "Error")
    accept = parse_accept(request.headers.get("Accept"))
    wants_text = accept and accept.best_match(["application/json", "text/plain"]) == "text/plain"
    if wants_text:
        lines = [f"{status} {title}: {message}"]
        lines += [f"{key}: {value}" for key, value in details.items()]
        lines.append(f"request id: {request_id}")
        body = "\n".join(lines) + "\n"
        response = Response(body, status=status, content_type="text/plain; charset=utf-8")
    else:
        document = {"status": status, "error": title, "message": message, **details}
        document["request_id"] = request_id
        body = json.dumps(document, ensure_ascii=False)
        response = Response(body, status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def wants_html(*, default: bool = False) -> bool:
    """Whether to answer as a page rather than JSON: the client prefers HTML. ``default`` is for a
    client that states no preference (no Accept, or ``*/*``): True where the same address would
    serve a page (an IRI's 404 then reads like the page it is not), False elsewhere (curl on an
    API path gets JSON)."""
    accept = parse_accept(request.headers.get("Accept"))
    if not accept:
        return default
    offers = ["text/html", "application/json"] if default else ["application/json", "text/html"]
    return accept.best_match([*offers, "text/plain"]) == "text/html"


_HTTP_MESSAGES = {
    404: "There is nothing at this address.",
    413: "The request body is larger than this server accepts.",
}


def http_error(exc: HTTPException) -> Response:
    """werkzeug's HTTP exceptions (404, 405, 413, ...) as error answers."""
    status = exc.code or 500
    headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
    if status == 405:
        message = f"{request.method} is not allowed here."
    else:
        message = _HTTP_MESSAGES.get(status) or exc.description or _TITLES.get(status, "Error")
    return error_response(status, message, headers)


def register(app: Flask) -> None:
    """Install the handlers that turn every exception into an answer."""

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return error_response(exc.status, exc.message, exc.headers, **exc.details)

    app.register_error_handler(HTTPException, http_error)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error [request %s]", getattr(g, "request_id", "-"))
        return error_response(
            500,
            "The server failed to answer this request; the request id identifies it in the log.",
        )
