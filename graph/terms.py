"""Turning the values written in fact files into RDF terms, checked against the ontology.

A value's meaning depends on its property: an object property takes an entity reference
(``province/hai-phong``) or a prefixed name (``ctkg:held``); a datatype property takes a literal,
typed by the property's ``rdfs:range``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from ctkg.iris import CANONICAL, ENTITY_KINDS
from ctkg.literals import INTEGERS, lexical

from .errors import BuildError
from .vocab import ORG, OWL, PREFIXES, QB, RDF, RDFS, SCHEMA, SKOS, TIME, XSD

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "ctkg.ttl"

# Standard terms the sources may use directly, beyond those the ontology declares.
# value: "object", or the datatype of the literal it takes.
STANDARD_PROPERTIES: dict[URIRef, str | URIRef] = {
    RDF.type: "object",
    RDFS.label: RDF.langString,
    RDFS.comment: RDF.langString,
    SKOS.altLabel: RDF.langString,
    SKOS.editorialNote: RDF.langString,
    SKOS.inScheme: "object",
    SKOS.notation: XSD.string,
    ORG.member: "object",
    ORG.organization: "object",
    ORG.role: "object",
    ORG.memberDuring: "object",
    QB.dataSet: "object",
    TIME.hasBeginning: "object",
    TIME.hasEnd: "object",
    TIME.inside: "object",
    TIME.inXSDDate: XSD.date,
    SCHEMA.headline: RDF.langString,
    SCHEMA.datePublished: XSD.date,
    SCHEMA.author: "object",
    SCHEMA.inLanguage: XSD.string,
    SCHEMA.articleBody: RDF.langString,
    SCHEMA.url: XSD.anyURI,
}


@dataclass(frozen=True)
class PropertyInfo:
    iri: URIRef
    kind: str  # "object" or "datatype"
    range: URIRef | None  # datatype for datatype properties


class OntologyIndex:
    """The classes and properties of the ontology, for checking what sources write."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.classes = {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
        self.individuals = {
            i for i in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(i, URIRef)
        }
        self.properties: dict[URIRef, PropertyInfo] = {}
        for iri, kind in STANDARD_PROPERTIES.items():
            self.properties[iri] = PropertyInfo(
                iri,
                "object" if kind == "object" else "datatype",
                None if kind == "object" else kind,
            )
        for p in graph.subjects(RDF.type, OWL.ObjectProperty):
            if isinstance(p, URIRef) and p.startswith(CANONICAL.vocab):
                self.properties[p] = PropertyInfo(p, "object", None)
        for p in graph.subjects(RDF.type, OWL.DatatypeProperty):
            if isinstance(p, URIRef) and p.startswith(CANONICAL.vocab):
                rng = graph.value(p, RDFS.range)
                self.properties[p] = PropertyInfo(
                    p, "datatype", rng if isinstance(rng, URIRef) else None
                )

    def is_vocab_term(self, iri: URIRef) -> bool:
        return iri in self.classes or iri in self.individuals or iri in self.properties


def ontology_index(path: Path = ONTOLOGY_FILE) -> OntologyIndex:
    """The index of the ontology source (parsed once per file version)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise BuildError(f"cannot read the ontology: {exc.strerror}", source=str(path)) from None
    return _ontology_index(path, stat.st_mtime_ns, stat.st_size)


@cache
def _ontology_index(path: Path, _mtime: int, _size: int) -> OntologyIndex:
    text = path.read_text(encoding="utf-8")
    try:  # pyoxigraph's parser says where the Turtle is broken; rdflib's often cannot
        for _ in ox.parse(text, format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as exc:
        raise BuildError(f"broken Turtle: {exc}", source=str(path)) from None
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return OntologyIndex(graph)


def expand_name(name: str) -> URIRef | None:
    """``ctkg:held`` -> IRI; a bare local name -> ``ctkg:`` IRI; None if the prefix is unknown."""
    if ":" in name:
        prefix, local = name.split(":", 1)
        ns = PREFIXES.get(prefix)
        return URIRef(ns + local) if ns is not None and local and "/" not in prefix else None
    return URIRef(CANONICAL.vocab + name)


def is_entity_ref(value: object) -> bool:
    if not isinstance(value, str) or " " in value or "/" not in value:
        return False
    return value.split("/", 1)[0] in ENTITY_KINDS


def object_term(value: object, index: OntologyIndex) -> URIRef:
    """An entity reference or a vocabulary term; anything else is an error."""
    if is_entity_ref(value):
        return CANONICAL.entity(value)  # type: ignore[arg-type]
    if isinstance(value, str) and ":" in value:
        iri = expand_name(value)
        if iri is not None and (iri in index.individuals or iri in index.classes):
            return iri
        raise ValueError(f"unknown vocabulary term {value!r}")
    raise ValueError(
        f"{value!r} is not an entity reference (kind/slug with kind one of "
        f"{', '.join(ENTITY_KINDS)}) nor a known vocabulary term"
    )


def literal_terms(value: object, datatype: URIRef | None) -> list[Literal]:
    """Literals for one written value; ``{vi: …, en: …}`` gives one per language."""
    if isinstance(value, dict):
        out = []
        for lang, text in value.items():
            texts = text if isinstance(text, list) else [text]
            for t in texts:
                if not isinstance(t, str) or not t.strip():
                    raise ValueError(f"empty or non-text label for language {lang!r}")
                out.append(Literal(t, lang=str(lang)))
        return out
    if datatype == RDF.langString:
        raise ValueError(f"{value!r} needs a language: write {{vi: …, en: …}}")
    return [typed_literal(value, datatype)]


# the datatypes whose text ``ctkg.literals.lexical`` checks
LEXICAL_TYPES = {URIRef(iri) for iri in INTEGERS} | {XSD.decimal, XSD.date, XSD.gYear}


def typed_literal(value: object, datatype: URIRef | None) -> Literal:
    """A literal of ``datatype``, checked: ``"14.9"`` as xsd:decimal, a date as xsd:date…"""
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value)
    if datatype is None:
        if isinstance(value, bool):
            return Literal(value)
        if isinstance(value, int):
            return Literal(value, datatype=XSD.integer)
        return Literal(text)
    if datatype == XSD.string:
        return Literal(text)
    if datatype in LEXICAL_TYPES:  # numbers, dates, years: the one literal parser
        return Literal(lexical(text, str(datatype)), datatype=datatype)
    return Literal(text, datatype=datatype)
