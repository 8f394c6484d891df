"""Named queries: ``queries/<name>.rq`` files with a metadata header, run with typed parameters.

The header is the leading block of ``#`` comment lines of the file (format in
``queries/README.md``)::

    # name: province-editions
    # title@vi: Các kỳ hội nghị một tỉnh đã / sẽ đăng cai
    # title@en: Editions a province hosted or will host
    # description@en: …            (a line "#   …" indented past the "#" continues the value)
    # param: province iri default=id:province/hai-phong — the province or city
    # param@vi: province — tỉnh, thành phố
    # param: lang lang default=vi — language of the labels
    # view: table

Parameters are bound with Oxigraph's SEP-0007 substitutions (``substitutions={Variable: term}``),
never by editing the query text: a value is parsed by its declared type into one RDF term, and
that term replaces the variable ``?<name>`` of the query. Oxigraph requires every substituted
variable to be in the SELECT projection, so each parameter variable is projected (and listed in
GROUP BY where the query aggregates). A parameter without ``default=`` and not ``required`` stays
an ordinary, unbound variable when not given: the query then ranges over all values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ctkg.iris import CANONICAL_BASE, is_iri
from ctkg.literals import XSD, LiteralError, lexical
from ctkg.namespaces import prefixes

from .terminal import execute

QUERIES_DIR = Path(__file__).resolve().parent
PARAM_TYPES = ("iri", "string", "lang-string", "lang", "integer", "decimal", "date", "year")
VIEWS = ("table", "bar-chart", "timeline", "map")
LANGUAGES = ("vi", "en")
RESERVED_PARAMS = {"format", "output", "help", "param", "p"}  # taken by the HTTP API and CLI
MAX_VALUE_CHARS = 2000
NAME_RE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
PARAM_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LANG_TAG_RE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
PREFIXED_RE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):([^\s<>\"{}|\\^`]*)")
# "# param: name type [required | default=value] — description"
PARAM_RE = re.compile(
    r"(?P<name>\S+)\s+(?P<type>\S+)"
    r"(?:\s+(?P<required>required)|\s+default=(?:\"(?P<qdefault>[^\"]*)\"|(?P<default>\S+)))?"
    r"\s+(?:—|--)\s+(?P<description>.+)"
)
PARAM_LANG_RE = re.compile(r"(?P<name>\S+)\s+(?:—|--)\s+(?P<description>.+)")
HEADER_LINE_RE = re.compile(r"#\s?(?P<key>[a-z]+(?:@[a-z]{2,3})?):\s*(?P<value>.*)")


class QueryParameterError(ValueError):
    """A parameter value that cannot be bound: unknown name, missing, or not of its type."""


class UnknownQueryError(LookupError):
    """No named query has this name."""

    def __init__(self, name: str, known: Iterable[str]):
        self.name = name
        super().__init__(f"unknown named query {name!r} (known: {', '.join(sorted(known))})")

    def __str__(self) -> str:  # LookupError's default would add quotes
        return self.args[0]


class QueryDefinitionError(ValueError):
    """A ``.rq`` file whose header does not follow the format."""


@dataclass(frozen=True)
class Param:
    """One declared parameter: bound to the query variable of the same name."""

    name: str
    type: str
    default: str | None = None
    required: bool = False
    description: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "required": self.required,
            "description": dict(self.description),
        }

    def term(self, value, base_iri: str = CANONICAL_BASE) -> ox.NamedNode | ox.Literal:
        """``value`` (a string as a user types it, or an RDF term) as this parameter's term."""
        if isinstance(value, ox.NamedNode | ox.Literal):
            return self._check_term(value)
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal | dt.date):
            raise self._error(value, "expected text or an RDF term")
        text = str(value)
        if len(text) > MAX_VALUE_CHARS:
            raise self._error(text[:40] + "…", f"longer than {MAX_VALUE_CHARS} characters")
        return _PARSERS[self.type](self, text, base_iri)

    def _check_term(self, term):
        if self.type == "iri":
            if isinstance(term, ox.NamedNode):
                return term
        elif isinstance(term, ox.Literal):
            if self.type == "lang-string" and term.language:
                return term
            if self.type != "lang-string" and not term.language:
                # re-parse the lexical form so a typed term is checked like a typed-in value
                parsed = _PARSERS[self.type](self, term.value, CANONICAL_BASE)
                if parsed.datatype == term.datatype:
                    return parsed
        raise self._error(str(term), "not a term of this type")

    def _error(self, value, why: str) -> QueryParameterError:
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        return QueryParameterError(f"parameter {self.name!r} ({self.type}): {why}: {shown}")


def _iri(param: Param, text: str, base_iri: str) -> ox.NamedNode:
    text = text.strip()
    iri = text
    m = PREFIXED_RE.fullmatch(text)
    if m and not text.startswith(("http:", "https:", "urn:")):
        prefixes = known_prefixes(base_iri)
        if m.group(1) not in prefixes:
            raise param._error(
                text,
                f"unknown prefix {m.group(1)!r} (use a full IRI or one of "
                f"{', '.join(sorted(prefixes))})",
            )
        iri = prefixes[m.group(1)] + m.group(2)
    if not is_iri(iri):
        raise param._error(text, "not an IRI (expected e.g. id:province/hai-phong or https://…)")
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise param._error(text, f"not a valid IRI ({exc})") from None


