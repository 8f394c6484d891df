"""Answer-cache hits served in the front's event loop (``server/http/fast_path.py``) are the
Flask path's answers byte for byte, headers included; a 304 likewise; the counters move as on
the Flask path; nothing from before a write or a new build is served after it; and anything
the fast path does not answer itself reaches the app unchanged.

Each request goes through two fronts over the same app: one with the fast path, one without
(``Front(fast_path=False)``), with a fixed ``X-Request-Id`` so the whole answer is comparable.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from helpers import BACKENDS, SAMPLE_TRIG, app_on, build_store, close_app, make_app

from ctkg.server.http.front import Front

TOKEN = "fast-token"
ID = "https://w3id.org/ctkg/id/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RESULT_LIMIT = 7
LABELS = f"SELECT ?l WHERE {{ <{ID}province/hai-phong> <{LABEL}> ?l }} ORDER BY ?l"
MANY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"  # over RESULT_LIMIT: truncated
CONSTRUCT = f"CONSTRUCT {{ ?s <{LABEL}> ?l }} WHERE {{ ?s <{LABEL}> ?l }} ORDER BY ?s ?l"
RID = ("x-request-id", "fast-1")

# (path, query string parameters, request headers): hits the fast path must answer itself
CASES = [
    ("/sparql", {"query": LABELS}, []),
    ("/sparql", {"query": LABELS}, [("accept", "text/csv")]),
    ("/sparql", {"query": LABELS, "format": "xml"}, [("accept-encoding", "gzip, br")]),
    ("/sparql", {"query": MANY}, [("accept", "application/sparql-results+json")]),
    ("/sparql", {"query": CONSTRUCT}, [("accept", "text/turtle")]),
    ("/sparql", {"query": "ASK { ?s ?p ?o }"}, [("origin", "https://example.org")]),
    (
        "/sparql",
        {"query": LABELS, "default-graph-uri": "https://w3id.org/ctkg/graph/merge"},
        [("cookie", "ctkg_lang=en")],
    ),
    ("/api/queries/province-editions", {}, []),
    ("/api/queries/province-editions", {"province": "id:province/hai-phong"}, []),
    ("/api/queries/region-provinces", {"format": "csv", "timeout": "2"}, []),
]


def post(body: str, content_type: str) -> list[tuple[str, str]]:
    return [("content-type", content_type), ("content-length", str(len(body.encode())))]


FORM = urlencode({"query": LABELS, "timeout": "2"})
# (query string parameters, body, request headers): POSTed queries (no ETag on those)
POSTS = [
    ({}, LABELS, post(LABELS, "application/sparql-query")),
    ({"format": "nt"}, CONSTRUCT, post(CONSTRUCT, "application/sparql-query; charset=UTF-8")),
    ({}, FORM, post(FORM, "application/x-www-form-urlencoded")),
    (
        {"format": "tsv"},
        FORM,
        [*post(FORM, "application/x-www-form-urlencoded"), ("accept", "*/*")],
    ),
]


class Client:
    """One front with the fast path and one without, over the same app."""

    def __init__(self, app):
        settings = app.extensions["ctkg"].settings
        self.app = app
        self.fast = Front(app, settings, 2)
        self.plain = Front(app, settings, 2, fast_path=False)

    def call(self, front, path, params=None, headers=(), method="GET", body=b""):
        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": urlencode(params or {}).encode(),
            "headers": [(k.encode(), v.encode()) for k, v in [RID, *headers]],
            "http_version": "1.1",
            "scheme": "http",
            "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 40000),
        }
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message):
            sent.append(message)

        asyncio.run(front(scope, receive, send))
        start = sent[0]
        payload = b"".join(m.get("body", b"") for m in sent[1:])
        return start["status"], list(start["headers"]), payload

    def fast_answers(self, path, params=None, headers=(), method="GET", body=b"") -> bool:
        """Whether the fast path answers this request itself (and not the app)."""
        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "root_path": "",
            "query_string": urlencode(params or {}).encode(),
            "headers": [(k.encode(), v.encode()) for k, v in [RID, *headers]],
        }

        async def send(message):
            pass

        return asyncio.run(self.fast.fast(scope, send, time.monotonic(), body))

    def counters(self) -> dict[str, int]:
        counters = self.app.extensions["ctkg"].counters
        return {**counters.snapshot(), "requests_total": counters.get("requests_total")}


@pytest.fixture
def client(sample_data_dir):
    app = make_app(sample_data_dir, result_limit=RESULT_LIMIT, update_tokens=TOKEN)
    yield Client(app)
    close_app(app)


def header(headers, name: str) -> str:
    return next(v.decode() for k, v in headers if k.decode() == name)


def test_hits_are_the_flask_answers_byte_for_byte(client):
    for path, params, headers in CASES:
        first = client.call(client.plain, path, params, headers)  # a miss: runs, then cached
        assert first[0] == 200, (path, params, first)
        assert client.fast_answers(path, params, headers), (path, params)
        flask = client.call(client.plain, path, params, headers)
        fast = client.call(client.fast, path, params, headers)
        assert fast == flask, (path, params, headers)
        assert fast[2] == first[2]
    for params, body, headers in POSTS:
        first = client.call(client.plain, "/sparql", params, headers, "POST", body.encode())
        assert first[0] == 200, (params, body, first)
        assert client.fast_answers("/sparql", params, headers, "POST", body.encode())
        flask = client.call(client.plain, "/sparql", params, headers, "POST", body.encode())
        fast = client.call(client.fast, "/sparql", params, headers, "POST", body.encode())
        assert fast == flask, (params, body, headers)
        assert not any(name == b"etag" for name, _ in fast[1])
    truncated = client.call(client.fast, "/sparql", {"query": MANY})
    assert header(truncated[1], "x-ctkg-results-truncated") == "true"
    assert header(truncated[1], "x-ctkg-result-limit") == str(RESULT_LIMIT)


def test_if_none_match_is_the_same_304(client):
    for path, params, headers in CASES[:1] + CASES[-2:-1]:
        status, answer, _ = client.call(client.plain, path, params, headers)
        assert status == 200
        etag = header(answer, "etag")
        conditional = [*headers, ("if-none-match", etag)]
        flask = client.call(client.plain, path, params, conditional)
        before = client.counters()
        fast = client.call(client.fast, path, params, conditional)
        after = client.counters()
        assert fast[0] == 304 and fast == flask
        assert after["queries_not_modified_total"] == before["queries_not_modified_total"] + 1
        other = [*headers, ("if-none-match", 'W/"0000"')]
        assert client.call(client.fast, path, params, other) == client.call(
            client.plain, path, params, other
        )


def test_a_hit_moves_the_counters_as_the_flask_path_does(client):
    client.call(client.plain, "/sparql", {"query": LABELS})
    deltas = []
    for front in (client.plain, client.fast):
        before = client.counters()
        client.call(front, "/sparql", {"query": LABELS})
        after = client.counters()
        deltas.append({name: after[name] - before[name] for name in after})
    assert deltas[0] == deltas[1]
    assert deltas[1]["answer_cache_hits_total"] == 1
    assert deltas[1]["queries_total"] == 1 and deltas[1]["requests_total"] == 1
    assert deltas[1]["answer_cache_misses_total"] == 0


def test_what_the_fast_path_does_not_answer_reaches_the_app(client):
    query = {"query": LABELS}
    client.call(client.plain, "/sparql", query)
    assert client.fast_answers("/sparql", query)
    declined = [
        ("/sparql", query, [("authorization", "Bearer x")]),  # auth: the app decides
        ("/sparql", {**query, "lang": "en"}, []),
        ("/sparql", {**query, "timeout": "-1"}, []),  # an error answer
        ("/sparql", {"query": LABELS + " LIMIT 1"}, []),  # a miss
        ("/sparql", {}, []),  # the service description
        ("/sparql", {**query, "format": "nope"}, []),  # 406
        ("/api/queries/no-such-query", {}, []),
        ("/api/queries/province-editions", {"province": "not an iri"}, []),
        ("/sparql", query, [("accept", "text/csv"), ("accept", "text/csv")]),
    ]
    for path, params, headers in declined:
        assert not client.fast_answers(path, params, headers), (path, params, headers)
        fast = client.call(client.fast, path, params, headers)
        flask = client.call(client.plain, path, params, headers)
        if path == "/sparql" and not params:  # the service description: its Turtle's
            assert fast[0] == flask[0] == 200  # order and figures vary between calls
        else:
            assert fast == flask, (path, params, headers)
    # an answer flask-compress would compress is left to it
    compressible = {"query": MANY, "format": "application/json"}
    client.call(client.plain, "/sparql", compressible)
    assert client.fast_answers("/sparql", compressible)
    gzip = [("accept-encoding", "gzip")]
    assert not client.fast_answers("/sparql", compressible, gzip)
    assert header(client.call(client.fast, "/sparql", compressible, gzip)[1], "content-encoding")
    # POSTs that are not cached queries go to the app, whose answer is unchanged
    client.call(
        client.plain,
        "/sparql",
        {},
        post(LABELS, "application/sparql-query"),
        "POST",
        LABELS.encode(),
    )
    posts = [
        ({}, LABELS, [*post(LABELS, "application/sparql-query"), ("authorization", "Bearer x")]),
        ({}, LABELS, post(LABELS, "text/plain")),  # 415
        ({}, LABELS, post(LABELS + "  ", "application/sparql-query")),  # a length that lies
        ({}, FORM, post(FORM, "application/x-www-form-urlencoded") * 2),
        ({}, "update=x", post("update=x", "application/x-www-form-urlencoded")),
        ({}, FORM + "&query=x", post(FORM + "&query=x", "application/x-www-form-urlencoded")),
    ]
    for params, body, headers in posts:
        assert not client.fast_answers("/sparql", params, headers, "POST", body.encode())
    for params, body, headers in posts[:2] + posts[-2:]:
        assert client.call(client.fast, "/sparql", params, headers, "POST", body.encode()) == (
            client.call(client.plain, "/sparql", params, headers, "POST", body.encode())
        )


def rows(answer) -> bytes:
    status, _, body = answer
    assert status == 200
    return body


def test_no_answer_from_before_a_write_is_served_after_it(client):
    query = {"query": LABELS}
    before = rows(client.call(client.fast, "/sparql", query))
    assert client.fast_answers("/sparql", query)
    update = f'INSERT DATA {{ GRAPH <{ID}g> {{ <{ID}province/hai-phong> <{LABEL}> "Zz mới" }} }}'
    headers = [
        ("authorization", f"Bearer {TOKEN}"),
        ("content-type", "application/sparql-update"),
        ("content-length", str(len(update.encode()))),
    ]
    assert client.call(client.fast, "/sparql", {}, headers, "POST", update.encode())[0] == 204
    assert not client.fast_answers("/sparql", query)  # the key moved with the data version
    after = rows(client.call(client.fast, "/sparql", query))
    assert "Zz mới".encode() in after and after != before
    assert client.fast_answers("/sparql", query)
    assert rows(client.call(client.fast, "/sparql", query)) == after


def test_no_answer_from_an_old_build_is_served_after_a_new_one(sample_data_dir, tmp_path):
    app = make_app(sample_data_dir)
    try:
        client = Client(app)
        query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
        old = rows(client.call(client.fast, "/sparql", query))
        assert client.fast_answers("/sparql", query)
        extra = tmp_path / "extra.trig"
        extra.write_text(f'<{ID}g2> {{ <{ID}x> <{LABEL}> "x" . }}\n')
        new_build = tmp_path / "new"
        build_store(new_build, SAMPLE_TRIG, extra)  # as ctkg build swaps it in
        os.rename(new_build / "builds" / "test", sample_data_dir / "builds" / "second")
        link = sample_data_dir / ".current-new"
        link.symlink_to(Path("builds") / "second")
        os.replace(link, sample_data_dir / "current")
        assert not client.fast_answers("/sparql", query)
        new = rows(client.call(client.fast, "/sparql", query))
        assert new != old
    finally:
        close_app(app)


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_backends_answer_the_same_through_the_front(backend, sample_data_dir, tmp_path):
    """On the remote store there is no answer cache: every request reaches the app."""
    with app_on(backend, sample_data_dir, tmp_path) as app:
        client = Client(app)
        for path, params, headers in CASES[:2] + CASES[-3:-2]:
            client.call(client.plain, path, params, headers)
            assert client.fast_answers(path, params, headers) == (backend == "embedded")
            assert client.call(client.fast, path, params, headers) == client.call(
                client.plain, path, params, headers
            )


def test_a_remote_store_s_version_is_never_read_in_the_event_loop(sample_data_dir, tmp_path):
    """The remote backend's data version is an HTTP query to the store: were it read in the
    event loop, a slow or hung store would stall /healthz and every request of the worker.
    Even with an answer cache on the remote store, the fast path declines without reading it;
    the app reads it in its request thread."""
    import threading

    from ctkg.server.engine.answer_cache import AnswerCache

    with app_on("oxigraph-server", sample_data_dir, tmp_path) as app:
        server = app.extensions["ctkg"]
        assert server.answers is None
        server.answers = AnswerCache(tmp_path / "answer-cache", 1 << 20)
        backend = server.backend
        assert backend.version_is_local is False
        threads: list[int] = []
        read = backend.data_version

        def recording():
            threads.append(threading.get_ident())
            return read()

        backend.data_version = recording
        client = Client(app)
        loop_thread = threading.get_ident()  # asyncio.run runs the front's loop in this thread
        for path, params, headers in CASES[:2] + CASES[-3:-2]:
            first = client.call(client.fast, path, params, headers)
            assert first[0] == 200
            assert not client.fast_answers(path, params, headers)
            assert client.call(client.fast, path, params, headers) == first
        assert threads, "the app reads the version (for its ETag)"
        assert loop_thread not in threads
