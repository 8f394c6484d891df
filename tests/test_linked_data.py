"""Dereferencing and content negotiation, case by case, over HTTP (Flask test client) on the
real built graph: /id/ and /graph/ IRIs (303 by Accept), /page/ and /data/ documents, 404s,
406s, the ontology (direct negotiation), /.well-known/void, /dumps/ with checksums, and the
mapping between CTKG_BASE_IRI and the server's paths."""

from __future__ import annotations

import hashlib
import json

import pyoxigraph as ox
import pytest
from helpers import BACKENDS, app_on, close_app, make_app

BASE = "https://w3id.org/ctkg/"
EDITION = "id/edition/hoi-nghi-cong-thuong-phia-bac/2019"
PROVINCE = "id/province/hai-phong"
RDF_TYPES = {
    "text/turtle": ("ttl", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    "application/n-triples": ("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    "application/rdf+xml": ("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    "application/ld+json": ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
}
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(scope="module")
def data_dir(real_data_dir):
    return real_data_dir


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, data_dir, tmp_path_factory):
    """The app on each backend: the embedded store, and the same graph on an Oxigraph server."""
    with app_on(request.param, data_dir, tmp_path_factory.mktemp("linked-remote")) as app:
        yield app.test_client()


def get(client, path, accept=None, **kwargs):
    headers = {"Accept": accept} if accept is not None else {}
    return client.get(path, headers=headers, **kwargs)


def parse(body: bytes, fmt) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(body, format=fmt, base_iri=BASE)
    }


# --- /id/…: 303 to a document chosen by Accept ------------------------------------------


@pytest.mark.parametrize(
    "accept",
    [BROWSER_ACCEPT, "text/html", None, "*/*", "text/*", "text/html;q=0.9, text/turtle;q=0.9"],
    ids=["browser", "html", "no-accept", "any", "text-any", "tie"],
)
def test_iri_redirects_browsers_to_the_html_page(client, accept):
    response = get(client, f"/{PROVINCE}", accept)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/page/{PROVINCE}"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept", list(RDF_TYPES))
def test_iri_redirects_rdf_clients_to_the_data_document(client, accept):
    ext = RDF_TYPES[accept][0]
    response = get(client, f"/{PROVINCE}", accept)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/data/{PROVINCE}.{ext}"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("accept", "ext"),
    [
        ("application/x-turtle", "ttl"),
        ("application/json", "jsonld"),
        ('application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"', "jsonld"),
        ("text/html;q=0.5, text/turtle", "ttl"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.1", "rdf"),
        ("text/html;q=0, */*", "ttl"),
        ("application/n-triples, text/html;q=0.1", "nt"),
    ],
)
def test_iri_negotiation_honours_aliases_and_q_values(client, accept, ext):
    response = get(client, f"/{EDITION}", accept)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/data/{EDITION}.{ext}"


@pytest.mark.parametrize(
    ("value", "target"),
    [
        ("ttl", f"/data/{EDITION}.ttl"),
        ("nt", f"/data/{EDITION}.nt"),
        ("rdf", f"/data/{EDITION}.rdf"),
        ("jsonld", f"/data/{EDITION}.jsonld"),
        ("html", f"/page/{EDITION}"),
    ],
)
def test_format_parameter_overrides_accept(client, value, target):
    response = get(client, f"/{EDITION}?format={value}", "text/html")
    assert response.status_code == 303
    assert response.headers["Location"] == target


def test_language_is_kept_on_the_way_to_the_page(client):
    response = get(client, f"/{EDITION}?lang=en", "text/html")
    assert response.headers["Location"] == f"/page/{EDITION}?lang=en"


def test_unacceptable_accept_is_406_with_the_offers(client):
    response = get(client, f"/{PROVINCE}", "image/png")
    assert response.status_code == 406
    offered = response.get_json()["offered"]
    assert "text/html" in offered and "text/turtle" in offered


def test_head_answers_like_get(client):
    response = client.head(f"/{PROVINCE}", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(".ttl")


def test_graph_iris_dereference_too(client):
    response = get(client, "/graph/article/2019-05-29-hai-phong", "text/turtle")
    assert response.status_code == 303
    data = get(client, response.headers["Location"])
    triples = parse(data.data, ox.RdfFormat.TURTLE)
    graph = ox.NamedNode(BASE + "graph/article/2019-05-29-hai-phong")
    assert any(t.subject == graph for t in triples)


# --- unknown IRIs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/id/province/atlantis",
        "/id/nothing",
        "/graph/none",
        "/page/id/province/atlantis",
        "/data/id/province/atlantis.ttl",
    ],
)
def test_unknown_iri_is_a_404_page_for_browsers(client, path):
    response = get(client, path, BROWSER_ACCEPT)
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    text = response.get_data(as_text=True)
    assert "404" in text
    assert any(name in text for name in ("atlantis", "none", "nothing"))
    assert "Location" not in response.headers


