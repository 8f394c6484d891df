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
    """Raise Refused if the update would LOAD or call a remote service it may not."""
    if not mentions_remote(text):
        return
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(text)
    except Exception as exc:
        raise Unparseable(_parser_message(exc)) from None
    prologue = None
    for declarations, request in zip(parsed.prologue, parsed.request, strict=False):
        prologue = _prologue(declarations, prologue)
        for keyword, target in _targets(request):
            _check_target(keyword, _resolve(target, prologue), policy)


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
