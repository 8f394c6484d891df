"""Binding parameters for stores that have no substitution API (remote SPARQL 1.1 endpoints).

Oxigraph binds named-query parameters with SEP-0007 substitutions. A remote endpoint only takes
query text, so the same binding is done on the query's tokens: every occurrence of the variable
becomes the term (serialised by pyoxigraph, so a value is always one escaped RDF term and can
never change the query's structure), and in a SELECT projection ``?x`` becomes ``(term AS ?x)``,
so the column is still returned. Strings, IRIs and comments are skipped, never rewritten.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?)
  | (?P<open>[({])
  | (?P<close>[)}])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def substitute(query: str, substitutions: dict[ox.Variable, object]) -> str:
    """``query`` with each substituted variable replaced by its term (SEP-0007 semantics).

    Where a term is not allowed the variable is dropped instead: in a subquery's projection
    (the outer query projects it) and in GROUP BY / ORDER BY (grouping or ordering by a
    constant changes nothing).
    """
    values = {var.value: str(term) for var, term in substitutions.items()}
    if not values:
        return query
    out: list[str] = []
    clause = None  # "projection", "nested-projection", "group", "order" or None
    selects = depth = 0
    previous = ""
    for m in TOKEN.finditer(query):
        kind, text = m.lastgroup, m.group()
        if kind == "word":
            upper = text.upper()
            if upper == "SELECT":
                clause = "projection" if selects == 0 else "nested-projection"
                selects += 1
                depth = 0
            elif upper == "BY" and previous in ("GROUP", "ORDER"):
                clause, depth = previous.lower(), 0
            elif depth == 0 and upper in (
                "WHERE",
                "FROM",
                "HAVING",
                "ORDER",
                "GROUP",
                "LIMIT",
                "OFFSET",
                "VALUES",
            ):
                clause = None
            previous = upper
        elif kind == "open":
            if text == "{":
                clause = None
            elif clause:
                depth += 1
        elif kind == "close":
            if text == "}":
                clause = None
            elif clause:
                depth -= 1
        elif kind == "var" and text[1:] in values:
            term = values[text[1:]]
            if clause == "projection" and depth == 0:
                text = f"({term} AS {text})"
            elif clause in ("nested-projection", "group", "order") and depth == 0:
                text = ""
            else:
                text = term
        if kind not in ("comment",) and not text.isspace():
            previous = previous if kind == "word" else ""
        out.append(text)
    return "".join(out)
