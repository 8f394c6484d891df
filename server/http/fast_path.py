"""Answer-cache hits served in the front's event loop, without a thread or Flask.

Why: a cache hit costs the engine nothing, yet through a2wsgi's thread pool and Flask it
cost about 1 ms of Python a request (werkzeug request and response objects, hooks, a thread
hand-off): at 8 clients ctkg answered a cached ``LIMIT 10`` at 0.2× the Oxigraph server's
rate (issue 12). Here, for the routes that register a *keyer* (``/sparql`` queries by GET, by
POST of ``application/sparql-query`` or of a form, and ``GET /api/queries/NAME``, wired in
``app.py``), the front computes the very job the Flask view would build (the keyer calls the
view's own function: same negotiation, dataset, cap, parameters), hence the same ETag and
cache key on the data version read now, and if the answer is in the cache it sends the bytes
and headers the Flask path sends (CORS, ``Vary``, ETag, truncation headers, request id; a 304
for ``If-None-Match``), counting the request in ``/stats`` and ``/metrics`` as the Flask path
does and logging the same access line. It runs after the front has read the body and before
admission: a hit takes no thread and no pending slot.

Exact, never stale: the key includes the data version read for this request (a write bumps
it before it is acknowledged, a build swaps the directory), as on the Flask path.

Anything else falls through to Flask unchanged, which then does all of the work itself: a
method other than GET or POST, a chunked body, a GET with a body, an ``Authorization``
header, a header given twice, ``?lang=``, a ``root_path``, a request the view would refuse
or that is not a query (the keyer returns None), a miss, an answer too large to be held in
memory, an answer the Flask path would compress, and every request on a backend whose data
version is not a cheap local read (``Backend.version_is_local``: a remote store's is an HTTP
query, which must not run in the event loop; its version is never cached in time either, so
no stale answer can come from here).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" codec error handler
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import parse_etags, parse_options_header

from ..engine.jobs import QueryJob
from .answers import LIMIT_HEADER, TRUNCATED_HEADER, etag_of
from .compression import MIMETYPES as COMPRESSED
from .formats import RESULTS, Choice
from .middleware import _REQUEST_ID, CORS_EXPOSE_HEADERS, access_log

# request headers that send a request to the Flask path (it decides what they mean)
_DECLINE = {b"authorization", b"transfer-encoding"}
_WANTED = {
    b"accept",
    b"if-none-match",
    b"x-request-id",
    b"accept-encoding",
    b"content-type",
    b"content-length",
}
log = logging.getLogger("ctkg.server")
_CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", CORS_EXPOSE_HEADERS.encode()),
]
_VARY = (b"vary", b"Accept, Accept-Encoding")  # the views' Vary, with flask-compress's part
_NO_CACHE = (b"cache-control", b"no-cache")

FAST_PATH = "ctkg.fast_path"  # the app's extension holding its FastPath (``Front`` finds it)


@dataclass(frozen=True)
class FastRequest:
    """A request as a keyer sees it: what the view would read from werkzeug's request."""

    method: str  # GET or POST
    name: str  # the path after a prefix route's prefix ("" on an exact route)
    args: ImmutableMultiDict  # the query string, parsed as werkzeug parses it
    accept: str | None
    mimetype: str  # of the body, as ``request.mimetype`` ("" without one)
    body: bytes
    settings: object

    def form(self) -> ImmutableMultiDict:
        """A form body as ``request.form`` parses it (UnicodeError if it is not UTF-8)."""
        text = self.body.decode()
        return ImmutableMultiDict(
            parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote")
        )


@dataclass(frozen=True)
class Keyed:
    """What a keyer returns: the job the view would run, the parts its ETag is made of after
    the data version (None: the view sends no ETag, as for a POST), the two formats, and the
    job's time budget (None: a miss is left to the view; ``direct.py`` runs the others)."""

    job: QueryJob
    etag_parts: tuple | None
    results: Choice | None
    graph: Choice | None
    timeout: float | None = None


@dataclass(frozen=True)
class Miss:
    """A keyed request the cache could not answer, for a route whose misses ``direct.py``
    runs without Flask: its ``Keyed``, the request headers the answer depends on, and its
    digests ``(version, etag, key)`` if they were made here (else None)."""

    keyed: Keyed
    headers: dict[bytes, bytes]
    digests: tuple | None = None


