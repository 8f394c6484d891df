"""``/.well-known/void``: the dataset described in VoID and DCAT, computed from the data.

Every number is counted from the store being served (through an executor, once per data
version): triples of the default graph (the merge of the named graphs), entities (distinct
subjects in the ``{base}id/`` URI space), distinct subjects/objects, classes and properties
with a partition for each, and one subset per named graph with its own triple count. The
vocabularies are the namespaces of the classes and properties actually used. Dumps come from
the build's ``manifest.json`` (size, media type, SHA-256 — as ``spdx:checksum``), downloadable
under ``/dumps/``. Licence: CC BY 4.0.

Identifiers are stable and under ``CTKG_BASE_IRI`` (the dataset ``{base}.well-known/void#ctkg``,
the subsets are the named graphs' IRIs); *access* URLs — the SPARQL endpoint, the dump
downloads, the landing page — are where this server was reached, so a client can use them as
they are. Served as Turtle (the default, for machines), N-Triples, RDF/XML, JSON-LD, or an HTML
summary for browsers, by ``Accept`` (``Vary: Accept``) or ``format=``.
"""

from __future__ import annotations

import datetime as dt
import threading

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ..engine.serialisation import STANDARD_PREFIXES, prefixes, serialize_triples
from ..http.answers import etag_for, not_modified
from ..http.context import state
from ..http.errors import not_acceptable
from ..http.formats import FORMATS
from . import describe, pages
from .linked_data import RDF_MEDIA, dumps_info, negotiate_document
from .paths import EXTENSION_OF

bp = Blueprint("void", __name__)

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
IANA = "https://www.iana.org/assignments/media-types/"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
OFFERS = [*RDF_MEDIA, "text/html"]
EXTRA_PREFIXES = {"dcat": DCAT, "spdx": SPDX, "void": VOID, "dcterms": DCT, "foaf": FOAF}

_cache: dict[str, dict] = {}
_lock = threading.Lock()


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(n: int, datatype: str = "integer") -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(XSD + datatype))


