"""What the pages say, checked against the real graph (Flask test client): landing page, entity
and article pages with provenance, the 404 page, the ontology documentation, VoID counts
against the store, the query page and its examples (each gives the named query's own rows)."""

from __future__ import annotations

import html
import re

import pyoxigraph as ox
import pytest
from helpers import BACKENDS, app_on, settings_for

from ctkg.graph.store import open_store
from ctkg.queries.catalog import all_queries, run_named
from ctkg.server.web import query_examples

BASE = "https://w3id.org/ctkg/"
EDITION = "id/edition/hoi-nghi-cong-thuong-phia-bac/2019"
ARTICLE = "id/article/2019-05-29-hai-phong"
VOID = "http://rdfs.org/ns/void#"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def data_dir(real_data_dir):
    return real_data_dir


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, data_dir, tmp_path_factory):
    """The app on each backend: the embedded store, and the same graph on an Oxigraph server."""
    with app_on(request.param, data_dir, tmp_path_factory.mktemp("pages-remote")) as app:
        yield app.test_client()


@pytest.fixture(scope="module")
def store(data_dir):
    return open_store(settings_for(data_dir))


def page(client, path, **headers) -> str:
    response = client.get(path, headers={**HTML, **headers})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def count(store, query: str) -> int:
    return int(next(iter(store.query(query)))[0].value)


# --- landing -------------------------------------------------------------------------------


def test_landing_page_tells_a_newcomer_what_is_there(client, store):
    text = page(client, "/?lang=en")
    for link in ("/query", "/dumps/", "/ontology", "/sparql", "/.well-known/void"):
        assert f'href="{link}' in text
    editions = count(
        store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e a <{BASE}ontology#ConferenceEdition> }}"
    )
    assert text.count('href="/id/edition/') >= editions
    assert 'href="/id/province/hai-phong"' in text and 'href="/id/province/thai-nguyen"' in text
    assert 'href="/id/indicator/export-turnover"' in text
    assert f'href="/{ARTICLE}"' in text
    triples = count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert f"{triples:,}" in text  # the triple count, from the store (English digit grouping)


def test_interface_language_switch(client):
    english = client.get(f"/page/{EDITION}?lang=en", headers=HTML)
    assert english.headers["Content-Language"] == "en"
    assert "ctkg_lang=en" in english.headers["Set-Cookie"]
    assert "6th Industry and Trade Conference" in english.get_data(as_text=True).split("<h1>")[1]
    # the cookie keeps the choice; ?lang=vi switches back
    assert client.get(f"/page/{EDITION}", headers=HTML).headers["Content-Language"] == "en"
    vietnamese = page(client, f"/page/{EDITION}?lang=vi")
    assert "lần thứ VI" in vietnamese.split("<h1>")[1].split("</h1>")[0]
    assert "Quan hệ" in vietnamese and 'hreflang="en"' in vietnamese


# --- entity pages --------------------------------------------------------------------------


def test_entity_page_shows_labels_types_properties_and_incoming_links(client):
    text = page(client, f"/page/{EDITION}?lang=vi")
    assert (
        "Hội nghị ngành Công Thương 28 tỉnh, thành phố khu vực phía Bắc lần thứ VI (2019)" in text
    )
    assert "6th Industry and Trade Conference" in text  # the other language's label
    assert 'href="/ontology#ConferenceEdition"' in text  # the type, linked to its documentation
    assert (
        'href="/id/province/hai-phong">Hải Phòng</a>' in text
    )  # a property, linked with its label
    assert 'href="/id/person/dang-hoang-an">Đặng Hoàng An</a>' in text
    assert "ctkg:heldIn" in text
    assert "Được liên kết từ" in text  # incoming relations
    assert f'href="/data/{EDITION}.ttl"' in text


