"""The prefixes the ontology, the shapes and their messages use, and short names for terms."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager

from ctkg.namespaces import NAMESPACES, curie

# the ontology's, the shapes' and their messages' prefixes: the project's one table
PREFIXES = NAMESPACES


def short(term, prefixes: dict[str, str] | None = None) -> str:
    """``ctkg:Person`` for a known namespace, ``<iri>`` otherwise; literals in N-Triples form."""
    if isinstance(term, URIRef):
        return curie(str(term), prefixes or PREFIXES, strict=True) or f"<{term}>"
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