def statistics() -> dict:
    """Counts over the served data, computed once per data version."""
    version = state().backend.data_version()
    with _lock:
        if version in _cache:
            return _cache[version]
    base = state().settings.base_iri
    totals = describe.select(
        """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }"""
    )[0]
    entities = describe.select(
        f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
}}"""
    )[0]
    classes = describe.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF}type> ?c FILTER(isIRI(?c)) }} "
        "GROUP BY ?c ORDER BY DESC(?n) ?c"
    )
    properties = describe.select(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p"
    )
    graphs = describe.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    data = {
        "triples": int(totals["triples"].value),
        "distinct_subjects": int(totals["subjects"].value),
        "distinct_objects": int(totals["objects"].value),
        "properties": int(totals["properties"].value),
        "entities": int(entities["n"].value),
        "class_partitions": [(r["c"].value, int(r["n"].value)) for r in classes],
        "property_partitions": [(r["p"].value, int(r["n"].value)) for r in properties],
        "graphs": [(r["g"].value, int(r["n"].value)) for r in graphs],
    }
    data["classes"] = len(data["class_partitions"])
    data["vocabularies"] = vocabularies(
        [c for c, _ in data["class_partitions"]] + [p for p, _ in data["property_partitions"]],
        base,
    )
    with _lock:
        _cache.clear()
        _cache[version] = data
    return data


def vocabularies(terms: list[str], base: str) -> list[str]:
    """The namespaces (known vocabularies, and ctkg's ontology) the terms belong to."""
    known = {**STANDARD_PREFIXES, "foaf": FOAF, "dcat": DCAT}
    namespaces = sorted(set(known.values()), key=len, reverse=True)
    ontology_ns = base + "ontology#"
    found = set()
    for term in terms:
        if term.startswith(ontology_ns):
            found.add(base + "ontology")
            continue
        for ns in namespaces:
            if term.startswith(ns):
                found.add(ns)
                break
    return sorted(found)


def build_date(build_id: str) -> str | None:
    """``20261126T071956-cd23ae`` -> ``2026-11-26T07:19:56Z``."""
    try:
        stamp = dt.datetime.strptime(build_id.split("-", 1)[0], "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def description(host: str) -> tuple[list[ox.Triple], dict]:
    """The VoID + DCAT triples for a server reached at ``host`` (``http://h:p``)."""
    settings = state().settings
    base = settings.base_iri
    stats = statistics()
    dumps = dumps_info()
    dataset = _n(base + ".well-known/void#ctkg")
    document = _n(host + "/.well-known/void")
    endpoint = _n(host + "/sparql")
    a = _n(RDF + "type")
    triples: list[ox.Triple] = []

    def add(s, p: str, o) -> None:
        triples.append(ox.Triple(s, _n(p), o))

    add(document, RDF + "type", _n(VOID + "DatasetDescription"))
    add(document, DCT + "title", ox.Literal("VoID description of ctkg", language="en"))
    add(document, FOAF + "primaryTopic", dataset)
    triples.append(ox.Triple(dataset, a, _n(VOID + "Dataset")))
    triples.append(ox.Triple(dataset, a, _n(DCAT + "Dataset")))
    title_vi, title_en = pages.UI["site"]
    add(dataset, DCT + "title", ox.Literal(title_vi, language="vi"))
    add(dataset, DCT + "title", ox.Literal(title_en, language="en"))
    add(
        dataset,
        DCT + "description",
        ox.Literal(
            "Đồ thị tri thức mở về quản lý nhà nước ngành Công Thương Việt Nam: cơ quan, "
            "cán bộ, tỉnh thành, hội nghị ngành và chỉ tiêu kinh tế, mỗi dữ kiện kèm nguồn.",
            language="vi",
        ),
    )
    add(
        dataset,
        DCT + "description",
        ox.Literal(
            "An open knowledge graph of Vietnam's industry-and-trade governance: bodies, "
            "officials, provinces, sector conferences and economic indicators, every fact "
            "traceable to its source.",
            language="en",
        ),
    )
    add(dataset, DCT + "license", _n(CC_BY))
    add(dataset, DCT + "language", _n("http://id.loc.gov/vocabulary/iso639-1/vi"))
    add(dataset, DCT + "language", _n("http://id.loc.gov/vocabulary/iso639-1/en"))
    modified = build_date(dumps["build"])
    if modified:
        add(dataset, DCT + "modified", ox.Literal(modified, datatype=_n(XSD + "dateTime")))
    add(dataset, DCAT + "landingPage", _n(host + "/"))
    add(dataset, FOAF + "homepage", _n(host + "/"))
    add(dataset, VOID + "sparqlEndpoint", endpoint)
    add(dataset, VOID + "uriSpace", ox.Literal(base + "id/"))
    add(dataset, VOID + "rootResource", _n(base + "id/series/hoi-nghi-cong-thuong-phia-bac"))
    for example in ("edition/hoi-nghi-cong-thuong-phia-bac/2019", "province/hai-phong"):
        add(dataset, VOID + "exampleResource", _n(base + "id/" + example))
    add(dataset, VOID + "triples", _int(stats["triples"]))
    add(dataset, VOID + "entities", _int(stats["entities"]))
    add(dataset, VOID + "classes", _int(stats["classes"]))
    add(dataset, VOID + "properties", _int(stats["properties"]))
    add(dataset, VOID + "distinctSubjects", _int(stats["distinct_subjects"]))
    add(dataset, VOID + "distinctObjects", _int(stats["distinct_objects"]))
    for vocabulary in stats["vocabularies"]:
        add(dataset, VOID + "vocabulary", _n(vocabulary))
    for cls, count in stats["class_partitions"]:
        partition = ox.BlankNode()
        add(dataset, VOID + "classPartition", partition)
        add(partition, VOID + "class", _n(cls))
        add(partition, VOID + "entities", _int(count))
    for prop, count in stats["property_partitions"]:
        partition = ox.BlankNode()
        add(dataset, VOID + "propertyPartition", partition)
        add(partition, VOID + "property", _n(prop))
        add(partition, VOID + "triples", _int(count))
    for graph, count in stats["graphs"]:
        subset = _n(graph)
        add(dataset, VOID + "subset", subset)
        triples.append(ox.Triple(subset, a, _n(VOID + "Dataset")))
        add(subset, VOID + "triples", _int(count))
    # formats the data is served in
    for key in ("turtle", "ntriples", "rdfxml", "jsonld", "trig", "nquads"):
        add(dataset, VOID + "feature", _n(W3C_FORMATS + FORMATS[key].w3c_name))
    # dumps, as VoID data dumps and DCAT distributions with checksums
    for name, meta in dumps["files"].items():
        url = _n(f"{host}/dumps/{name}")
        add(dataset, VOID + "dataDump", url)
        dist = ox.BlankNode()
        add(dataset, DCAT + "distribution", dist)
        triples.append(ox.Triple(dist, a, _n(DCAT + "Distribution")))
        add(dist, DCT + "title", ox.Literal(name))
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "accessURL", url)
        add(dist, DCAT + "mediaType", _n(IANA + meta["format"]))
        add(dist, DCAT + "byteSize", _int(meta["bytes"], "nonNegativeInteger"))
        add(dist, DCT + "license", _n(CC_BY))
        checksum = ox.BlankNode()
        add(dist, SPDX + "checksum", checksum)
        triples.append(ox.Triple(checksum, a, _n(SPDX + "Checksum")))
        add(checksum, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
        add(
            checksum,
            SPDX + "checksumValue",
            ox.Literal(meta["sha256"], datatype=_n(XSD + "hexBinary")),
        )
    # the SPARQL endpoint as a DCAT data service
    triples.append(ox.Triple(endpoint, a, _n(DCAT + "DataService")))
    add(endpoint, DCAT + "endpointURL", endpoint)
    add(endpoint, DCAT + "servesDataset", dataset)
    add(endpoint, DCT + "conformsTo", _n("https://www.w3.org/TR/sparql11-protocol/"))
    service_dist = ox.BlankNode()
    add(dataset, DCAT + "distribution", service_dist)
    triples.append(ox.Triple(service_dist, a, _n(DCAT + "Distribution")))
    add(service_dist, DCT + "title", ox.Literal("SPARQL 1.1 endpoint"))
    add(service_dist, DCAT + "accessURL", endpoint)
    add(service_dist, DCAT + "accessService", endpoint)
    add(service_dist, DCT + "license", _n(CC_BY))
    return triples, {"stats": stats, "dumps": dumps, "dataset": dataset.value, "host": host}


def serialize(triples: list[ox.Triple], key: str, base_iri: str) -> bytes:
    return serialize_triples(triples, key, {**prefixes(base_iri), **EXTRA_PREFIXES})


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def void_description():
    chosen = negotiate_document(OFFERS)
    if chosen is None:
        raise not_acceptable(OFFERS)
    host = request.host_url.rstrip("/")
    etag = etag_for("void", host, chosen, pages.current_lang(), pages.PAGE_VERSION)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    triples, info = description(host)
    if chosen == "html":
        view = pages.View(describe.fetch_labels(c for c, _ in info["stats"]["class_partitions"]))
        response = pages.render(
            "void.html",
            info=info,
            view=view,
            formats=[(EXTENSION_OF[k], FORMATS[k].label) for k in EXTENSION_OF],
        )
    else:
        fmt = FORMATS[chosen]
        body = serialize(triples, chosen, state().settings.base_iri)
        content_type = fmt.media_type + (
            "; charset=utf-8" if fmt.media_type.startswith("text/") else ""
        )
        response = Response(body, content_type=content_type)
        response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept"
    response.set_etag(etag, weak=True)
    return response
