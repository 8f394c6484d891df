"""Running SPARQL for the terminal: ``ctkg query`` prints a table, JSON, CSV, TSV or XML."""

from __future__ import annotations

import sys

import pyoxigraph as ox

from ctkg.config import Settings
from ctkg.namespaces import curie, prefixes

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}


def execute(store: ox.Store, text: str, substitutions: dict | None = None):
    """Run ``text`` on the store; its default graph is the merge of all named graphs."""
    return store.query(text, substitutions=substitutions)


# the terminal has no time budget of its own: a query runs until it ends or Ctrl-C
_NO_BUDGET_S = 10.0**6


def run_sandboxed(settings: Settings, text: str, fmt: str):
    """Run an ad-hoc query the way the server does: in an executor process with no network
    access (``ctkg.sandbox``), so SERVICE/LOAD cannot reach anything and a crash of the engine
    is a message, not a dead terminal. Returns a pyoxigraph result parsed from its answer."""
    from ctkg.server.engine.backend import LocalBackend
    from ctkg.server.engine.jobs import QueryJob, Status

    results_format = fmt if fmt in RESULT_FORMATS else "json"
    job = QueryJob(
        query=text,
        results_format=results_format,
        graph_format="turtle",
        limit=0,
        base_iri=settings.base_iri,
    )
    backend = LocalBackend(settings)
    try:
        outcome = backend.run(job, _NO_BUDGET_S)
    finally:
        backend.close()
    if outcome.status != Status.OK:
        raise QueryFailed(_failure_message(outcome))
    body = outcome.body if outcome.body is not None else outcome.file.read()
    if outcome.file is not None:
        outcome.file.close()
    return outcome.kind, results_format, body


class QueryFailed(ValueError):
    """The query was refused or failed; the message says why (one line)."""


def _failure_message(outcome) -> str:
    from ctkg.server.engine.jobs import Status

    message = " ".join((outcome.message or outcome.status).split())
    if outcome.status == Status.SYNTAX:
        return f"invalid SPARQL: {message}"
    if outcome.status == Status.MEMORY:
        return (
            "the query needed more memory than one query may use "
            "(CTKG_EXECUTOR_MEMORY_MB); it was stopped"
        )
    if outcome.status == Status.CRASHED:
        return (
            "the query engine stopped on this query (it ran out of memory or crashed); "
            "nothing was answered"
        )
    return message


def run_and_print(settings: Settings, text: str, fmt: str, out=None) -> int:
    out = out or sys.stdout
    kind, results_format, body = run_sandboxed(settings, text, fmt)
    if kind == "graph":
        out.write(body.decode("utf-8"))
        return 0
    if fmt in RESULT_FORMATS:
        out.write(body.decode("utf-8"))
        if fmt == "json" and not body.endswith(b"\n"):
            out.write("\n")
        return 0
    result = ox.parse_query_results(body, format=RESULT_FORMATS[results_format])
    if isinstance(result, ox.QueryBoolean):
        print("true" if bool(result) else "false", file=out)
        return 0
    print_table(result, prefixes(settings.base_iri), out)
    return 0


def short(term, pfx: dict[str, str]) -> str:
    """A term as a person reads it: prefixed IRI, or the literal's text (with @lang)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return curie(term.value, pfx) or f"<{term.value}>"
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
