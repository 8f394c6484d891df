"""Building into and serving from real remote SPARQL stores, started by the tests: the Oxigraph
server and Virtuoso (whose default graph is the union of all its graphs, so the same named
queries give the same rows only because ctkg names the dataset in every request)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from helpers import OxigraphServer, ServerProcess, VirtuosoServer, free_port

from ctkg.config import Settings
from ctkg.graph.build import build, publish
from ctkg.graph.remote import RemoteStore, RemoteStoreError
from ctkg.graph.store import open_store

WHO_HOSTED = """
PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?year ?host ?status WHERE {
  ?e a ctkg:ConferenceEdition ; ctkg:year ?year ; ctkg:editionStatus ?status .
  OPTIONAL { ?e ctkg:hostProvince/rdfs:label ?host FILTER(lang(?host) = "vi") }
} ORDER BY ?year"""


STORES = ["oxigraph", "virtuoso"]


def endpoints(kind: str, url: str) -> tuple[str, str]:
    """(query URL, update URL) of a remote store."""
    if kind == "virtuoso":
        return url + "/sparql", url + "/sparql-auth"
    return url + "/query", url + "/update"


@pytest.fixture(scope="module", params=STORES)
def remote_store(request, tmp_path_factory):
    """A running remote store: (kind, query URL, update URL, user, password)."""
    kind = request.param
    location = tmp_path_factory.mktemp(kind)
    server = (VirtuosoServer if kind == "virtuoso" else OxigraphServer)(location).start()
    account = (server.user, server.password) if kind == "virtuoso" else ("", "")
    yield (kind, *endpoints(kind, server.url), *account)
    server.stop()


def rows(body: bytes) -> list[tuple]:
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in results.variables]
    return [tuple(None if s[n] is None else s[n].value for n in names) for s in results]


def published_settings(remote_store, data_dir) -> Settings:
    _kind, query_url, update_url, user, password = remote_store
    return Settings.from_env(
        data_dir=str(data_dir),
        store=query_url,
        store_update_url=update_url,
        store_user=user,
        store_password=password,
    )


def in_dataset(remote: RemoteStore, base: str, sparql: str) -> list[tuple]:
    """``sparql`` on the remote store with ctkg's dataset named, as the server sends it."""
    layout = remote.layout(base)
    _type, body = remote.request_query(
        sparql,
        "application/sparql-results+json",
        [layout.merge],
        remote.dataset_graphs(layout),
    )
    return rows(body)


def test_build_publishes_to_the_remote_store(remote_store, tmp_path):
    settings = published_settings(remote_store, tmp_path)
    before = RemoteStore.from_settings(settings).graph_names()
    with pytest.raises(RemoteStoreError, match="holds no ctkg dataset"):
        RemoteStore(settings.store).layout(settings.base_iri)
    build(settings, quiet=True, validate=False)
    remote = RemoteStore.from_settings(settings)
    local = open_store(settings)
    local_rows = [
        tuple(None if s[n] is None else s[n].value for n in ("year", "host", "status"))
        for s in local.query(WHO_HOSTED)
    ]
    assert in_dataset(remote, settings.base_iri, WHO_HOSTED) == local_rows
    assert ("2019", "Hải Phòng", "https://w3id.org/ctkg/ontology#held") in local_rows

    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    merged = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = in_dataset(remote, settings.base_iri, count)
    assert first == [
        (
            str(
                sum(1 for _ in local.quads_for_pattern(None, None, None))
                - len(list(local.quads_for_pattern(None, None, None, ox.DefaultGraph())))
            ),
        )
    ]
    assert in_dataset(remote, settings.base_iri, merged) == [
        (str(len(list(local.quads_for_pattern(None, None, None, ox.DefaultGraph())))),)
    ]
    build(settings, quiet=True, validate=False)  # a second publish replaces, never duplicates
    assert in_dataset(remote, settings.base_iri, count) == first
    layout = remote.layout(settings.base_iri)
    assert remote.dataset_graphs(layout) == sorted(q.value for q in local.named_graphs())
    # what the store held before ctkg came (Virtuoso's own graphs) is left alone
    assert before <= remote.graph_names()
    assert layout.foreign == frozenset(before)


