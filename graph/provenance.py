"""Facts into quads: each triple in its source's named graph, with one provenance node per fact.

A fact (one entry of a facts file, one row of a table, one derived statement) is one
``ctkg:Fact`` node (a ``prov:Entity``) under ``{base}id/fact/{graph}/{fact id}``, in the same
graph as its triples. It carries, once for all its triples, ``prov:wasDerivedFrom`` its sources,
``ctkg:evidence`` the quote (text and code-point offsets) when the source is an article we hold,
``ctkg:confidence`` and ``ctkg:interpretation``; ``ctkg:statement`` names each triple it states by
an ``rdf:Statement`` (``rdf:subject``, ``rdf:predicate``, ``rdf:object``). Two facts that state
the same triple keep their own statements and sources. So a SPARQL query goes from any triple
to its fact, the article, its date and the supporting sentence:

    ?fact ctkg:statement [ rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ] ;
          prov:wasDerivedFrom ?source .

In RDF 1.2 the fact node becomes the reifier: ``?fact rdf:reifies <<( ?s ?p ?o )>>``.
The ``{base}graph/meta`` graph describes every graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL, IriScheme

from .errors import BuildError
from .model import Fact
from .vocab import CTKG, PROV, RDF, RDFS, XSD

Quad = tuple  # (s, p, o, graph IRI)


def fact_iri(fact: Fact) -> URIRef:
    """``{base}id/fact/{graph}/{fact id}``: stable, readable, one per fact of a graph."""
    return CANONICAL.fact(fact.graph, fact.id)


def fact_quads(facts: Iterable[Fact], language: str = "vi") -> Iterator[Quad]:
    """The facts' triples and one provenance node per fact, in canonical IRIs."""
    seen: set[URIRef] = set()
    for fact in facts:
        g = CANONICAL.graph(fact.graph)
        node = fact_iri(fact)
        if node in seen:
            raise BuildError(f"two facts with the id {fact.id!r}", source=fact.graph, fact=fact.id)
        seen.add(node)
        ev = fact.evidence_iri
        if fact.evidence is not None and ev is not None:
            e = fact.evidence
            yield from (
                (ev, RDF.type, CTKG.Evidence, g),
                (ev, CTKG.factId, Literal(e.fact_id), g),
                (ev, CTKG.quote, Literal(e.quote, lang=language), g),
                (ev, CTKG.startOffset, Literal(e.start, datatype=XSD.nonNegativeInteger), g),
                (ev, CTKG.endOffset, Literal(e.end, datatype=XSD.nonNegativeInteger), g),
                *((ev, PROV.wasQuotedFrom, src, g) for src in fact.sources[:1]),
            )
        yield (node, RDF.type, CTKG.Fact, g)
        yield from ((node, PROV.wasDerivedFrom, src, g) for src in fact.sources)
        if ev is not None:
            yield (node, CTKG.evidence, ev, g)
        if fact.confidence is not None:
            yield (node, CTKG.confidence, fact.confidence, g)
        yield from ((node, CTKG.interpretation, note, g) for note in fact.interpretation)
        for s, p, o in fact.triples:
            yield (s, p, o, g)
            st = CANONICAL.statement(f"{g}#{fact.id}", s.n3(), p.n3(), o.n3())
            yield from (
                (node, CTKG.statement, st, g),
                (st, RDF.type, RDF.Statement, g),
                (st, RDF.subject, s, g),
                (st, RDF.predicate, p, g),
                (st, RDF.object, o, g),
            )


def graph_description(
    name: str, label: dict[str, str], derived_from: Iterable[URIRef]
) -> list[Quad]:
    """A named graph described in PROV: a bundle derived from its sources by a curation step."""
    meta = CANONICAL.graph("meta")
    g = CANONICAL.graph(name)
    activity = CANONICAL.entity(f"activity/{name}")
    quads = [
        (g, RDF.type, PROV.Bundle, meta),
        (g, PROV.wasGeneratedBy, activity, meta),
        (activity, RDF.type, PROV.Activity, meta),
        (activity, RDFS.label, Literal(f"curation: {name}", lang="en"), meta),
    ]
    quads += [(g, RDFS.label, Literal(text, lang=lang), meta) for lang, text in label.items()]
    for src in derived_from:
        quads += [(g, PROV.wasDerivedFrom, src, meta), (activity, PROV.used, src, meta)]
    return quads


def in_meta(triples: Iterable[tuple]) -> list[Quad]:
    meta = CANONICAL.graph("meta")
    return [(*t, meta) for t in triples]


def rebased(quads: Iterable[Quad], scheme: IriScheme) -> Iterator[Quad]:
    """The quads under the configured base (a no-op for the canonical one)."""
    if scheme.base == CANONICAL.base:
        yield from quads
        return
    r = scheme.rebase_term
    for s, p, o, g in quads:
        yield r(s), r(p), r(o), r(g)
