"""One provenance node per fact: the writer, its IRIs, and answers unchanged by the switch."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from ctkg.config import Settings
from ctkg.graph import checks
from ctkg.graph.build import collect_quads
from ctkg.graph.errors import BuildError
from ctkg.graph.model import Evidence, Fact
from ctkg.graph.provenance import CANONICAL, fact_iri, fact_quads, rebased
from ctkg.graph.store import open_store
from ctkg.graph.vocab import CTKG, PROV, RDF
from ctkg.iris import IriScheme
from ctkg.queries.catalog import run_named

RESOURCES = Path(__file__).resolve().parent / "resources"
BEFORE = RESOURCES / "fact-sources-seed-before-fact-nodes.json.gz"
SEED = "https://w3id.org/ctkg/graph/article/2019-05-29-hai-phong"
ID = "https://w3id.org/ctkg/id/"
PREFIXES = f"PREFIX rdf: <{RDF}>\nPREFIX prov: <{PROV}>\nPREFIX ctkg: <{CTKG}>\n"


@pytest.fixture(scope="module")
def store(real_data_dir) -> ox.Store:
    return open_store(Settings.from_env({}, data_dir=str(real_data_dir)))


def _fact(**kw) -> Fact:
    e = URIRef(ID + "edition/x/2019")
    fields = dict(
        id="edition-held",
        graph="article/2019-01-01-x",
        triples=[(e, CTKG.heldIn, URIRef(ID + "province/hai-phong")), (e, RDF.type, CTKG.X)],
        sources=[URIRef(ID + "article/2019-01-01-x")],
    )
    return Fact(**(fields | kw))


def test_a_fact_is_one_node_carrying_its_provenance_once():
    ev = URIRef(ID + "article/2019-01-01-x/evidence/edition-held")
    fact = _fact(
        evidence=Evidence("edition-held", "tại Hải Phòng", 10, 23),
        evidence_iri=ev,
        confidence=CTKG.medium,
        interpretation=[Literal("a reading", lang="en")],
    )
    quads = list(fact_quads([fact]))
    node = fact_iri(fact)
    assert node == URIRef(ID + "fact/article/2019-01-01-x/edition-held")
    about = {(p, o) for s, p, o, _ in quads if s == node}
    assert about >= {
        (RDF.type, CTKG.Fact),
        (PROV.wasDerivedFrom, URIRef(ID + "article/2019-01-01-x")),
        (CTKG.evidence, ev),
        (CTKG.confidence, CTKG.medium),
        (CTKG.interpretation, Literal("a reading", lang="en")),
    }
    statements = [o for p, o in about if p == CTKG.statement]
    assert len(statements) == 2  # one per triple, both linked to the one node
    # the provenance is said once: statements carry only subject, predicate, object and type
    for st in statements:
        assert {p for s, p, _, _ in quads if s == st} == {
            RDF.type,
            RDF.subject,
            RDF.predicate,
            RDF.object,
        }
    assert sum(1 for _, p, _, _ in quads if p == PROV.wasDerivedFrom) == 1
    assert {g for *_, g in quads} == {URIRef("https://w3id.org/ctkg/graph/article/2019-01-01-x")}


def test_fact_iris_are_readable_escaped_and_follow_the_base():
    odd = _fact(id="act/202 2025<QH15>")
    assert fact_iri(odd) == URIRef(ID + "fact/article/2019-01-01-x/act/202%202025%3CQH15%3E")
    scheme = IriScheme("http://example.org/kg/")
    subjects = {s for s, *_ in rebased(fact_quads([_fact()]), scheme)}
    assert URIRef("http://example.org/kg/id/fact/article/2019-01-01-x/edition-held") in subjects


def test_two_facts_with_one_id_in_a_graph_fail_the_build():
    with pytest.raises(BuildError, match="two facts with the id 'edition-held'"):
        list(fact_quads([_fact(), _fact()]))
    # the same id in two graphs is two facts
    assert list(fact_quads([_fact(), _fact(graph="article/2019-02-02-y")]))


def test_the_build_writes_one_node_per_fact_and_no_per_triple_provenance(store):
    _, facts = collect_quads()
    count = store.query(
        PREFIXES + "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { GRAPH ?g { ?f a ctkg:Fact } }"
    )
    assert int(next(iter(count))["n"].value) == len(facts)
    # every statement is stated by exactly one fact, in its own graph
    orphans = (
        PREFIXES
        + """ASK { GRAPH ?g { ?st a rdf:Statement }
      FILTER NOT EXISTS { GRAPH ?g { ?f ctkg:statement ?st } } }"""
    )
    assert not store.query(orphans)
    shared = (
        PREFIXES
        + """ASK { ?f1 ctkg:statement ?st . ?f2 ctkg:statement ?st
      FILTER(?f1 != ?f2) }"""
    )
    assert not store.query(shared)
    # the old per-triple encoding is gone: no statement carries a source, quote or confidence
    old = (
        PREFIXES
        + """ASK { ?st a rdf:Statement ;
      prov:wasDerivedFrom|ctkg:evidence|ctkg:confidence|ctkg:interpretation ?x }"""
    )
    assert not store.query(old)


def _rows(store, subject: str, lang: str, columns: list[str]) -> set[tuple]:
    out = set()
    for sol in run_named(store, "fact-sources", {"subject": subject, "lang": lang}):
        values = []
        for c in columns:
            t = sol[c]
            if t is None:
                values.append("")
            elif isinstance(t, ox.Literal) and t.language:
                values.append(f"{t.value}@{t.language}")
            else:
                values.append(t.value)
        out.add(tuple(values))
    return out


# The seed's three whole-year growth rates (2018) were read as year-on-year, with an
# interpretation note saying so, until 2026-12-03; since then a growth figure is year-on-year
# only when its text names the base (graph/curation/README.md, "Gold conventions"), so they
# are ctkg:growth without the note. Nothing else of the seed changed.
YEAR_RATE_NOTES = ("The article gives the year's growth", "Bài báo nêu mức tăng trưởng của năm")


def _after_growth_convention(rows: list[tuple], columns: list[str]) -> set[tuple]:
    obj, note = columns.index("object"), columns.index("interpretation")
    out, changed = set(), 0
    for row in rows:
        if row[note].startswith(YEAR_RATE_NOTES):
            new = list(row)
            new[note] = ""
            if new[obj] == str(CTKG.yearOnYearGrowth):
                new[obj] = str(CTKG.growth)
                # a statement's IRI digests its triple: recomputed for the new object
                g, fact_id = new[columns.index("graph")], new[columns.index("evidence")]
                new[columns.index("statement")] = str(
                    CANONICAL.statement(
                        f"{g}#{fact_id.rsplit('/', 1)[1]}",
                        URIRef(new[columns.index("subject")]).n3(),
                        URIRef(new[columns.index("predicate")]).n3(),
                        CTKG.growth.n3(),
                    )
                )
                changed += 1
            row = tuple(new)
        out.add(row)
    assert changed == 6, changed  # three value kinds, each once per language of the note
    return out


def test_fact_sources_answers_for_the_seed_are_what_they_were_before_fact_nodes(store):
    """The rows ``fact-sources`` gave, with one rdf:Statement per triple, for every subject of
    the seed article's graph (vi and en) — captured on main before the switch (805b13f), less
    the one later change of convention above."""
    with gzip.open(BEFORE, "rt", encoding="utf-8") as f:
        before = json.load(f)
    columns = before["columns"]
    expected = _after_growth_convention([tuple(r) for r in before["rows"]], columns)
    assert len(expected) > 400
    subjects = sorted({r[columns.index("subject")] for r in expected})
    now = set()
    for subject in subjects:
        for lang in ("vi", "en"):
            now |= {r for r in _rows(store, subject, lang, columns) if r[9] == SEED}
    assert now - expected == set(), sorted(now - expected)[:5]
    assert expected - now == set(), sorted(expected - now)[:5]


def test_fact_sources_names_the_fact(store):
    rows = list(
        run_named(
            store,
            "fact-sources",
            {
                "subject": ID + "edition/hoi-nghi-cong-thuong-phia-bac/2019",
                "predicate": "ctkg:heldIn",
            },
        )
    )
    facts = {sol["fact"].value for sol in rows if sol["graph"].value == SEED}
    assert facts == {ID + "fact/article/2019-05-29-hai-phong/edition-2019-headline-place"}


def test_a_fact_without_a_source_is_caught(store):
    """The unsourced check follows the fact: a fact that lost its sources leaves its triples
    unsourced (and SHACL's FactShape rejects the fact itself)."""
    scheme = IriScheme("https://w3id.org/ctkg/")
    copy = ox.Store()
    copy.extend(store.quads_for_pattern(None, None, None, None))
    node = ox.NamedNode(ID + "fact/article/2019-05-29-hai-phong/edition-2019-headline-place")
    derived = ox.NamedNode(str(PROV.wasDerivedFrom))
    for q in list(copy.quads_for_pattern(node, derived, None, None)):
        copy.remove(q)
    for q in list(copy.quads_for_pattern(node, ox.NamedNode(str(CTKG.evidence)), None, None)):
        copy.remove(q)
    problems = checks.unsourced_triples(copy, scheme)
    assert problems and all("2019" in p for p in problems)
