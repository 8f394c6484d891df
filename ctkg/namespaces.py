"""The namespace prefixes every part of ctkg writes and reads: the one table of them, and the
one function that shortens an IRI with it (``curie``).

``ctkg:`` here is the canonical vocabulary namespace; ``prefixes(base)`` is the table for
another ``CTKG_BASE_IRI`` (``ctkg:`` and ``id:`` under that base), the one every output derives
its prefixes from (dumps, answers, pages, the terminal, named-query parameters).
"""

from __future__ import annotations

from collections.abc import Mapping

from ctkg.iris import CANONICAL_BASE

NAMESPACES: dict[str, str] = {
    "ctkg": CANONICAL_BASE + "ontology#",
    "ctkgsh": CANONICAL_BASE + "shapes#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def prefixes(base: str = CANONICAL_BASE) -> dict[str, str]:
    """The table for data under ``base``: ``ctkg:`` and ``id:`` rebased, then the standard
    namespaces (not the shapes' own ``ctkgsh:``, which is no data's)."""
    table = {k: v for k, v in NAMESPACES.items() if k != "ctkgsh"}
    table["ctkg"] = base + "ontology#"
    table["id"] = base + "id/"
    return table


def _plain_local(local: str) -> bool:
    """A local name a prefixed name can carry as is in Turtle (letters, digits, ``_-.``)."""
    return local.replace("-", "_").replace(".", "_").isidentifier()


def curie(iri: str, table: Mapping[str, str] | None = None, *, strict: bool = False) -> str | None:
    """``prefix:local`` for ``iri`` by the longest namespace of ``table`` (default: the
    canonical ``NAMESPACES``) that leaves a non-empty local part, else None. ``strict``: only
    where the local part is a plain name (for Turtle-like output; ``id:edition/x/2019`` is
    fine to read, not to parse)."""
    best = ""
    found = None
    for prefix, ns in (NAMESPACES if table is None else table).items():
        if len(ns) > len(best) and len(iri) > len(ns) and iri.startswith(ns):
            local = iri[len(ns) :]
            if strict and not _plain_local(local):
                continue
            best, found = ns, f"{prefix}:{local}"
    return found
