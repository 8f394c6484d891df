"""The SPARQL 1.1 Service Description of ``/sparql``: RDF for RDF clients, a page for people.

https://www.w3.org/TR/sparql11-service-description/ — the endpoint, the languages (Update only
when writes are on), result formats, the union-default-graph feature (the default graph is the
merge of the named graphs), the dataset with triple counts per graph, and ctkg's limits.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, render_template

from ..engine.serialisation import STANDARD_PREFIXES, prefixes, serialize_triples
from ..http.formats import FORMATS, GRAPH, OFFERS, RESULTS

SD = STANDARD_PREFIXES["sd"]
VOID = STANDARD_PREFIXES["void"]
RDF_TYPE = ox.NamedNode(STANDARD_PREFIXES["rdf"] + "type")
RDFS_COMMENT = ox.NamedNode(STANDARD_PREFIXES["rdfs"] + "comment")
DCTERMS_TITLE = ox.NamedNode(STANDARD_PREFIXES["dcterms"] + "title")
XSD_INTEGER = ox.NamedNode(STANDARD_PREFIXES["xsd"] + "integer")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description_triples(endpoint: str, settings, stats: dict | None) -> list[ox.Triple]:
    """The service description of ``endpoint`` as pyoxigraph triples."""
    service = ox.NamedNode(endpoint)
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(
            service,
            _sd("defaultEntailmentRegime"),
            ox.NamedNode("http://www.w3.org/ns/entailment/Simple"),
        ),
        ox.Triple(
            service, DCTERMS_TITLE, ox.Literal("Công Thương Knowledge Graph SPARQL", language="vi")
        ),
        ox.Triple(
            service, DCTERMS_TITLE, ox.Literal("Công Thương Knowledge Graph SPARQL", language="en")
        ),
        ox.Triple(service, RDFS_COMMENT, ox.Literal(limits_text(settings), language="en")),
    ]
    if settings.tokens:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    if settings.service_prefixes:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    seen = set()
    for kind in (RESULTS, GRAPH):
        for offer in OFFERS[kind]:
            if offer.format.key not in seen:
                seen.add(offer.format.key)
                triples.append(
                    ox.Triple(service, _sd("resultFormat"), ox.NamedNode(offer.format.iri))
                )
    if stats:
        dataset = ox.BlankNode()
        default_graph = ox.BlankNode()
        triples += [
            ox.Triple(service, _sd("defaultDataset"), dataset),
            ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
            ox.Triple(dataset, _sd("defaultGraph"), default_graph),
            ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), _count(stats["triples"])),
        ]
        for name, count in stats["graphs"].items():
            named, graph = ox.BlankNode(), ox.BlankNode()
            triples += [
                ox.Triple(dataset, _sd("namedGraph"), named),
                ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
                ox.Triple(named, _sd("name"), ox.NamedNode(name)),
                ox.Triple(named, _sd("graph"), graph),
                ox.Triple(graph, RDF_TYPE, _sd("Graph")),
                ox.Triple(graph, ox.NamedNode(VOID + "triples"), _count(count)),
            ]
    return triples


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def limits_text(settings) -> str:
    limit = f"{settings.result_limit} rows or triples" if settings.result_limit else "none"
    return (
        f"Time budget {settings.query_timeout_s:g} s by default; a timeout parameter may ask "
        f"for up to {settings.max_query_timeout_s:g} s; over budget answers 503. "
        f"Result limit: {limit} (the header X-CTKG-Results-Truncated: true says when it cut). "
        "The default graph is the merge of all named graphs. SERVICE and LOAD are refused "
        "unless allow-listed."
    )


def serialize(triples: list[ox.Triple], key: str, base_iri: str) -> bytes:
    """The description in the RDF format ``key``."""
    return serialize_triples(triples, key, prefixes(base_iri))


def html_page(endpoint: str, settings, stats: dict | None):
    """The page a browser gets at ``/sparql`` (the site's page, in the interface language):
    what the endpoint offers, a link to the query editor, and a plain query form. The site's
    header, language and footer come from the web layer's template context."""

    example = (
        "PREFIX ctkg: <" + settings.base_iri + "ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
        "SELECT ?province ?name WHERE {\n"
        "  ?province a ctkg:Province ;\n"
        "            rdfs:label ?name .\n"
        '  FILTER(LANG(?name) = "vi")\n'
        "}\nORDER BY ?name\nLIMIT 20"
    )
    body = render_template(
        "sparql_service.html",
        endpoint=endpoint,
        settings=settings,
        stats=stats,
        example=example,
        limits=limits_text(settings),
        results_formats=[FORMATS[k] for k in ("json", "xml", "csv", "tsv")],
        graph_formats=[
            FORMATS[k] for k in ("turtle", "ntriples", "rdfxml", "jsonld", "trig", "nquads")
        ],
        writes=bool(settings.tokens),
    )
    return Response(body, content_type="text/html; charset=utf-8")
