"""Terms as N-Triples text: IRIs, literals, the vocabulary's terms and statement IRIs."""

from __future__ import annotations

import hashlib

from rdflib import BNode, Literal, URIRef

from ctkg.iris import CANONICAL_BASE
from ctkg.namespaces import NAMESPACES

BASE = CANONICAL_BASE
ID = BASE + "id/"
GRAPH = BASE + "graph/"
V = NAMESPACES["ctkg"]
RDF_NS = NAMESPACES["rdf"]
XSD_NS = NAMESPACES["xsd"]
PROV_NS = NAMESPACES["prov"]
ORG_NS = NAMESPACES["org"]
SCHEMA_NS = NAMESPACES["schema"]
SKOS_NS = NAMESPACES["skos"]
TIME_NS = NAMESPACES["time"]
QB_NS = NAMESPACES["qb"]
RDFS_NS = NAMESPACES["rdfs"]


def iri(value: str) -> str:
    return f"<{value}>"


def eid(path: str) -> str:
    """An entity IRI ``{base}id/{path}`` as N-Triples text (``province/hai-phong``)."""
    return f"<{ID}{path}>"


def c(local: str) -> str:
    """A ctkg ontology term."""
    return f"<{V}{local}>"


def _escape(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
    return text


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return f'"{_escape(text)}"@{lang}'
    if datatype and datatype != XSD_NS + "string":
        return f'"{_escape(text)}"^^<{datatype}>'
    return f'"{_escape(text)}"'


def xsd(text: object, local: str) -> str:
    return f'"{text}"^^<{XSD_NS}{local}>'


def nt(term) -> str:
    """An rdflib term as N-Triples text."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return lit(str(term), term.language, str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


A = iri(RDF_NS + "type")
LABEL = iri(RDFS_NS + "label")
ALT_LABEL = iri(SKOS_NS + "altLabel")
STATEMENT = iri(RDF_NS + "Statement")
SUBJECT, PREDICATE, OBJECT = (iri(RDF_NS + x) for x in ("subject", "predicate", "object"))
DERIVED = iri(PROV_NS + "wasDerivedFrom")
QUOTED_FROM = iri(PROV_NS + "wasQuotedFrom")
EVIDENCE, CONFIDENCE = c("evidence"), c("confidence")
EVIDENCE_CLASS = c("Evidence")
FACT_CLASS, STATES = c("Fact"), c("statement")
SCHEMA_NAME, PREF_LABEL = iri(SCHEMA_NS + "name"), iri(SKOS_NS + "prefLabel")
MEMBER, ORGANIZATION, ROLE = (iri(ORG_NS + x) for x in ("member", "organization", "role"))

G_ONTOLOGY, G_INFERRED, G_META = (iri(GRAPH + x) for x in ("ontology", "inferred", "meta"))
SERIES_TABLE = "source/synthetic-series-editions"
G_SERIES_TABLE = iri(GRAPH + SERIES_TABLE)
SERIES_DATASET = eid(SERIES_TABLE)

Triple = tuple[str, str, str]


def fact_iri(graph: str, fact_id: str) -> str:
    """As ``IriScheme.fact``: the provenance node of one fact (synthetic ids need no escaping)."""
    return f"<{ID}fact/{graph}/{fact_id}>"


def statement_iri(graph: str, s: str, p: str, o: str) -> str:
    """As ``IriScheme.statement``: a stable IRI per (graph, triple)."""
    digest = hashlib.sha1("\x1f".join((graph[1:-1], s, p, o)).encode("utf-8")).hexdigest()[:16]
    return f"<{ID}statement/{digest}>"
