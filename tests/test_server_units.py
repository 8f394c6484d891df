"""The server's parts alone: negotiation, the SERVICE guard, result caps, JSON-LD, metrics."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from ctkg.config import Settings
from ctkg.server.app import create_app
from ctkg.server.engine import jsonld
from ctkg.server.engine.executor import LineCap, Spool, run_query
from ctkg.server.engine.guard import (
    DefaultGraphWrite,
    Policy,
    Refused,
    check_query,
    check_update,
)
from ctkg.server.engine.jobs import QueryJob
from ctkg.server.engine.serialisation import jsonld_context
from ctkg.server.http.formats import GRAPH, RESULTS, choose, parse_accept
from ctkg.server.http.metrics import SharedCounters

BASE = "https://w3id.org/ctkg/"

# --- negotiation ---------------------------------------------------------------------------


def test_accept_parameters_every_answer_satisfies_are_ignored():
    accept = parse_accept("text/csv; charset=UTF-8, application/ld+json; profile=compacted;q=0.5")
    assert [value for value, _ in accept] == ["text/csv", "application/ld+json"]
    assert [value for value, _ in parse_accept("text/csv; charset=latin1")] == [
        "text/csv; charset=latin1"
    ]


@pytest.mark.parametrize(
    ("values", "kind", "expected"),
    [
        (
            ["tsv", "text/tab-separated-values"],
            RESULTS,
            "text/tab-separated-values",
        ),  # SPARQLWrapper
        (["json-ld", "application/ld+json"], GRAPH, "application/ld+json"),
        (["rdf+xml"], GRAPH, "application/rdf+xml"),
        (["JSON"], RESULTS, "application/sparql-results+json"),
        (["json"], GRAPH, "application/ld+json"),
        (["nonsense", "csv"], RESULTS, "text/csv"),
        (["csv"], GRAPH, None),
    ],
)
def test_format_parameter(values, kind, expected):
    choice = choose("text/turtle", values, kind)
    assert (choice.media_type if choice else None) == expected


# --- the SERVICE / LOAD guard --------------------------------------------------------------

LOCAL = Policy(("http://127.0.0.1:9/", "http://example.org"))


@pytest.mark.parametrize(
    ("query", "policy", "refused"),
    [
        ("SELECT * { ?s ?p ?o }", Policy(), False),
        ("SELECT * { ?s ?p 'service' } # LOAD <http://x/>", Policy(), False),
        ("SELECT * { SERVICE <http://example.org/sparql> {} }", Policy(), True),
        ("SELECT * { SERVICE <http://127.0.0.1:9/x> {} }", LOCAL, True),  # loopback
        ("SELECT * { SERVICE <http://example.org.evil.test/x> {} }", LOCAL, True),  # boundary
        ("PREFIX e: <http://127.0.0.1:9/> SELECT * { SERVICE e:x {} }", LOCAL, True),
        ("SELECT * { SERVICE ?endpoint {} }", Policy(("http://",)), True),
        ("SELECT * { SERVICE <http://[::ffff:10.0.0.1]/x> {} }", Policy(("http://[",)), True),
        ("SELECT * { SERVICE <ftp://example.org/x> {} }", Policy(("ftp://",)), True),
    ],
)
def test_guard_on_queries(query, policy, refused):
    if refused:
        with pytest.raises(Refused):
            check_query(query, policy)
    else:
        check_query(query, policy)


def test_guard_sees_through_escapes_and_refuses_what_it_cannot_parse():
    with pytest.raises(Refused):
        check_query("SELECT * { \\u0053ERVICE <http://example.org/x> {} }", Policy())
    # what rdflib cannot parse is left to Oxigraph (its executor has no network)
    assert check_query("SELECT * { SERVICE", Policy()) == []


def test_guard_on_updates():
    with pytest.raises(Refused, match="LOAD"):
        check_update("INSERT DATA { <a:b> <a:c> 1 } ; LOAD <http://example.org/x.ttl>", Policy())
    with pytest.raises(Refused, match="SERVICE"):
        check_update(
            "INSERT { ?s ?p ?o } WHERE { SERVICE <http://x.test/> { ?s ?p ?o } }", Policy()
        )
    check_update("INSERT DATA { GRAPH <a:g> { <a:b> <a:c> 'download' } }", Policy())


@pytest.mark.parametrize(
    ("update", "refused"),
    [
        ("INSERT DATA { <a:b> <a:c> 1 }", True),
        ("INSERT DATA { GRAPH <a:g> { <a:b> <a:c> 1 } }", False),
        ("DELETE DATA { <a:b> <a:c> 1 }", True),
        ("DELETE WHERE { ?s ?p ?o }", True),
        ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", False),
        ("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", True),
        ("INSERT { GRAPH <a:h> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", False),
        ("COPY <a:g> TO DEFAULT", True),
        ("COPY DEFAULT TO <a:g>", False),
        ("CLEAR DEFAULT", False),
        ("DROP GRAPH <a:g> ;", False),
        ("PREFIX e: <urn:>", False),
    ],
)
def test_updates_may_not_write_the_derived_default_graph(update, refused):
    if refused:
        with pytest.raises(DefaultGraphWrite, match="Name a graph"):
            check_update(update, Policy())
    else:
        check_update(update, Policy())


# --- caps and serializers ------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 3, 7, 1000])
@pytest.mark.parametrize(("lines", "limit"), [(0, 3), (2, 3), (3, 3), (4, 3), (10, 3), (5, 0)])
def test_line_cap_is_exact_for_any_chunking(chunk, lines, limit):
    data = b"".join(b"line %d\n" % i for i in range(lines))
    target = Spool("")
    cap = LineCap(target, limit)
    try:
        for i in range(0, len(data), chunk):
            cap.write(data[i : i + chunk])
    except Exception:
        pass
    kept = target.result()
    assert kept.count(b"\n") == min(lines, limit)
    assert data.startswith(kept)
    assert cap.truncated == (lines > limit)


@pytest.fixture
def memory_store():
    store = ox.Store()
    turtle = (
        '@prefix e: <http://e/> . e:a e:label "Hải Phòng"@vi ; e:n 1 ; e:b [ e:c "t\\tn\\n" ] .'
    )
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return store


def job(query, results="json", graph="turtle", limit=0, **kw):
    return QueryJob(query, results, graph, limit, BASE, **kw)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_capped_select_equals_the_same_query_with_limit(memory_store, fmt):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    capped = run_query(memory_store, job(query, fmt, limit=2), Policy())
    reference = run_query(memory_store, job(query + " LIMIT 2", fmt), Policy())
    assert capped.truncated and not reference.truncated
    if fmt == "csv":  # not parseable back (CSV drops term types): compare the text
        assert capped.body == reference.body
        return
    results_format = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "tsv": ox.QueryResultsFormat.TSV,
    }[fmt]

    def rows(body):
        parsed = ox.parse_query_results(body, format=results_format)
        return [[str(solution[v]) for v in parsed.variables] for solution in parsed]

    assert rows(capped.body) == rows(reference.body)
    assert len(rows(capped.body)) == 2


def test_substitutions_bind_without_touching_the_text(memory_store):
    query = "SELECT ?s ?l WHERE { ?s <http://e/label> ?l }"  # pyoxigraph: ?s must be projected
    bound = (ox.Variable("s"), ox.NamedNode("http://e/a"))
    outcome = run_query(memory_store, job(query, substitutions=(bound,)), Policy())
    assert json.loads(outcome.body)["results"]["bindings"][0]["l"]["value"] == "Hải Phòng"


def test_select_zero_variables_and_empty_results(memory_store):
    for query in ("SELECT * WHERE {}", "SELECT ?x WHERE { ?x <urn:none> ?y }"):
        outcome = run_query(memory_store, job(query, limit=5), Policy())
        assert outcome.status == "ok" and not outcome.truncated
        json.loads(outcome.body)


def test_jsonld_compaction_keeps_the_triples(memory_store):
    expanded = memory_store.dump(format=ox.RdfFormat.JSON_LD, from_graph=ox.DefaultGraph())
    compacted = jsonld.compact(expanded, {"e": "http://e/", **jsonld_context(BASE)})
    document = json.loads(compacted)
    node = next(n for n in document["@graph"] if n["@id"] == "e:a")
    assert node["e:label"] == {"@language": "vi", "@value": "Hải Phòng"}
    nt = memory_store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert isomorphic(
        rdflib.Graph().parse(data=compacted, format="json-ld"),
        rdflib.Graph().parse(data=nt, format="nt"),
    )


# --- metrics and a server without a graph ----------------------------------------------------


def test_prometheus_text():
    counters = SharedCounters()
    counters.add("queries_total", 3)
    counters.observe(200, 0.003)
    counters.observe(503, 12.0)
    text = counters.prometheus({"triples": ("Triples", 7)})
    samples = dict(line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#"))
    assert samples["ctkg_queries_total"] == "3"
    assert samples['ctkg_responses_total{class="5xx"}'] == "1"
    assert samples['ctkg_request_duration_seconds_bucket{le="0.005"}'] == "1"
    assert samples['ctkg_request_duration_seconds_bucket{le="+Inf"}'] == "2"
    assert samples["ctkg_triples"] == "7"


def test_a_server_without_a_graph_says_so(tmp_path):
    app = create_app(Settings.from_env(data_dir=str(tmp_path)))
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 503
    assert "ctkg build" in response.get_json()["message"]
    assert client.get("/stats").get_json()["store"] == "unavailable"
    app.extensions["ctkg"].backend.close()


def test_a_store_file_fault_is_the_servers_fault_not_the_querys():
    """RocksDB reports a missing or corrupt file as a plain RuntimeError, the type of a query's
    own evaluation errors: it must be retried on a reopened store, then be a server error
    (500), never a 400 that blames the client (seen when a store's .sst file vanished)."""
    from ctkg.server.engine import executor
    from ctkg.server.engine.jobs import Status

    fault = RuntimeError(
        "Corruption: Corruption: IO error: No such file or directory: While open a file for "
        "random read: /data/builds/b/store/000112.sst: No such file or directory"
    )

    class Failing:
        resets = 0

        def current(self):
            raise fault

        def reset(self):
            self.resets += 1

    assert executor.classify(fault) is None
    assert executor.classify(RuntimeError("The graph <urn:g> does not exist")).status is (
        Status.INVALID
    )
    reader = Failing()
    job = QueryJob("ASK {}", "json", "turtle", 0, "http://example.org/")
    outcome = executor.handle(reader, job, executor.Policy.from_settings(Settings.from_env({})))
    assert reader.resets == 1
    assert outcome.status is Status.ERROR
