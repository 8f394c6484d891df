"""Find by name: the label index (``ctkg.queries.label_index``) on its own, and ``/api/search``,
``/search`` and the index pages on the real graph (Flask test client)."""

from __future__ import annotations

import pytest
from helpers import close_app, make_app

from ctkg.queries.label_index import ALT_LABEL, RDF_TYPE, RDFS_LABEL, LabelIndex, fold

BASE = "https://w3id.org/ctkg/"
PROVINCE = BASE + "ontology#Province"


def test_fold_drops_diacritics_case_and_punctuation():
    assert fold("Hải Phòng") == "hai phong"
    assert fold("ĐẶNG Hoàng An") == "dang hoang an"
    assert fold("  Bà Rịa–Vũng Tàu ") == "ba ria vung tau"
    assert fold("Thừa Thiên Huế") == fold("thua thien hue")


def _index() -> LabelIndex:
    rows = [
        (BASE + "id/province/hai-phong", RDFS_LABEL, "Hải Phòng", "vi"),
        (BASE + "id/province/hai-phong", RDFS_LABEL, "Hai Phong", "en"),
        (BASE + "id/province/hai-phong", ALT_LABEL, "Haiphong", "en"),
        (BASE + "id/province/hai-phong", RDF_TYPE, PROVINCE, ""),
        (BASE + "id/province/hai-duong", RDFS_LABEL, "Hải Dương", "vi"),
        (BASE + "id/province/hai-duong", RDF_TYPE, PROVINCE, ""),
        (BASE + "id/organization/ubnd-hai-phong", RDFS_LABEL, "UBND thành phố Hải Phòng", "vi"),
        (BASE + "id/nameless", RDF_TYPE, PROVINCE, ""),
    ]
    return LabelIndex.from_rows(rows)


@pytest.mark.parametrize("typed", ["hai phong", "Hải Phòng", "HAI PHONG", "haiphong", "Hai-Phong"])
def test_a_name_is_found_however_it_is_typed(typed):
    found = _index().search(typed)
    assert found[0].entry.iri == BASE + "id/province/hai-phong", typed
    assert found[0].exact


def test_ranking_and_filters():
    index = _index()
    assert len(index) == 3  # the entity without a name is not searchable
    found = [m.entry.iri.rsplit("/", 1)[1] for m in index.search("hai")]
    assert found[:2] == ["hai-phong", "hai-duong"]  # short labels that start so, first
    assert found[2] == "ubnd-hai-phong"  # a word inside the name ranks below
    assert [m.entry.iri for m in index.search("hai", types=[PROVINCE])][-1].endswith("hai-duong")
    assert index.search("phong")[0].entry.iri.endswith("hai-phong")  # a later word
    assert index.search("") == [] and index.search("zzz") == []
    assert index.search("hải dương")[0].score > index.search("hai duong")[0].score  # own marks
    entry = index.search("haiphong")[0]
    assert entry.matched == "Haiphong" and entry.entry.label("vi") == "Hải Phòng"


@pytest.fixture(scope="module")
def client(real_data_dir):
    app = make_app(real_data_dir)
    yield app.test_client()
    close_app(app)


def test_api_search_on_the_real_graph(client):
    body = client.get("/api/search?q=hai+phong&lang=en").get_json()
    first = body["results"][0]
    assert first["iri"] == BASE + "id/province/hai-phong"
    assert first["label"] == "Hai Phong" and first["labels"]["vi"] == "Hải Phòng"
    assert first["href"] == "/id/province/hai-phong" and first["exact"]
    assert first["types"][0]["iri"] == BASE + "ontology#CentrallyGovernedCity"
    person = client.get("/api/search?q=dang+hoang+an&type=Person").get_json()["results"]
    assert [r["iri"] for r in person] == [BASE + "id/person/dang-hoang-an"]
    assert client.get("/api/search?q=x&limit=abc").status_code == 400
    assert client.get("/api/search?q=" + "x" * 201).status_code == 400
    assert client.get("/api/search?q=").get_json()["results"] == []


def test_search_page_and_index_pages(client):
    text = client.get("/search?q=thai+nguyen&lang=vi").get_data(as_text=True)
    assert 'href="/id/province/thai-nguyen">Thái Nguyên</a>' in text
    people = client.get("/browse/people?lang=en").get_data(as_text=True)
    assert 'href="/id/person/dang-hoang-an">Dang Hoang An</a>' in people
    assert "Deputy Minister" in people
    provinces = client.get("/browse/provinces?lang=vi").get_data(as_text=True)
    units = client.get(
        "/sparql",
        query_string={
            "query": "SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE "
            f"{{ ?u a <{BASE}ontology#AdministrativeUnit> }}"
        },
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()["results"]["bindings"][0]["n"]["value"]
    assert provinces.count('<th scope="row">') == int(units) >= 63
    editions = client.get("/browse/editions?lang=vi").get_data(as_text=True)
    assert "2019-05-24" in editions and 'href="/id/province/hai-phong"' in editions
    assert client.get("/browse/nothing", headers={"Accept": "text/html"}).status_code == 404


def test_pages_are_compressed_and_static_files_cached_by_version(client):
    page = client.get("/page/id/province/hai-phong", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in page.headers["Vary"]
    text = client.get("/query").get_data(as_text=True)
    url = text.split('src="')[1].split('"')[0]
    assert "/static/" in url and "?v=" in url
    static = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert static.headers["Content-Encoding"] == "gzip"
    assert "immutable" in static.headers["Cache-Control"]
    again = client.get(
        url, headers={"If-None-Match": static.headers["ETag"], "Accept-Encoding": "gzip"}
    )
    assert again.status_code == 304
    unversioned = client.get(url.split("?")[0])
    assert unversioned.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/../app.py").status_code == 404
