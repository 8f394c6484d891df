"""Running SPARQL for the terminal: ``ctkg query`` prints a table, JSON, CSV, TSV or XML."""

from __future__ import annotations

import sys

import pyoxigraph as ox

from ctkg.config import Settings
from ctkg.graph.dumps import prefixes
from ctkg.graph.store import open_store

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


def execute(store: ox.Store, text: str, substitutions: dict | None = None):
    """Run ``text`` on the store; its default graph is the merge of all named graphs."""
    return store.query(text, substitutions=substitutions)


def run_and_print(settings: Settings, text: str, fmt: str, out=None) -> int:
    out = out or sys.stdout
    try:
        result = execute(open_store(settings), text)
    except SyntaxError as exc:
        raise SyntaxError(f"invalid SPARQL: {exc}") from None
    if isinstance(result, ox.QueryBoolean) and fmt not in RESULT_FORMATS:
        print("true" if bool(result) else "false", file=out)
        return 0
    if isinstance(result, ox.QueryTriples):
        out.write(result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8"))
        return 0
    if fmt in RESULT_FORMATS:
        out.write(result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8"))
        if fmt == "json":
            out.write("\n")
        return 0
    print_table(result, prefixes(settings.base_iri), out)
    return 0


def short(term, pfx: dict[str, str]) -> str:
    """A term as a person reads it: prefixed IRI, or the literal's text (with @lang)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for name, ns in sorted(pfx.items(), key=lambda kv: -len(kv[1])):
            if term.value.startswith(ns):
                return f"{name}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return str(term)


def print_table(solutions: ox.QuerySolutions, pfx: dict[str, str], out) -> None:
    names = [v.value for v in solutions.variables]
    rows = [[short(sol[n], pfx) for n in names] for sol in solutions]
    widths = [min(60, max([len(n), *(len(r[i]) for r in rows)])) for i, n in enumerate(names)]

    def line(cells):
        return " | ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    print(line(names), file=out)
    print("-+-".join("-" * w for w in widths), file=out)
    for r in rows:
        print(line(r), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)
