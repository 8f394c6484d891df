"""``ctkg.KnowledgeGraph``: the same answers, typed, from the embedded store and from our real
server process (``ctkg serve`` on a loopback port), plus any other SPARQL endpoint (Oxigraph's)."""

from __future__ import annotations

import contextlib
import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import rdflib
from helpers import OxigraphServer, ServerProcess, free_port

from ctkg import KnowledgeGraph, QueryError, QueryTimeout

ID = "https://w3id.org/ctkg/id/"
CTKG = "https://w3id.org/ctkg/ontology#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
EDITION_2019 = ID + "edition/hoi-nghi-cong-thuong-phia-bac/2019"
# a cross product the store cannot finish within a second
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


# ---------------------------------------------------------------- the graph and the servers


@contextlib.contextmanager
def ctkg_server(data_dir: Path, log: Path, **env: str):
    """The real server process (``helpers.ServerProcess``: granian on a free loopback port)."""
    server = ServerProcess(data_dir, {"CTKG_LOG_LEVEL": "WARNING", **env}, log_path=log).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def data_dir(real_data_dir) -> Path:
    return real_data_dir


@pytest.fixture(scope="module")
def server(data_dir, tmp_path_factory):
    with ctkg_server(data_dir, tmp_path_factory.mktemp("serve") / "serve.log") as base:
        yield base


