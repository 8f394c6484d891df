"""The SPARQL endpoint as clients see it: a real granian server on loopback, real clients.

One server for the module (reads only; writes are in test_server_writes.py), with small limits
so the caps, budgets and body limits are cheap to reach.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import rdflib
import requests
from helpers import BACKENDS, SAMPLE_TRIG, PublishedCopy, ServerProcess, wait_until
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

BASE = "https://w3id.org/ctkg/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
PREFIXES = f"""PREFIX ctkg: <{BASE}ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX id: <{ID}>
"""
RESULT_LIMIT = 25
MAX_TIMEOUT = 3
TOKEN = "test-token-1"


def sample_counts() -> dict[str, int]:
    """Triples per named graph of the sample TriG, read independently with rdflib."""
    dataset = rdflib.Dataset().parse(SAMPLE_TRIG, format="trig")
    return {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}


def slow_query(values: int = 150) -> str:
    """A cross join far over any test budget (values**4 rows to count)."""
    numbers = " ".join(str(i) for i in range(values))
    blocks = " ".join(f"VALUES ?v{i} {{ {numbers} }}" for i in range(4))
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ {blocks} }}"


def rows_query(n: int) -> str:
    numbers = " ".join(str(i) for i in range(n))
    return f"SELECT ?i WHERE {{ VALUES ?i {{ {numbers} }} }} ORDER BY ?i"


class Listener:
    """A TCP listener that records every connection: a SERVICE target that must stay silent."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self):
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    item = Listener()
    yield item
    item.close()


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, sample_store_template, tmp_path_factory, listener):
    """The endpoint on each backend: the embedded store, and the same sample published to an
    Oxigraph server (``CTKG_STORE`` = its URL); every test here runs on both."""
    data_dir = tmp_path_factory.mktemp("sparql") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    remote = None
    env = {}
    if request.param == "oxigraph-server":
        remote = PublishedCopy(data_dir, tmp_path_factory.mktemp("sparql-remote"))
        env = remote.env
        data_dir = tmp_path_factory.mktemp("sparql-served")
    process = ServerProcess(
        data_dir,
        {
            **env,
            "CTKG_QUERY_TIMEOUT": "2",
            "CTKG_MAX_QUERY_TIMEOUT": str(MAX_TIMEOUT),
            "CTKG_RESULT_LIMIT": str(RESULT_LIMIT),
            "CTKG_MAX_BODY_BYTES": "65536",
            "CTKG_UPDATE_TOKENS": TOKEN,
            # allow-listed, but loopback: must still be refused
            "CTKG_SERVICE_ALLOWLIST": f"http://127.0.0.1:{listener.port}/",
        },
    ).start()
    yield process
    process.stop()
    if remote is not None:
        remote.stop()
    assert "Traceback" not in process.log() or "unhandled" not in process.log()


@pytest.fixture(scope="module")
def endpoint(server) -> str:
    return server.url + "/sparql"


def get(endpoint, query=None, headers=None, **params):
    if query is not None:
        params["query"] = query
    return requests.get(endpoint, params=params, headers=headers or {}, timeout=30)


