"""Uncached ``/sparql`` queries answered in the lane thread without Flask
(``server/http/direct.py``) are the Flask view's answers byte for byte: status, every header in
its order, body; the counters move the same; the answer cache is filled the same; and every
answer that is not a plain success (errors, refusals, timeouts, conditional requests, answers
flask-compress compresses) is the view's own, from a job run once, not twice.

Each request goes through two fronts over the same app: ``Front(app)`` (fast path and direct
path) and ``Front(app, fast_path=False)`` (the Flask view alone), with a fixed
``X-Request-Id``, so the whole answer is comparable.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl, urlencode

import pytest
from helpers import close_app, make_app

from ctkg.server.http.front import Front
from ctkg.server.sparql import named_queries, protocol

ID = "https://w3id.org/ctkg/id/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RESULT_LIMIT = 7
LABELS = f"SELECT ?l WHERE {{ <{ID}province/hai-phong> <{LABEL}> ?l }} ORDER BY ?l"
MANY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"  # over RESULT_LIMIT: truncated
CONSTRUCT = f"CONSTRUCT {{ ?s <{LABEL}> ?l }} WHERE {{ ?s <{LABEL}> ?l }} ORDER BY ?s ?l"
ASK = "ASK { ?s ?p ?o }"
RID = ("x-request-id", "direct-1")
MERGE = "https://w3id.org/ctkg/graph/merge"


def post(body: str, content_type: str) -> list[tuple[str, str]]:
    return [("content-type", content_type), ("content-length", str(len(body.encode())))]


SPARQL_QUERY = "application/sparql-query"
FORM_TYPE = "application/x-www-form-urlencoded"
FORM = urlencode({"query": LABELS, "timeout": "2"})
LONG_FORM = urlencode({"query": CONSTRUCT, "timeout": "30", "format": "ttl"})

# (method, query string, headers, body): successes the direct path answers itself
SUCCESSES = [
    ("GET", {"query": LABELS}, [], ""),
    ("GET", {"query": LABELS}, [("accept", "text/csv")], ""),
    ("GET", {"query": LABELS, "format": "tsv"}, [], ""),
    ("GET", {"query": LABELS, "format": "xml"}, [("accept-encoding", "gzip, br")], ""),
    ("GET", {"query": MANY}, [("accept", "application/sparql-results+json")], ""),
    ("GET", {"query": MANY, "format": "csv"}, [], ""),
    ("GET", {"query": CONSTRUCT}, [("accept", "text/turtle")], ""),
    ("GET", {"query": CONSTRUCT, "format": "nt"}, [], ""),
    ("GET", {"query": CONSTRUCT, "format": "jsonld"}, [], ""),
    ("GET", {"query": ASK}, [("origin", "https://example.org")], ""),
    ("GET", {"query": LABELS, "default-graph-uri": MERGE}, [("cookie", "ctkg_lang=en")], ""),
    ("GET", {"query": LABELS, "named-graph-uri": MERGE}, [], ""),
    ("GET", {"query": LABELS, "timeout": "30"}, [], ""),  # the long lane
    ("GET", {"query": LABELS}, [("x-request-id", "bad id!")], ""),  # a request id made here
    ("POST", {}, post(LABELS, "application/sparql-query"), LABELS),
    ("POST", {"format": "nt"}, post(CONSTRUCT, f"{SPARQL_QUERY}; charset=UTF-8"), CONSTRUCT),
    ("POST", {}, post(MANY, "application/sparql-query"), MANY),
    ("POST", {}, post(FORM, "application/x-www-form-urlencoded"), FORM),
    ("POST", {"format": "tsv"}, [*post(FORM, FORM_TYPE), ("accept", "*/*")], FORM),
    ("POST", {}, post(LONG_FORM, "application/x-www-form-urlencoded"), LONG_FORM),
]

SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
SLOW = " ".join(f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(150))} }}" for i in range(4))
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ {SLOW} }}"
# requests the direct path hands to the view (which then runs the job at most once)
HANDED_ON = [
    ("GET", {"query": "SELEC ?x WHERE {}"}, [], ""),  # syntax error: a 400 from the engine
    ("GET", {"query": CONSTRUCT}, [("accept", "application/sparql-results+json")], ""),  # 406
    ("GET", {"query": SERVICE}, [], ""),  # refused SERVICE: 403
    ("POST", {}, post(SERVICE, "application/sparql-query"), SERVICE),
    ("GET", {"query": SLOW, "timeout": "0.3"}, [], ""),  # a timeout: 503
    ("GET", {"query": LABELS}, [("if-none-match", 'W/"nothing"')], ""),  # conditional
    ("GET", {"query": MANY, "format": "application/json"}, [("accept-encoding", "gzip")], ""),
]
# requests the view answers before any job is run (the keyer declines them)
DECLINED = [
    ("GET", {"query": LABELS, "timeout": "-1"}, [], ""),
    ("GET", {"query": LABELS, "format": "nope"}, [], ""),
    ("GET", {"query": ""}, [], ""),
    ("GET", {"query": LABELS, "default-graph-uri": "not an iri"}, [], ""),
    ("POST", {}, post("update=x", "application/x-www-form-urlencoded"), "update=x"),
    ("POST", {}, post(LABELS, "text/plain"), LABELS),
]


class Client:
    """The two fronts over one app, and a record of what ran."""

    def __init__(self, app, monkeypatch):
        settings = app.extensions["ctkg"].settings
        self.app = app
        self.direct = Front(app, settings, 2)
        self.plain = Front(app, settings, 2, fast_path=False)
        self.views = 0
        self.runs = 0
        view = protocol._query
        backend = app.extensions["ctkg"].backend
        run = backend.run

        def counted_view(operation):
            self.views += 1
            return view(operation)

        named_view = named_queries.run_read  # the named-query view's run (it has no _query)

        def counted_named(job, timeout):
            self.views += 1
            return named_view(job, timeout)

        monkeypatch.setattr(named_queries, "run_read", counted_named)

        def counted_run(job, timeout):
            self.runs += 1
            return run(job, timeout)

        monkeypatch.setattr(protocol, "_query", counted_view)
        monkeypatch.setattr(backend, "run", counted_run)

    def call(self, front, method, params, headers, body, path="/sparql"):
        scope = {
            "type": "http",
            "method": method,
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": urlencode(params).encode(),
            "headers": [(k.encode(), v.encode()) for k, v in [RID, *headers]],
            "http_version": "1.1",
            "scheme": "http",
            "server": ("127.0.0.1", 80),
            "client": ("127.0.0.1", 40000),
        }
        if any(k == "x-request-id" for k, _ in headers):
            scope["headers"] = scope["headers"][1:]
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": body.encode(), "more_body": False}

        async def send(message):
            sent.append(message)

        views, runs = self.views, self.runs
        asyncio.run(front(scope, receive, send))
        start = sent[0]
        payload = b"".join(m.get("body", b"") for m in sent[1:])
        answer = (start["status"], list(start["headers"]), payload)
        return answer, self.views - views, self.runs - runs

    def counters(self) -> dict[str, int]:
        counters = self.app.extensions["ctkg"].counters
        names = ("requests_total", "responses_2xx", "responses_4xx", "responses_5xx")
        return {**counters.snapshot(), **{name: counters.get(name) for name in names}}

    def both(self, case):
        """The answers of the two fronts, with the counters each moved and what each ran."""
        results = []
        for front in (self.direct, self.plain):
            before = self.counters()
            answer, views, runs = self.call(front, *case)
            after = self.counters()
            moved = {name: after[name] - before[name] for name in after}
            results.append((answer, moved, views, runs))
        return results


@pytest.fixture
def uncached(sample_data_dir, monkeypatch):
    app = make_app(sample_data_dir, result_limit=RESULT_LIMIT, answer_cache_bytes=0)
    yield Client(app, monkeypatch)
    close_app(app)


@pytest.fixture
def cached(sample_data_dir, monkeypatch):
    app = make_app(sample_data_dir, result_limit=RESULT_LIMIT)
    yield Client(app, monkeypatch)
    close_app(app)


def _same_headers_but_request_id(a, b):
    strip = [(k, v) for k, v in a if k != b"x-request-id"]
    assert strip == [(k, v) for k, v in b if k != b"x-request-id"]
    assert [k for k, _ in a] == [k for k, _ in b]


def test_successes_are_the_view_s_answers_byte_for_byte(uncached):
    for case in SUCCESSES:
        (direct, moved_d, views_d, runs_d), (flask, moved_f, views_f, runs_f) = uncached.both(case)
        assert direct[0] == 200, (case, direct)
        if case[2] and case[2][0][1] == "bad id!":  # each front makes its own request id
            _same_headers_but_request_id(direct[1], flask[1])
            assert direct[2] == flask[2]
        else:
            assert direct == flask, case
        assert moved_d == moved_f, case
        assert (views_d, runs_d) == (0, 1), case  # answered without the view, run once
        assert (views_f, runs_f) == (1, 1), case


def test_what_is_not_a_success_is_the_view_s_answer_from_one_run(uncached):
    for case in HANDED_ON:
        (direct, moved_d, views_d, runs_d), (flask, moved_f, views_f, runs_f) = uncached.both(case)
        assert direct == flask, case
        assert moved_d == moved_f, case
        assert views_d == views_f == 1, case
        assert runs_d == runs_f, case  # the view used the direct path's run: not a second one
    statuses = [uncached.call(uncached.plain, *case)[0][0] for case in HANDED_ON]
    assert statuses == [400, 406, 403, 403, 503, 200, 200]
    for case in DECLINED:
        (direct, moved_d, views_d, runs_d), (flask, moved_f, *_) = uncached.both(case)
        assert direct == flask, case
        assert moved_d == moved_f, case
        assert runs_d == 0, case
        assert direct[0] >= 400, case


def test_a_timed_out_query_runs_once_and_keeps_its_503(uncached):
    case = ("GET", {"query": SLOW, "timeout": "0.3"}, [], "")
    answer, views, runs = uncached.call(uncached.direct, *case)
    assert answer[0] == 503 and b"time budget of 0.3 s" in answer[2]
    assert (views, runs) == (1, 1)
    assert uncached.counters()["query_timeouts_total"] == 1


def test_with_the_cache_a_miss_fills_it_as_the_view_does(cached):
    for i, case in enumerate(SUCCESSES):
        method, params, headers, body = case
        # a query of its own for each front (a comment apart), so both are misses
        variants = []
        for front, mark in ((cached.direct, "a"), (cached.plain, "b")):
            if method == "GET":
                mine = (method, {**params, "query": f"{params['query']} #{i}{mark}"}, headers, body)
            elif "application/sparql-query" in headers[0][1]:
                text = f"{body} #{i}{mark}"
                mine = (method, params, post(text, headers[0][1]) + headers[2:], text)
            else:
                form = dict(parse_qsl(body))
                text = urlencode({**form, "query": f"{form['query']} #{i}{mark}"})
                mine = (method, params, post(text, headers[0][1]) + headers[2:], text)
            before = cached.counters()
            answer, views, runs = cached.call(front, *mine)
            moved = {k: v - before[k] for k, v in cached.counters().items()}
            again, _views_again, runs_again = cached.call(front, *mine)
            variants.append((answer, moved, views, runs, again, runs_again))
        (direct, moved_d, views_d, runs_d, again_d, rerun_d) = variants[0]
        (flask, moved_f, _views_f, runs_f, again_f, rerun_f) = variants[1]
        etagged = method == "GET"
        if etagged:  # the ETag is a digest of the query text, which differs by its comment
            assert [k for k, _ in direct[1]] == [k for k, _ in flask[1]], case
        else:
            assert direct[1] == flask[1], case
        assert direct[2] == flask[2] and direct[0] == flask[0] == 200, case
        assert moved_d == moved_f, case
        assert moved_d["answer_cache_misses_total"] == 1, case
        assert (views_d, runs_d, runs_f) == (0, 1, 1), case
        made_here = headers and headers[0][1] == "bad id!"  # a request id of its own each time
        for first, second in ((direct, again_d), (flask, again_f)):  # the second: from the cache
            if made_here:
                _same_headers_but_request_id(first[1], second[1])
                assert first[2] == second[2], case
            else:
                assert first == second, case
        assert rerun_d == rerun_f == 0, case


def test_a_large_answer_is_streamed_as_the_view_streams_it(sample_data_dir, monkeypatch):
    app = make_app(sample_data_dir, answer_cache_bytes=0)
    try:
        client = Client(app, monkeypatch)
        numbers = " ".join(str(i) for i in range(20_000))
        text = f"SELECT ?i WHERE {{ VALUES ?i {{ {numbers} }} }} ORDER BY ?i"
        case = ("POST", {}, post(text, "application/sparql-query"), text)
        (direct, _, views_d, _), (flask, _, _, _) = client.both(case)
        assert len(direct[2]) > 1 << 20  # spooled by the executor, streamed by the lane
        assert direct == flask
        assert views_d == 0
    finally:
        close_app(app)


# named queries (``GET /api/queries/NAME``): their misses take the direct path too
NAMED_SUCCESSES = [
    ("/api/queries/province-editions", {}, []),
    ("/api/queries/province-editions", {"province": "id:province/hai-phong"}, []),
    ("/api/queries/region-provinces", {"format": "csv", "timeout": "2"}, []),
    ("/api/queries/region-provinces", {"timeout": "30"}, [("accept", "text/tab-separated-values")]),
]
NAMED_DECLINED = [
    ("/api/queries/no-such-query", {}, []),
    ("/api/queries/province-editions", {"province": "not an iri"}, []),
    ("/api/queries/province-editions", {"timeout": "0"}, []),
    ("/api/queries/province-editions", {}, [("if-none-match", 'W/"x"')]),
]


def test_named_query_misses_are_the_view_s_answers_byte_for_byte(uncached):
    for path, params, headers in NAMED_SUCCESSES:
        results = []
        for front in (uncached.direct, uncached.plain):
            before = uncached.counters()
            answer, views, runs = uncached.call(front, "GET", params, headers, "", path)
            moved = {k: v - before[k] for k, v in uncached.counters().items()}
            results.append((answer, moved, views, runs))
        (direct, moved_d, views_d, runs_d), (flask, moved_f, views_f, runs_f) = results
        assert direct[0] == 200, (path, params, direct)
        assert direct == flask, (path, params)
        assert moved_d == moved_f, (path, params)
        assert (views_d, runs_d) == (0, 1) and (views_f, runs_f) == (1, 1), (path, params)
    for path, params, headers in NAMED_DECLINED:
        direct = uncached.call(uncached.direct, "GET", params, headers, "", path)[0]
        flask = uncached.call(uncached.plain, "GET", params, headers, "", path)[0]
        assert direct == flask, (path, params, headers)