@pytest.fixture(scope="module")
def capped_server(data_dir, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve-capped") / "serve.log"
    with ctkg_server(data_dir, log, CTKG_RESULT_LIMIT="5") as base:
        yield base


@pytest.fixture(params=["embedded", "remote"])
def kg(request, data_dir) -> KnowledgeGraph:
    if request.param == "embedded":
        return KnowledgeGraph(str(data_dir))
    return KnowledgeGraph(request.getfixturevalue("server") + "/sparql")


# ---------------------------------------------------------------- typed answers


def test_editions_are_typed_and_answer_who_hosted(kg):
    editions = kg.run("series-editions")
    assert pd.api.types.is_integer_dtype(editions["year"])
    assert pd.api.types.is_integer_dtype(editions["ordinal"])
    assert pd.api.types.is_datetime64_any_dtype(editions["date"])
    by_year = editions.set_index("year")
    assert by_year.loc[2019, "hostProvinceLabel"] == "Hải Phòng"
    assert by_year.loc[2019, "date"] == pd.Timestamp("2019-05-24")
    assert by_year.loc[2019, "ordinal"] == 6
    assert by_year.loc[2020, "hostProvinceLabel"] == "Thái Nguyên"
    assert pd.isna(by_year.loc[2020, "date"]), "the designated 7th edition has no date"
    assert by_year.loc[2020, "status"] == CTKG + "designated"
    assert editions.attrs["capped"] is False


def test_indicator_values_are_floats_and_periods_dates(kg):
    obs = kg.run("indicator-observations", lang="en")
    assert pd.api.types.is_float_dtype(obs["value"])
    assert pd.api.types.is_datetime64_any_dtype(obs["periodStart"])
    values = obs.set_index(["indicatorLabel", "periodLabel"])["value"]
    assert values.loc[("Industrial production value", "2018")] == pytest.approx(14.9)
    assert values.loc[("Export turnover", "2018")] == pytest.approx(18.2)
    assert len(obs) == 5


def test_booleans_and_ask(kg):
    attendees = kg.run("edition-attendees")
    assert pd.api.types.is_bool_dtype(attendees["directed"])
    directed = attendees[attendees["directed"]]
    assert list(directed["attendeeLabel"]) == ["Đặng Hoàng An"]
    assert directed["roleLabel"].iloc[0] == "Thứ trưởng"
    ask = kg.query(f"ASK {{ <{EDITION_2019}> <{CTKG}heldIn> <{ID}province/hai-phong> }}")
    assert list(ask["boolean"]) == [True]


def test_lang_picks_the_label_language(kg):
    sparql = f"SELECT ?label WHERE {{ <{ID}province/hai-phong> <{LABEL}> ?label }}"
    assert list(kg.query(sparql)["label"]) == ["Hải Phòng"]  # the graph's default: vi
    assert list(kg.query(sparql, lang="en")["label"]) == ["Hai Phong"]
    assert sorted(kg.query(sparql, lang=None)["label"]) == ["Hai Phong", "Hải Phòng"]
    english = kg.run("series-editions", lang="en").set_index("year")
    assert english.loc[2019, "hostProvinceLabel"] == "Hai Phong"
    assert english.loc[2020, "statusLabel"] == "designated"


def test_run_binds_parameters(kg):
    thai_nguyen = kg.run("province-editions", province="id:province/thai-nguyen")
    assert list(thai_nguyen["year"]) == [2020]
    assert not thai_nguyen.loc[0, "held"], "designated, not (yet) reported held"
    ranking = kg.run("indicator-ranking", year=2018, lang="en")
    assert ranking.loc[0, "indicatorLabel"] == "Export turnover"
    assert list(ranking["value"]) == sorted(ranking["value"], reverse=True)
    assert ranking.attrs["params"]["year"] == 2018


def test_run_reports_bad_names_and_parameters(kg):
    with pytest.raises(QueryError, match="unknown named query 'no-such-query'"):
        kg.run("no-such-query")
    with pytest.raises(QueryError, match=r"parameter 'subject' .* is required"):
        kg.run("fact-sources")
    with pytest.raises(QueryError, match="not a year"):
        kg.run("indicator-ranking", year="last year")


def test_queries_lists_the_catalogue(kg):
    catalogue = kg.queries()
    assert {"series-editions", "fact-sources", "region-provinces"} <= set(catalogue["name"])
    assert {"name", "title", "params"} <= set(catalogue.columns)


def test_describe_gives_both_directions(kg):
    facts = kg.describe("province/hai-phong")
    out = facts[facts["direction"] == "out"]
    incoming = facts[facts["direction"] == "in"]
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert CTKG + "CentrallyGovernedCity" in set(out[out["property"] == rdf_type]["value"])
    held = incoming[incoming["property"] == CTKG + "heldIn"]
    assert EDITION_2019 in set(held["value"])
    assert "Hải Phòng" in set(out["value"])
    assert "Hai Phong" not in set(out["value"]), "labels in the graph's language only"
    with pytest.raises(QueryError, match="not an IRI"):
        kg.describe("province/hai phong>")


def test_construct_gives_an_rdflib_graph(kg):
    graph = kg.construct(f"DESCRIBE <{ID}province/hai-phong>")
    assert isinstance(graph, rdflib.Graph)
    assert (
        rdflib.URIRef(ID + "province/hai-phong"),
        rdflib.URIRef(CTKG + "gsoCode"),
        rdflib.Literal("31"),
    ) in graph
    with pytest.raises(QueryError, match="use query"):
        kg.construct("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    with pytest.raises(QueryError, match="use construct"):
        kg.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1")


def test_to_networkx_links_people_organisations_editions(kg):
    graph = kg.to_networkx()
    assert isinstance(graph, nx.MultiDiGraph)
    person = ID + "person/dang-hoang-an"
    assert graph.nodes[person] == {"label": "Đặng Hoàng An", "type": "Person"}
    assert graph.nodes[ID + "province/hai-phong"]["type"] == "CentrallyGovernedCity"
    dept = graph.nodes[ID + "organization/so-cong-thuong-thai-nguyen"]
    assert dept["type"] == "DepartmentOfIndustryAndTrade", "the most specific class"
    assert graph.has_edge(EDITION_2019, person, key="directedBy")
    assert graph.has_edge(EDITION_2019, ID + "province/hai-phong", key="heldIn")
    assert not [n for n, d in graph.nodes(data=True) if d["type"] == "Evidence"]
    assert graph.graph["capped"] is False


# ---------------------------------------------------------------- errors, time budgets, caps


def test_timeout_raises_query_timeout_with_a_message(kg):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"time budget of 0\.5 s"):
        kg.query(SLOW, timeout=0.5)
    assert time.monotonic() - started < 10
    assert len(kg.query("SELECT * WHERE { ?s ?p ?o } LIMIT 3", timeout=5)) == 3


def test_malformed_sparql_raises_query_error_with_the_message(kg):
    with pytest.raises(QueryError) as caught:
        kg.query("SELEC ?s WHERE { ?s ?p ?o }")
    assert not isinstance(caught.value, QueryTimeout)
    message = str(caught.value)
    assert "expected" in message and "1:" in message
    for dump in ("HTTP", "Response:", "Traceback", "{", "b'"):
        assert dump not in message


def test_remote_error_is_the_servers_own_message(server):
    sparql = "SELEC ?s WHERE { ?s ?p ?o }"
    url = server + "/sparql?" + urllib.parse.urlencode({"query": sparql})
    with pytest.raises(urllib.error.HTTPError) as direct:
        urllib.request.urlopen(url, timeout=10)
    body = json.loads(direct.value.read())
    with pytest.raises(QueryError) as caught:
        KnowledgeGraph(server + "/sparql").query(sparql)
    assert str(caught.value) == body["message"]
    assert caught.value.status == 400


def test_capped_flag_when_the_server_caps(capped_server, server):
    capped = KnowledgeGraph(capped_server + "/sparql", lang=None)
    frame = capped.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50")
    assert frame.attrs["capped"] is True
    assert len(frame) == 5
    small = capped.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    assert small.attrs["capped"] is False
    full = KnowledgeGraph(server + "/sparql", lang=None)
    assert full.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50").attrs["capped"] is False
    with pytest.warns(UserWarning, match="capped"):
        assert capped.to_networkx().graph["capped"] is True


def test_unreachable_endpoint_is_a_query_error():
    kg = KnowledgeGraph(f"http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(QueryError, match="cannot reach"):
        kg.query("ASK {}")


def test_no_build_says_what_to_run(tmp_path):
    with pytest.raises(Exception, match="ctkg build"):
        KnowledgeGraph(str(tmp_path / "empty"))


def test_any_sparql_endpoint_through_sparqlwrapper(data_dir, tmp_path):
    """Another endpoint (Oxigraph's own server over a copy of the store) answers the same."""
    location = tmp_path / "store"
    shutil.copytree(data_dir / "current" / "store", location)
    oxigraph = OxigraphServer(location, read_only=True).start()
    try:
        kg = KnowledgeGraph(oxigraph.url + "/query")
        hosts = kg.query(
            f"""SELECT ?year ?label WHERE {{
                  ?e <{CTKG}year> ?year ; <{CTKG}hostProvince>/<{LABEL}> ?label
                }} ORDER BY ?year"""
        ).set_index("year")["label"]
        assert hosts.loc[2019] == "Hải Phòng"
        assert pd.api.types.is_integer_dtype(hosts.index)
        with pytest.raises(QueryError) as caught:
            kg.query("SELEC *")
        assert "Response:" not in str(caught.value)
    finally:
        oxigraph.stop()


def test_ontology_has_the_ctkg_classes(data_dir):
    onto = KnowledgeGraph(str(data_dir)).ontology()
    names = {c.name for c in onto.classes()}
    assert {"ConferenceEdition", "Province", "Person", "Observation"} <= names
    assert onto.DepartmentOfIndustryAndTrade in onto.ProvincialDepartment.descendants()


def test_run_with_a_time_budget(kg):
    """``timeout=`` goes with a named query too (the server's ``timeout`` parameter)."""
    editions = kg.run("series-editions", timeout=5)
    assert len(editions) == 9


def test_capped_flag_on_named_queries(capped_server):
    editions = KnowledgeGraph(capped_server + "/sparql").run("series-editions")
    assert editions.attrs["capped"] is True
    assert len(editions) == 5
