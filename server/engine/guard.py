"""Not a proxy: refuse SERVICE, LOAD and anything else that would make the server fetch a URL.

pyoxigraph really does fetch: ``SERVICE <url>`` POSTs the sub-query to ``url`` and ``LOAD <url>``
GETs it (measured). So every query and update is checked before it runs:

- A cheap screen first: a request whose text contains neither ``service`` nor ``load`` (case-
  folded, so any spelling of the keywords) nor a ``\\u``/``\\U`` escape cannot contain the
  keywords, and runs unparsed; that keeps the hot path free of a 2-9 ms parse.
- Anything else is parsed with rdflib's SPARQL parser, which expands ``\\u`` escapes (pyoxigraph
  rejects them outside strings, so rdflib is the stricter reader) and so is not fooled by
  comments, string literals or IRIs that merely contain the words. Every ``SERVICE`` and ``LOAD``
  target is resolved against the prologue (PREFIX, BASE).
- A target is allowed only if it starts with a prefix on ``CTKG_SERVICE_ALLOWLIST`` (at a path
  boundary), is http(s), and every address its host resolves to is global: loopback, private,
  link-local, shared, reserved and multicast addresses stay blocked even when allow-listed.
  A variable target (``SERVICE ?endpoint``) is always refused. If rdflib cannot parse a request
  that mentions the keywords, it is refused as unverifiable.

Residual risks with an allow-list configured (none without one): DNS answers can change between
this check and pyoxigraph's own lookup, and redirects are pyoxigraph's to follow. FROM / FROM
NAMED never fetch in pyoxigraph (measured): they name graphs of the store.

Updates get one more check: the default graph is the merge of the named graphs, rebuilt after
every write (``ctkg.graph.store``), so an update that writes to it (``INSERT DATA`` outside
``GRAPH``, ``DELETE``/``INSERT`` templates without ``WITH``, ``LOAD`` without ``INTO``, ``ADD``/
``COPY``/``MOVE ... TO DEFAULT``) would silently do nothing; it is refused with a message instead.
rdflib's parser is slow (about 9 us a byte), so that check covers updates up to 256 KiB; bulk
data belongs in the Graph Store Protocol, whose bodies Oxigraph parses.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable


class Refused(Exception):
    """The request would make the server fetch something it may not; the message says what."""


class Unparseable(Exception):
    """rdflib could not parse a request that mentions SERVICE or LOAD."""


class DefaultGraphWrite(Exception):
    """An update writes to the default graph, which is derived from the named graphs."""


DEFAULT_GRAPH_CHECK_MAX_CHARS = 256 * 1024


@dataclass(frozen=True)
class Policy:
    """Which remote IRIs SERVICE/LOAD may reach: none unless prefixes are allow-listed."""

    allowlist: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings) -> Policy:
        return cls(tuple(settings.service_prefixes))


def mentions_remote(text: str) -> bool:
    """True if ``text`` could contain SERVICE or LOAD (or hide them behind an escape)."""
    folded = text.casefold()
    return "service" in folded or "load" in folded or "\\u" in folded


def check_query(text: str, policy: Policy) -> None:
    """Raise Refused if the query would call a remote service it may not."""
    if not mentions_remote(text):
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(text)
    except Exception as exc:
        raise Unparseable(_parser_message(exc)) from None
    prologue = _prologue(parsed[0])
    for keyword, target in _targets(parsed[1]):
        _check_target(keyword, _resolve(target, prologue), policy)


def check_update(text: str, policy: Policy) -> None:
    """Raise Refused if the update would LOAD or call a remote service it may not, and
    DefaultGraphWrite if it writes to the (derived) default graph."""
    remote = mentions_remote(text)
    if not remote and len(text) > DEFAULT_GRAPH_CHECK_MAX_CHARS:
        return
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception as exc:
        if remote:
            raise Unparseable(_parser_message(exc)) from None
        return  # no SERVICE/LOAD possible; pyoxigraph will report the syntax error itself
    requests = list(parsed.request or [])
    prologue = None
    for declarations, request in zip(parsed.prologue or [], requests, strict=False):
        prologue = _prologue(declarations, prologue)
        for keyword, target in _targets(request):
            _check_target(keyword, _resolve(target, prologue), policy)
    for operation in requests:
        reason = _default_graph_write(operation)
        if reason:
            raise DefaultGraphWrite(
                f"{reason}: the default graph is the merge of the named graphs and is rebuilt "
                "after every write, so this would change nothing. Name a graph instead "
                "(GRAPH <g> { ... }, WITH <g>, INTO GRAPH <g>)."
            )


def _field(node, key):
    """A parse-tree field or None (``CompValue.get`` returns the key itself when missing)."""
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


def _targets(node) -> Iterator[tuple[str, object]]:
    """Every (keyword, target term) of SERVICE and LOAD in a parse tree."""
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield "SERVICE", node.get("term")
        elif node.name == "Load":
            yield "LOAD", node.get("iri")
        for value in node.values():
            yield from _targets(value)
    elif isinstance(node, list | tuple) or hasattr(node, "as_list"):
        for value in node:
            yield from _targets(value)


def _resolve(term, prologue) -> str | None:
    if isinstance(term, Variable) or term is None:
        return None
    try:
        return str(prologue.absolutize(term))
    except Exception:
        return None


def _check_target(keyword: str, iri: str | None, policy: Policy) -> None:
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
    blocked = _non_global_address(parts.hostname)
    if blocked:
        raise Refused(f"{keyword} <{iri}> refused: {blocked}")


def _has_prefix(iri: str, prefix: str) -> bool:
    """``prefix`` matches at a boundary: ``http://a.org`` must not admit ``http://a.org.evil/``."""
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