Keyer = Callable[[FastRequest], Keyed | None]

# the keying of a request is memoised by its raw bytes: clients repeat the same few requests
MEMO_ENTRIES = 1024
MEMO_REQUEST_BYTES = 16 * 1024
_UNSEEN = object()
# the counters a fast answer moves, as the Flask path moves them for the same answer
_HIT = ("queries_total", "answer_cache_hits_total")
_HIT_TRUNCATED = (*_HIT, "results_truncated_total")
_NOT_MODIFIED = ("queries_total", "queries_not_modified_total")


class _Entry:
    """A keyed request and its ETag and cache key on the data version they were made for
    (one tuple, replaced whole: a lane thread may read it while the loop renews it)."""

    __slots__ = ("digests", "direct", "keyed")

    def __init__(self, keyed: Keyed, direct: bool):
        self.keyed = keyed
        self.direct = direct  # its misses may be run by direct.py
        self.digests: tuple = (None, None, "")  # (version, etag, key)


class FastPath:
    """The routes whose cache hits the front answers itself, and the answering."""

    def __init__(self, server_state):
        self.server = server_state
        self.exact: dict[str, tuple[Keyer, bool]] = {}
        self.prefixed: list[tuple[str, Keyer, bool]] = []
        # raw request -> its _Entry (None: declined); per worker, used from its event loop only
        self._memo: dict[tuple, _Entry | None] = {}

    def route(self, path: str, keyer: Keyer, direct: bool = False) -> None:
        """``keyer`` keys the requests for ``path``; with ``direct``, a miss that the keyer
        gave a budget is returned as a ``Miss`` by ``answer`` (``direct.py`` runs it)."""
        self.exact[path] = (keyer, direct)

    def route_prefix(self, prefix: str, keyer: Keyer, direct: bool = False) -> None:
        """``keyer`` keys the requests for ``prefix + name`` (one path segment); ``direct`` as
        for ``route``."""
        self.prefixed.append((prefix, keyer, direct))

    async def __call__(self, scope, send, arrived: float, body: bytes = b"") -> bool:
        """Answer the request if it is a cache hit (True); else False, having sent nothing."""
        return await self.answer(scope, send, arrived, body) is True

    async def answer(self, scope, send, arrived: float, body: bytes = b"") -> bool | Miss:
        """``__call__``, but a miss on a direct route is returned as a ``Miss`` (nothing sent)
        for the front to hand to its lane, which runs it without Flask (``direct.py``)."""
        server = self.server
        cache = server.answers
        if (
            scope["method"] not in ("GET", "POST")
            # a version read over the network (a remote store) must not run in the event
            # loop: a slow store would stall /healthz and every request of this worker
            or not getattr(server.backend, "version_is_local", False)
        ):
            return False
        try:
            entry, headers = self._entry(scope, body)
        except UnicodeError:  # a2wsgi or werkzeug would refuse or not decode it: Flask answers
            return False
        except Exception:  # a keyer's bug must not cost the answer: the Flask path gives it
            log.exception("fast path: keying %s failed; answered by the app", scope["path"])
            return False
        if entry is None:
            return False
        keyed = entry.keyed
        if cache is None:  # no cache, so no digests here: the lane's thread reads the version
            return Miss(keyed, headers) if entry.direct and keyed.timeout is not None else False
        version = server.backend.data_version()
        digests = entry.digests
        if digests[0] != version:  # the digests of this request on the data read now
            etag = None if keyed.etag_parts is None else etag_of(version, *keyed.etag_parts)
            digests = entry.digests = (version, etag, cache.key(version, keyed.job))
        _version, etag, key = digests
        request_id = headers.get(b"x-request-id", b"").decode("latin-1")
        if not _REQUEST_ID.match(request_id):
            request_id = secrets.token_hex(8)
        match = headers.get(b"if-none-match")
        if (
            etag is not None
            and match is not None
            and parse_etags(match.decode("latin-1")).contains_weak(etag)
        ):
            response = [(b"etag", f'W/"{etag}"'.encode()), _VARY, _NO_CACHE]
            await self._send(send, scope, 304, response, b"", request_id, arrived, "-", "")
            self._count(_NOT_MODIFIED, 304, arrived)
            return True
        hit = cache.get(version, key)
        if hit is None:
            if entry.direct and keyed.timeout is not None:
                return Miss(keyed, headers, digests)
            return False
        if hit.spooled:  # too large to hold in memory: the Flask path streams it
            hit.file.close()
            return False
        choice = keyed.results if hit.kind == RESULTS else keyed.graph
        if choice is None:
            return False
        if headers.get(b"accept-encoding") and choice.media_type in COMPRESSED:
            return False  # flask-compress may compress it: leave that to the Flask path
        answer = hit.body or b""
        response = [_VARY]
        if etag is not None:
            response += [(b"etag", f'W/"{etag}"'.encode()), _NO_CACHE]
        note, counted = " cached", _HIT
        if hit.truncated:
            response += [
                (TRUNCATED_HEADER.lower().encode(), b"true"),
                (LIMIT_HEADER.lower().encode(), str(server.settings.result_limit).encode()),
            ]
            note, counted = " truncated", _HIT_TRUNCATED
        size = str(len(answer))
        response += [
            (b"content-type", choice.content_type.encode()),
            (b"content-length", size.encode()),
        ]
        await self._send(send, scope, 200, response, answer, request_id, arrived, size, note)
        self._count(counted, 200, arrived)
        return True

    def _entry(self, scope, body: bytes) -> tuple[_Entry | None, dict[bytes, bytes]]:
        """The request's memo entry (its ``Keyed`` and digests), or None to decline it."""
        path = scope["path"]
        if scope.get("root_path"):
            return None, {}
        keyer, direct = self.exact.get(path, (None, False))
        name = ""
        if keyer is None:
            for prefix, candidate, routed in self.prefixed:
                if path.startswith(prefix):
                    name = path[len(prefix) :]
                    if name and "/" not in name:
                        keyer, direct = candidate, routed
                    break
        if keyer is None:
            return None, {}
        headers: dict[bytes, bytes] = {}
        for raw_name, value in scope.get("headers") or ():
            header = raw_name.lower()
            if header in _DECLINE or header in headers:
                return None, {}
            if header in _WANTED:
                headers[header] = value
        # the body the app would see (BufferedBodies): whole, with its length; none on a GET
        method = scope["method"]
        length = headers.get(b"content-length", b"0" if method == "GET" else b"")
        if length != str(len(body)).encode() or (method == "GET" and body):
            return None, {}
        query_string = scope.get("query_string", b"")
        content_type = headers.get(b"content-type")
        accept = headers.get(b"accept")
        # what the keyer reads, raw: a keyer is a pure function of it (and the settings)
        memo_key = (method, path, query_string, accept, content_type, body)
        entry = self._memo.get(memo_key, _UNSEEN)
        if entry is not _UNSEEN:
            return entry, headers
        # as a2wsgi and werkzeug read it: ASCII, then percent-decoded as UTF-8
        args = ImmutableMultiDict(
            parse_qsl(
                query_string.decode("ascii"), keep_blank_values=True, errors="werkzeug.url_quote"
            )
        )
        keyed = None
        if "lang" not in args:  # pages.py may set a cookie from it: the Flask path decides
            mimetype = ""
            if content_type is not None:
                mimetype = parse_options_header(content_type.decode("latin-1"))[0].lower()
            request = FastRequest(
                method,
                name,
                args,
                None if accept is None else accept.decode("latin-1"),
                mimetype,
                body,
                self.server.settings,
            )
            keyed = keyer(request)
        entry = None if keyed is None else _Entry(keyed, direct)
        if len(query_string) + len(body) <= MEMO_REQUEST_BYTES:
            if len(self._memo) >= MEMO_ENTRIES:
                self._memo.clear()  # clients repeat few requests; a full memo starts afresh
            self._memo[memo_key] = entry
        return entry, headers

    def _count(self, names: tuple[str, ...], status: int, arrived: float) -> None:
        self.server.counters.answered(names, status, time.monotonic() - arrived)

    async def _send(self, send, scope, status, headers, body, request_id, arrived, size, note):
        headers.append((b"x-request-id", request_id.encode()))
        headers += _CORS
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        if not access_log.isEnabledFor(logging.INFO):
            return
        seconds = time.monotonic() - arrived
        access_log.info(
            "%s %s %s %s %.1fms rid=%s%s",
            scope["method"],
            scope["path"],
            status,
            size,
            seconds * 1000,
            request_id,
            note,
        )
