"""Namespaces and prefixes used by sources, the build and the queries."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from ctkg.iris import CTKG

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

PREFIXES: dict[str, Namespace] = {
    "ctkg": CTKG,
    "schema": SCHEMA,
    "org": ORG,
    "prov": PROV,
    "qb": QB,
    "skos": SKOS,
    "time": TIME,
    "xsd": XSD,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "foaf": FOAF,
    "dcterms": DCTERMS,
    "void": VOID,
    "dcat": DCAT,
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
