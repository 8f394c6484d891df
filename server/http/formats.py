"""Content negotiation as data: the formats each kind of answer is offered in, and the choice.

Four kinds of answer: ``results`` (SELECT, ASK), ``graph`` (CONSTRUCT, DESCRIBE), ``triples``
(one graph of the Graph Store Protocol) and ``dataset`` (the whole store, as quads). Each has
an ordered list of offers (server preference first, aliases last); the client's ``Accept``
header is parsed and matched by werkzeug (q-values, wildcards, ``q=0`` excludes), and a
``format=`` (or ``output=``) parameter overrides it for browsers and for clients such as
SPARQLWrapper that send one.

Format *keys* (``json``, ``turtle``, ...) are what crosses process boundaries and goes into
ETags; pyoxigraph's own serializer enums are looked up from them in the executor
(``engine/serialisation.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

RESULTS = "results"
GRAPH = "graph"
TRIPLES = "triples"
DATASET = "dataset"

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    """A serialization: its key, media type, and W3C format IRI (for the service description)."""

    key: str
    media_type: str
    label: str
    w3c_name: str

    @property
    def iri(self) -> str:
        return W3C_FORMATS + self.w3c_name


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("json", "application/sparql-results+json", "SPARQL JSON", "SPARQL_Results_JSON"),
        Format("xml", "application/sparql-results+xml", "SPARQL XML", "SPARQL_Results_XML"),
        Format("csv", "text/csv", "CSV", "SPARQL_Results_CSV"),
        Format("tsv", "text/tab-separated-values", "TSV", "SPARQL_Results_TSV"),
        Format("turtle", "text/turtle", "Turtle", "Turtle"),
        Format("ntriples", "application/n-triples", "N-Triples", "N-Triples"),
        Format("rdfxml", "application/rdf+xml", "RDF/XML", "RDF_XML"),
        Format("jsonld", "application/ld+json", "JSON-LD", "JSON-LD"),
        Format("trig", "application/trig", "TriG", "TriG"),
        Format("nquads", "application/n-quads", "N-Quads", "N-Quads"),
    )
}


@dataclass(frozen=True)
class Offer:
    """A media type the server answers with, and the format behind it (aliases share formats)."""

    media_type: str
    format: Format


def _offers(*pairs: tuple[str, str]) -> tuple[Offer, ...]:
    return tuple(Offer(media_type, FORMATS[key]) for media_type, key in pairs)


OFFERS: dict[str, tuple[Offer, ...]] = {
    RESULTS: _offers(
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/json", "json"),
    ),
    GRAPH: _offers(
        ("text/turtle", "turtle"),
        ("application/n-triples", "ntriples"),
        ("application/rdf+xml", "rdfxml"),
        ("application/ld+json", "jsonld"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
        ("application/x-turtle", "turtle"),
        ("text/n3", "turtle"),  # Turtle is N3's RDF subset; SPARQLWrapper's N3 asks for it
        ("application/json", "jsonld"),
    ),
    TRIPLES: _offers(
        ("text/turtle", "turtle"),
        ("application/n-triples", "ntriples"),
        ("application/rdf+xml", "rdfxml"),
        ("application/ld+json", "jsonld"),
        ("application/x-turtle", "turtle"),
        ("application/json", "jsonld"),
    ),
    DATASET: _offers(
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
        ("application/ld+json", "jsonld"),
    ),
}

# Formats a Graph Store request body may be written in (Content-Type -> key).
BODY_FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}

# Values of the format= parameter, each with the keys it may mean, in order of preference:
# "json" is SPARQL JSON for results and JSON-LD for graphs. Media types are accepted too.
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "json": ("json", "jsonld"),
    "srj": ("json",),
    "xml": ("xml", "rdfxml"),
    "srx": ("xml",),
    "csv": ("csv",),
    "tsv": ("tsv",),
    "turtle": ("turtle",),
    "ttl": ("turtle",),
    "n3": ("turtle",),
    "nt": ("ntriples",),
    "ntriples": ("ntriples",),
    "n-triples": ("ntriples",),
    "rdf": ("rdfxml",),
    "rdfxml": ("rdfxml",),
    "rdf+xml": ("rdfxml",),
    "jsonld": ("jsonld",),
    "json-ld": ("jsonld",),
    "trig": ("trig",),
    "nq": ("nquads",),
    "nquads": ("nquads",),
    "n-quads": ("nquads",),
}


@dataclass(frozen=True)
class Choice:
    """The negotiated answer: the format to write and the media type to label it with."""

    format: Format
    media_type: str

    @property
    def content_type(self) -> str:
        """The Content-Type header: text types say UTF-8 explicitly (everything is UTF-8)."""
        if self.media_type.startswith("text/"):
            return self.media_type + "; charset=utf-8"
        return self.media_type


def offered_media_types(kind: str) -> list[str]:
    """The media types offered for ``kind``, for 406 answers and the service description."""
    return [offer.media_type for offer in OFFERS[kind]]


def parse_accept(header: str | None) -> MIMEAccept:
    """Parse ``Accept`` with werkzeug, dropping parameters every answer satisfies anyway.

    werkzeug matches media-type parameters strictly, so ``text/csv;charset=utf-8`` would match
    nothing; all answers are UTF-8, so that parameter is removed (any other charset stays and
    so matches nothing, as it should). JSON-LD ``profile`` parameters are dropped likewise.
    """
    accept = parse_accept_header(header, MIMEAccept)
    if not any(";" in value for value, _ in accept):
        return accept
    normalized = []
    for value, quality in accept:
        media_type, params = parse_options_header(value)
        if params.get("charset", "").lower() in ("utf-8", "utf8"):
            params.pop("charset")
        if media_type == "application/ld+json":
            params.pop("profile", None)
        rest = "".join(f"; {k}={v}" for k, v in params.items())
        normalized.append((media_type + rest, quality))
    return MIMEAccept(normalized)


def negotiate(accept: MIMEAccept, kind: str) -> Choice | None:
    """The best offer of ``kind`` for ``accept``; no Accept header at all means the first offer."""
    offers = OFFERS[kind]
    if not accept:
        return Choice(offers[0].format, offers[0].media_type)
    best = accept.best_match([offer.media_type for offer in offers])
    if best is None:
        return None
    for offer in offers:
        if offer.media_type == best:
            return Choice(offer.format, offer.media_type)
    return None


def from_format_parameter(values: list[str], kind: str) -> Choice | None:
    """The offer of ``kind`` a ``format=`` value names (the first value that names one)."""
    offers = OFFERS[kind]
    for raw in values:
        value = raw.strip().lower()
        for key in FORMAT_NAMES.get(value, ()):
            for offer in offers:
                if offer.format.key == key:
                    return Choice(offer.format, offer.format.media_type)
        media_type = parse_options_header(value)[0]
        for offer in offers:
            if offer.media_type == media_type:
                return Choice(offer.format, offer.media_type)
    return None


def choose(accept_header: str | None, format_values: list[str], kind: str) -> Choice | None:
    """Negotiate one kind of answer: ``format=`` if given, else the Accept header.

    A pure function of its arguments, and clients send the same few Accept headers over and
    over: the answers are memoised (werkzeug's matching costs ~0.1 ms a call).
    """
    return _choose(accept_header, tuple(format_values), kind)


@functools.lru_cache(maxsize=512)
def _choose(accept_header: str | None, format_values: tuple[str, ...], kind: str):
    if format_values:
        return from_format_parameter(list(format_values), kind)
    return negotiate(parse_accept(accept_header), kind)