def test_entity_page_gives_the_quote_and_article_anchor_for_each_fact(client):
    entity = page(client, f"/page/{EDITION}?lang=vi")
    article = page(client, f"/page/{ARTICLE}?lang=vi")
    links = re.findall(rf'href="/{ARTICLE}#(ev-[^"]+)"', entity)
    assert len(links) >= 6
    assert len(links) == len(set(links))  # each quote is listed once, however many facts it backs
    for anchor in set(links):
        assert f'id="{anchor}"' in article, anchor
    assert (
        "Ngày 24⁄5⁄2019, UBND thành phố Hải Phòng phối hợp với Bộ Công Thương tổ chức"
        in html.unescape(entity)
    )


def test_series_facts_show_web_sources_and_confidence(client):
    text = page(client, f"/page/{EDITION}?lang=en")
    assert 'class="ext" rel="external" href="https://thanhphohaiphong.gov.vn/' in text or (
        'href="https://thanhphohaiphong.gov.vn/' in text
    )
    assert "confidence: high" in text


def test_external_identifiers_are_links(client):
    text = page(client, "/page/id/province/hai-phong?lang=vi")
    assert "ISO 3166-2" in text and "VN-HP" in text
    assert "https://www.wikidata.org/w/index.php?search=haswbstatement%3AP300%3DVN-HP" in text
    assert "GSO" in text


# --- article page --------------------------------------------------------------------------


def test_article_page_highlights_every_quote_at_its_offsets(client, store):
    text = page(client, f"/page/{ARTICLE}?lang=vi")
    evidence = list(
        store.query(
            f"""SELECT ?ev ?quote WHERE {{
  ?ev <http://www.w3.org/ns/prov#wasQuotedFrom> <{BASE}{ARTICLE}> ;
      <{BASE}ontology#quote> ?quote . }}"""
        )
    )
    assert len(evidence) >= 100
    body = text.split('class="article-text"')[1].split("</div>")[0]
    marks = re.findall(
        r'<a class="q d\d" href="#card-[^"]+" data-ev="([^"]+)"[^>]*>([^<]*)</a>', body
    )
    covered: dict[str, str] = {}
    for ids, segment in marks:
        for anchor in ids.split():
            covered[anchor] = covered.get(anchor, "") + html.unescape(segment)
    for row in evidence:
        anchor = "ev-" + row["ev"].value.rsplit("/", 1)[1]
        assert covered.get(anchor) == row["quote"].value, anchor
        assert f'id="{anchor}"' in body and f'id="card-{anchor}"' in text
    assert "2019-05-29" in text and 'href="/id/person/tran-thu"' in text  # date, author


def test_article_cards_link_quotes_to_the_facts_they_support(client):
    text = page(client, f"/page/{ARTICLE}?lang=vi")
    card = text.split('id="card-ev-edition-2019-held"')[1].split("</li>\n        \n")[0]
    assert f'href="/{EDITION}"' in card
    assert 'href="#ev-edition-2019-held"' in card


# --- 404 -----------------------------------------------------------------------------------


def test_not_found_page(client):
    response = client.get("/id/person/nobody?lang=en", headers=HTML)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "404" in text and BASE + "id/person/nobody" in text and 'href="/"' in text


# --- ontology documentation -----------------------------------------------------------------


def test_ontology_documentation_is_generated_from_the_ontology(client, store):
    text = page(client, "/ontology?lang=en")
    classes = [
        row["c"].value[len(BASE + "ontology#") :]
        for row in store.query(
            f"SELECT ?c WHERE {{ GRAPH <{BASE}graph/ontology> "
            "{ ?c a <http://www.w3.org/2002/07/owl#Class> } "
            f'FILTER(STRSTARTS(STR(?c), "{BASE}ontology#")) }}'
        )
    ]
    assert len(classes) > 30
    for name in classes:
        assert f'id="{name}"' in text, name
    section = text.split('id="Province"')[1].split('class="term"')[0]
    assert "Tỉnh" in section and "Province" in section  # both languages
    assert 'lang="vi"' in section and 'lang="en"' in section  # both definitions
    assert "schema:AdministrativeArea" in text or "ctkg:AdministrativeUnit" in section
    alignments = text.split('id="alignments"')[1]
    assert "schema:Event" in alignments and "org:Organization" in alignments
    heldin = text.split('id="heldIn"')[1].split('class="term"')[0]
    assert "schema:location" in heldin and "ctkg:ConferenceEdition" in heldin


