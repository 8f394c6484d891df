"""Namespaces and prefixes used by sources, the build and the queries."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from ctkg.iris import CTKG
from ctkg.namespaces import NAMESPACES

SCHEMA = Namespace(NAMESPACES["schema"])
ORG = Namespace(NAMESPACES["org"])
QB = Namespace(NAMESPACES["qb"])
VOID = Namespace(NAMESPACES["void"])
DCAT = Namespace(NAMESPACES["dcat"])

# what fact files and dumps may use (the shapes' own namespace is not data)
PREFIXES: dict[str, Namespace] = {
    name: Namespace(iri) for name, iri in NAMESPACES.items() if name != "ctkgsh"
}

__all__ = [
    "CTKG",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "TIME",
    "VOID",
    "XSD",
]
