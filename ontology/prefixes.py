"""The prefixes the ontology, the shapes and their messages use, and short names for terms."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

PREFIXES = {
    "ctkg": "https://w3id.org/ctkg/ontology#",
    "ctkgsh": "https://w3id.org/ctkg/shapes#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def short(term, prefixes: dict[str, str] | None = None) -> str:
    """``ctkg:Person`` for a known namespace, ``<iri>`` otherwise; literals in N-Triples form."""
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, ns in (prefixes or PREFIXES).items():
            if (
                iri.startswith(ns)
                and iri[len(ns) :].replace("-", "_").replace(".", "_").isidentifier()
            ):
                return f"{prefix}:{iri[len(ns) :]}"
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = Literal(str(term)).n3()
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{short(term.datatype, prefixes)}"
        return text
    if isinstance(term, BNode):
        return "[]"
    return str(term)


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the standard prefixes on ``graph`` (for readable serialisations); returns it."""
    manager = NamespaceManager(graph, bind_namespaces="core")
    for prefix, ns in PREFIXES.items():
        manager.bind(prefix, ns, override=True, replace=True)
    graph.namespace_manager = manager
    return graph
