"""What provenance costs, measured: a statement per triple (the build's encoding) against one
provenance node per fact, and what RDF 1.2 reifiers would cost.

``python -m ctkg.graph.provenance_cost`` prints the quads of each encoding for the real sources
and checks that the one-node-per-fact encoding answers the same provenance questions as the
current one (each triple's sources; its quote and offsets; its confidence and interpretation;
no triple unsourced), by running the same questions against both encodings in memory.

The encodings, for a fact with triples t1…tn, sources S, evidence E (articles only):

- *statement per triple* (built today): for each ti an ``rdf:Statement`` with ``rdf:subject``,
  ``rdf:predicate``, ``rdf:object``, ``prov:wasDerivedFrom`` each of S, ``ctkg:evidence`` E and
  the fact's confidence and interpretation notes — all repeated for every triple of the fact.
- *one node per fact*: each ti still named by an ``rdf:Statement`` (type, subject, predicate,
  object) with one link ``ctkg:assertedBy`` to the fact's node, which carries S, E, the confidence
  and the notes once.
- *RDF 1.2*: the fact's node is a reifier, ``F rdf:reifies <<( s p o )>>`` for each triple (one
  quad per triple; RDF 1.2 lets one reifier reify several triple terms), and carries S, E, the
  confidence and the notes once. Counted, not built: rdflib and the pinned Oxigraph do not yet
  read triple terms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL

from .model import Fact
from .provenance import fact_quads
from .vocab import CTKG, PROV, RDF, XSD

ASSERTED_BY = CTKG.assertedBy  # measured here only; not in the ontology


def evidence_quads(fact: Fact, g: URIRef, language: str = "vi") -> list[tuple]:
    if fact.evidence is None or fact.evidence_iri is None:
        return []
    ev, e = fact.evidence_iri, fact.evidence
    return [
        (ev, RDF.type, CTKG.Evidence, g),
        (ev, CTKG.factId, Literal(e.fact_id), g),
        (ev, CTKG.quote, Literal(e.quote, lang=language), g),
        (ev, CTKG.startOffset, Literal(e.start, datatype=XSD.nonNegativeInteger), g),
        (ev, CTKG.endOffset, Literal(e.end, datatype=XSD.nonNegativeInteger), g),
        *((ev, PROV.wasQuotedFrom, src, g) for src in fact.sources[:1]),
    ]


def fact_node(fact: Fact) -> URIRef:
    digest = hashlib.sha256(f"{fact.graph}#{fact.id}".encode()).hexdigest()[:16]
    return URIRef(f"{CANONICAL.id}assertion/{digest}")


def fact_node_quads(facts: Iterable[Fact]) -> Iterator[tuple]:
    """One provenance node per fact; each triple's statement links to it."""
    for fact in facts:
        g = CANONICAL.graph(fact.graph)
        node = fact_node(fact)
        yield from evidence_quads(fact, g)
        yield (node, RDF.type, PROV.Entity, g)
        yield from ((node, PROV.wasDerivedFrom, src, g) for src in fact.sources)
        if fact.evidence_iri is not None:
            yield (node, CTKG.evidence, fact.evidence_iri, g)
        if fact.confidence is not None:
            yield (node, CTKG.confidence, fact.confidence, g)
        yield from ((node, CTKG.interpretation, note, g) for note in fact.interpretation)
        for s, p, o in fact.triples:
            yield (s, p, o, g)
            st = CANONICAL.statement(f"{g}#{fact.id}", s.n3(), p.n3(), o.n3())
            yield from (
                (st, RDF.type, RDF.Statement, g),
                (st, RDF.subject, s, g),
                (st, RDF.predicate, p, g),
                (st, RDF.object, o, g),
                (st, ASSERTED_BY, node, g),
            )