# --- VoID -----------------------------------------------------------------------------------


def test_void_counts_are_the_store_counts(client, store, data_dir):
    body = client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data
    triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    dataset = ox.NamedNode(BASE + ".well-known/void#ctkg")

    def value(predicate):
        found = [
            t.object for t in triples if t.subject == dataset and t.predicate.value == predicate
        ]
        assert len(found) == 1, predicate
        return found[0]

    assert int(value(VOID + "triples").value) == count(
        store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    )
    assert int(value(VOID + "entities").value) == count(
        store,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
        f'FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}',
    )
    assert int(value(VOID + "classes").value) == count(
        store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"
    )
    assert (
        value("http://purl.org/dc/terms/license").value
        == "https://creativecommons.org/licenses/by/4.0/"
    )
    assert value(VOID + "sparqlEndpoint").value.endswith("/sparql")
    vocabularies = {t.object.value for t in triples if t.predicate.value == VOID + "vocabulary"}
    assert {"https://schema.org/", "http://www.w3.org/ns/prov#", BASE + "ontology"} <= vocabularies
    dumps = {t.object.value for t in triples if t.predicate.value == VOID + "dataDump"}
    assert {u.rsplit("/", 1)[1] for u in dumps} >= {"ctkg.nq", "ctkg.ttl", "ctkg.jsonld"}
    sums = [
        t.object.value
        for t in triples
        if t.predicate.value == "http://spdx.org/rdf/terms#checksumValue"
    ]
    assert len(sums) == len(dumps)
    subsets = {t.object.value for t in triples if t.predicate.value == VOID + "subset"}
    assert BASE + "graph/article/2019-05-29-hai-phong" in subsets


# --- the query page -------------------------------------------------------------------------


def test_query_page_serves_yasgui_locally_with_the_examples(client):
    text = page(client, "/query?lang=vi")
    assert "/static/vendor/yasgui/yasgui.min.js" in text and "/static/query.js" in text
    # nothing is loaded from elsewhere: every script and stylesheet is on this server
    assert all(src.startswith("/") for src in re.findall(r'<script[^>]* src="([^"]+)"', text))
    assert all(
        h.startswith("/") for h in re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    )
    config = text.split('id="query-config" type="application/json">')[1].split("</script>")[0]
    names = {q.name for q in all_queries()}
    assert all(f'"name": "{name}"' in config for name in names)
    for path in (
        "/static/vendor/yasgui/yasgui.min.js",
        "/static/vendor/yasgui/yasgui.min.css",
        "/static/vendor/yasgui/LICENSE",
        "/static/query.js",
    ):
        assert client.get(path).status_code == 200, path
    assert page(client, "/query?example=indicator-observations&view=chart").count(
        "indicator-observations"
    )


def test_every_example_runs_as_plain_sparql_with_the_named_query_rows(store):
    for example in query_examples.examples(all_queries(), BASE, "vi"):
        result = store.query(example["sparql"])
        names = [v.value for v in result.variables]
        rows = {tuple(str(r[n]) if r[n] is not None else None for n in names) for r in result}
        given = {
            param: value
            for (name, param), value in query_examples.REQUIRED_SAMPLES.items()
            if name == example["name"]
        }
        expected = run_named(store, example["name"], given)
        wanted = {tuple(str(r[n]) if r[n] is not None else None for n in names) for r in expected}
        assert rows == wanted, example["name"]
        assert rows, example["name"]


def test_examples_follow_the_interface_language(store):
    by_name = {e["name"]: e for e in query_examples.examples(all_queries(), BASE, "en")}
    result = store.query(by_name["series-editions"]["sparql"])
    hosts = {str(r["hostProvinceLabel"].value) for r in result if r["hostProvinceLabel"]}
    assert "Hai Phong" in hosts


def test_unknown_path_is_a_404_page_for_people_and_json_for_programs(client):
    page = client.get("/no/such/page", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "404" in page.get_data(as_text=True) and "/no/such/page" in page.get_data(as_text=True)
    api = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert api.status_code == 404 and api.get_json()["status"] == 404
