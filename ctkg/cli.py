"""The ``ctkg`` command: build, validate, query and serve the graph.

Each subcommand is one function; errors end as one line on stderr and a non-zero exit, never a
traceback (set CTKG_LOG_LEVEL=DEBUG to see one). A command that cannot do what it was asked
raises ``CliError`` (the one error type of the CLI) with its exit code; ``main`` is the one place
that turns any exception into that line and code (see ``exit_code``).

Exit codes: 0 done; 1 (``EXIT_FAILED``) the work was tried and failed, or a check found
problems; 2 (``EXIT_USAGE``) the input was wrong (arguments, files, query text, parameters);
130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable

from ctkg.config import Settings

EXIT_USAGE = 2
EXIT_FAILED = 1

COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable]] = {}


def command(name: str, help_text: str):
    """Register a subcommand: the decorated function gets (args, settings)."""

    def register(func):
        def configure(parser: argparse.ArgumentParser) -> None:
            parser.set_defaults(func=func)
            if func.__doc__:
                parser.description = func.__doc__.strip().splitlines()[0]
            for args, kwargs in getattr(func, "_options", []):
                parser.add_argument(*args, **kwargs)

        COMMANDS[name] = (configure, help_text)
        return func

    return register


def option(*args, **kwargs):
    def attach(func):
        func._options = [(args, kwargs), *getattr(func, "_options", [])]
        return func

    return attach


@command("build", "build the graph (store + dumps) from the sources")
@option("--no-validate", action="store_true", help="skip SHACL and source checks")
@option("--inputs", metavar="DIR", help="build from a copy of the sources laid out like the repo")
@option("-q", "--quiet", action="store_true", help="no progress output")
def cmd_build(args, settings: Settings) -> int:
    """Build the graph into CTKG_DATA_DIR and make it current (atomic)."""
    from ctkg.graph.build import build
    from ctkg.graph.inputs import Inputs

    inputs = Inputs.under(args.inputs) if args.inputs else None
    result = build(settings, inputs=inputs, quiet=args.quiet, validate=not args.no_validate)
    m = result.manifest
    print(f"built {m['quads']} quads in {len(m['graphs'])} graphs -> {result.path}")
    print(f"dumps: {result.path / 'dumps'}  ({m['seconds']} s)")
    return 0


@command("validate", "check the current graph: sources, SHACL, Data Cube ICs, OWL reasoner")
def cmd_validate(args, settings: Settings) -> int:
    """Validate the current build: every triple sourced, SHACL conformance, the 21 Data Cube
    integrity constraints, HermiT consistency."""
    from ctkg.graph import checks
    from ctkg.graph.store import open_store
    from ctkg.iris import IriScheme
    from ctkg.ontology import datacube, reasoning, shacl
    from ctkg.progress import Progress

    scheme = IriScheme(settings.base_iri)
    store = open_store(settings)
    progress = Progress(4)
    failed = False
    with progress.step("every triple cites a source; every reference resolves"):
        problems = checks.unsourced_triples(store, scheme) + checks.dangling_references(
            store, scheme
        )
        for line in problems:
            progress.note(line)
        failed |= bool(problems)
    with progress.step("SHACL shapes"):
        report = shacl.validate_store(store, scheme)
        for line in report.lines:
            progress.note(line)
        failed |= not report.conforms
    with progress.step("Data Cube integrity constraints IC-1…IC-21 (after normalisation)"):
        cube = datacube.check_cube(store)
        for line in cube.lines:
            progress.note(line)
        failed |= not cube.ok
    with progress.step("OWL 2 reasoner (HermiT) on the ontology and all instance data"):
        result = reasoning.reason(_merged_graph(store), strict=False)
        if result.message:
            progress.note(result.message)
        progress.note(
            f"consistent: {result.consistent}; unsatisfiable classes: "
            f"{len(result.unsatisfiable)}; {result.seconds:.1f} s"
        )
        failed |= not result.consistent or bool(result.unsatisfiable)
    print("valid" if not failed else "INVALID")
    return EXIT_FAILED if failed else 0


def _merged_graph(store):
    """The store's default graph (the merge of every graph) as an rdflib Graph."""
    import pyoxigraph as ox

    from ctkg.ontology.shacl import store_graph

    return store_graph(store, ox.DefaultGraph())


@command("query", "run a SPARQL query against the current graph")
@option("sparql", help="the query text, or @file.rq, or - for stdin")
@option("--format", choices=["table", "json", "csv", "tsv", "xml"], default="table")
def cmd_query(args, settings: Settings) -> int:
    """Run a SPARQL query on the current graph (default graph: the merge of all graphs)."""
    from ctkg.queries.terminal import run_and_print

    text = _read_query_arg(args.sparql)
    return run_and_print(settings, text, args.format)


def _read_query_arg(value: str) -> str:
    if value == "-":
        return sys.stdin.read()
    if value.startswith("@"):
        try:
            with open(value[1:], encoding="utf-8") as f:
                return f.read()
        except OSError as exc:
            raise UsageError(f"cannot read query file: {exc.strerror}: {value[1:]}") from None
    return value


class CliError(Exception):
    """A command cannot do what it was asked: ``main`` prints ``message`` as one line and exits
    with ``exit_code``."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(CliError):
    """A ``CliError`` of the input (exit 2): the command line asks for what cannot be done."""

    exit_code = EXIT_USAGE


def exit_code(exc: BaseException) -> int:
    """The exit code for ``exc``: a ``CliError``'s own; bad input that library code reports as
    ``ValueError`` or ``SyntaxError`` (query text, parameters, dates) is a usage error; anything
    else failed."""
    if isinstance(exc, CliError):
        return exc.exit_code
    return EXIT_USAGE if isinstance(exc, SyntaxError | ValueError) else EXIT_FAILED


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ctkg", description="Công Thương Knowledge Graph")
    p.add_argument("--data-dir", help="override CTKG_DATA_DIR")
    p.add_argument("--base-iri", help="override CTKG_BASE_IRI")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, (configure, help_text) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text))
    return p


def main(argv: list[str] | None = None) -> int:
    _load_optional_commands()
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "func", None):
        p.print_help()
        return EXIT_USAGE
    level = os.environ.get("CTKG_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env(data_dir=args.data_dir, base_iri=args.base_iri)
        return args.func(args, settings)
    except KeyboardInterrupt:
        print("ctkg: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place that turns any failure into one clear line
        if level == "DEBUG":
            raise
        print(f"ctkg {args.command}: error: {_describe(exc)}", file=sys.stderr)
        return exit_code(exc)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text


def _load_optional_commands() -> None:
    """Subcommands defined by other subpackages register themselves on import."""
    for module in (
        "ctkg.queries.commands",
        "ctkg.server.commands",
        "ctkg.bench.commands",
        "ctkg.graph.curation.commands",
    ):
        try:
            __import__(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


if __name__ == "__main__":
    # run the imported module's main: subcommands register on ``ctkg.cli``, not on ``__main__``
    from ctkg.cli import main as _main

    sys.exit(_main())