def test_unknown_iri_is_a_404_error_for_machines(client):
    response = get(client, "/id/province/atlantis", "text/turtle")
    assert response.status_code == 404
    body = response.get_json()
    assert body["status"] == 404 and body["iri"] == BASE + "id/province/atlantis"


def test_malformed_iri_is_404_not_500(client):
    assert get(client, "/id/province/a%20b", "text/html").status_code == 404
    assert get(client, "/id/province/%3Cx%3E", "text/turtle").status_code == 404


# --- the documents -------------------------------------------------------------------------


def test_html_page_is_served_at_its_own_url(client):
    response = get(client, f"/page/{PROVINCE}", BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert BASE + PROVINCE in response.get_data(as_text=True)
    link = response.headers["Link"]
    assert f'</data/{PROVINCE}.ttl>; rel="alternate"; type="text/turtle"' in link
    assert f'</{PROVINCE}>; rel="describes"' in link


def test_every_rdf_form_carries_the_same_description(client):
    graphs = {}
    for media_type, (ext, content_type, fmt) in RDF_TYPES.items():
        response = get(client, f"/data/{EDITION}.{ext}")
        assert response.status_code == 200, media_type
        assert response.headers["Content-Type"] == content_type
        graphs[ext] = parse(response.data, fmt)
    assert graphs["ttl"] == graphs["nt"] == graphs["rdf"] == graphs["jsonld"]


def test_description_has_own_triples_labels_incoming_links_and_provenance(client):
    triples = parse(get(client, f"/data/{PROVINCE}.nt").data, ox.RdfFormat.N_TRIPLES)
    me = ox.NamedNode(BASE + PROVINCE)
    edition = ox.NamedNode(BASE + EDITION)
    country = ox.NamedNode(BASE + "id/country/viet-nam")
    heldin = ox.NamedNode(BASE + "ontology#heldIn")
    # own triples, with both labels
    assert ox.Triple(me, RDFS_LABEL, ox.Literal("Hải Phòng", language="vi")) in triples
    assert ox.Triple(me, RDFS_LABEL, ox.Literal("Hai Phong", language="en")) in triples
    # the label of a thing it links to
    assert any(t.subject == country and t.predicate == RDFS_LABEL for t in triples)
    # an incoming link, with the label of its subject
    assert ox.Triple(edition, heldin, me) in triples
    assert any(t.subject == edition and t.predicate == RDFS_LABEL for t in triples)
    # the statements sourcing its own triples
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    subjects = [t for t in triples if t.predicate == ox.NamedNode(rdf + "subject")]
    assert subjects and all(t.object == me for t in subjects)


def test_description_of_a_quoted_fact_includes_its_fact_and_evidence(client):
    fact_class = ox.NamedNode(BASE + "ontology#Fact")
    triples = parse(get(client, f"/data/{EDITION}.ttl").data, ox.RdfFormat.TURTLE)
    quote = ox.NamedNode(BASE + "ontology#quote")
    quotes = [t.object.value for t in triples if t.predicate == quote]
    assert any("Hải Phòng" in q for q in quotes)
    # the fact that states the triples carries their sources, once
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    facts = {t.subject for t in triples if t == ox.Triple(t.subject, rdf_type, fact_class)}
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    assert facts and all(
        any(t.subject == f and t.predicate == derived for t in triples) for f in facts
    )
    statement = ox.NamedNode(BASE + "ontology#statement")
    named = {t.object for t in triples if t.predicate == statement}
    subject = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
    assert named == {t.subject for t in triples if t.predicate == subject}


def test_data_without_extension_negotiates(client):
    response = get(client, f"/data/{EDITION}", "application/rdf+xml")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/data/{EDITION}.rdf"
    assert get(client, f"/data/{EDITION}", "text/html").status_code == 406


def test_pages_and_data_revalidate_with_etags(client):
    for path in (f"/page/{PROVINCE}", f"/data/{PROVINCE}.ttl"):
        first = get(client, path, BROWSER_ACCEPT)
        etag = first.headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag, "Accept": BROWSER_ACCEPT})
        assert again.status_code == 304, path


# --- the ontology: direct negotiation ------------------------------------------------------


