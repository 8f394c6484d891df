"""``ctkg run NAME [--PARAM VALUE …]`` and ``ctkg queries``: named queries from the terminal.

``ctkg.cli`` imports this module when it exists; the decorators register the subcommands.
"""

from __future__ import annotations

import argparse
import sys

import pyoxigraph as ox

from ctkg.cli import UsageError, command, option
from ctkg.config import Settings

FORMATS = ("table", "json", "csv", "tsv", "xml")


@command("run", "run a named query (see `ctkg queries`)")
@option("name", help="the named query, e.g. series-editions")
@option(
    "query_args",
    nargs=argparse.REMAINDER,
    metavar="--PARAM VALUE",
    help="parameter values (--province id:province/thai-nguyen, or --param province=…), "
    "and --format table|json|csv|tsv|xml",
)
def cmd_run(args, settings: Settings) -> int:
    """Run a named query from queries/ with its parameters bound by type."""
    from ctkg.graph.store import open_store
    from ctkg.namespaces import prefixes

    from .catalog import UnknownQueryError, get, run_named
    from .terminal import RESULT_FORMATS, print_table

    try:
        query = get(args.name)  # unknown names fail before the store is opened
    except UnknownQueryError as exc:
        raise UsageError(str(exc)) from None
    if {"-h", "--help"} & set(args.query_args):
        return describe(query, "en")
    params, fmt = parse_query_args(args.query_args)
    query.bind(params, settings.base_iri)  # bad values fail before the store is opened
    result = run_named(open_store(settings), args.name, params, base_iri=settings.base_iri)
    out = sys.stdout
    if isinstance(result, ox.QueryBoolean):
        print("true" if bool(result) else "false", file=out)
    elif isinstance(result, ox.QueryTriples):
        out.write(result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8"))
    elif fmt == "table":
        print_table(result, prefixes(settings.base_iri), out)
    else:
        out.write(result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8"))
        if fmt == "json":
            out.write("\n")
    return 0


def parse_query_args(tokens: list[str]) -> tuple[dict[str, str], str]:
    """``--name value``, ``--name=value``, ``--param name=value`` / ``-p name=value`` and
    ``--format F`` into ({name: value}, format); UsageError for anything else."""
    params: dict[str, str] = {}
    fmt = "table"
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.startswith("-") or token in ("-", "--"):
            raise UsageError(f"unexpected argument {token!r}: parameters are given as --NAME VALUE")
        key, eq, value = token.lstrip("-").partition("=")
        if not eq:
            if i + 1 >= len(tokens):
                raise UsageError(f"{token} needs a value")
            value = tokens[i + 1]
            i += 1
        i += 1
        if key in ("p", "param"):
            name, eq, value = value.partition("=")
            if not eq or not name:
                raise UsageError(f"{token} expects NAME=VALUE, got {value!r}")
            key = name
        elif key == "format":
            if value not in FORMATS:
                raise UsageError(f"--format must be one of {', '.join(FORMATS)}, got {value!r}")
            fmt = value
            continue
        if key in params:
            raise UsageError(f"parameter {key!r} given twice")
        params[key] = value
    return params, fmt


@command("queries", "list the named queries, or describe one")
@option("name", nargs="?", help="a named query to describe")
@option("--lang", choices=["vi", "en"], default="en", help="language of titles and descriptions")
def cmd_queries(args, settings: Settings) -> int:
    """List the named queries with their titles, or show one query's parameters and text."""
    from .catalog import all_queries, get

    lang = args.lang
    if not args.name:
        queries = all_queries()
        width = max(len(q.name) for q in queries)
        for q in queries:
            print(f"{q.name.ljust(width)}  {q.title[lang]}")
        print("\nctkg queries NAME describes one; ctkg run NAME [--PARAM VALUE …] runs it.")
        return 0
    return describe(get(args.name), lang)


def describe(q, lang: str) -> int:
    """Print one named query's title, description and parameters."""
    print(f"{q.name}: {q.title[lang]}  [view: {q.view}]")
    print(f"\n{q.description[lang]}\n")
    if q.params:
        print("parameters:")
        for p in q.params:
            if p.required:
                spec = "required"
            elif p.default is not None:
                spec = f"default {p.default}"
            else:
                spec = "optional"
            desc = p.description.get(lang) or p.description.get("en", "")
            print(f"  --{p.name} ({p.type}, {spec}): {desc}")
    print(f"\nfile: {q.path}")
    print(f"run:  ctkg run {q.name} [--PARAM VALUE …] [--format table|json|csv|tsv|xml]")
    return 0
