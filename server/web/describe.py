"""What the linked-data pages know about a resource, read through the server's executors.

Every read here is a SPARQL query sent as a ``QueryJob`` through ``answers.run_read`` — the
same executor processes, time budget and error answers as ``/sparql`` — so a page can never
hang a web worker, and a missing store is the same 503 everywhere. Queries read the store's
default graph (the merge of the named graphs); ``GRAPH ?g`` is used only to tell asserted
triples from the materialised standard-vocabulary view in ``{base}graph/inferred``.

A *description* of an IRI (``describe``) holds its own triples (with the graphs that state
them), the resources that link to it, the labels of everything involved, and for each of its
triples the ``rdf:Statement`` s that name it, each with the provenance of the ``ctkg:Fact`` that
states it (one node per fact): the evidence quote with its offsets and article, or the web pages /
data set and the confidence. ``article`` adds what an article page needs:
the body text and every evidence quoted from it with the triples it supports.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..engine.jobs import QueryJob
from ..http.answers import run_read
from ..http.context import state

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
LABEL_PROPERTIES = (RDFS_LABEL, SKOS + "prefLabel", SCHEMA + "name")
DESCRIPTION_PROPERTIES = (
    RDFS + "comment",
    SKOS + "definition",
    SCHEMA + "description",
    DCTERMS + "description",
)
MAX_INCOMING = 500
MAX_LABELLED = 2000


def vocab(name: str) -> str:
    """A term of ctkg's vocabulary under the configured base."""
    return state().settings.base_iri + "ontology#" + name


def inferred_graph() -> str:
    return state().settings.base_iri + "graph/inferred"


# --- running queries ---------------------------------------------------------------------


def _results_body(outcome) -> bytes:
    if outcome.spooled:
        try:
            return outcome.file.read()
        finally:
            outcome.file.close()
    return outcome.body or b""


def select(query: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
    """Run a SELECT through an executor; each row maps variable names to pyoxigraph terms."""
    settings = state().settings
    job = QueryJob(
        query=query,
        results_format="json",
        graph_format=None,
        limit=0,
        base_iri=settings.base_iri,
    )
    outcome = run_read(job, settings.query_timeout_s)
    body = _results_body(outcome)
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term
        rows.append(row)
    return rows


def ask(query: str) -> bool:
    settings = state().settings
    job = QueryJob(
        query=query, results_format="json", graph_format=None, limit=0, base_iri=settings.base_iri
    )
    outcome = run_read(job, settings.query_timeout_s)
    return bool(json.loads(_results_body(outcome)).get("boolean"))


def ref(iri: str) -> str:
    """``<iri>`` for a query, or ValueError if it is not an IRI that can be written so."""
    return str(ox.NamedNode(iri))


def exists(iri: str) -> bool:
    """True if the IRI is the subject or the object of some triple."""
    node = ref(iri)
    return ask(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}")


def is_named_graph(iri: str) -> bool:
    """True if the store holds a named graph of that name (with at least one triple)."""
    return ask(f"ASK {{ GRAPH {ref(iri)} {{ ?s ?p ?o }} }}")


def graph_summary(iri: str) -> dict:
    """A named graph's size and what it holds: triples, and entities per class."""
    node = ref(iri)
    count = select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}")
    classes = select(
        f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH {node} {{ ?s a ?c }} }}
GROUP BY ?c ORDER BY DESC(?n) ?c LIMIT 50"""
    )
    return {
        "triples": int(count[0]["n"].value) if count else 0,
        "classes": [(row["c"].value, int(row["n"].value)) for row in classes],
    }


# --- labels ------------------------------------------------------------------------------


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip("/#"):
            tail = iri.rstrip("/#").rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def _pick(by_lang: dict[str, str], lang: str) -> str:
    """The text in ``lang``, else without a language, else Vietnamese, English, any; or ''."""
    for key in (lang, "", "vi", "en"):
        if by_lang.get(key):
            return by_lang[key]
    return next(iter(by_lang.values()), "")


@dataclass
class Labels:
    """Labels (rdfs:label, else skos:prefLabel, schema:name) and definitions, by language."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    definitions: dict[str, dict[str, str]] = field(default_factory=dict)

    def label(self, iri: str, lang: str = "vi") -> str:
        found = self.labels.get(iri)
        if found:
            return _pick(found, lang)
        return local_name(iri)

    def has_label(self, iri: str) -> bool:
        return iri in self.labels

    def definition(self, iri: str, lang: str = "vi") -> str:
        return _pick(self.definitions.get(iri) or {}, lang)

    def update(self, other: Labels) -> None:
        for iri, by_lang in other.labels.items():
            self.labels.setdefault(iri, {}).update(by_lang)
        for iri, by_lang in other.definitions.items():
            self.definitions.setdefault(iri, {}).update(by_lang)


