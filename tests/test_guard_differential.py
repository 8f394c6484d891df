"""The same strings to the SERVICE guard (rdflib's parser) and to the engine (Oxigraph): where
they disagree is where the guard alone would let a query reach the network (issue 14).

The engine's side runs in a child process under ``ctkg.sandbox.deny_network()``, so "the engine
tried to connect" is observed exactly (``PermissionError`` from the socket call) and nothing is
ever sent. Properties: the differential finds the known disagreement (a comment ended by a lone
CR), and every string the engine would send anywhere is refused by the executor that the server
really uses, with no connection. ``CTKG_FUZZ_EXAMPLES`` sets how many generated strings are
tried (default 40).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctkg.server.engine.guard import Policy, Refused, Unparseable, check_query, check_update

# each example is one batch of up to 60 strings, run in one sandboxed child
EXAMPLES = max(2, int(os.environ.get("CTKG_FUZZ_EXAMPLES", "40")) // 20)
TARGET = "SERVICE <http://127.0.0.1:9999/sparql> { ?s ?p ?o }"
# characters and sequences the two lexers might read differently
TRICKS = [
    "#\r",
    "#\n",
    "#\f",
    "#\v",
    "#\x85",
    "#\u2028",
    "# x\r",
    "\r",
    "\f",
    "\x0b",
    "\u00a0",
    "'\\'' ",
    '"\\"" ',
    "'''a'b''' ",
    '"""a"b""" ',
    "'\\\\' ",
    '"\\u0022" ',
    "'\\u0027' ",
    "<a#b> ",
    "<\\u003e> ",
    "/*",
    "*/",
    "-- ",
    "\\u0020",
    "",
]

_ENGINE = r"""
import json, sys
from ctkg import sandbox
sandbox.deny_network()
import pyoxigraph as ox
from ctkg.server.engine.guard import Policy, Refused, Unparseable, TooComplex, check_query
from ctkg.server.engine.executor import run_query
from ctkg.server.engine.jobs import QueryJob
store = ox.Store()
out = []
for text in json.load(sys.stdin):
    try:
        check_query(text, Policy())
        guard = "passes"
    except (Refused, Unparseable, TooComplex) as exc:
        guard = type(exc).__name__
    try:
        check_query(text, Policy(), networked=True)
        strict = "passes"
    except (Refused, Unparseable, TooComplex) as exc:
        strict = type(exc).__name__
    try:
        result = store.query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
        engine = "ran"
    except PermissionError:
        engine = "network"
    except SyntaxError:
        engine = "syntax"
    except Exception as exc:
        engine = type(exc).__name__
    job = QueryJob(text, "json", "turtle", 0, "https://w3id.org/ctkg/")
    from ctkg.server.engine.executor import handle, _Reader
    class Fixed(_Reader):
        def current(self):
            return store
    served = handle(Fixed(None), job, Policy()).status
    out.append({"text": text, "guard": guard, "strict": strict, "engine": engine, "served": served})
json.dump(out, sys.stdout)
"""


def differential(texts: list[str]) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", _ENGINE],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def corpus() -> list[str]:
    texts = []
    for trick in TRICKS:
        texts.append(f"SELECT * WHERE {{ {trick}{TARGET}\n}}")
        texts.append(f"SELECT * WHERE {{ ?s ?p ?o . {trick} {TARGET} }}")
    return texts


def test_the_differential_finds_the_known_disagreement_and_nothing_is_served():
    rows = differential(corpus())
    smuggled = [r for r in rows if r["guard"] == "passes" and r["engine"] == "network"]
    # the guard reads "#...\r SERVICE" as one comment; Oxigraph ends the comment at the CR
    assert any("#\r" in r["text"] for r in smuggled), smuggled
    for row in rows:
        if row["engine"] == "network":
            assert row["served"] == "forbidden", row
            # where the engine has network (a remote store), the strict reading refuses it
            assert row["strict"] != "passes", row


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CTKG_FUZZ_EXAMPLES") is None,
    database=None,
)
@given(
    st.lists(
        st.tuples(st.sampled_from(TRICKS), st.sampled_from(TRICKS), st.booleans()),
        min_size=1,
        max_size=60,
    )
)
def test_whatever_the_lexers_disagree_on_nothing_reaches_the_network(combos):
    texts = []
    for first, second, nested in combos:
        inner = f"{first}{TARGET}{second}"
        texts.append(
            f"SELECT * WHERE {{ OPTIONAL {{ {inner}\n}} }}" if nested else f"ASK {{ {inner}\n}}"
        )
    for row in differential(texts):
        if row["engine"] == "network":
            assert row["served"] == "forbidden", row
            assert row["strict"] != "passes", row


# --- where the engine has network: the remote store, the allow-listed executor ----------------

ALLOWED = "http://93.184.216.34/sparql"  # a global address literal: no DNS needed


def test_strict_reading_refuses_a_service_hidden_beside_an_allowed_one():
    """The allow-listed executor has network: a second SERVICE hidden from rdflib by a lone CR
    would ride along with the allowed one. The embedded reading lets it through (the sandboxed
    executor would hand the query on); the strict one refuses it."""
    policy = Policy(allowlist=(ALLOWED,))
    text = f"SELECT * WHERE {{ SERVICE <{ALLOWED}> {{ ?s ?p ?o }} #\r{TARGET}\n}}"
    assert check_query(text, policy) == [ALLOWED]
    with pytest.raises(Refused, match="line end"):
        check_query(text, policy, networked=True)
    plain = f"SELECT * WHERE {{ SERVICE <{ALLOWED}> {{ ?s ?p ?o }} # a comment\n}}"
    assert check_query(plain, policy, networked=True) == [ALLOWED]


def test_strict_reading_refuses_what_rdflib_cannot_read_if_it_mentions_service():
    """Oxigraph (or Virtuoso) may read what rdflib cannot: on a networked engine that is refused
    as unreadable; on the sandboxed one it is left to the engine (it has no network)."""
    text = f"DEFINE get:soft 'replace' SELECT * WHERE {{ {TARGET} }}"
    assert check_query(text, Policy()) == []
    with pytest.raises(Unparseable, match="cannot read it"):
        check_query(text, Policy(), networked=True)
    # no SERVICE or LOAD in sight: nothing to check, on either engine
    assert check_query("SELECT * WHERE { ?s ?p ?o }", Policy(), networked=True) == []


def test_strict_reading_of_updates():
    update = f"INSERT DATA {{ GRAPH <urn:g> {{ <urn:a> <urn:b> 'x' }} }} ;#\rLOAD <{ALLOWED}x>"
    assert check_update(update, Policy()) == []
    with pytest.raises(Refused):
        check_update(update, Policy(), networked=True)
    with pytest.raises(Unparseable):
        check_update("LOAD <http://127.0.0.1:1/> INTO GRAPH", Policy(), networked=True)
