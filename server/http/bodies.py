"""Request bodies are read whole, within the limit, before the app sees them — or refused.

Why: werkzeug caps a streamed (chunked) body by *stopping* at ``MAX_CONTENT_LENGTH``, so a
chunked Graph Store PUT of 200,000 triples was stored as its first 163,840 and answered 201
(issue 14). And a WSGI server that does not mark its input as terminated makes werkzeug read a
chunked body as empty. So this WSGI middleware reads every body itself: a ``Content-Length``
over the limit is refused unread; a chunked body is read to its end and refused (413) the
moment it passes the limit; a body the server cannot decode (a malformed chunk size, a client
that hangs up) is a 400, and so is an empty chunked body (granian reads a broken one as
empty). What the app then sees is a plain, complete, in-memory body with its
``Content-Length``: nothing is ever written from a cut one.

The refusal itself is raised inside the app (``refuse_bad_bodies``), so it is an ordinary
error answer with a request id.
"""

from __future__ import annotations

import io

from .errors import ApiError

CHUNK = 64 * 1024
_ERROR_KEY = "ctkg.body_error"

# an XML document that declares entities can expand exponentially as it is parsed
# ("billion laughs"); pyoxigraph's RDF/XML parser expands internal entities
ENTITY_DECLARATIONS = tuple("<!ENTITY".encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be"))


class BufferedBodies:
    """WSGI middleware: replace ``wsgi.input`` by the whole body, or mark the request refused."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ, start_response):
        error = self._buffer(environ)
        if error is not None:
            environ[_ERROR_KEY] = error
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
        return self.app(environ, start_response)

    def _buffer(self, environ) -> tuple[int, str] | None:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        raw_length = environ.get("CONTENT_LENGTH", "")
        if not chunked and raw_length in ("", "0"):
            return None
        limit = self.max_bytes
        expected = None
        if not chunked:
            try:
                expected = int(raw_length)
            except ValueError:
                return 400, f"Content-Length is not a number: {raw_length[:40]!r}"
            if expected < 0:
                return 400, "Content-Length is negative"
            if expected > limit:
                return 413, _too_large(limit)
        stream = environ["wsgi.input"]
        body = bytearray()
        try:
            while True:
                want = CHUNK if expected is None else min(CHUNK, expected - len(body))
                if want <= 0:
                    break
                data = stream.read(want)
                if not data:
                    break
                body += data
                if len(body) > limit:
                    return 413, _too_large(limit)
        except Exception as exc:  # the server's decoder: a malformed chunk, a hang-up
            name = type(exc).__name__
            return 400, f"The request body could not be read ({name}): malformed chunked encoding?"
        if expected is not None and len(body) < expected:
            return 400, f"The request body ended after {len(body)} of {expected} bytes."
        if chunked and not body:
            # granian hands the app an empty body when the chunked encoding is broken (a bad
            # chunk size, a cut stream), so an empty chunked body cannot be told from a broken
            # one: refuse it rather than PUT an empty graph over a full one
            return 400, (
                "The chunked request body is empty or malformed (a bad chunk size?); "
                "send an empty body with Content-Length: 0."
            )
        environ["wsgi.input"] = io.BytesIO(bytes(body))
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = True
        return None


def _too_large(limit: int) -> str:
    return (
        f"The request body is larger than this server accepts ({limit} bytes, "
        "CTKG_MAX_BODY_BYTES); nothing was read into the store. Split the upload."
    )


def refuse_bad_bodies(environ) -> None:
    """Raise the error answer for a body ``BufferedBodies`` refused (a before_request hook)."""
    error = environ.get(_ERROR_KEY)
    if error is not None:
        status, message = error
        raise ApiError(message, status=status, headers={"Connection": "close"})


def declares_entities(body: bytes) -> bool:
    """True if an XML body declares entities (refused: they can expand exponentially)."""
    return any(marker in body for marker in ENTITY_DECLARATIONS)
