"""The executor's two per-request shortcuts give the answers and refusals of the full path.

- ``outer_limit``: a SELECT whose text ends ``} LIMIT n`` (n at most the cap) is serialized in
  one call, uncounted. Only when the LIMIT is surely the outer query's: comments, strings and
  ``\\u`` escapes that could hide it send the query down the counting path.
- ``_guard``: a text the guard passed that names no remote service is not scanned again; a
  text it refused is refused every time, and SERVICE texts are always checked in full.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ctkg.server.engine import executor
from ctkg.server.engine.guard import Policy, Refused, TooComplex
from ctkg.server.engine.jobs import QueryJob, Status


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("SELECT * { ?s ?p ?o } LIMIT 10", 10),
        ("SELECT * { ?s ?p ?o }\nLIMIT 10 OFFSET 5", 10),
        ("SELECT * { ?s ?p ?o } offset 3 limit 7 \n", 7),
        ("SELECT * { ?s ?p ?o #\n} LIMIT 5", 5),  # the comment ends before the brace
        ("SELECT * { ?s ?p ?o } #x\r} LIMIT 4", 4),  # Oxigraph ends a comment at CR
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 2 } }", None),  # a subquery's LIMIT
        ("SELECT * { ?s ?p ?o } # } LIMIT 5", None),  # in a comment
        ("SELECT * { ?s ?p ?o } #x } LIMIT 5", None),
        ("SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 5", None),  # not read: the counting path
        ("SELECT * { ?s ?p ?o } LIMIT 5 VALUES ?s { }", None),
        ('SELECT * { ?s ?p ?o FILTER(?o != "} LIMIT 5") }', None),
        ("SELECT * { ?s ?p ?o } \\u0023 } LIMIT 5", None),  # an escaped "#"
        ("SELECT * { ?s ?p ?o }\u2028LIMIT 3", None),  # not SPARQL's white space
        ("SELECT * WHERE { ?s ?p ?o }", None),
    ],
)
def test_outer_limit(text, bound):
    assert executor.outer_limit(text) == bound


@pytest.fixture
def store():
    s = ox.Store()
    g = ox.NamedNode("http://example.org/g")
    for i in range(20):
        s.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/s{i}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal('},{"x" ' + str(i)),  # looks like a JSON row boundary
                g,
            )
        )
    return s


def _run(store, text, fmt, cap):
    job = QueryJob(text, fmt, "ntriples", cap, "http://example.org/")
    return executor.run_query(store, job, Policy())


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize(("limit", "cap"), [(5, 100), (5, 5), (20, 20), (5, 3), (20, 19)])
def test_limited_answer_is_the_counted_one(store, fmt, limit, cap):
    text = f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {limit}"
    direct = _run(store, text, fmt, cap)
    # the same query, its LIMIT hidden from outer_limit: the counting writer's answer
    hidden = text.replace("} LIMIT", "}\n#\nLIMIT")
    counted = _run(store, hidden, fmt, cap)
    assert executor.outer_limit(text) == limit
    assert executor.outer_limit(hidden) is None
    assert direct.status == counted.status == Status.OK
    assert direct.body == counted.body
    assert direct.truncated is counted.truncated is (limit > cap)


def test_limit_past_the_cap_is_still_capped(store):
    out = _run(store, "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 15", "tsv", 4)
    assert out.truncated
    assert out.body.count(b"\n") == 5  # the header, then the cap's 4 rows


def test_guard_keeps_only_what_it_passed(monkeypatch):
    monkeypatch.setattr(executor, "_passed", {})
    calls = []
    real = executor.check_query

    def counting(text, policy, *, networked=False):
        calls.append(text)
        return real(text, policy, networked=networked)

    monkeypatch.setattr(executor, "check_query", counting)
    policy = Policy(max_nesting=20)
    plain = "SELECT * { ?s ?p ?o }"
    for _ in range(3):
        assert executor._guard(plain, policy, False) == []
    assert calls == [plain]  # scanned once
    deep = "SELECT * { " + "{ " * 30 + "?s ?p ?o" + " }" * 30 + " }"
    for _ in range(2):
        with pytest.raises(TooComplex):
            executor._guard(deep, policy, False)
    assert calls.count(deep) == 2  # refused, never kept
    # a text passed under one limit is checked again under a stricter one
    nested = "SELECT * { { { ?s ?p ?o } } }"
    assert executor._guard(nested, policy, False) == []
    with pytest.raises(TooComplex):
        executor._guard(nested, Policy(max_nesting=1), False)
    remote = "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(Refused):
            executor._guard(remote, policy, False)
    assert calls.count(remote) == 2


def test_guard_is_bounded(monkeypatch):
    monkeypatch.setattr(executor, "_passed", {})
    for i in range(executor._PASSED_MAX + 10):
        executor._guard(f"SELECT * {{ ?s ?p {i} }}", Policy(), False)
    assert len(executor._passed) == executor._PASSED_MAX
    assert ("SELECT * { ?s ?p 0 }", 0) not in executor._passed  # the oldest went first
    big = "SELECT * { ?s ?p ?o } #" + "x" * executor._PASSED_MAX_CHARS
    executor._guard(big, Policy(), False)
    assert (big, 0) not in executor._passed
