"""Building into a real remote SPARQL store: the Oxigraph server, started by the test."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from helpers import OxigraphServer, ServerProcess, free_port

from ctkg.config import Settings
from ctkg.graph.build import build
from ctkg.graph.remote import RemoteStore, RemoteStoreError
from ctkg.graph.store import open_store

WHO_HOSTED = """
PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?year ?host ?status WHERE {
  ?e a ctkg:ConferenceEdition ; ctkg:year ?year ; ctkg:editionStatus ?status .
  OPTIONAL { ?e ctkg:hostProvince/rdfs:label ?host FILTER(lang(?host) = "vi") }
} ORDER BY ?year"""


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """Oxigraph's own server (the venv's ``oxigraph`` CLI), its base URL."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    yield server.url
    server.stop()


def rows(body: bytes) -> list[tuple]:
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in results.variables]
    return [tuple(None if s[n] is None else s[n].value for n in names) for s in results]


def test_build_publishes_to_the_remote_store(oxigraph_server, tmp_path):
    settings = Settings.from_env(
        data_dir=str(tmp_path),
        store=oxigraph_server + "/query",
        store_update_url=oxigraph_server + "/update",
    )
    build(settings, quiet=True, validate=False)
    remote = RemoteStore(settings.store, settings.store_update_url)
    local = open_store(settings)
    local_rows = [
        tuple(None if s[n] is None else s[n].value for n in ("year", "host", "status"))
        for s in local.query(WHO_HOSTED)
    ]
    assert rows(remote.query(WHO_HOSTED)) == local_rows
    assert ("2019", "Hải Phòng", "https://w3id.org/ctkg/ontology#held") in local_rows

    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    first = rows(remote.query(count))
    build(settings, quiet=True, validate=False)  # a second publish replaces, never duplicates
    assert rows(remote.query(count)) == first
    assert remote.graph_names() == {q.value for q in local.named_graphs()}


def test_unreachable_remote_is_a_clear_error(tmp_path):
    remote = RemoteStore(f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(RemoteStoreError, match="cannot reach"):
        remote.query("ASK {}")


# --- the named queries answer the same on the remote store -----------------------------------

PARAMS = {
    "fact-sources": {"subject": "id:edition/hoi-nghi-cong-thuong-phia-bac/2019"},
    "find-entity": {"text": "Hải Phòng"},
}


def _named_query_cases():
    from ctkg.queries import catalog

    return [q.name for q in catalog.all_queries()]


@pytest.fixture(scope="module")
def published(oxigraph_server, tmp_path_factory):
    settings = Settings.from_env(
        data_dir=str(tmp_path_factory.mktemp("published")),
        store=oxigraph_server + "/query",
        store_update_url=oxigraph_server + "/update",
    )
    build(settings, quiet=True, validate=False)
    return settings


@pytest.mark.parametrize("name", _named_query_cases())
def test_named_query_same_on_remote_store(published, name):
    """Text substitution on the remote gives what SEP-0007 substitution gives in-process."""
    from ctkg.queries import catalog
    from ctkg.queries.substitute import substitute
    from ctkg.queries.terminal import execute

    query = catalog.get(name)
    substitutions = query.bind(PARAMS.get(name, {}))
    local = execute(open_store(published), query.sparql(), substitutions)
    names = [v.value for v in local.variables]
    expected = sorted(tuple("" if s[n] is None else str(s[n]) for n in names) for s in local)
    assert expected, f"{name}: the test needs parameters that give answers"
    remote = RemoteStore(published.store, published.store_update_url)
    body = remote.query(substitute(query.sparql(), substitutions))
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    got = sorted(tuple("" if s[n] is None else str(s[n]) for n in names) for s in results)
    assert got == expected


def test_substitution_cannot_change_the_query():
    from ctkg.queries.substitute import substitute

    evil = ox.Literal('"} ; DROP ALL ; {"')
    text = substitute("SELECT ?x WHERE { ?s ?p ?x }", {ox.Variable("x"): evil})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), evil))
    assert [s["x"] for s in store.query(text)] == [evil]
    assert len(store) == 1


# --- serving from the remote store -------------------------------------------------------------


@pytest.fixture(scope="module")
def remote_server(published, tmp_path_factory):
    server = ServerProcess(
        tmp_path_factory.mktemp("remote-served"),
        env={
            "CTKG_STORE": published.store,
            "CTKG_STORE_UPDATE_URL": published.store_update_url,
            "CTKG_UPDATE_TOKENS": "s3cret",
        },
    ).start()
    yield server
    server.stop()


def test_endpoint_serves_the_remote_store(remote_server):
    import requests

    response = requests.get(
        remote_server.url + "/sparql",
        params={"query": WHO_HOSTED},
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert "2019,Hải Phòng,https://w3id.org/ctkg/ontology#held" in response.text

    named = requests.get(
        remote_server.url + "/api/queries/province-editions",
        params={"province": "id:province/thai-nguyen"},
        timeout=30,
    )
    assert named.status_code == 200
    (row,) = named.json()["results"]["bindings"]
    assert row["year"]["value"] == "2020"

    bad = requests.get(
        remote_server.url + "/sparql", params={"query": "SELECT ?x WHERE {"}, timeout=30
    )
    assert bad.status_code == 400 and "rejected" in bad.json()["message"]

    construct = requests.get(
        remote_server.url + "/sparql",
        params={"query": "CONSTRUCT WHERE { <https://w3id.org/ctkg/id/province/hai-phong> ?p ?o }"},
        headers={"Accept": "text/turtle"},
        timeout=30,
    )
    assert construct.status_code == 200 and "Hải Phòng" in construct.text


def test_writes_reach_the_remote_store(remote_server, published):
    import requests

    update = 'INSERT DATA { GRAPH <urn:test:g> { <urn:test:s> <urn:test:p> "Đà Nẵng"@vi } }'
    denied = requests.post(remote_server.url + "/sparql", data={"update": update}, timeout=30)
    assert denied.status_code in (401, 403)
    ok = requests.post(
        remote_server.url + "/sparql",
        data={"update": update},
        headers={"Authorization": "Bearer s3cret"},
        timeout=30,
    )
    assert ok.status_code == 204, ok.text
    remote = RemoteStore(published.store, published.store_update_url)
    assert rows(remote.query("SELECT ?o WHERE { <urn:test:s> <urn:test:p> ?o }")) == [("Đà Nẵng",)]