def test_an_account_the_store_asks_for(remote_store):
    """Virtuoso takes updates only from its account (Digest on /sparql-auth): without it, or
    with a wrong password, the store's 401 comes back; the Oxigraph server has no accounts."""
    kind, query_url, update_url, user, password = remote_store
    update = "INSERT DATA { GRAPH <urn:test:acct> { <urn:test:a> <urn:test:b> 1 } }"
    clear = "CLEAR SILENT GRAPH <urn:test:acct>"
    if kind == "virtuoso":
        with pytest.raises(RemoteStoreError, match="401"):
            RemoteStore(query_url, update_url).update(update)
        with pytest.raises(RemoteStoreError, match="401"):
            RemoteStore(query_url, update_url, user=user, password="wrong").update(update)
    account = RemoteStore(query_url, update_url, user=user, password=password)
    account.update(update)
    ask = "ASK { GRAPH <urn:test:acct> { <urn:test:a> <urn:test:b> 1 } }"
    assert b"true" in account.query(ask)
    account.update(clear)
    # the query endpoint takes no update from anybody
    with pytest.raises(RemoteStoreError):
        RemoteStore(query_url).update(update)


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
def published(remote_store, tmp_path_factory, copy_real_graph):
    """The real graph published to the store: the session's build copied, then ``publish``
    (what ``build`` does after building; test_build_publishes_to_the_remote_store builds)."""
    data_dir = copy_real_graph(tmp_path_factory.mktemp("published") / "data")
    settings = published_settings(remote_store, data_dir)
    publish(settings)
    return settings


# Virtuoso 7 has no boolean in its answers (``true``, EXISTS, BOUND all come back as the
# integers 1 and 0), and GROUP_CONCAT's order and language are left open by SPARQL 1.1 (Virtuoso
# drops the language, as the spec's simple-literal result says): compared as such, nothing else.
XSD = "http://www.w3.org/2001/XMLSchema#"
VIRTUOSO_BOOLEANS = {
    f'"true"^^<{XSD}boolean>': f'"1"^^<{XSD}integer>',
    f'"false"^^<{XSD}boolean>': f'"0"^^<{XSD}integer>',
}
_CONCAT = re.compile(
    r'GROUP_CONCAT\((?:[^()]|\([^()]*\))*?separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', re.I
)
# where Virtuoso 7.2 answers otherwise than SPARQL 1.1 says, found by this test and narrowed
# down by hand on the published seed (strict: the day Virtuoso answers right, the test says so).
# None now: ``unit-as-of`` lost its OPTIONAL ?change binding under Virtuoso's built-in vector
# size, and answers right with ``VectorSize = 1000`` (the shared ``ctkg.graph.virtuoso`` ini).
VIRTUOSO_DEVIATES: dict[str, str] = {}


# Virtuoso 7.2 sometimes repeats the solution of a zero-or-more path with both ends bound
# (``ctkg:growth skos:broader* ctkg:growth`` gave 2 rows, SPARQL 1.1 gives 1; not on every run),
# so the rows of ``?valueKind skos:broader* ctkg:growth`` came back 1-3 times each: there the
# test compares the distinct rows, and still fails on a missing or an extra row
VIRTUOSO_REPEATS = {"indicator-ranking"}


def _normalise(row: tuple, names: list[str], concat: dict[str, str], virtuoso: bool) -> tuple:
    out = []
    for name, value in zip(names, row, strict=True):
        if name in concat and value:
            lexical = ox.parse(f"<urn:s> <urn:p> {value} .", format=ox.RdfFormat.N_TRIPLES)
            text = next(iter(lexical)).object.value
            value = concat[name].join(sorted(text.split(concat[name])))
        elif virtuoso:
            value = VIRTUOSO_BOOLEANS.get(value, value)
        out.append(value)
    return tuple(out)


@pytest.mark.parametrize("name", _named_query_cases())
def test_named_query_same_on_remote_store(remote_store, published, name, request):
    """Through the remote backend (dataset named, parameters substituted as text), every named
    query gives the rows it gives in-process (SEP-0007 substitution), on either store."""
    from ctkg.queries import catalog
    from ctkg.queries.terminal import execute
    from ctkg.server.engine.remote_backend import RemoteBackend

    virtuoso = remote_store[0] == "virtuoso"
    if virtuoso and name in VIRTUOSO_DEVIATES:
        reason = f"Virtuoso 7.2: {VIRTUOSO_DEVIATES[name]}"
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True, raises=AssertionError))
    query = catalog.get(name)
    concat = {var: sep for sep, var in _CONCAT.findall(query.sparql())}
    substitutions = query.bind(PARAMS.get(name, {}))
    local = execute(open_store(published), query.sparql(), substitutions)
    names = [v.value for v in local.variables]

    def table(solutions) -> list[tuple]:
        rows = (tuple("" if s[n] is None else str(s[n]) for n in names) for s in solutions)
        return sorted(_normalise(r, names, concat, virtuoso) for r in rows)

    expected = table(local)
    assert expected, f"{name}: the test needs parameters that give answers"
    view = RemoteBackend(published)._store(60)
    got = table(view.query(query.sparql(), substitutions=substitutions))
    if virtuoso and name in VIRTUOSO_REPEATS:
        assert len(set(expected)) == len(expected)
        got = sorted(set(got))
    missing = [r for r in expected if r not in got]
    extra = [r for r in got if r not in expected]
    assert got == expected, f"missing {missing[:3]}, extra {extra[:3]}"


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
            "CTKG_STORE_USER": published.store_user,
            "CTKG_STORE_PASSWORD": published.store_password,
            "CTKG_UPDATE_TOKENS": "s3cret",
        },
    ).start()
    yield server
    server.stop()


