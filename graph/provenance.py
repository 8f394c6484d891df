"""Facts into quads: each triple in its source's named graph, reified with its provenance.

For every triple a fact states, the same graph holds an ``rdf:Statement`` naming it (one per
fact, so two rows of a table that say the same thing keep their own confidence), with
``prov:wasDerivedFrom`` its sources and ``ctkg:evidence`` the quote (text and code-point offsets)
when the source is an article we hold. So a SPARQL query can go from any triple to the article,
its date and the supporting sentence. The ``{base}graph/meta`` graph describes every graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL, IriScheme

from .model import Fact
from .vocab import CTKG, PROV, RDF, RDFS, XSD

Quad = tuple  # (s, p, o, graph IRI)


def fact_quads(facts: Iterable[Fact], language: str = "vi") -> Iterator[Quad]:
    """The facts' triples and their reification, in canonical IRIs."""
    for fact in facts:
        g = CANONICAL.graph(fact.graph)
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
        for s, p, o in fact.triples:
            yield (s, p, o, g)
            st = CANONICAL.statement(f"{g}#{fact.id}", s.n3(), p.n3(), o.n3())
            yield from (
                (st, RDF.type, RDF.Statement, g),
                (st, RDF.subject, s, g),
                (st, RDF.predicate, p, g),
                (st, RDF.object, o, g),
                *((st, PROV.wasDerivedFrom, src, g) for src in fact.sources),
            )
            if ev is not None:
                yield (st, CTKG.evidence, ev, g)
            if fact.confidence is not None:
                yield (st, CTKG.confidence, fact.confidence, g)
            yield from ((st, CTKG.interpretation, note, g) for note in fact.interpretation)


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
