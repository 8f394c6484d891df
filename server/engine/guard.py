"""Not a proxy: refuse SERVICE, LOAD and anything else that would make the server fetch a URL.

pyoxigraph really does fetch: ``SERVICE <url>`` POSTs the sub-query to ``url`` and ``LOAD <url>``
GETs it (measured). This module is the *first* line, for clear messages: it reads the request
with rdflib, and where rdflib's lexer and Oxigraph's disagree (a comment ended by a lone CR,
found by ``tests/test_hardening_network.py``) it can be fooled. The defence that cannot be
fooled is ``ctkg.sandbox``: the executors and writers that run requests cannot open a network
socket at all. Only when an allow-list is configured, a request this guard finds allow-listed
SERVICE/LOAD targets in is handed to a *networked* executor started for such requests alone.

Every query and update is checked before it runs:

- A cheap screen first: a request whose text contains neither ``service`` nor ``load`` (case-
  folded, so any spelling of the keywords) nor a ``\\u``/``\\U`` escape cannot contain the
  keywords, and runs unparsed; that keeps the hot path free of a 2-9 ms parse.
- Anything else is parsed with rdflib's SPARQL parser, which expands ``\\u`` escapes (pyoxigraph
  rejects them outside strings, so rdflib is the stricter reader) and so is not fooled by
  comments, string literals or IRIs that merely contain the words. Every ``SERVICE`` and ``LOAD``
  target is resolved against the prologue (PREFIX, BASE). A request rdflib cannot parse is left
  to Oxigraph (safe: the process that runs it has no network), which reports the syntax error.
- A target is allowed only if it starts with a prefix on ``CTKG_SERVICE_ALLOWLIST`` (at a path
  boundary), is http(s), and every address its host resolves to is global: loopback, private,
  link-local, shared, reserved and multicast addresses stay blocked even when allow-listed.
  A variable target (``SERVICE ?endpoint``) is always refused.

IRIs are compared in normal form (``normalise_iri``: case, default port, ``%xx`` of unreserved
characters, dot segments), and a target not already in normal form is refused, because
pyoxigraph sends the path as written and the remote resolves ``/allowed/../x`` to ``/x``.

Residual risks with an allow-list configured (none without one; see SECURITY.md): in the
networked executor, DNS answers can change between this check and pyoxigraph's own lookup,
redirects are pyoxigraph's to follow, and a lexer disagreement could smuggle a second target
into a request that also names an allowed one. FROM / FROM NAMED never fetch in pyoxigraph
(measured): they name graphs of the store.

Updates get one more check: the default graph is the merge of the named graphs, rebuilt after
every write (``ctkg.graph.store``), so an update that writes to it (``INSERT DATA`` outside
``GRAPH``, ``DELETE``/``INSERT`` templates without ``WITH``, ``LOAD`` without ``INTO``, ``ADD``/
``COPY``/``MOVE ... TO DEFAULT``) would silently do nothing; it is refused with a message instead.
rdflib's parser is slow (about 9 us a byte), so that check covers updates up to 256 KiB; bulk
data belongs in the Graph Store Protocol, whose bodies Oxigraph parses.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit


class Refused(Exception):
    """The request would make the server fetch something it may not; the message says what."""


class Unparseable(Exception):
    """rdflib could not parse a request that mentions SERVICE or LOAD."""


class TooComplex(Exception):
    """A request nested (or chained) deeper than the engine can take without crashing."""


class DefaultGraphWrite(Exception):
    """An update writes to the default graph, which is derived from the named graphs."""


DEFAULT_GRAPH_CHECK_MAX_CHARS = 256 * 1024


@dataclass(frozen=True)
class Policy:
    """Which remote IRIs SERVICE/LOAD may reach: none unless prefixes are allow-listed."""

    allowlist: tuple[str, ...] = ()
    max_nesting: int = 0  # see check_nesting; 0: no limit

    @classmethod
    def from_settings(cls, settings) -> Policy:
        return cls(tuple(settings.service_prefixes), int(getattr(settings, "max_query_nesting", 0)))


# Strings, comments and IRIs hide brackets and operators; whichever starts first wins, as in
# the SPARQL grammar. A comment ends at CR or LF (both, as Oxigraph reads it: the shorter
# comment hides less, so the count can only come out higher).
_OPAQUE = re.compile(
    "|".join(
        (
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',  # long strings
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"(?:[^"\\\r\n]|\\.)*"',  # short strings
            r"'(?:[^'\\\r\n]|\\.)*'",
            r"#[^\r\n]*",  # comments
            r'<[^<>"{}|^`\\\x00-\x20]*>',  # IRIs
        )
    ),
    re.S,
)
_BRACKETS = re.compile(r"[{(\[\]})]")
# chained operators: UNION, MINUS, OPTIONAL, ||, &&, !, + and * (arithmetic or path
# modifiers), / (division or a property path's sequence) and a lone | (a path's alternative)
_CHAINS = re.compile(r"(?i:\b(?:UNION|MINUS|OPTIONAL)\b)|\|\||&&|!(?!=)|[+*/]|\|")
# stack one level of nesting costs the engine, relative to one chained operator: measured on
# pyoxigraph 0.5.13 with an 8 MiB stack, nested groups crash from ~2,190 levels, chains of
# UNION from ~6,400, of + from ~6,600, of || or ! from ~9,400, property paths of / steps from
# ~8,190, of | alternatives from ~10,900, of / as division from ~6,850 (each measured in a
# child process)
CHAIN_WEIGHT = 3


def nesting(text: str) -> int:
    """How deep the engine will recurse on ``text``, in levels of nested groups: the deepest
    bracket nesting plus one level per ``CHAIN_WEIGHT`` chained operators (UNION, MINUS,
    OPTIONAL, ||, &&, !, +, *, and a property path's steps / and |), outside strings, comments
    and IRIs. Errs high, never low (a ``/`` of division counts as a path step)."""
    code = _OPAQUE.sub(" ", text)
    depth = deepest = 0
    for match in _BRACKETS.finditer(code):
        if match[0] in "{([":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    chained = sum(1 for _ in _CHAINS.finditer(code))
    return deepest + chained // CHAIN_WEIGHT


def check_nesting(text: str, limit: int) -> None:
    """Raise TooComplex if ``text`` nests deeper than ``limit`` levels (0: no limit): the
    engine would overflow its stack on it (a crash, from ~2,000 levels)."""
    if not limit:
        return
    level = nesting(text)
    if level > limit:
        raise TooComplex(
            f"The request nests {level} levels deep (nested groups, or long chains of UNION, "
            f"OPTIONAL, MINUS, operators or property-path steps / and |, {CHAIN_WEIGHT} to a "
            f"level); this server takes at most {limit} (CTKG_MAX_QUERY_NESTING). Flatten it "
            "(VALUES instead of long UNION chains, shorter property paths)."
        )


def mentions_remote(text: str) -> bool:
    """True if ``text`` could contain SERVICE or LOAD (or hide them behind an escape)."""
    folded = text.casefold()
    return "service" in folded or "load" in folded or "\\u" in folded


# Characters some SPARQL lexer may read as the end of a line (and so of a comment) where
# rdflib does not: Oxigraph ends a comment at a lone CR, which rdflib reads on past.
_LINE_ENDS = re.compile("\r\n?|[\f\v\x85\u2028\u2029]")


def _targets(parse, text: str) -> list[tuple[str, object, object]] | None:
    """(keyword, target, prologue) of every SERVICE/LOAD rdflib finds in ``text``; None if
    rdflib cannot parse it."""
    try:
        parsed = parse(text)
    except Exception:
        return None
    return list(parse.targets(parsed))


def _query_targets(parsed):
    prologue = _prologue(parsed[0])
    for keyword, target in _walk_targets(parsed[1]):
        yield keyword, target, prologue


def _update_targets(parsed):
    prologue = None
    for declarations, request in zip(parsed.prologue or [], parsed.request or [], strict=False):
        prologue = _prologue(declarations, prologue)
        for keyword, target in _walk_targets(request):
            yield keyword, target, prologue


def _checked(parse, text: str, policy: Policy, networked: bool, parsed_targets) -> list[str]:
    """The allow-listed targets of ``text`` (Refused for any other), read by rdflib.

    Where the engine has no network (the embedded store's sandboxed executors) an unreadable or
    misread request is harmless: whatever rdflib missed fails in the sandbox. Where it has
    network (``networked``: the remote store, or the executor started for allow-listed calls)
    rdflib's reading is all there is, so it must be unambiguous: the request must parse, and
    parse to the same targets with every character some lexer may take for a line end read as
    one (a comment can then only end sooner, so hide less)."""
    targets = parsed_targets
    if networked:
        if targets is None:
            raise Unparseable(
                "This request mentions SERVICE or LOAD, and this server cannot read it to check "
                "where they would go; it runs on a store that can reach the network, so it is "
                "refused. Check its syntax."
            )
        wary = _LINE_ENDS.sub("\n", text)
        if wary != text:
            again = _targets(parse, wary)
            if again is None or len(again) != len(targets):
                raise Refused(
                    "This request uses a line end (CR, form feed, vertical tab or a Unicode "
                    "line separator) that SPARQL parsers read differently, around SERVICE or "
                    "LOAD; write line ends as LF."
                )
            for keyword, target, prologue in again:
                _check_target(keyword, _resolve(target, prologue), policy)
    elif targets is None:
        # rdflib cannot read it; Oxigraph may. Safe to let it try: the executor has no network,
        # so a SERVICE hidden from rdflib is refused there, and a syntax error is reported in
        # Oxigraph's one line rather than rdflib's grammar
        return []
    return [_check_target(k, _resolve(t, prologue), policy) for k, t, prologue in targets]


class _Reader:
    """One of rdflib's parsers and how to list the SERVICE/LOAD targets in what it parsed."""

    def __init__(self, name: str, targets):
        self.name, self.targets = name, targets

    def __call__(self, text: str):
        from rdflib.plugins.sparql import parser

        return getattr(parser, self.name)(text)


_QUERY = _Reader("parseQuery", _query_targets)
_UPDATE = _Reader("parseUpdate", _update_targets)


def check_query(text: str, policy: Policy, *, networked: bool = False) -> list[str]:
    """Raise Refused if the query would call a remote service it may not; return the
    (allow-listed) SERVICE targets it names, so the caller can run it where the network is.
    Raise TooComplex first if it nests deeper than the policy allows. ``networked``: the
    engine that will run it can reach the network (see ``_checked``)."""
    check_nesting(text, policy.max_nesting)
    if not mentions_remote(text):
        return []
    return _checked(_QUERY, text, policy, networked, _targets(_QUERY, text))


def check_update(text: str, policy: Policy, *, networked: bool = False) -> list[str]:
    """Raise Refused if the update would LOAD or call a remote service it may not, and
    DefaultGraphWrite if it writes to the (derived) default graph; return the allow-listed
    targets it names. ``networked`` as for ``check_query``."""
    check_nesting(text, policy.max_nesting)
    remote = mentions_remote(text)
    if not remote and len(text) > DEFAULT_GRAPH_CHECK_MAX_CHARS:
        return []
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception:
        parsed = None
    targets = list(_update_targets(parsed)) if parsed is not None else None
    allowed = _checked(_UPDATE, text, policy, networked, targets) if remote else []
    for operation in list(parsed.request or []) if parsed is not None else []:
        reason = _default_graph_write(operation)
        if reason:
            raise DefaultGraphWrite(
                f"{reason}: the default graph is the merge of the named graphs and is rebuilt "
                "after every write, so this would change nothing. Name a graph instead "
                "(GRAPH <g> { ... }, WITH <g>, INTO GRAPH <g>)."
            )
    return allowed


def _field(node, key):
    """A parse-tree field or None (``CompValue.get`` returns the key itself when missing)."""
    from rdflib.plugins.sparql.parserutils import CompValue  # rdflib: only once parsing

    return node[key] if isinstance(node, CompValue) and key in node else None


def _has_default_triples(clause) -> bool:
    quads = _field(clause, "quads")
    return bool(_field(quads, "triples"))


def _default_graph_write(operation) -> str | None:
    """Why ``operation`` writes to the default graph, or None."""
    name = getattr(operation, "name", "")
    if name in ("InsertData", "DeleteData", "DeleteWhere") and _has_default_triples(operation):
        return f"{_KEYWORDS[name]} has triples outside GRAPH"
    if name == "Modify" and _field(operation, "withClause") is None:
        for key in ("insert", "delete"):
            if _has_default_triples(_field(operation, key)):
                return f"the {key.upper()} template has triples outside GRAPH and no WITH"
    if name == "Load" and _field(operation, "graphiri") is None:
        return "LOAD without INTO GRAPH"
    if name in ("Add", "Copy", "Move") and list(_field(operation, "graph") or [])[-1:] == [
        "DEFAULT"
    ]:
        return f"{name.upper()} ... TO DEFAULT"
    return None


_KEYWORDS = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
}


def _prologue(declarations, previous=None):
    from rdflib.plugins.sparql.algebra import translatePrologue

    return translatePrologue(declarations, None, prologue=previous)


def _walk_targets(node) -> Iterator[tuple[str, object]]:
    """Every (keyword, target term) of SERVICE and LOAD in a parse tree."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield "SERVICE", node.get("term")
        elif node.name == "Load":
            yield "LOAD", node.get("iri")
        for value in node.values():
            yield from _walk_targets(value)
    elif isinstance(node, list | tuple) or hasattr(node, "as_list"):
        for value in node:
            yield from _walk_targets(value)


def _resolve(term, prologue) -> str | None:
    from rdflib.term import Variable

    if isinstance(term, Variable) or term is None:
        return None
    try:
        return str(prologue.absolutize(term))
    except Exception:
        return None


def _check_target(keyword: str, iri: str | None, policy: Policy) -> str:
    """``iri`` if ``keyword`` may reach it, else Refused."""
    if iri is None:
        raise Refused(f"{keyword} with a variable or unresolvable endpoint is not allowed")
    if not policy.allowlist:
        raise Refused(
            f"{keyword} <{iri}> refused: this server does not fetch remote data "
            "(no SERVICE allow-list is configured)"
        )
    if not any(_has_prefix(iri, prefix) for prefix in policy.allowlist):
        raise Refused(f"{keyword} <{iri}> refused: not on this server's allow-list")
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"{keyword} <{iri}> refused: only http(s) URLs with a host are allowed")
    if iri != normalise_iri(iri):
        # pyoxigraph sends the path as written ("/allowed/../x"); the remote resolves it
        raise Refused(f"{keyword} <{iri}> refused: write the IRI in normal form")
    blocked = _non_global_address(parts.hostname)
    if blocked:
        raise Refused(f"{keyword} <{iri}> refused: {blocked}")
    return iri


_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_iri(iri: str) -> str:
    """``iri`` in the form two equal HTTP(S) IRIs share (RFC 3986 §6.2.2): lower-case scheme and
    host, no default port, percent-encoded unreserved characters decoded, ``.``/``..`` segments
    removed. Userinfo is kept (and so never matches an allow-listed prefix without it)."""
    import posixpath
    import re

    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:
        return iri  # not a URL with a valid host and port: compared as written
    if not parts.hostname:
        return iri
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc

    def unreserved(match: re.Match) -> str:
        char = chr(int(match[1], 16))
        return char if char.isalnum() or char in "-._~" else match[0].upper()

    path = re.sub(r"%([0-9A-Fa-f]{2})", unreserved, parts.path)
    if path:
        trailing = path.endswith(("/", "/.", "/.."))
        path = posixpath.normpath(path).replace("//", "/")
        if path == ".":
            path = "/"
        if trailing and not path.endswith("/"):
            path += "/"
    elif parts.netloc:
        path = "/"
    text = f"{scheme}://{netloc}{path}"
    if parts.query:
        text += f"?{parts.query}"
    if parts.fragment:
        text += f"#{parts.fragment}"
    return text


def _has_prefix(iri: str, prefix: str) -> bool:
    """``prefix`` matches at a boundary, on normalised IRIs: ``http://a.org`` must not admit
    ``http://a.org.evil/``, nor ``http://a.org/allowed/`` admit ``http://a.org/allowed/../x``."""
    iri, normal = normalise_iri(iri), normalise_iri(prefix)
    if normal.endswith("/") and not prefix.endswith("/"):
        normal = normal[:-1]  # "http://a.org" normalises to "http://a.org/": keep the boundary
    prefix = normal
    if not iri.startswith(prefix):
        return False
    if prefix.endswith(("/", "#", "?", "=", "&")) or len(iri) == len(prefix):
        return True
    return iri[len(prefix)] in "/?#"


def _non_global_address(host: str) -> str | None:
    """Why ``host`` may not be contacted (a non-global address), or None if it may."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return f"host {host!r} does not resolve"
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if not address.is_global or address.is_multicast:
            return f"host {host!r} resolves to a loopback, private or reserved address"
    return None


def _parser_message(exc: Exception) -> str:
    """rdflib's (pyparsing's) message, which names the position, without the exception type."""
    text = " ".join(str(exc).split())
    return text[:400] or "syntax error"