def test_endpoint_serves_the_remote_store(remote_server, published):
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
    assert bad.status_code == 400 and bad.json()["message"]
    if "/query" in published.store:  # the Oxigraph server says where, as in-process
        assert bad.json()["line"] == 1

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
    remote = RemoteStore.from_settings(published)
    base = published.base_iri
    # in the named graph, and once in the merge (the default graph)
    named = "SELECT ?g ?o WHERE { GRAPH ?g { <urn:test:s> <urn:test:p> ?o } }"
    assert in_dataset(remote, base, named) == [("urn:test:g", "Đà Nẵng")]
    merged = "SELECT ?o WHERE { <urn:test:s> <urn:test:p> ?o }"
    assert in_dataset(remote, base, merged) == [("Đà Nẵng",)]
    seen = requests.get(
        remote_server.url + "/sparql",
        params={"query": merged},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert [b["o"]["value"] for b in seen.json()["results"]["bindings"]] == ["Đà Nẵng"]

    # a Graph Store PUT replaces the graph, and the merge follows
    put = requests.put(
        remote_server.url + "/graph-store",
        params={"graph": "urn:test:g"},
        data='<urn:test:s> <urn:test:p> "Huế"@vi .'.encode(),
        headers={"Content-Type": "application/n-triples", "Authorization": "Bearer s3cret"},
        timeout=30,
    )
    assert put.status_code in (200, 204), put.text
    assert in_dataset(remote, base, merged) == [("Huế",)]
    assert in_dataset(remote, base, named) == [("urn:test:g", "Huế")]
    gone = requests.delete(
        remote_server.url + "/graph-store",
        params={"graph": "urn:test:g"},
        headers={"Authorization": "Bearer s3cret"},
        timeout=30,
    )
    assert gone.status_code in (200, 204), gone.text
    assert in_dataset(remote, base, merged) == []
    assert "urn:test:g" not in remote.dataset_graphs(remote.layout(base))


def test_writes_cannot_touch_what_is_not_ctkgs(remote_server, published, remote_store):
    """On a shared store a token holder may change ctkg's graphs only: not the merge, not the
    record, not the graphs the store held before ctkg (Virtuoso's own), not all at once."""
    import requests

    base = published.base_iri
    auth = {"Authorization": "Bearer s3cret"}
    remote = RemoteStore.from_settings(published)
    before = remote.graph_names()
    foreign = sorted(remote.layout(base).foreign)
    assert bool(foreign) == (remote_store[0] == "virtuoso")
    updates = [
        "DROP ALL",
        "CLEAR SILENT NAMED",
        "DROP DEFAULT",
        f"DROP GRAPH <{base}graph/merge>",
        f"PREFIX g: <{base}graph/> INSERT DATA {{ GRAPH g:merge {{ <urn:a> <urn:b> <urn:c> }} }}",
        "INSERT DATA { GRAPH <graph/.store> { <urn:a> <urn:b> <urn:c> } }",  # relative: the base
        *(f"CLEAR GRAPH <{g}>" for g in foreign),
    ]
    for update in updates:
        response = requests.post(
            remote_server.url + "/sparql", data={"update": update}, headers=auth, timeout=30
        )
        assert response.status_code == 403, (update, response.text[:300])
        assert "remote store" in response.json()["message"]
    for graph in [f"{base}graph/.store", *foreign]:
        response = requests.put(
            remote_server.url + "/graph-store",
            params={"graph": graph},
            data=b"<urn:a> <urn:b> <urn:c> .",
            headers={"Content-Type": "application/n-triples", **auth},
            timeout=30,
        )
        assert response.status_code == 403, (graph, response.text[:300])
    assert remote.graph_names() == before
    assert remote.layout(base).graphs  # the record is whole