def test_ontology_html_for_browsers(client):
    response = get(client, "/ontology", BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response.content_type.startswith("text/html")
    assert response.headers["Content-Location"] == "/ontology.html"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept", [*RDF_TYPES, "application/x-turtle"])
def test_ontology_rdf_by_negotiation(client, accept):
    ext, _, fmt = RDF_TYPES.get(accept, RDF_TYPES["text/turtle"])
    response = get(client, "/ontology", accept)
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"/ontology.{ext}"
    assert "Accept" in response.headers["Vary"]
    triples = parse(response.data, fmt)
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert ox.Triple(ox.NamedNode(BASE + "ontology#Province"), rdf_type, owl_class) in triples
    assert get(client, f"/ontology.{ext}").data == response.data


def test_ontology_no_accept_is_html_and_406_otherwise(client):
    assert get(client, "/ontology").content_type.startswith("text/html")
    assert get(client, "/ontology", "image/png").status_code == 406
    assert get(client, "/ontology.xyz").status_code == 404


def test_ontology_version_iri_redirects(client):
    response = get(client, "/ontology/0.1.0", "text/turtle")
    assert response.status_code == 303 and response.headers["Location"] == "/ontology"


# --- VoID --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "text/turtle; charset=utf-8"),
        ("text/turtle", "text/turtle; charset=utf-8"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        (BROWSER_ACCEPT, "text/html; charset=utf-8"),
    ],
)
def test_void_negotiates(client, accept, content_type):
    response = get(client, "/.well-known/void", accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert "Accept" in response.headers["Vary"]


def test_void_406(client):
    assert get(client, "/.well-known/void", "image/png").status_code == 406


# --- dumps -------------------------------------------------------------------------------


def test_dumps_download_with_their_checksums(client, data_dir):
    sums = get(client, "/dumps/SHA256SUMS")
    assert sums.status_code == 200 and sums.content_type.startswith("text/plain")
    expected = dict(
        reversed(line.split("  ")) for line in sums.get_data(as_text=True).split("\n") if line
    )
    manifest = json.loads((data_dir / "current" / "manifest.json").read_text())
    assert (
        set(expected)
        == set(manifest["dumps"])
        >= {
            "ctkg.nq",
            "ctkg.trig",
            "ctkg.ttl",
            "ctkg.nt",
            "ctkg.jsonld",
            "ctkg.rdf",
        }
    )
    for name, digest in expected.items():
        response = get(client, f"/dumps/{name}")
        assert response.status_code == 200
        assert response.mimetype == manifest["dumps"][name]["format"]
        assert hashlib.sha256(response.data).hexdigest() == digest
        assert response.headers["Repr-Digest"].startswith("sha-256=:")


def test_dump_listing_and_unknown_dump(client):
    listing = get(client, "/dumps/", BROWSER_ACCEPT).get_data(as_text=True)
    for name in ("ctkg.nq", "ctkg.ttl", "SHA256SUMS"):
        assert f'href="/dumps/{name}"' in listing
    assert get(client, "/dumps/../manifest.json").status_code == 404
    assert get(client, "/dumps/nothing.ttl").status_code == 404
    assert get(client, "/dumps").status_code == 301


# --- the configured base ------------------------------------------------------------------


def test_paths_follow_the_configured_base(built_graph):
    base = "http://example.org/kg/"
    app = make_app(built_graph(base), base_iri=base)
    try:
        client = app.test_client()
        response = client.get(f"/{PROVINCE}", headers={"Accept": "text/turtle"})
        assert response.headers["Location"] == f"/data/{PROVINCE}.ttl"
        triples = parse(client.get(response.headers["Location"]).data, ox.RdfFormat.TURTLE)
        assert any(t.subject == ox.NamedNode(base + PROVINCE) for t in triples)
        page = client.get(f"/page/{EDITION}", headers={"Accept": "text/html"})
        html = page.get_data(as_text=True)
        assert base + EDITION in html  # the IRI, as minted
        assert f'href="/{PROVINCE}"' in html  # links go to this server
        assert BASE + "id/" not in html
    finally:
        close_app(app)


def test_a_fact_has_a_page_and_data_with_its_sources(client):
    fact = "id/fact/article/2019-05-29-hai-phong/edition-2019-headline-place"
    page = get(client, f"/page/{fact}")
    assert page.status_code == 200
    assert "2019-05-29-hai-phong" in page.get_data(as_text=True)
    triples = parse(get(client, f"/data/{fact}.nt").data, ox.RdfFormat.N_TRIPLES)
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    article = ox.NamedNode(BASE + "id/article/2019-05-29-hai-phong")
    assert ox.Triple(ox.NamedNode(BASE + fact), derived, article) in triples
    statement = ox.NamedNode(BASE + "ontology#statement")
    assert any(t.predicate == statement for t in triples)