def fetch_labels(iris) -> Labels:
    """Labels and definitions (vi, en, or no language) of ``iris``, in one query."""
    wanted = sorted({i for i in iris if i})[:MAX_LABELLED]
    labels = Labels()
    if not wanted:
        return labels
    values = " ".join(ref(i) for i in wanted)
    label_props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    desc_props = " ".join(f"<{p}>" for p in DESCRIPTION_PROPERTIES)
    rows = select(
        f"""SELECT ?x ?kind ?p ?text WHERE {{
  VALUES ?x {{ {values} }}
  {{ VALUES ?p {{ {label_props} }} ?x ?p ?text BIND("label" AS ?kind) }}
  UNION
  {{ VALUES ?p {{ {desc_props} }} ?x ?p ?text BIND("definition" AS ?kind) }}
  FILTER(isLiteral(?text))
}}"""
    )
    # rdfs:label wins over skos:prefLabel over schema:name, per language
    rank = {p: i for i, p in enumerate(LABEL_PROPERTIES + DESCRIPTION_PROPERTIES)}
    best: dict[tuple[str, str, str], tuple[int, str]] = {}
    for row in rows:
        text = row["text"]
        lang = text.language or ""
        key = (row["kind"].value, row["x"].value, lang)
        r = rank.get(row["p"].value, 99)
        if key not in best or (r, text.value) < best[key]:
            best[key] = (r, text.value)
    for (kind, iri, lang), (_, text) in sorted(best.items()):
        target = labels.labels if kind == "label" else labels.definitions
        target.setdefault(iri, {})[lang] = text
    return labels


# --- descriptions ------------------------------------------------------------------------


@dataclass
class Evidence:
    """A verbatim quote from an article that supports one or more statements."""

    iri: str
    quote: str
    start: int
    end: int
    article: str
    fact_id: str = ""

    @property
    def anchor(self) -> str:
        return evidence_anchor(self.iri, self.fact_id)


def evidence_anchor(iri: str, fact_id: str = "") -> str:
    """The HTML id of a quote on its article page: ``ev-<fact id>``."""
    name = fact_id or iri.rsplit("/", 1)[-1]
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
    return "ev-" + safe


@dataclass
class Statement:
    """One ``rdf:Statement`` naming a triple, with the provenance of the ``ctkg:Fact`` that states
    it: evidence quotes, or sources and a confidence."""

    iri: str
    graph: str = ""
    fact: str = ""
    sources: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: str = ""


@dataclass
class Value:
    """One object of a predicate: the term, the graphs stating it, and its statements."""

    term: ox.NamedNode | ox.Literal | ox.BlankNode
    graphs: set[str] = field(default_factory=set)
    statements: list[Statement] = field(default_factory=list)

    @property
    def inferred_only(self) -> bool:
        return bool(self.graphs) and self.graphs <= {inferred_graph()}


@dataclass
class Description:
    iri: str
    values: dict[str, list[Value]]  # predicate -> values, in order
    incoming: dict[str, list[str]]  # predicate -> subjects
    incoming_truncated: bool
    labels: Labels
    cited_by: int = 0  # statements that cite this resource as their source

    def types(self, include_inferred: bool = True) -> list[str]:
        return [
            v.term.value
            for v in self.values.get(RDF_TYPE, [])
            if isinstance(v.term, ox.NamedNode) and (include_inferred or not v.inferred_only)
        ]

    def literals(self, predicate: str) -> list[ox.Literal]:
        return [v.term for v in self.values.get(predicate, []) if isinstance(v.term, ox.Literal)]

    def first(self, predicate: str):
        found = self.values.get(predicate)
        return found[0].term if found else None

    def text(self, predicate: str, lang: str) -> str:
        """The literal of ``predicate`` in ``lang`` (else any), or ''."""
        options = self.literals(predicate)
        for literal in options:
            if literal.language == lang:
                return literal.value
        return options[0].value if options else ""


def describe(iri: str) -> Description | None:
    """Everything a page or a machine needs about ``iri``; None if the graph never mentions it."""
    node = ref(iri)
    out_rows = select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }}")
    in_rows = select(
        f"""PREFIX rdf: <{RDF}>
SELECT DISTINCT ?s ?p WHERE {{
  GRAPH ?g {{ ?s ?p {node} }}
  FILTER(?g != <{inferred_graph()}>)
  FILTER(?p NOT IN (rdf:subject, rdf:object, rdf:predicate))
  FILTER NOT EXISTS {{ ?s a rdf:Statement }}
  FILTER NOT EXISTS {{ ?s a <{vocab("Fact")}> }}
}} ORDER BY ?p ?s LIMIT {MAX_INCOMING + 1}"""
    )
    if not out_rows and not in_rows:
        return None
    values: dict[str, list[Value]] = {}
    index: dict[tuple[str, str], Value] = {}
    for row in out_rows:
        p, o = row["p"].value, row["o"]
        key = (p, str(o))
        if key not in index:
            index[key] = Value(o)
            values.setdefault(p, []).append(index[key])
        index[key].graphs.add(row["g"].value)
    incoming: dict[str, list[str]] = defaultdict(list)
    for row in in_rows[:MAX_INCOMING]:
        if isinstance(row["s"], ox.NamedNode):
            incoming[row["p"].value].append(row["s"].value)
    for key, statements in _statements(node).items():
        value = index.get(key)
        if value is not None:
            value.statements.extend(statements)
    cited = select(
        f"SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE {{ ?f <{PROV}wasDerivedFrom> {node} ; "
        f"<{vocab('statement')}> ?st }}"
    )
    wanted = {iri, *values, *incoming}
    for vals in values.values():
        for v in vals:
            if isinstance(v.term, ox.NamedNode):
                wanted.add(v.term.value)
            for st in v.statements:
                wanted.update(st.sources)
                wanted.add(st.confidence)
                wanted.update(ev.article for ev in st.evidence)
    for subjects in incoming.values():
        wanted.update(subjects)
    desc = Description(
        iri=iri,
        values=dict(values),
        incoming=dict(incoming),
        incoming_truncated=len(in_rows) > MAX_INCOMING,
        labels=fetch_labels(wanted),
        cited_by=int(cited[0]["n"].value) if cited else 0,
    )
    return desc


