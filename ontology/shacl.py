"""Validate instance data against the SHACL shapes (``shapes.ttl``) with pyshacl.

The data is validated as one graph (a ``Dataset``'s named graphs are merged first, so that
``sh:class`` can see types asserted in another graph) with the ontology mixed in and no inference:
``sh:class`` then follows the ontology's ``rdfs:subClassOf``, while RDFS range entailment, which
would make every ``sh:class`` check pass, is not applied.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD

from ctkg.iris import IriScheme

from .load import load_ontology_graph, load_shapes_graph
from .prefixes import short


@dataclass(frozen=True)
class ShaclReport:
    """pyshacl's verdict. ``conforms`` ignores warnings; ``results`` has one readable line per
    result: ``Violation: <focus node> <path>: <message> [value …]``."""

    conforms: bool
    results: list[str]
    elapsed: float
    violations: int = 0
    warnings: int = 0
    results_graph: Graph = field(default_factory=Graph, repr=False, compare=False)

    @property
    def lines(self) -> list[str]:
        """Alias of ``results``."""
        return self.results

    def __str__(self) -> str:
        head = "conforms" if self.conforms else f"{self.violations} violation(s)"
        if self.warnings:
            head += f", {self.warnings} warning(s)"
        return "\n".join([head, *self.results])


def validate_shapes(
    data_graph: Graph,
    *,
    ont_graph: Graph | None = None,
    shapes_graph: Graph | None = None,
    inference: str = "none",
    scheme: IriScheme | None = None,
) -> ShaclReport:
    """Validate ``data_graph`` (a ``Graph``, or a ``Dataset`` / pyoxigraph ``Store`` whose graphs
    are merged) against the ctkg shapes, with the ctkg ontology as ``ont_graph``; both default to
    the packaged files, rebased to ``scheme`` if given."""
    import pyshacl

    started = time.perf_counter()
    data = _union(data_graph)
    # a union made here is ours: pyshacl may mix the ontology into it instead of into a copy
    private = data is not data_graph
    shapes = shapes_graph if shapes_graph is not None else load_shapes_graph(scheme)
    ontology = ont_graph if ont_graph is not None else load_ontology_graph(scheme)
    conforms, results_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=inference,
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        advanced=False,
        meta_shacl=False,
        js=False,
        debug=False,
        inplace=private,
    )
    lines, violations, warnings = [], 0, 0
    for result in results_graph.subjects(RDF.type, SH.ValidationResult):
        severity = results_graph.value(result, SH.resultSeverity)
        if severity == SH.Violation:
            violations += 1
        elif severity == SH.Warning:
            warnings += 1
        lines.append(_line(results_graph, result, severity))
    return ShaclReport(
        conforms=bool(conforms),
        results=sorted(lines),
        elapsed=time.perf_counter() - started,
        violations=violations,
        warnings=warnings,
        results_graph=results_graph,
    )


def validate_store(store, scheme: IriScheme | None = None, **kwargs) -> ShaclReport:
    """Validate a pyoxigraph ``Store`` (all its graphs, merged) built under ``scheme``."""
    return validate_shapes(store, scheme=scheme, **kwargs)


def _union(data_graph) -> Graph:
    if hasattr(data_graph, "quads_for_pattern") and hasattr(data_graph, "named_graphs"):
        return store_graph(data_graph)
    if isinstance(data_graph, Dataset) or hasattr(data_graph, "quads"):
        merged = Graph()
        for s, p, o, _g in data_graph.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return data_graph


def store_graph(store, graph_name=None) -> Graph:
    """The triples of a pyoxigraph store's graph ``graph_name`` (all its graphs, merged, if
    None) as an rdflib ``Graph``, term by term: half the time of dumping N-Triples and parsing
    them again, each distinct term converted once. Terms come out as rdflib's N-Triples parser
    reads them: a plain literal has no datatype, and a blank node keeps the store's id, which
    is the same in every graph."""
    import pyoxigraph as ox

    xsd_string = ox.NamedNode(str(XSD.string))
    terms: dict = {}

    def term(t):
        found = terms.get(t)
        if found is None:
            if isinstance(t, ox.NamedNode):
                found = URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                found = BNode(t.value)
            elif t.language:
                found = Literal(t.value, lang=t.language)
            elif t.datatype == xsd_string:
                found = Literal(t.value)
            else:
                found = Literal(t.value, datatype=URIRef(t.datatype.value))
            terms[t] = found
        return found

    merged = Graph()
    merged.addN(
        (term(q.subject), term(q.predicate), term(q.object), merged)
        for q in store.quads_for_pattern(None, None, None, graph_name)
    )
    return merged


def _line(graph: Graph, result, severity) -> str:
    focus = graph.value(result, SH.focusNode)
    path = graph.value(result, SH.resultPath)
    messages = sorted(str(m) for m in graph.objects(result, SH.resultMessage))
    value = graph.value(result, SH.value)
    kind = short(severity).removeprefix("sh:") if severity is not None else "Result"
    where = short(focus) + (f" {_path(graph, path)}" if path is not None else "")
    said = "; ".join(messages) or short(graph.value(result, SH.sourceConstraintComponent))
    text = f"{kind}: {where}: {said}"
    if value is not None and value != focus:
        text += f" [value {short(value)}]"
    return text


def _path(graph: Graph, path) -> str:
    if isinstance(path, URIRef):
        return short(path)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(short(p) for p in Collection(graph, alternatives))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + short(inverse)
    return "<complex path>"