def _string(param: Param, text: str, base_iri: str) -> ox.Literal:
    return ox.Literal(text)


def _lang_string(param: Param, text: str, base_iri: str) -> ox.Literal:
    body, sep, tag = text.rpartition("@")
    if not sep or not LANG_TAG_RE.fullmatch(tag):
        raise param._error(text, "expected text@language, e.g. Hải Phòng@vi")
    return ox.Literal(body, language=tag.lower())


def _lang(param: Param, text: str, base_iri: str) -> ox.Literal:
    if not LANG_TAG_RE.fullmatch(text):
        raise param._error(text, "not a language tag (e.g. vi, en)")
    return ox.Literal(text.lower())


def _typed(xsd_type: str):
    """A parameter parser for an XSD datatype: the one literal parser (``ctkg/literals.py``)."""

    def parse(param: Param, text: str, base_iri: str) -> ox.Literal:
        try:
            value = lexical(text, XSD + xsd_type)
        except LiteralError as exc:
            raise param._error(text, exc.reason) from None
        return ox.Literal(value, datatype=ox.NamedNode(XSD + xsd_type))

    return parse


_PARSERS = {
    "iri": _iri,
    "string": _string,
    "lang-string": _lang_string,
    "lang": _lang,
    "integer": _typed("integer"),
    "decimal": _typed("decimal"),
    "date": _typed("date"),
    "year": _typed("gYear"),
}


def known_prefixes(base_iri: str = CANONICAL_BASE) -> dict[str, str]:
    """Prefixes an ``iri`` parameter may be written with (``id:`` and ``ctkg:`` follow the base)."""
    return prefixes(base_iri)


@dataclass(frozen=True)
class NamedQuery:
    """One ``.rq`` file: its metadata and its SPARQL text (header included; it is comments)."""

    name: str
    path: Path
    text: str
    title: dict[str, str]
    description: dict[str, str]
    params: tuple[Param, ...]
    view: str = "table"

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryParameterError(
            f"{self.name}: unknown parameter {name!r}"
            + (f" (parameters: {', '.join(p.name for p in self.params)})" if self.params else "")
        )

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": dict(self.title),
            "description": dict(self.description),
            "params": [p.to_dict() for p in self.params],
            "view": self.view,
        }

    def bind(
        self, values: Mapping[str, object] | None = None, base_iri: str = CANONICAL_BASE
    ) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
        """Parameter values (given, else defaults) as SEP-0007 substitutions, all checked."""
        values = dict(values or {})
        for name in values:
            self.param(name)  # unknown names fail before anything runs
        out = {}
        for p in self.params:
            value = values.get(p.name)
            if value is None or value == "":  # an empty form field is a value not given
                if p.required:
                    raise QueryParameterError(
                        f"{self.name}: parameter {p.name!r} ({p.type}) is required"
                    )
                value = p.default
            if value is not None:
                try:
                    out[ox.Variable(p.name)] = p.term(value, base_iri)
                except QueryParameterError as exc:
                    raise QueryParameterError(f"{self.name}: {exc}") from None
        return out

    def sparql(self, base_iri: str = CANONICAL_BASE) -> str:
        """The query text with IRIs under the canonical base moved to ``base_iri``.

        This rewrites the file's own constants for a deployment with another CTKG_BASE_IRI; it
        never inserts a parameter value.
        """
        if base_iri == CANONICAL_BASE:
            return self.text
        return self.text.replace("<" + CANONICAL_BASE, "<" + base_iri)


