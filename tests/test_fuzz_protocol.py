"""Property-based fuzzing of the protocol layer (issue 14): random and mutated queries, headers,
parameters and bodies never get a 5xx other than 503/507 with a message, never a traceback, and
never an answer later than the budget plus a second.

Two levels: the Flask app in-process (the protocol, negotiation, errors; executors are real), and
raw bytes on a socket against the real server (granian, the front). Bounded in CI:
``CTKG_FUZZ_EXAMPLES`` examples each (default 40); set it higher for a longer run, e.g.
``CTKG_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_protocol.py``.
"""

from __future__ import annotations

import os
import shutil
import socket
import time

import pytest
from helpers import ServerProcess
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CTKG_FUZZ_EXAMPLES", "40"))
BUDGET = 1.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=os.environ.get("CTKG_FUZZ_EXAMPLES") is None,  # CI: the same examples each run
    database=None,
)

SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { ?s a ?type }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5",
    "DESCRIBE <https://w3id.org/ctkg/id/province/hai-phong>",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(LANG(?o) = 'vi') }",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l { ?s rdfs:label ?l }",
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    'SELECT * { ?s ?p "a\\"b" . # comment\r ?s ?q ?r }',
    "SELECT * { VALUES ?x { 1 2 3 } } ORDER BY DESC(?x)",
]
PIECES = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    '"',
    "'",
    "#",
    "\\",
    "\r",
    "\n",
    "\x00",
    "?x",
    "SELECT",
    "WHERE",
    "SERVICE",
    "LOAD",
    "UNION",
    "OPTIONAL",
    "FILTER",
    "GRAPH",
    "BIND",
    "PREFIX",
    "BASE",
    "\\u0022",
    "'''",
    '"""',
    "^^",
    "@vi",
    "*",
    "||",
    ";",
    ".",
    ",",
    "é",
    "💥",
]


@st.composite
def queries(draw):
    """A seed query with a few random edits: insert a piece, delete a span, or duplicate one."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "repeat", "text"]))
        if edit == "insert":
            text = text[:where] + draw(st.sampled_from(PIECES)) + text[where:]
        elif edit == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 8)) :]
        elif edit == "repeat":
            text = text[:where] * draw(st.integers(1, 3)) + text[where:]
        else:
            text = text[:where] + draw(st.text(max_size=6)) + text[where:]
    return text


HEADER_VALUES = st.one_of(
    st.sampled_from(
        [
            "application/sparql-results+json",
            "text/csv;q=0.5, */*;q=0.1",
            "application/ld+json",
            "text/turtle;q=0",
            "*/*",
            "image/png",
            "application/sparql-results+xml;q=abc",
            "",
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
)
PARAM_VALUES = st.one_of(
    st.sampled_from(["json", "csv", "xml", "tsv", "turtle", "nonsense", "0", "-1", "1e9", "nan"]),
    st.text(max_size=20),
)


@pytest.fixture(scope="module")
def client(sample_store_template, tmp_path_factory):
    from ctkg.config import Settings
    from ctkg.server.app import create_app

    data_dir = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    app_settings = Settings.from_env(
        {},
        data_dir=str(data_dir),
        query_timeout_s=BUDGET,
        max_query_timeout_s=BUDGET,
        update_tokens="fuzz-token",
    )
    app = create_app(app_settings)
    yield app.test_client()
    app.extensions["ctkg"].backend.close()


def check(response, seconds: float) -> None:
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    assert response.status_code < 500 or response.status_code in (503, 507), (
        response.status_code,
        body[:300],
    )
    if response.status_code >= 400:
        assert body.strip(), "an error without a message"
    assert seconds < BUDGET + 1.0 + 2.0  # budget + 1 s, and 2 s of slack for a loaded machine


@FUZZ
@given(
    query=queries(),
    method=st.sampled_from(["GET", "POST-form", "POST-direct"]),
    accept=HEADER_VALUES,
    fmt=st.none() | PARAM_VALUES,
    timeout=st.none() | PARAM_VALUES,
    graph=st.none() | st.text(max_size=30),
)
def test_protocol_never_fails_badly(client, query, method, accept, fmt, timeout, graph):
    params = {}
    for name, value in (("format", fmt), ("timeout", timeout), ("default-graph-uri", graph)):
        if value is not None:
            params[name] = value
    headers = {"Accept": accept}
    started = time.monotonic()
    if method == "GET":
        response = client.get("/sparql", query_string={"query": query, **params}, headers=headers)
    elif method == "POST-form":
        response = client.post("/sparql", data={"query": query, **params}, headers=headers)
    else:
        response = client.post(
            "/sparql",
            data=query.encode("utf-8", "surrogatepass"),
            query_string=params,
            headers={**headers, "Content-Type": "application/sparql-query"},
        )
    check(response, time.monotonic() - started)


@FUZZ
@given(
    path=st.sampled_from(["/sparql", "/graph-store", "/api/queries/series-editions", "/id/x"]),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    content_type=HEADER_VALUES,
    body=st.binary(max_size=200),
    token=st.sampled_from([None, "fuzz-token", "wrong"]),
    graph=st.none() | st.text(max_size=30),
)
def test_bodies_and_methods_never_fail_badly(
    client, path, method, content_type, body, token, graph
):
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    query_string = {"graph": graph} if graph is not None else {}
    started = time.monotonic()
    response = client.open(
        path, method=method, data=body, headers=headers, query_string=query_string
    )
    check(response, time.monotonic() - started)


# --- raw bytes against the real server ------------------------------------------------------


@pytest.fixture(scope="module")
def server(sample_store_template, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fuzz-raw") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    env = {"CTKG_QUERY_TIMEOUT": str(BUDGET), "CTKG_BODY_READ_TIMEOUT": "1"}
    process = ServerProcess(data_dir, env).start()
    yield process
    process.stop()


REQUEST_LINES = st.sampled_from(
    [
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1",
        b"POST /sparql HTTP/1.1",
        b"PUT /graph-store?graph=urn:g HTTP/1.1",
        b"GET /healthz HTTP/1.0",
        b"GET /../../etc/passwd HTTP/1.1",
        b"BREW /coffee HTCPCP/1.0",
    ]
)
HEADER_LINES = st.lists(
    st.sampled_from(
        [
            b"Host: x",
            b"Content-Type: application/sparql-query",
            b"Content-Type: application/x-www-form-urlencoded",
            b"Transfer-Encoding: chunked",
            b"Content-Length: 5",
            b"Content-Length: -1",
            b"Content-Length: 99999999999999999999",
            b"Accept: */*",
            b"Expect: 100-continue",
            b"Connection: close",
        ]
    )
    | st.binary(max_size=30),
    max_size=6,
)


@FUZZ
@given(line=REQUEST_LINES, headers=HEADER_LINES, body=st.binary(max_size=100))
def test_raw_http_never_fails_badly(server, line, headers, body):
    request = line + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body
    started = time.monotonic()
    answer = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        try:
            while data := sock.recv(65536):
                answer += data
        except (ConnectionResetError, TimeoutError):
            pass
    seconds = time.monotonic() - started
    assert b"Traceback" not in answer
    for status_line in (chunk.split(b"\r\n", 1)[0] for chunk in answer.split(b"HTTP/1.")[1:]):
        code = status_line[2:5]
        assert not code.startswith(b"5") or code in (b"503", b"507"), (request, answer[:300])
    assert seconds < BUDGET + 1.0 + 2.0
    assert server.process.poll() is None
