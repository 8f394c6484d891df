"""What the build passes between its steps: facts with their triples and their sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Identifier


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote from an article text, located by code-point offsets (end exclusive)."""

    fact_id: str
    quote: str
    start: int
    end: int


@dataclass
class Fact:
    """Triples that one source supports, with what supports them.

    ``sources`` are the IRIs each triple is derived from (an article, a web page, a data set);
    ``evidence`` is the quote when the source is an article text we hold.
    """

    id: str
    graph: str  # graph name relative to {base}graph/, e.g. "article/2019-05-29-hai-phong"
    triples: list[tuple[URIRef, URIRef, Identifier]] = field(default_factory=list)
    sources: list[URIRef] = field(default_factory=list)
    evidence: Evidence | None = None
    evidence_iri: URIRef | None = None
    confidence: URIRef | None = None
    # a curator's note, when the triples are a reading of the source rather than its words
    interpretation: list = field(default_factory=list)
