"""Provenance cost: the measured encodings answer the same provenance questions."""

from __future__ import annotations

from ctkg.graph.build import collect_quads
from ctkg.graph.provenance_cost import QUESTIONS, measure


def test_one_node_per_fact_answers_the_same_questions_for_fewer_quads():
    _, facts = collect_quads()
    result = measure(facts)
    assert all(result["same answers"].values()), result["same answers"]
    # the questions are not vacuous: every triple has a source, article triples have quotes
    rows = result["answer rows"]
    assert rows["sources of each triple"] >= result["asserted triples"]
    assert rows["quote and offsets of each triple"] > 300
    assert rows["triples without a source"] == 0
    assert set(rows) == set(QUESTIONS)
    today = result["quads: statement per triple"]
    assert result["quads: one node per fact"] < today
    assert result["quads: RDF 1.2 reifier per fact (counted)"] < result["quads: one node per fact"]