def parse(path: Path, text: str | None = None) -> NamedQuery:
    """Read one ``.rq`` file's header; QueryDefinitionError names the file and the line."""
    text = path.read_text(encoding="utf-8") if text is None else text
    meta: dict[str, str] = {}
    params: list[Param] = []
    param_vi: dict[str, dict[str, str]] = {}
    last: tuple[str, str | None] | None = None  # (key, param name) the next continuation extends

    def fail(lineno: int, why: str):
        raise QueryDefinitionError(f"{path.name}:{lineno}: {why}")

    lines = text.splitlines()
    for lineno, line in enumerate(lines, 1):
        if not line.startswith("#"):
            break
        if re.fullmatch(r"#\s*", line):
            last = None
            continue
        if line.startswith("#  ") and last:  # continuation of the previous value
            key, pname = last
            extra = " " + line[1:].strip()
            if key == "param":
                params[-1].description["en"] += extra
            elif key == "param@vi" and pname:
                param_vi[pname]["vi"] += extra
            else:
                meta[key] += extra
            continue
        m = HEADER_LINE_RE.fullmatch(line)
        if not m:
            fail(lineno, f"header line not understood: {line!r}")
        key, value = m.group("key"), m.group("value").strip()
        if key == "param":
            pm = PARAM_RE.fullmatch(value)
            if not pm:
                fail(lineno, "expected '# param: name type [required|default=…] — description'")
            if not PARAM_NAME_RE.fullmatch(pm.group("name")):
                fail(lineno, f"parameter name {pm.group('name')!r} is not a SPARQL variable name")
            if pm.group("name") in RESERVED_PARAMS:
                fail(lineno, f"parameter name {pm.group('name')!r} is reserved")
            if pm.group("type") not in PARAM_TYPES:
                fail(lineno, f"type {pm.group('type')!r} not one of {', '.join(PARAM_TYPES)}")
            if any(p.name == pm.group("name") for p in params):
                fail(lineno, f"parameter {pm.group('name')!r} declared twice")
            default = pm.group("qdefault") if pm.group("qdefault") is not None else None
            default = default if default is not None else pm.group("default")
            param = Param(
                pm.group("name"),
                pm.group("type"),
                default,
                bool(pm.group("required")),
                {"en": pm.group("description").strip()},
            )
            if default is not None:
                try:
                    param.term(default)
                except QueryParameterError as exc:
                    fail(lineno, f"bad default: {exc}")
            params.append(param)
            last = ("param", param.name)
        elif key == "param@vi":
            pm = PARAM_LANG_RE.fullmatch(value)
            if not pm:
                fail(lineno, "expected '# param@vi: name — mô tả'")
            param_vi[pm.group("name")] = {"vi": pm.group("description").strip()}
            last = ("param@vi", pm.group("name"))
        elif key in ("name", "view") or re.fullmatch(r"(title|description)@[a-z]{2,3}", key):
            if key in meta:
                fail(lineno, f"{key!r} given twice")
            meta[key] = value
            last = (key, None)
        else:
            fail(lineno, f"unknown header key {key!r}")
    if not any(not line.startswith("#") and line.strip() for line in lines):
        raise QueryDefinitionError(f"{path.name}: no query after the header")

    name = meta.get("name")
    if name != path.stem:
        raise QueryDefinitionError(f"{path.name}: '# name: {path.stem}' expected, got {name!r}")
    if not NAME_RE.fullmatch(name):
        raise QueryDefinitionError(f"{path.name}: name must be lower-case words joined by '-'")
    view = meta.get("view", "table")
    if view not in VIEWS:
        raise QueryDefinitionError(f"{path.name}: view {view!r} not one of {', '.join(VIEWS)}")
    title = {k.split("@")[1]: v for k, v in meta.items() if k.startswith("title@")}
    description = {k.split("@")[1]: v for k, v in meta.items() if k.startswith("description@")}
    for lang in LANGUAGES:
        if lang not in title or lang not in description:
            raise QueryDefinitionError(f"{path.name}: title@{lang} and description@{lang} needed")
    by_name = {p.name: p for p in params}
    for pname, desc in param_vi.items():
        if pname not in by_name:
            raise QueryDefinitionError(f"{path.name}: param@vi for undeclared {pname!r}")
        by_name[pname].description.update(desc)
    for p in params:
        if not re.search(r"\?" + re.escape(p.name) + r"\b", text):
            raise QueryDefinitionError(f"{path.name}: parameter {p.name!r} has no ?{p.name}")
    return NamedQuery(name, path, text, title, description, tuple(params), view)


@cache
def _load(directory: str) -> dict[str, NamedQuery]:
    return {q.name: q for q in (parse(p) for p in sorted(Path(directory).glob("*.rq")))}


def all_queries(directory: Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every named query in ``directory``, by name."""
    return list(_load(str(directory)).values())


def get(name: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    queries = _load(str(directory))
    if name not in queries:
        raise UnknownQueryError(name, queries)
    return queries[name]


def run_named(
    store: ox.Store,
    name: str,
    params: Mapping[str, object] | None = None,
    *,
    base_iri: str = CANONICAL_BASE,
    directory: Path = QUERIES_DIR,
):
    """Run the named query on ``store`` with ``params`` bound; pyoxigraph's result object.

    ``params`` maps parameter names to strings as a user writes them (``id:province/hai-phong``,
    ``2018``, ``Hải Phòng@vi``) or to pyoxigraph terms. Raises UnknownQueryError or
    QueryParameterError before anything runs.
    """
    query = get(name, directory)
    substitutions = query.bind(params, base_iri)
    return execute(store, query.sparql(base_iri), substitutions)


SAMPLE_VALUES = {
    "iri": "urn:ctkg:sample",
    "string": "sample",
    "lang-string": "sample@en",
    "lang": "en",
    "integer": "1",
    "decimal": "1.5",
    "date": "2019-05-24",
    "year": "2019",
}


def check(query: NamedQuery) -> None:
    """Parse the query on an empty store with every parameter bound (Oxigraph checks the syntax
    and that each substituted variable is projected); raises SyntaxError or RuntimeError."""
    values = {p.name: p.default or SAMPLE_VALUES[p.type] for p in query.params}
    result = execute(ox.Store(), query.text, query.bind(values))
    if isinstance(result, ox.QuerySolutions):
        list(result)