def _statements(node: str) -> dict[tuple[str, str], list[Statement]]:
    """The statements whose rdf:subject is ``node``, keyed by (predicate, object), each with the
    provenance of the fact that states it."""
    rows = select(
        f"""PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
PREFIX ctkg: <{vocab("")}>
SELECT ?st ?f ?g ?p ?o ?src ?conf ?ev ?quote ?start ?end ?article ?fact WHERE {{
  GRAPH ?g {{ ?st rdf:subject {node} ; rdf:predicate ?p ; rdf:object ?o . ?f ctkg:statement ?st }}
  OPTIONAL {{ ?f prov:wasDerivedFrom ?src FILTER NOT EXISTS {{ ?f ctkg:evidence ?src }} }}
  OPTIONAL {{ ?f ctkg:confidence ?conf }}
  OPTIONAL {{
    ?f ctkg:evidence ?ev .
    ?ev ctkg:quote ?quote ; ctkg:startOffset ?start ; ctkg:endOffset ?end ;
        prov:wasQuotedFrom ?article .
    OPTIONAL {{ ?ev ctkg:factId ?fact }}
  }}
}} ORDER BY ?st ?src ?ev"""
    )
    by_iri: dict[str, tuple[tuple[str, str], Statement]] = {}
    for row in rows:
        st_iri = row["st"].value
        key = (row["p"].value, str(row["o"]))
        if st_iri not in by_iri:
            by_iri[st_iri] = (key, Statement(st_iri, graph=row["g"].value, fact=row["f"].value))
        statement = by_iri[st_iri][1]
        src = row.get("src")
        if src is not None and src.value not in statement.sources:
            statement.sources.append(src.value)
        if "conf" in row:
            statement.confidence = row["conf"].value
        if "ev" in row and all(e.iri != row["ev"].value for e in statement.evidence):
            statement.evidence.append(
                Evidence(
                    iri=row["ev"].value,
                    quote=row["quote"].value,
                    start=int(row["start"].value),
                    end=int(row["end"].value),
                    article=row["article"].value,
                    fact_id=row["fact"].value if "fact" in row else "",
                )
            )
    # several statements can source one triple (an article and the series table)
    merged: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for key, statement in by_iri.values():
        merged[key].append(statement)
    return merged


# --- articles ----------------------------------------------------------------------------


@dataclass
class Fact:
    subject: str
    predicate: str
    object: ox.NamedNode | ox.Literal | ox.BlankNode


@dataclass
class QuotedEvidence(Evidence):
    facts: list[Fact] = field(default_factory=list)


def article_evidence(iri: str) -> tuple[list[QuotedEvidence], Labels]:
    """Every evidence quoted from the article ``iri``, with the triples each supports."""
    node = ref(iri)
    rows = select(
        f"""PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
PREFIX ctkg: <{vocab("")}>
SELECT ?ev ?quote ?start ?end ?fact ?s ?p ?o WHERE {{
  ?ev prov:wasQuotedFrom {node} ; ctkg:quote ?quote ;
      ctkg:startOffset ?start ; ctkg:endOffset ?end .
  OPTIONAL {{ ?ev ctkg:factId ?fact }}
  OPTIONAL {{
    ?f ctkg:evidence ?ev ; ctkg:statement ?st .
    ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  }}
}} ORDER BY ?start ?end ?ev ?s ?p ?o"""
    )
    found: dict[str, QuotedEvidence] = {}
    wanted: set[str] = set()
    for row in rows:
        ev_iri = row["ev"].value
        if ev_iri not in found:
            found[ev_iri] = QuotedEvidence(
                iri=ev_iri,
                quote=row["quote"].value,
                start=int(row["start"].value),
                end=int(row["end"].value),
                article=iri,
                fact_id=row["fact"].value if "fact" in row else "",
            )
        if "s" in row:
            fact = Fact(row["s"].value, row["p"].value, row["o"])
            found[ev_iri].facts.append(fact)
            wanted.update((fact.subject, fact.predicate))
            if isinstance(fact.object, ox.NamedNode):
                wanted.add(fact.object.value)
    evidence = sorted(found.values(), key=lambda e: (e.start, e.end, e.iri))
    return evidence, fetch_labels(wanted)
