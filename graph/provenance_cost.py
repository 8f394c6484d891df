"""What provenance costs, measured on the real writer: one provenance node per fact (what the build
writes, ``provenance.fact_quads``) against the statement-per-triple encoding it replaced and the RDF
1.2 reifiers it maps to.

``python -m ctkg.graph.provenance_cost`` builds the facts' quads with the real writer, counts them,
counts what the two other encodings would take for the same facts, and runs the provenance
questions (each triple's sources; its quote and offsets; its confidence and interpretation; no
triple unsourced) on the written quads in memory, so a change to the writer that loses an answer
shows here too.

The encodings, for a fact with triples t1…tn, sources S, evidence E (articles only):

- *one node per fact* (built): a ``ctkg:Fact`` node carrying S, E, the confidence and the notes
  once, and for each ti ``F ctkg:statement st`` with ``st`` an ``rdf:Statement`` (type, subject,
  predicate, object).
- *statement per triple* (built until this change; counted): for each ti an ``rdf:Statement`` with
  ``rdf:subject``, ``rdf:predicate``, ``rdf:object``, ``prov:wasDerivedFrom`` each of S,
  ``ctkg:evidence`` E and the fact's confidence and notes — all repeated for every triple.
- *RDF 1.2* (counted): the fact's node is a reifier, ``F rdf:reifies <<( s p o )>>`` for each
  triple (one quad per triple; RDF 1.2 lets one reifier reify several triple terms). Not built:
  rdflib and the pinned Oxigraph do not yet read triple terms.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Literal

from .model import Fact
from .provenance import fact_quads
from .vocab import CTKG, PROV, RDF, XSD


def _evidence_quads(fact: Fact) -> int:
    """The evidence node's quads (type, fact id, quote, two offsets, the article)."""
    if fact.evidence is None or fact.evidence_iri is None:
        return 0
    return 5 + len(fact.sources[:1])


def _shared(fact: Fact) -> int:
    """What each provenance carrier says: its sources, evidence link, confidence and notes."""
    return (
        len(fact.sources)
        + (fact.evidence_iri is not None)
        + (fact.confidence is not None)
        + len(fact.interpretation)
    )


def statement_per_triple_quad_count(facts: Iterable[Fact]) -> int:
    """Quads of the encoding before one node per fact: per triple, the triple, its statement's
    type, subject, predicate, object, and the sources, evidence link, confidence and notes."""
    return sum(_evidence_quads(f) + len(f.triples) * (1 + 4 + _shared(f)) for f in facts)


def reifier_quad_count(facts: Iterable[Fact]) -> int:
    """Quads of the RDF 1.2 encoding: per triple the triple and one ``rdf:reifies``; per fact
    the reifier's type, sources, evidence link, confidence, notes and the evidence node."""
    return sum(_evidence_quads(f) + 2 * len(f.triples) + 1 + _shared(f) for f in facts)


# The provenance questions, asked of the quads the build writes.
QUESTIONS = {
    "sources of each triple": """
SELECT DISTINCT ?s ?p ?o ?src WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?n ctkg:statement ?st ; prov:wasDerivedFrom ?src } }""",
    "quote and offsets of each triple": """
SELECT DISTINCT ?s ?p ?o ?quote ?start ?end WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?n ctkg:statement ?st ; ctkg:evidence ?ev .
  ?ev ctkg:quote ?quote ; ctkg:startOffset ?start ; ctkg:endOffset ?end } }""",
    "confidence and interpretation of each triple": """
SELECT DISTINCT ?s ?p ?o ?c ?i WHERE { GRAPH ?g {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?n ctkg:statement ?st .
  OPTIONAL { ?n ctkg:confidence ?c } OPTIONAL { ?n ctkg:interpretation ?i } } }""",
    "triples without a source": """
SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/ctkg/graph/"))
  FILTER NOT EXISTS { GRAPH ?g { ?s a rdf:Statement } }
  FILTER NOT EXISTS { GRAPH ?g { ?s a ctkg:Evidence } }
  FILTER NOT EXISTS { GRAPH ?g { ?s a ctkg:Fact } }
  FILTER NOT EXISTS { GRAPH ?g {
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
    ?n ctkg:statement ?st ; prov:wasDerivedFrom ?src } } }""",
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


def answers(store: ox.Store) -> dict[str, set]:
    return {
        name: {tuple(str(v) for v in row) for row in store.query(PREFIXES + q)}
        for name, q in QUESTIONS.items()
    }


def measure(facts: list[Fact]) -> dict:
    """Quad counts of the three encodings and the answers of the written one."""
    written = list(fact_quads(facts))  # counted as the others are (a repeat is counted too)
    asserted = sum(len(f.triples) for f in facts)
    found = answers(_store(written))
    return {
        "facts": len(facts),
        "asserted triples": asserted,
        "quads: statement per triple (before; counted)": statement_per_triple_quad_count(facts),
        "quads: one node per fact (built)": len(written),
        "quads: RDF 1.2 reifier per fact (counted)": reifier_quad_count(facts),
        "answer rows": {name: len(rows) for name, rows in found.items()},
    }


def main() -> None:
    from .build import collect_quads

    _, facts = collect_quads()
    result = measure(facts)
    n = result["asserted triples"]
    print(f"{result['facts']} facts, {n} asserted triples")
    for key in (k for k in result if k.startswith("quads")):
        v = result[key]
        print(f"{key:48s} {v:7d}  ({(v - n) / n:.2f} provenance quads per triple)")
    for name, rows in result["answer rows"].items():
        print(f"{rows:6d} answer rows: {name}")


if __name__ == "__main__":
    main()
