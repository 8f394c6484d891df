"""A capped SELECT is serialized once, in the negotiated format (``executor.RowCap``), and its
answer is byte for byte the one the former two-pass path gave (TSV through ``LineCap``, parsed
back and written again in the negotiated format), with the same truncation flag: for every
results format, caps below, at and above the row count, literals made to look like row
boundaries in each format, rows with nothing bound, and any split of the serializer's writes.
"""

from __future__ import annotations

import contextlib
import io

import pyoxigraph as ox
import pytest

from ctkg.server.engine import executor
from ctkg.server.engine.executor import LineCap, RowCap, Spool, _CapReached, _write_solutions
from ctkg.server.engine.serialisation import OX_RESULTS

FORMATS = ["json", "xml", "csv", "tsv"]
# literals that mimic a row's start or end in one format or another
TRICKY = [
    "},{",
    '},{"s',
    "},{}",
    'x},{"',
    "x}},{",
    "a\\",
    'a\\"},{"b',
    "\\\\",
    '\\"',
    "<result>",
    "</result><result>",
    "&lt;result>",
    "a,b",
    'say "hi"',
    '"\r\n"',
    "line\nnext",
    "cr\rlf\r\n",
    "tab\there",
    '"',
    '""',
    "Hải Phòng",
    "]}}",
    "",
]
QUERY = """SELECT ?s ?o ?z WHERE {
  { ?s <http://e/p> ?o } UNION { BIND(1 AS ?nothing) } UNION { ?s <http://e/q> ?o }
  OPTIONAL { ?s <http://e/none> ?z }
} ORDER BY ?s ?o"""


@pytest.fixture(scope="module")
def store():
    store = ox.Store()
    p, q = ox.NamedNode("http://e/p"), ox.NamedNode("http://e/q")
    quads = []
    for i in range(1500):  # big enough for the serializers' writes to be split many times
        text = TRICKY[i % len(TRICKY)]
        subject = ox.NamedNode(f"http://e/s{i:05d}") if i % 7 else ox.BlankNode(f"b{i}")
        if i % 3 == 0:
            value = ox.Literal(text, language="vi")
        elif i % 3 == 1:
            value = ox.Literal(text + str(i))
        else:
            value = ox.Literal(
                str(i), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            )
        quads.append(ox.Quad(subject, p if i % 5 else q, value))
    store.extend(quads)
    return store


def rows_in(store) -> int:
    return sum(1 for _ in store.query(QUERY))


def old_path(result, key: str, limit: int) -> tuple[bytes, bool]:
    """The executor's SELECT serialization before RowCap (through TSV, then re-serialized)."""
    spool = Spool("")
    if not limit:
        result.serialize(spool, format=OX_RESULTS[key])
        return spool.result(), False
    tsv = io.BytesIO()
    cap = LineCap(tsv, limit + 1)
    with contextlib.suppress(_CapReached):
        result.serialize(cap, format=ox.QueryResultsFormat.TSV)
    if key == "tsv":
        spool.write(tsv.getbuffer())
    else:
        parsed = ox.parse_query_results(tsv.getvalue(), format=ox.QueryResultsFormat.TSV)
        parsed.serialize(spool, format=OX_RESULTS[key])
    return spool.result(), cap.truncated


def new_path(result, key: str, limit: int) -> tuple[bytes, bool]:
    spool = Spool("")
    truncated = _write_solutions(result, key, limit, spool)
    return spool.result(), truncated


@pytest.mark.parametrize("key", FORMATS)
def test_a_capped_answer_is_the_two_pass_answer_byte_for_byte(store, key):
    n = rows_in(store)
    assert n > 1500  # the UNION's row with nothing bound is in it
    for limit in (0, 1, 2, 3, 22, 23, 24, 500, n - 1, n, n + 1, 100_000):
        new = new_path(store.query(QUERY), key, limit)
        old = old_path(store.query(QUERY), key, limit)
        assert new == old, (key, limit)
        assert new[1] == (0 < limit < n), (key, limit)


@pytest.mark.parametrize("key", ["json", "xml", "csv"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 61])
def test_the_row_cap_is_exact_for_any_split_of_the_writes(store, key, chunk):
    whole = io.BytesIO()
    store.query(QUERY).serialize(whole, format=OX_RESULTS[key])
    data = whole.getvalue()
    n = rows_in(store)
    for limit in (1, 7, n - 1, n, n + 1):
        spool = Spool("")
        cap = RowCap(spool, key, limit)
        with contextlib.suppress(_CapReached):
            for i in range(0, len(data), chunk):
                cap.write(data[i : i + chunk])
        cap.finish()
        assert (spool.result(), cap.truncated) == old_path(store.query(QUERY), key, limit), (
            key,
            chunk,
            limit,
        )


class Counted:
    """A SELECT answer that counts how many times it is serialized."""

    def __init__(self, result):
        self.result = result
        self.calls = 0

    def serialize(self, output, format):
        self.calls += 1
        return self.result.serialize(output, format=format)


@pytest.mark.parametrize("key", FORMATS)
def test_a_capped_select_is_serialized_once_and_never_parsed(store, key, monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("the answer was parsed back")

    monkeypatch.setattr(executor.ox, "parse_query_results", parse)
    for limit in (5, 100_000):
        answer = Counted(store.query(QUERY))
        body, _ = new_path(answer, key, limit)
        assert answer.calls == 1 and body
