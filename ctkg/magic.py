"""The ``%%sparql`` cell magic: ``%load_ext ctkg``, then a SPARQL query per cell, a DataFrame back.

::

    %load_ext ctkg
    %sparql_config --endpoint http://127.0.0.1:8080/sparql   # or --data-dir DIR, --embedded
    %sparql_config --lang en --timeout 5                     # labels in English, 5 s budget

    %%sparql -o hosts
    PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
    SELECT ?year ?place WHERE { ?e ctkg:year ?year ; ctkg:hostProvince ?place }

Options of ``%%sparql`` (each overrides the configuration for that cell only):

``-e/--endpoint URL``  a SPARQL endpoint; ``-d/--data-dir DIR`` an embedded store's data dir;
``-l/--lang TAG`` keep labels in that language (``none``: all); ``-t/--timeout S`` the time
budget; ``-o/--output NAME`` keep the DataFrame in the notebook's variable NAME; ``-q/--quiet``
show nothing (with ``-o``).

The default graph is ``$CTKG_ENDPOINT`` when that is set, else the embedded store of
``$CTKG_DATA_DIR``. A query that fails shows the store's or server's message in one line, and the
cell fails (so a notebook run in CI stops there) — no traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from IPython.core.magic import Magics, cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

__all__ = ["SparqlError", "SparqlMagics", "register"]


class SparqlError(Exception):
    """A failed ``%%sparql`` cell: IPython shows the message alone, not a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[0;31mSPARQL error:\x1b[0m {self}"]


@dataclass(frozen=True)
class Config:
    """Where ``%%sparql`` runs: an endpoint URL, or an embedded store's data dir (None: default)."""

    endpoint: str | None = None
    data_dir: str | None = None
    lang: str | None = "vi"
    timeout: float | None = None

    @classmethod
    def from_env(cls) -> Config:
        return cls(endpoint=os.environ.get("CTKG_ENDPOINT") or None)

    @property
    def source(self) -> str | None:
        return self.endpoint or self.data_dir

    def describe(self) -> str:
        data_dir = self.data_dir or os.environ.get("CTKG_DATA_DIR") or "the default data dir"
        where = f"endpoint {self.endpoint}" if self.endpoint else f"embedded store in {data_dir}"
        timeout = f"{self.timeout:g} s" if self.timeout else "the store's default"
        labels = self.lang or "all languages"
        return f"%%sparql runs on the {where}; labels: {labels}; timeout: {timeout}"


def _lang(value: str | None) -> str | None:
    return None if value is None or value.lower() in ("none", "all", "") else value


def _timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise SparqlError(f"--timeout must be a number of seconds, not {value!r}") from None
    if not seconds > 0:
        raise SparqlError("--timeout must be a positive number of seconds")
    return seconds


@magics_class
class SparqlMagics(Magics):
    """``%%sparql`` and ``%sparql_config``."""

    def __init__(self, shell=None):
        super().__init__(shell)
        self.config_ = Config.from_env()

    @magic_arguments()
    @argument("-e", "--endpoint", help="URL of a SPARQL endpoint (ours: http://HOST:PORT/sparql)")
    @argument("-d", "--data-dir", help="data dir of an embedded store (built by `ctkg build`)")
    @argument("-l", "--lang", help="keep labels in this language (vi, en; 'none' keeps all)")
    @argument("-t", "--timeout", help="time budget of the query, in seconds")
    @argument("-o", "--output", help="keep the DataFrame in this notebook variable")
    @argument("-q", "--quiet", action="store_true", help="do not display the DataFrame")
    @cell_magic
    def sparql(self, line: str, cell: str):
        """Run the cell's SPARQL query (SELECT or ASK) on the configured graph; a DataFrame.

        %%sparql [-e URL | -d DIR] [-l LANG] [-t SECONDS] [-o NAME] [-q]
        """
        args = self._parse(self.sparql, line)
        config = self.config_
        if args.endpoint:
            config = replace(config, endpoint=args.endpoint, data_dir=None)
        elif args.data_dir:
            config = replace(config, endpoint=None, data_dir=args.data_dir)
        if args.lang is not None:
            config = replace(config, lang=_lang(args.lang))
        if args.timeout is not None:
            config = replace(config, timeout=_timeout(args.timeout))
        if args.output and not args.output.isidentifier():
            raise SparqlError(f"-o needs a Python variable name, not {args.output!r}")
        if not cell.strip():
            raise SparqlError("the cell holds no query: write the SPARQL below %%sparql")

        frame = self._run(config, cell)
        if args.output:
            self.shell.user_ns[args.output] = frame
        if frame.attrs.get("capped"):
            print(f"note: the server capped the results at {len(frame)} rows")
        return None if args.quiet else frame

    @magic_arguments()
    @argument("-e", "--endpoint", help="run %%sparql on this SPARQL endpoint URL")
    @argument("-d", "--data-dir", help="run %%sparql on the embedded store of this data dir")
    @argument("--embedded", action="store_true", help="back to the embedded store ($CTKG_DATA_DIR)")
    @argument("-l", "--lang", help="label language (vi, en; 'none' keeps all)")
    @argument("-t", "--timeout", help="time budget in seconds ('none': the store's default)")
    @line_magic
    def sparql_config(self, line: str = ""):
        """Set where ``%%sparql`` runs, its label language and time budget; no options: show it.

        %sparql_config [--endpoint URL | --data-dir DIR | --embedded] [--lang LANG] [--timeout S]
        """
        args = self._parse(self.sparql_config, line)
        config = self.config_
        if sum(bool(x) for x in (args.endpoint, args.data_dir, args.embedded)) > 1:
            raise SparqlError("give one of --endpoint, --data-dir, --embedded")
        if args.endpoint:
            config = replace(config, endpoint=args.endpoint, data_dir=None)
        elif args.data_dir:
            config = replace(config, endpoint=None, data_dir=args.data_dir)
        elif args.embedded:
            config = replace(config, endpoint=None, data_dir=None)
        if args.lang is not None:
            config = replace(config, lang=_lang(args.lang))
        if args.timeout is not None:
            none = args.timeout.lower() in ("none", "0", "")
            config = replace(config, timeout=None if none else _timeout(args.timeout))
        self.config_ = config
        print(config.describe())

    def _parse(self, magic, line: str):
        try:
            return parse_argstring(magic, line)
        except Exception as exc:  # argparse's usage errors, unbalanced quotes
            raise SparqlError(f"{exc} (usage: {_usage(magic)})") from None

    def _run(self, config: Config, sparql: str):
        from ctkg.api import KnowledgeGraph, QueryError, QueryTimeout

        try:
            kg = KnowledgeGraph(config.source, lang=config.lang, timeout=config.timeout)
            return kg.query(sparql)
        except QueryTimeout as exc:
            raise SparqlError(f"timed out: {exc}") from None
        except QueryError as exc:
            raise SparqlError(str(exc)) from None
        except Exception as exc:  # e.g. no graph built yet, a bad data dir
            raise SparqlError(f"{type(exc).__name__}: {exc}") from None


USAGE = {
    "sparql": "%%sparql [-e URL | -d DIR] [-l LANG] [-t SECONDS] [-o NAME] [-q]",
    "sparql_config": "%sparql_config [-e URL | -d DIR | --embedded] [-l LANG] [-t SECONDS]",
}


def _usage(magic) -> str:
    return USAGE.get(magic.__name__, magic.__name__)


def register(ipython) -> SparqlMagics:
    """Register ``%%sparql`` and ``%sparql_config`` on ``ipython`` (``%load_ext ctkg`` calls it)."""
    magics = SparqlMagics(ipython)
    ipython.register_magics(magics)
    return magics