def assert_error(response, status: int) -> dict:
    """An error answer: the status, a JSON body with a message and the request id."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["message"]
    assert body["request_id"] == response.headers["X-Request-Id"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


# --- real clients ---------------------------------------------------------------------------


def test_sparqlwrapper_select_round_trips_vietnamese(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(PREFIXES + "SELECT ?l WHERE { id:province\\/hai-phong rdfs:label ?l }")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    labels = {(r["l"]["value"], r["l"].get("xml:lang")) for r in rows}
    assert labels == {("Hải Phòng", "vi"), ("Hai Phong", "en")}


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_methods_and_result_formats(endpoint, method, fmt):
    client = SPARQLWrapper(endpoint)
    client.setQuery(PREFIXES + 'SELECT ?p WHERE { ?p rdfs:label "Đà Nẵng"@vi }')
    client.setReturnFormat(fmt)
    if method != "GET":
        client.setMethod("POST")
        client.setRequestMethod("postdirectly" if method == "POSTDIRECTLY" else "urlencoded")
    result = client.query()
    body = result.response.read().decode("utf-8")
    assert ID + "province/da-nang" in body
    assert result.response.headers["Content-Type"].startswith(
        {
            JSON: "application/sparql-results+json",
            XML: "application/sparql-results+xml",
            CSV: "text/csv",
            TSV: "text/tab-separated-values",
        }[fmt]
    )


@pytest.mark.parametrize("fmt", [TURTLE, N3, JSONLD, XML])
def test_sparqlwrapper_construct_formats_parse_to_the_same_graph(endpoint, fmt):
    query = PREFIXES + "CONSTRUCT WHERE { ?s rdfs:label ?l }"
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    graph = client.query().convert()
    if isinstance(graph, bytes):  # SPARQLWrapper hands Turtle and N3 back unparsed
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    expected = rdflib.Graph().parse(data=get(endpoint, query, format="nt").text, format="nt")
    assert len(graph) == len(expected) > 10
    assert isomorphic(graph, expected)
    assert (None, None, rdflib.Literal("Đồng bằng sông Hồng", lang="vi")) in graph


def test_rdflib_sparqlstore_select_ask_construct(endpoint):
    graph = rdflib.Graph(store=SPARQLStore(endpoint))
    rows = list(graph.query(PREFIXES + "SELECT ?p ?l WHERE { ?p a ctkg:Province ; rdfs:label ?l }"))
    assert (
        rdflib.URIRef(ID + "province/thai-nguyen"),
        rdflib.Literal("Thái Nguyên", lang="vi"),
    ) in {(r.p, r.l) for r in rows}
    assert graph.query(PREFIXES + "ASK { ?p rdfs:label 'Hà Nội'@vi }").askAnswer is True
    built = graph.query(PREFIXES + "CONSTRUCT WHERE { ?p ctkg:population ?n }").graph
    assert len(built) == 4


def test_literal_edge_cases_round_trip_in_every_format(endpoint):
    query = PREFIXES + "SELECT ?q WHERE { ?e ctkg:quote ?q }"
    expected = 'Đồng chí nói: "tăng trưởng"\n\tdòng hai'
    by_json = get(endpoint, query).json()["results"]["bindings"][0]["q"]["value"]
    xml = ET.fromstring(get(endpoint, query, format="xml").content)
    by_xml = xml.find(".//{http://www.w3.org/2005/sparql-results#}literal").text
    by_csv = list(csv.reader(io.StringIO(get(endpoint, query, format="csv").text)))[1][0]
    tsv_line = get(endpoint, query, format="tsv").text.splitlines()[1]
    by_tsv = rdflib.util.from_n3(tsv_line)
    assert by_json == by_xml == by_csv == str(by_tsv) == expected
    construct = PREFIXES + "CONSTRUCT WHERE { ?e ctkg:quote ?q }"
    for fmt, parser in [
        ("turtle", "turtle"),
        ("jsonld", "json-ld"),
        ("rdfxml", "xml"),
        ("nt", "nt"),
    ]:
        graph = rdflib.Graph().parse(
            data=get(endpoint, construct, format=fmt).content, format=parser
        )
        assert {str(o) for o in graph.objects()} == {expected}, fmt


# --- content negotiation --------------------------------------------------------------------

SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2"
SR_JSON = "application/sparql-results+json"
SR_XML = "application/sparql-results+xml"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

NEGOTIATION = [
    # (id, query, Accept, format=, expected status, expected media type)
    ("select-no-accept", SELECT, None, None, 200, SR_JSON),
    ("select-any", SELECT, "*/*", None, 200, SR_JSON),
    ("select-csv", SELECT, "text/csv", None, 200, "text/csv"),
    ("select-text-wildcard", SELECT, "text/*", None, 200, "text/csv"),
    (
        "select-q-values",
        SELECT,
        f"{SR_XML};q=0.5, text/tab-separated-values",
        None,
        200,
        "text/tab-separated-values",
    ),
    ("select-q0-excludes", SELECT, f"{SR_JSON};q=0, {SR_XML};q=0.1", None, 200, SR_XML),
    ("select-q0-wildcard", SELECT, f"*/*;q=0.1, {SR_JSON};q=0", None, 200, SR_XML),
    ("select-charset-utf8", SELECT, "text/csv; charset=UTF-8", None, 200, "text/csv"),
    ("select-charset-other", SELECT, "text/csv; charset=iso-8859-1", None, 406, None),
    ("select-plain-json", SELECT, "application/json", None, 200, "application/json"),
    ("select-browser", SELECT, BROWSER, None, 200, SR_JSON),
    ("select-rdf-only", SELECT, "text/turtle", None, 406, None),
    ("select-format-beats-accept", SELECT, "text/turtle", "csv", 200, "text/csv"),
    ("select-format-xml", SELECT, None, "xml", 200, SR_XML),
    (
        "select-format-media-type",
        SELECT,
        None,
        "text/tab-separated-values",
        200,
        "text/tab-separated-values",
    ),
    ("select-format-unknown", SELECT, None, "yaml", 406, None),
    ("ask-json", ASK, None, None, 200, SR_JSON),
    ("ask-xml", ASK, SR_XML, None, 200, SR_XML),
    ("construct-no-accept", CONSTRUCT, None, None, 200, "text/turtle"),
    ("construct-jsonld", CONSTRUCT, "application/ld+json", None, 200, "application/ld+json"),
    ("construct-ntriples", CONSTRUCT, "application/n-triples", None, 200, "application/n-triples"),
    ("construct-rdfxml", CONSTRUCT, "application/rdf+xml", None, 200, "application/rdf+xml"),
    ("construct-trig", CONSTRUCT, "application/trig", None, 200, "application/trig"),
    ("construct-nquads", CONSTRUCT, "application/n-quads", None, 200, "application/n-quads"),
    ("construct-text-wildcard", CONSTRUCT, "text/*", None, 200, "text/turtle"),
    ("construct-results-only", CONSTRUCT, SR_JSON, None, 406, None),
    ("construct-format-json", CONSTRUCT, None, "json", 200, "application/ld+json"),
    ("construct-format-xml", CONSTRUCT, None, "xml", 200, "application/rdf+xml"),
    (
        "construct-q-values",
        CONSTRUCT,
        "text/turtle;q=0.2, application/n-triples;q=0.8",
        None,
        200,
        "application/n-triples",
    ),
    (
        "describe-turtle",
        f"DESCRIBE <{ID}province/hai-phong>",
        "text/turtle",
        None,
        200,
        "text/turtle",
    ),
    ("nothing-offered", SELECT, "image/png", None, 406, None),
]


@pytest.mark.parametrize(
    ("query", "accept", "fmt", "status", "media_type"),
    [case[1:] for case in NEGOTIATION],
    ids=[case[0] for case in NEGOTIATION],
)
def test_content_negotiation(endpoint, query, accept, fmt, status, media_type):
    headers = {"Accept": accept} if accept is not None else {}
    params = {"format": fmt} if fmt else {}
    response = requests.get(
        endpoint, params={"query": query, **params}, headers=headers, timeout=10
    )
    if status == 406:
        body = assert_error(response, 406)
        assert body["offered"] and all("/" in t for t in body["offered"])
        return
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    if media_type.startswith("text/"):
        assert "charset=utf-8" in response.headers["Content-Type"]
    if media_type == "application/ld+json":
        document = response.json()
        assert document["@context"]["ctkg"] == BASE + "ontology#"


def test_jsonld_context_is_published_and_readable(server, endpoint):
    context = requests.get(server.url + "/context.jsonld", timeout=10)
    assert context.headers["Content-Type"] == "application/ld+json"
    assert context.json()["@context"]["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"
    answer = get(
        endpoint, PREFIXES + "CONSTRUCT WHERE { id:province\\/da-nang ?p ?o }", format="jsonld"
    )
    document = answer.json()
    assert document["@context"] == context.json()["@context"]
    node = document["@graph"][0]
    assert node["@type"] == "ctkg:Province"  # compact IRIs, not expanded ones
    assert {"@value": "Đà Nẵng", "@language": "vi"} in node["rdfs:label"]


# --- service description --------------------------------------------------------------------


def test_service_description_for_rdf_clients_and_browsers(endpoint):
    sd = "http://www.w3.org/ns/sparql-service-description#"
    for accept in (None, "text/turtle", "application/ld+json", "application/rdf+xml"):
        response = requests.get(endpoint, headers={"Accept": accept} if accept else {}, timeout=10)
        assert response.status_code == 200
        media_type = response.headers["Content-Type"].split(";")[0]
        graph = rdflib.Graph().parse(
            data=response.content,
            format=rdflib.util.guess_format(
                "x."
                + {
                    "text/turtle": "ttl",
                    "application/ld+json": "jsonld",
                    "application/rdf+xml": "rdf",
                }[media_type]
            ),
        )
        service = rdflib.URIRef(endpoint)
        assert (service, rdflib.RDF.type, rdflib.URIRef(sd + "Service")) in graph
        assert (service, rdflib.URIRef(sd + "endpoint"), service) in graph
        assert (
            service,
            rdflib.URIRef(sd + "feature"),
            rdflib.URIRef(sd + "UnionDefaultGraph"),
        ) in graph
        names = set(graph.objects(None, rdflib.URIRef(sd + "name")))
        assert rdflib.URIRef(GRAPH + "gazetteer") in names
    page = requests.get(endpoint, headers={"Accept": BROWSER}, timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<form" in page.text and "SPARQL" in page.text


# --- errors ----------------------------------------------------------------------------------


def test_malformed_query_is_400_with_message_and_position(endpoint):
    body = assert_error(get(endpoint, "SELECT * WHERE {\n  ?s ?p \n}"), 400)
    assert body["line"] == 3 and body["column"] >= 1
    assert "expected" in body["message"]
    # a client that prefers text gets the error as text
    text = get(endpoint, "SELEC * {}", headers={"Accept": "text/csv, text/plain;q=0.5"})
    assert text.status_code == 400 and text.headers["Content-Type"].startswith("text/plain")
    assert "request id" in text.text


def test_sparqlwrapper_sees_a_bad_query_as_bad_formed(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT ?x WHERE { ?x ")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed):
        client.query()


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"query": SELECT, "timeout": "soon"}, "timeout"),
        ({"query": SELECT, "timeout": "-1"}, "timeout"),
        ({"query": SELECT, "default-graph-uri": "not an iri"}, "default-graph-uri"),
        ({"query": "  "}, "empty"),
        ({"update": "CLEAR ALL"}, "POST"),
    ],
)
def test_bad_parameters_are_400(endpoint, params, fragment):
    body = assert_error(requests.get(endpoint, params=params, timeout=10), 400)
    assert fragment in body["message"]


def test_wrong_method_is_405(endpoint, server):
    response = requests.put(endpoint, data="x", timeout=10)
    assert_error(response, 405)
    assert "POST" in response.headers["Allow"]
    assert_error(requests.delete(server.url + "/stats", timeout=10), 405)


def test_body_too_large_is_413(endpoint):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000
    assert_error(
        requests.post(
            endpoint,
            data=big.encode(),
            headers={"Content-Type": "application/sparql-query"},
            timeout=10,
        ),
        413,
    )
    assert_error(requests.post(endpoint, data={"query": big}, timeout=10), 413)


def test_unsupported_body_type_is_415(endpoint):
    body = assert_error(
        requests.post(endpoint, data="ASK {}", headers={"Content-Type": "text/plain"}, timeout=10),
        415,
    )
    assert "application/sparql-query" in body["accepted"]


def test_unknown_path_is_404_json(server):
    assert_error(requests.get(server.url + "/nope", timeout=10), 404)


def test_query_over_budget_is_503_on_time_and_the_server_carries_on(server, endpoint):
    before = requests.get(server.url + "/stats", timeout=10).json()["timeouts"]
    started = time.monotonic()
    response = requests.post(endpoint, data={"query": slow_query(), "timeout": "0.5"}, timeout=30)
    elapsed = time.monotonic() - started
    body = assert_error(response, 503)
    assert "time budget of 0.5 s" in body["message"]
    assert elapsed < 2.5
    assert get(endpoint, ASK).json()["boolean"] is True
    assert requests.get(server.url + "/stats", timeout=10).json()["timeouts"] == before + 1


def test_client_timeout_is_capped_by_the_server_maximum(endpoint):
    started = time.monotonic()
    response = requests.post(endpoint, data={"query": slow_query(), "timeout": "1000"}, timeout=30)
    elapsed = time.monotonic() - started
    body = assert_error(response, 503)
    assert f"time budget of {MAX_TIMEOUT} s" in body["message"]
    assert MAX_TIMEOUT - 0.2 < elapsed < MAX_TIMEOUT + 2


def test_parallel_clients_are_served_while_a_slow_query_runs(endpoint):
    with ThreadPoolExecutor(max_workers=5) as pool:
        slow = pool.submit(
            requests.post, endpoint, data={"query": slow_query(), "timeout": "2.5"}, timeout=30
        )
        time.sleep(0.3)  # the slow query is now holding an executor

        def fast(i):
            started = time.monotonic()
            response = get(
                endpoint, PREFIXES + f"SELECT ?l WHERE {{ ?p rdfs:label ?l }} LIMIT {i + 1}"
            )
            return response.status_code, time.monotonic() - started, slow.done()

        results = list(pool.map(fast, range(24)))
        assert slow.result().status_code == 503
    assert all(status == 200 for status, _, _ in results)
    assert max(seconds for _, seconds, _ in results) < 1.5
    assert not all(done for _, _, done in results)  # they ran while the slow one did


# --- result cap ------------------------------------------------------------------------------


def _count_rows(fmt: str, response) -> int:
    if fmt == "json":
        return len(response.json()["results"]["bindings"])
    if fmt == "xml":
        return len(
            ET.fromstring(response.content).findall(
                ".//{http://www.w3.org/2005/sparql-results#}result"
            )
        )
    return len(response.text.splitlines()) - 1


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_result_cap_is_exact_and_announced(endpoint, fmt):
    over = get(endpoint, rows_query(RESULT_LIMIT + 10), format=fmt)
    assert over.status_code == 200
    assert over.headers["X-CTKG-Results-Truncated"] == "true"
    assert over.headers["X-CTKG-Result-Limit"] == str(RESULT_LIMIT)
    assert _count_rows(fmt, over) == RESULT_LIMIT
    exact = get(endpoint, rows_query(RESULT_LIMIT), format=fmt)
    assert "X-CTKG-Results-Truncated" not in exact.headers
    assert _count_rows(fmt, exact) == RESULT_LIMIT


@pytest.mark.parametrize("fmt", ["nt", "turtle", "jsonld"])
def test_result_cap_on_graphs(endpoint, fmt):
    numbers = " ".join(str(i) for i in range(40))
    query = f"CONSTRUCT {{ <urn:x> <urn:p> ?i }} WHERE {{ VALUES ?i {{ {numbers} }} }}"
    response = get(endpoint, query, format=fmt)
    assert response.headers["X-CTKG-Results-Truncated"] == "true"
    parser = {"nt": "nt", "turtle": "turtle", "jsonld": "json-ld"}[fmt]
    assert len(rdflib.Graph().parse(data=response.content, format=parser)) == RESULT_LIMIT


# --- not a proxy ---------------------------------------------------------------------------


def test_service_and_load_never_reach_the_network(endpoint, listener):
    base = f"http://127.0.0.1:{listener.port}/"
    target = base + "sparql"
    refused = [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ sErViCe SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{base}> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://localhost:{listener.port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } VALUES ?endpoint { <" + target + "> } }",
        f"SELECT * {{ OPTIONAL {{ {{ SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }} }}",
    ]
    for query in refused:
        body = assert_error(get(endpoint, query), 403)
        assert "SERVICE" in body["message"]
    escaped = f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}"
    assert get(endpoint, escaped).status_code in (400, 403)
    # the words alone are harmless: in a comment, a string, an IRI
    harmless = f'# SERVICE <{target}>\nSELECT ?x WHERE {{ BIND("SERVICE <{target}> LOAD" AS ?x) }}'
    assert get(endpoint, harmless).status_code == 200
    # FROM names a graph of the store; it never fetches
    assert (
        get(endpoint, f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}").json()["results"][
            "bindings"
        ]
        == []
    )
    load = requests.post(
        endpoint,
        data={"update": f"LOAD <{target}> INTO GRAPH <urn:g>"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    assert_error(load, 403)
    time.sleep(0.2)
    assert listener.connections == []


# --- dataset -------------------------------------------------------------------------------


def _labels(response) -> set[str]:
    return {row["l"]["value"] for row in response.json()["results"]["bindings"]}


def test_default_graph_is_the_merge_and_dataset_parameters_restrict_it(endpoint):
    query = PREFIXES + "SELECT ?l WHERE { ?x rdfs:label ?l }"
    everything = _labels(get(endpoint, query))
    assert {"Hải Phòng", "ghi chú (blank node)"} <= everything
    gazetteer_only = _labels(get(endpoint, query, **{"default-graph-uri": GRAPH + "gazetteer"}))
    assert "Hải Phòng" in gazetteer_only and "ghi chú (blank node)" not in gazetteer_only
    named = get(
        endpoint,
        PREFIXES + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        **{"named-graph-uri": GRAPH + "gazetteer"},
    ).json()["results"]["bindings"]
    assert [row["g"]["value"] for row in named] == [GRAPH + "gazetteer"]
    from_clause = (
        PREFIXES + f"SELECT ?l FROM <{GRAPH}article/2019-hai-phong> WHERE {{ ?x rdfs:label ?l }}"
    )
    assert "Hải Phòng" not in _labels(get(endpoint, from_clause))


# --- CORS, ETag, request id, health -----------------------------------------------------------


def test_cors_for_reads_but_not_writes(server, endpoint):
    origin = {"Origin": "https://example.org"}
    preflight = requests.options(
        endpoint,
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "authorization" not in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    write_preflight = requests.options(
        server.url + "/graph-store",
        headers={**origin, "Access-Control-Request-Method": "PUT"},
        timeout=10,
    )
    assert "Access-Control-Allow-Origin" not in write_preflight.headers
    read = get(endpoint, ASK, headers=origin)
    assert read.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-CTKG-Results-Truncated" in read.headers["Access-Control-Expose-Headers"]
    write = requests.post(
        endpoint, data={"update": "CLEAR SILENT GRAPH <urn:x>"}, headers=origin, timeout=10
    )
    assert write.status_code == 401 and "Access-Control-Allow-Origin" not in write.headers


def test_etag_makes_unchanged_answers_free(server, endpoint):
    first = get(endpoint, SELECT)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    before = requests.get(server.url + "/stats", timeout=10).json()["counters"]
    again = get(endpoint, SELECT, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    after = requests.get(server.url + "/stats", timeout=10).json()["counters"]
    assert after["queries_not_modified_total"] == before["queries_not_modified_total"] + 1
    other_format = get(endpoint, SELECT, headers={"If-None-Match": etag, "Accept": "text/csv"})
    assert other_format.status_code == 200 and other_format.headers["ETag"] != etag


def test_request_id_is_echoed_and_logged(server, endpoint):
    response = get(endpoint, ASK, headers={"X-Request-Id": "trace-42"})
    assert response.headers["X-Request-Id"] == "trace-42"
    generated = get(endpoint, ASK, headers={"X-Request-Id": "bad id with spaces"}).headers[
        "X-Request-Id"
    ]
    assert generated != "bad id with spaces" and len(generated) == 16

    def logged():
        return [line for line in server.log().splitlines() if "rid=trace-42" in line]

    lines = wait_until(logged, timeout=10)
    assert len(lines) == 1 and " 200 " in lines[0] and "ms" in lines[0]


def test_health_stats_and_metrics(server):
    assert requests.get(server.url + "/healthz", timeout=10).json() == {"status": "ok"}
    stats = requests.get(server.url + "/stats", timeout=10).json()
    assert stats["named_graphs"] == sample_counts()
    assert stats["graphs"] == 2
    assert stats["triples"] == sum(stats["named_graphs"].values())  # disjoint graphs
    assert stats["queries"] > 0
    metrics = requests.get(server.url + "/metrics", timeout=10)
    assert metrics.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    values = dict(
        line.rsplit(" ", 1)
        for line in metrics.text.splitlines()
        if line and not line.startswith("#")
    )
    assert float(values["ctkg_triples"]) == stats["triples"]
    assert float(values["ctkg_queries_total"]) >= stats["queries"]
    assert 'ctkg_request_duration_seconds_bucket{le="+Inf"}' in values


# --- graph store (reads) -----------------------------------------------------------------------


def test_graph_store_reads(server):
    url = server.url + "/graph-store"
    gazetteer = requests.get(url, params={"graph": GRAPH + "gazetteer"}, timeout=10)
    assert gazetteer.headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=gazetteer.content, format="turtle")
    assert len(graph) == sample_counts()[GRAPH + "gazetteer"]
    assert (None, None, rdflib.Literal("Thái Nguyên", lang="vi")) in graph
    etag = gazetteer.headers["ETag"]
    assert (
        requests.get(
            url, params={"graph": GRAPH + "gazetteer"}, headers={"If-None-Match": etag}, timeout=10
        ).status_code
        == 304
    )
    assert_error(requests.get(url, params={"graph": GRAPH + "missing"}, timeout=10), 404)
    dataset = rdflib.Dataset().parse(data=requests.get(url, timeout=10).content, format="trig")
    assert {str(g.identifier) for g in dataset.graphs()} >= {
        GRAPH + "gazetteer",
        GRAPH + "article/2019-hai-phong",
    }
    merged = requests.get(
        url, params={"default": ""}, headers={"Accept": "application/n-triples"}, timeout=10
    )
    assert (
        len(rdflib.Graph().parse(data=merged.content, format="nt"))
        == json.loads(requests.get(server.url + "/stats", timeout=10).content)["triples"]
    )
    assert_error(
        requests.get(
            url, params={"graph": GRAPH + "gazetteer"}, headers={"Accept": "text/csv"}, timeout=10
        ),
        406,
    )
