"""Writing and inferring: the N-Quads writer, the inference rules and per-graph writers."""

from __future__ import annotations

from typing import TextIO

from ctkg.graph.materialize import closure
from ctkg.graph.vocab import OWL, RDFS
from ctkg.iris import CANONICAL_BASE

from .terms import (
    CONFIDENCE,
    DERIVED,
    EVIDENCE,
    EVIDENCE_CLASS,
    FACT_CLASS,
    G_INFERRED,
    G_ONTOLOGY,
    GRAPH,
    ID,
    LABEL,
    OBJECT,
    PREDICATE,
    PREF_LABEL,
    QUOTED_FROM,
    SCHEMA_NAME,
    STATEMENT,
    STATES,
    SUBJECT,
    A,
    Triple,
    c,
    eid,
    fact_iri,
    iri,
    lit,
    nt,
    statement_iri,
    xsd,
)


class Inference:
    """The build's materialisation rules (``materialize.py``), applied quad by quad."""

    NO_DEDUP = frozenset({EVIDENCE, c("quote")})  # subjects unique by construction

    def __init__(self, ontology_graph):
        classes = closure(ontology_graph, RDFS.subClassOf, OWL.equivalentClass)
        props = closure(ontology_graph, RDFS.subPropertyOf, OWL.equivalentProperty)
        self.classes = {nt(k): sorted(nt(x) for x in v) for k, v in classes.items() if v}
        self.props = {nt(k): sorted(nt(x) for x in v) for k, v in props.items() if v}
        self.props[LABEL] = [SCHEMA_NAME, PREF_LABEL]
        self.seen: set[int] = set()

    def candidates(self, s: str, p: str, o: str) -> list[tuple[Triple, int | None]]:
        """Entailed triples of one stated triple, each with its dedup key (None: unique)."""
        if p == A:
            sups = self.classes.get(o)
            if not sups:
                return []
            unique = o in (EVIDENCE_CLASS, FACT_CLASS)
            return [((s, A, x), None if unique else hash((s, A, x))) for x in sups]
        sups = self.props.get(p)
        if not sups:
            return []
        unique = p in self.NO_DEDUP
        return [((s, x, o), None if unique else hash((s, x, o))) for x in sups]


class QuadWriter:
    """Writes N-Quads lines, counts them per graph, and adds the inferred ones."""

    def __init__(
        self,
        out: TextIO,
        inference: Inference,
        base: str = CANONICAL_BASE,
        triples_out: TextIO | None = None,
    ):
        self.out = out
        self.triples_out = triples_out
        self.inference = inference
        self.base = base
        self.count = 0
        self.per_graph: dict[str, int] = {}

    def _line(self, s: str, p: str, o: str, g: str) -> None:
        triple, graph = f"{s} {p} {o}", g
        if self.base != CANONICAL_BASE:
            triple = triple.replace("<" + CANONICAL_BASE, "<" + self.base)
            graph = g.replace("<" + CANONICAL_BASE, "<" + self.base)
        self.out.write(f"{triple} {graph} .\n")
        if self.triples_out is not None:
            if s[0] == "_" or o[0] == "_":
                # blank nodes are scoped to the file they are read from: these triples get
                # into the default graph by merge_blank_node_triples, from the same store
                if g != G_ONTOLOGY:
                    raise ValueError(f"a blank node outside the ontology graph: {triple}")
            else:
                self.triples_out.write(f"{triple} .\n")
        self.count += 1
        self.per_graph[graph] = self.per_graph.get(graph, 0) + 1

    def write(self, quads: list[tuple[str, str, str, str]]) -> None:
        seen = self.inference.seen
        for s, p, o, g in quads:
            self._line(s, p, o, g)
            if g == G_ONTOLOGY:
                continue
            for triple, key in self.inference.candidates(s, p, o):
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                self._line(*triple, G_INFERRED)

    def preview(self, quads: list[tuple[str, str, str, str]]) -> int:
        """How many lines ``write(quads)`` would add (nothing is written)."""
        seen, local = self.inference.seen, set()
        n = len(quads)
        for s, p, o, _g in quads:
            for _t, key in self.inference.candidates(s, p, o):
                if key is None:
                    n += 1
                elif key not in seen and key not in local:
                    local.add(key)
                    n += 1
        return n


class Graph:
    """Quads of one named graph under construction: facts with their provenance nodes.

    ``stated`` holds the triples already written to this graph (by earlier facts, or earlier
    rows of the same source): a triple stated again is not written again, but the new fact
    still names it by a statement of its own.
    """

    def __init__(
        self,
        name: str,
        sources: list[str],
        confidence: str | None = None,
        stated: set[Triple] | None = None,
    ):
        self.name = name
        self.g = iri(GRAPH + name)
        self.sources = sources
        self.confidence = confidence
        self.quads: list[tuple[str, str, str, str]] = []
        self.stated = stated if stated is not None else set()
        self.new: set[Triple] = set()

    def fact(self, fact_id: str, triples: list[Triple], evidence: str | None = None) -> None:
        """One provenance node for the fact, carrying its sources, evidence and confidence once,
        and each triple with an ``rdf:Statement`` naming it (``provenance.fact_quads``)."""
        g, add = self.g, self.quads.append
        node = fact_iri(self.name, fact_id)
        add((node, A, FACT_CLASS, g))
        for src in self.sources:
            add((node, DERIVED, src, g))
        if evidence:
            add((node, EVIDENCE, evidence, g))
        if self.confidence:
            add((node, CONFIDENCE, self.confidence, g))
        scope = f"{g[:-1]}#{fact_id}>"
        for t in dict.fromkeys(triples):
            s, p, o = t
            if t not in self.stated and t not in self.new:
                self.new.add(t)
                add((s, p, o, g))
            st = statement_iri(scope, s, p, o)
            add((node, STATES, st, g))
            add((st, A, STATEMENT, g))
            add((st, SUBJECT, s, g))
            add((st, PREDICATE, p, g))
            add((st, OBJECT, o, g))


class ArticleGraph(Graph):
    """An article's graph: its body grows sentence by sentence; each fact quotes one."""

    def __init__(self, article_id: str):
        self.id = article_id
        self.article = eid(f"article/{article_id}")
        super().__init__(f"article/{article_id}", [self.article])
        self.sentences: list[str] = []
        self.length = 0
        self.facts = 0
        self.described: set[str] = set()

    def say(self, sentence: str) -> tuple[int, int]:
        start = self.length
        self.sentences.append(sentence)
        self.length += len(sentence) + 1  # joined by "\n"
        return start, start + len(sentence)

    def quoted(self, fact_id: str, triples: list[Triple], span: tuple[int, int], text: str) -> None:
        """A fact supported by ``text``, found at ``span`` of the body."""
        ev = f"<{ID}article/{self.id}/evidence/{fact_id}>"
        g, add = self.g, self.quads.append
        add((ev, A, EVIDENCE_CLASS, g))
        add((ev, c("factId"), lit(fact_id), g))
        add((ev, c("quote"), lit(text, "vi"), g))
        add((ev, c("startOffset"), xsd(span[0], "nonNegativeInteger"), g))
        add((ev, c("endOffset"), xsd(span[1], "nonNegativeInteger"), g))
        add((ev, QUOTED_FROM, self.article, g))
        self.fact(fact_id, triples, ev)
        self.facts += 1

    @property
    def body(self) -> str:
        return "\n".join(self.sentences)
