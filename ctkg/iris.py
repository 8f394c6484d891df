"""The IRI scheme: every IRI ctkg mints is made here, under one configurable base.

Sources and code write the canonical base (``CANONICAL_BASE``); ``rebase`` moves a graph
to the configured ``CTKG_BASE_IRI`` at build time, so changing the base changes no file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import Namespace, URIRef

CANONICAL_BASE = "https://w3id.org/ctkg/"

# What may not stand in an IRI written between ``<>`` (SPARQL's IRIREF, Turtle's): controls,
# space and ``<>"{}|^`\``.
IRI_FORBIDDEN = frozenset('<>"{}|^`\\') | frozenset(chr(c) for c in range(0x21))


def is_iri(value: str) -> bool:
    """The one IRI check: an absolute IRI (``scheme:…``) that can be written between ``<>``."""
    scheme, colon, _ = value.partition(":")
    return bool(
        colon
        and scheme
        and scheme[0].isascii()
        and scheme[0].isalpha()
        and all(c.isascii() and (c.isalnum() or c in "+-.") for c in scheme)
        and not any(c in IRI_FORBIDDEN for c in value)
    )


# Kinds of entity, each living under {base}id/{kind}/...
ENTITY_KINDS = (
    "act",
    "activity",
    "article",
    "edition",
    "fact",
    "indicator",
    "instant",
    "membership",
    "observation",
    "organization",
    "period",
    "person",
    "province",
    "region",
    "role",
    "series",
    "source",
    "statement",
    "country",
    "dataset",
)


class IriScheme:
    """Mints IRIs under one base: ``{base}id/...`` entities, ``{base}graph/...`` graphs."""

    def __init__(self, base: str = CANONICAL_BASE):
        self.base = base
        self.ontology_iri = URIRef(base + "ontology")
        self.vocab = Namespace(base + "ontology#")
        self.id = Namespace(base + "id/")
        self.graph_ns = Namespace(base + "graph/")

    def entity(self, path: str) -> URIRef:
        """``province/hai-phong`` -> ``{base}id/province/hai-phong``; the kind must be known."""
        kind = path.split("/", 1)[0]
        if kind not in ENTITY_KINDS or "/" not in path:
            raise ValueError(f"not an entity reference (kind/slug): {path!r}")
        return URIRef(self.id + path)

    def graph(self, name: str) -> URIRef:
        return URIRef(self.graph_ns + name)

    def statement(self, graph: str, s: str, p: str, o: str) -> URIRef:
        """A stable IRI for one sourced triple as one source states it (same input, same IRI)."""
        digest = hashlib.sha1("\x1f".join((graph, s, p, o)).encode("utf-8")).hexdigest()[:16]
        return URIRef(self.id + "statement/" + digest)

    def fact(self, graph: str, fact_id: str) -> URIRef:
        """The provenance node of one fact: ``{base}id/fact/{graph}/{fact id}`` (the graph name
        relative to ``{base}graph/``; characters an IRI path should not hold are %-escaped)."""
        return URIRef(self.id + "fact/" + quote(f"{graph}/{fact_id}", safe="/-._~"))

    def rebase_term(self, term):
        """The same term under this scheme's base, if it was minted under the canonical one."""
        if isinstance(term, URIRef) and str(term).startswith(CANONICAL_BASE):
            return URIRef(self.base + str(term)[len(CANONICAL_BASE) :])
        return term


CANONICAL = IriScheme(CANONICAL_BASE)
CTKG = CANONICAL.vocab


def slugify(text: str) -> str:
    """'Hải Phòng' -> 'hai-phong': ASCII-folded, lower-case, hyphenated (Đ/đ -> d)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text