def reifier_quad_count(facts: Iterable[Fact]) -> int:
    """Quads of the RDF 1.2 encoding: per triple the triple and one ``rdf:reifies``; per fact
    the reifier's type, sources, evidence link, confidence, notes and the evidence node."""
    total = 0
    for fact in facts:
        g = CANONICAL.graph(fact.graph)
        total += 2 * len(fact.triples)
        total += 1 + len(fact.sources) + (fact.evidence_iri is not None)
        total += (fact.confidence is not None) + len(fact.interpretation)
        total += len(evidence_quads(fact, g))
    return total


# The provenance questions, asked of both encodings; ?prov is the node that carries the sources
# (the statement itself today, the fact's node in the other encoding).
PROV_PATH = {"statement": "BIND(?st AS ?n)", "fact-node": f"?st <{ASSERTED_BY}> ?n ."}
QUESTIONS = {
    "sources of each triple": """
SELECT DISTINCT ?s ?p ?o ?src WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?st PROV_PATH ?n . ?n prov:wasDerivedFrom ?src } }""",
    "quote and offsets of each triple": """
SELECT DISTINCT ?s ?p ?o ?quote ?start ?end WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?st PROV_PATH ?n . ?n ctkg:evidence ?ev .
  ?ev ctkg:quote ?quote ; ctkg:startOffset ?start ; ctkg:endOffset ?end } }""",
    "confidence and interpretation of each triple": """
SELECT DISTINCT ?s ?p ?o ?c ?i WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?st PROV_PATH ?n .
  OPTIONAL { ?n ctkg:confidence ?c } OPTIONAL { ?n ctkg:interpretation ?i } } }""",
    "triples without a source": """
SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/ctkg/graph/"))
  FILTER NOT EXISTS { GRAPH ?g { ?s a rdf:Statement } }
  FILTER NOT EXISTS { GRAPH ?g { ?s a ctkg:Evidence } }
  FILTER NOT EXISTS { GRAPH ?g { ?s a prov:Entity ; prov:wasDerivedFrom [] } }
  FILTER NOT EXISTS { GRAPH ?g {
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . ?st PROV_PATH ?n .
    ?n prov:wasDerivedFrom ?src } } }""",
}
PREFIXES = f"""PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
PREFIX ctkg: <{CTKG}>
"""


def _term(t):
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))
    return ox.NamedNode(str(t))


def _store(quads: Iterable[tuple]) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(_term(s), _term(p), _term(o), _term(g)) for s, p, o, g in quads)
    return store


def answers(store: ox.Store, encoding: str) -> dict[str, set]:
    out = {}
    for name, q in QUESTIONS.items():
        text = PREFIXES + q.replace("?st PROV_PATH ?n .", PROV_PATH[encoding])
        out[name] = {tuple(str(v) for v in row) for row in store.query(text)}
    return out


def measure(facts: list[Fact]) -> dict:
    """Quad counts of the three encodings and whether the two built ones answer alike."""
    current = list(fact_quads(facts))
    per_fact = list(fact_node_quads(facts))
    asserted = sum(len(f.triples) for f in facts)
    a, b = answers(_store(current), "statement"), answers(_store(per_fact), "fact-node")
    return {
        "facts": len(facts),
        "asserted triples": asserted,
        "quads: statement per triple": len(current),
        "quads: one node per fact": len(per_fact),
        "quads: RDF 1.2 reifier per fact (counted)": reifier_quad_count(facts),
        "same answers": {name: a[name] == b[name] for name in QUESTIONS},
        "answer rows": {name: len(a[name]) for name in QUESTIONS},
    }


def main() -> None:
    from .build import collect_quads

    _, facts = collect_quads()
    result = measure(facts)
    n = result["asserted triples"]
    print(f"{result['facts']} facts, {n} asserted triples")
    for key in (k for k in result if k.startswith("quads")):
        v = result[key]
        print(f"{key:45s} {v:7d}  ({(v - n) / n:.2f} provenance quads per triple)")
    for name, same in result["same answers"].items():
        rows = result["answer rows"][name]
        print(f"same answer ({rows} rows): {same!s:5}  {name}")


if __name__ == "__main__":
    main()
