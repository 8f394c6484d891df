"""How answers are written: pyoxigraph's serializers by format key, and the prefixes they use.

The keys are those of ``ctkg.server.http.formats`` (what crosses the process boundary from the
web worker to an executor); the executor looks the serializer up here.
"""

from __future__ import annotations

import pyoxigraph as ox

from ctkg import namespaces

# pyoxigraph's serializers, by key (used only inside executors)
OX_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
OX_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


# Prefixes for Turtle/TriG/RDF-XML output and the JSON-LD @context: the project's table
# (ctkg/namespaces.py) without ctkg (rebased per base IRI below) and the shapes' namespaces,
# plus the Service Description's.
STANDARD_PREFIXES = {
    **{k: v for k, v in namespaces.prefixes().items() if k not in ("ctkg", "id", "sh")},
    "sd": "http://www.w3.org/ns/sparql-service-description#",
}


def prefixes(base_iri: str) -> dict[str, str]:
    """The prefixes used in answers: ctkg's vocabulary under the configured base, then standard
    (``namespaces.prefixes`` less ``id:`` and ``sh:``, plus ``sd:``)."""
    return {"ctkg": namespaces.prefixes(base_iri)["ctkg"], **STANDARD_PREFIXES}


def serialize_triples(triples: list[ox.Triple], key: str, names: dict[str, str]) -> bytes:
    """Small descriptions (service description, VoID) in the RDF format ``key``: JSON-LD
    compacted with ``names`` as its context, the prefixed formats with ``names`` declared."""
    if key == "jsonld":
        from .jsonld import compact

        return compact(ox.serialize(triples, format=ox.RdfFormat.JSON_LD), names)
    fmt = OX_RDF[key]
    if key in ("turtle", "trig", "rdfxml"):
        return ox.serialize(triples, format=fmt, prefixes=names)
    return ox.serialize(triples, format=fmt)


def jsonld_context(base_iri: str) -> dict:
    """The JSON-LD ``@context`` answers use, also published at ``/context.jsonld``."""
    return dict(prefixes(base_iri))
