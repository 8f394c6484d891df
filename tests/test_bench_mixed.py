"""bench.mixed sends what the clients it stands for send (issue 12's mixed workload)."""

from __future__ import annotations

import pytest

from ctkg.api import KnowledgeGraph
from ctkg.bench.mixed import WEIGHTS, describe_query, pick, workload
from ctkg.queries import catalog


class _Sent(Exception):
    pass


def test_describe_is_the_query_the_notebook_api_sends():
    kg = KnowledgeGraph("http://127.0.0.1:9/sparql")
    sent = []

    def select(sparql, timeout):
        sent.append(sparql)
        raise _Sent

    kg._backend.select = select
    iri = "https://w3id.org/ctkg/id/province/hai-phong"
    with pytest.raises(_Sent):
        kg.describe(iri)
    assert " ".join(sent[0].split()) == " ".join(describe_query(iri).split())


def test_the_workload_has_every_kind_and_every_named_query_it_can_run():
    mix = workload("https://w3id.org/ctkg/")
    assert set(mix) == set(WEIGHTS)
    runnable = {q.name for q in catalog.all_queries() if not any(p.required for p in q.params)}
    asked = {target.split("/api/queries/")[1].split("?")[0] for _, target, _, _ in mix["named"]}
    assert asked == runnable and runnable
    kinds = {pick(mix)[0] for _ in range(300)}
    assert kinds == set(WEIGHTS)
    for requests in mix.values():
        for method, target, _accept, body in requests:
            assert target.startswith("/") and (body is None) == (method == "GET")
