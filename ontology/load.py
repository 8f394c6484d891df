"""Where the ontology and the shapes live, and how to read them into rdflib graphs."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ctkg.iris import CANONICAL_BASE, IriScheme

from .errors import OntologyError

ONTOLOGY_IRI = URIRef(CANONICAL_BASE + "ontology")
VERSION_IRI = URIRef(CANONICAL_BASE + "ontology/0.1.0")
NAMESPACE = CANONICAL_BASE + "ontology#"
SHAPES_NAMESPACE = CANONICAL_BASE + "shapes#"

_HERE = Path(__file__).resolve().parent


def ontology_path() -> Path:
    """The hand-edited Turtle source of the ontology (``ontology/ctkg.ttl``)."""
    return _HERE / "ctkg.ttl"


def shapes_path() -> Path:
    """The SHACL shapes for instance data (``ontology/shapes.ttl``)."""
    return _HERE / "shapes.ttl"


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file; a missing or malformed file raises ``OntologyError`` naming it."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise OntologyError(f"{path}: file not found") from exc
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise OntologyError(f"{path}: not valid Turtle: {exc}") from exc
    return graph


def rebase(graph: Graph, scheme: IriScheme | None) -> Graph:
    """The graph with canonical ``https://w3id.org/ctkg/`` IRIs moved to ``scheme``'s base.

    Literals that spell a canonical namespace (``vann:preferredNamespaceUri``) move too.
    With no scheme, or the canonical one, the graph is returned unchanged.
    """
    if scheme is None or scheme.base == CANONICAL_BASE:
        return graph
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, scheme.rebase_term(URIRef(ns)), override=True, replace=True)
    for triple in graph:
        out.add(tuple(_rebase_term(t, scheme) for t in triple))
    return out


def _rebase_term(term, scheme: IriScheme):
    if isinstance(term, Literal) and str(term).startswith(CANONICAL_BASE):
        moved = scheme.base + str(term)[len(CANONICAL_BASE) :]
        return Literal(moved, lang=term.language, datatype=term.datatype)
    return scheme.rebase_term(term)


def load_ontology_graph(scheme: IriScheme | None = None) -> Graph:
    """The ontology as a fresh rdflib graph (under ``scheme``'s base if given)."""
    return rebase(parse_turtle(ontology_path()), scheme)


def load_shapes_graph(scheme: IriScheme | None = None) -> Graph:
    """The SHACL shapes as a fresh rdflib graph (under ``scheme``'s base if given)."""
    return rebase(parse_turtle(shapes_path()), scheme)
