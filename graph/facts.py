"""Reading one article's curated fact file (YAML) into checked facts with located quotes.

Every check names the file and the fact: a quote not in the text, an unknown property or class,
an entity reference of an unknown kind, a value of the wrong type.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL

from .errors import BuildError
from .model import Evidence, Fact
from .terms import OntologyIndex, expand_name, literal_terms, object_term
from .vocab import CTKG, RDF, RDFS, SCHEMA, SKOS, XSD

GRAPH_DIR = Path(__file__).resolve().parent
FACTS_DIR = GRAPH_DIR / "facts"
SOURCES_DIR = GRAPH_DIR / "sources"

FACT_KEYS = {
    "id",
    "quote",
    "occurrence",
    "subject",
    "type",
    "label",
    "altLabel",
    "props",
    "note",
    "confidence",
    "interpretation",
}
CONFIDENCE = {"high": CTKG.high, "medium": CTKG.medium}
ARTICLE_KEYS = {"id", "text", "headline", "headline_en", "published", "author", "language", "url"}


@dataclass
class Article:
    """A source article: its IRI, its text and what the fact file says of it."""

    id: str
    iri: URIRef
    text: str
    text_file: Path
    facts_file: Path

    @property
    def graph(self) -> str:
        return f"article/{self.id}"


def fact_files(directory: Path = FACTS_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def read_yaml(path: Path) -> dict:
    """The file's mapping, or a BuildError that says where the YAML is broken."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise BuildError(f"malformed YAML{where}: {problem}", source=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot read: {exc}", source=str(path)) from None
    if not isinstance(data, dict):
        raise BuildError("expected a mapping with 'article' and 'facts'", source=str(path))
    return data


def load_article_facts(
    path: Path, index: OntologyIndex, sources_dir: Path = SOURCES_DIR
) -> tuple[Article, list[Fact]]:
    """The article and all its facts (the article's own metadata first)."""
    data = read_yaml(path)
    src = str(path)
    meta = data.get("article")
    if not isinstance(meta, dict):
        raise BuildError("missing 'article' mapping", source=src)
    unknown = set(meta) - ARTICLE_KEYS
    if unknown:
        raise BuildError(f"unknown article keys: {', '.join(sorted(unknown))}", source=src)
    for key in ("id", "text", "headline", "published", "language"):
        if key not in meta:
            raise BuildError(f"article needs '{key}'", source=src)
    article_id = str(meta["id"])
    text_file = sources_dir / str(meta["text"])
    try:
        text = text_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"article text {text_file}: {exc}", source=src) from None
    text = unicodedata.normalize("NFC", text)
    article = Article(article_id, CANONICAL.entity(f"article/{article_id}"), text, text_file, path)
    facts = [_article_fact(article, meta, index, src)]
    raw_facts = data.get("facts")
    if not isinstance(raw_facts, list) or not raw_facts:
        raise BuildError("'facts' must be a non-empty list", source=src)
    seen: set[str] = set()
    for number, raw in enumerate(raw_facts, 1):
        fact = _fact(article, raw, number, index, src)
        if fact.id in seen:
            raise BuildError("duplicate fact id", source=src, fact=fact.id)
        seen.add(fact.id)
        facts.append(fact)
    return article, facts


def locate(text: str, quote: str, occurrence: int = 1) -> tuple[int, int] | None:
    """Code-point offsets of the n-th occurrence of ``quote`` in ``text``, or None."""
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            return None
    return start, start + len(quote)


def _evidence(article: Article, fact_id: str, quote: object, occurrence: object, src: str):
    if not isinstance(quote, str) or not quote.strip():
        raise BuildError("needs a 'quote' from the article", source=src, fact=fact_id)
    quote = unicodedata.normalize("NFC", quote)
    if not isinstance(occurrence, int) or occurrence < 1:
        raise BuildError("'occurrence' must be a positive integer", source=src, fact=fact_id)
    span = locate(article.text, quote, occurrence)
    if span is None:
        nth = "" if occurrence == 1 else f" (occurrence {occurrence})"
        raise BuildError(
            f"quote not found verbatim in {article.text_file.name}{nth}: {quote!r}",
            source=src,
            fact=fact_id,
        )
    return Evidence(fact_id, quote, *span)


def _new_fact(article: Article, fact_id: str, evidence: Evidence | None) -> Fact:
    return Fact(
        id=fact_id,
        graph=article.graph,
        sources=[article.iri],
        evidence=evidence,
        evidence_iri=URIRef(f"{article.iri}/evidence/{fact_id}") if evidence else None,
    )


def _article_fact(article: Article, meta: dict, index: OntologyIndex, src: str) -> Fact:
    """The article's own description; its headline is checked like any quote."""
    headline = str(meta["headline"])
    evidence = _evidence(article, "article", headline, 1, src)
    fact = _new_fact(article, "article", evidence)
    a = article.iri
    add = fact.triples.append
    add((a, RDF.type, CTKG.NewsArticle))
    add((a, SCHEMA.headline, Literal(headline, lang=str(meta["language"]))))
    add((a, RDFS.label, Literal(headline, lang=str(meta["language"]))))
    if meta.get("headline_en"):
        add((a, RDFS.label, Literal(str(meta["headline_en"]), lang="en")))
    try:
        for lit in literal_terms(meta["published"], XSD.date):
            add((a, SCHEMA.datePublished, lit))
        if meta.get("author"):
            add((a, SCHEMA.author, object_term(meta["author"], index)))
    except ValueError as exc:
        raise BuildError(str(exc), source=src, fact="article") from None
    add((a, SCHEMA.inLanguage, Literal(str(meta["language"]))))
    add((a, SCHEMA.articleBody, Literal(article.text, lang=str(meta["language"]))))
    add((a, CTKG.articleFile, Literal(f"sources/{article.text_file.name}")))
    if meta.get("url"):
        add((a, SCHEMA.url, Literal(str(meta["url"]), datatype=XSD.anyURI)))
    return fact


def _fact(article: Article, raw: object, number: int, index: OntologyIndex, src: str) -> Fact:
    if not isinstance(raw, dict):
        raise BuildError(f"fact #{number} is not a mapping", source=src)
    fact_id = str(raw.get("id") or f"#{number}")
    unknown = set(raw) - FACT_KEYS
    if unknown:
        raise BuildError(f"unknown keys: {', '.join(sorted(unknown))}", source=src, fact=fact_id)
    if "id" not in raw:
        raise BuildError("needs an 'id'", source=src, fact=fact_id)
    evidence = _evidence(article, fact_id, raw.get("quote"), raw.get("occurrence", 1), src)
    fact = _new_fact(article, fact_id, evidence)
    try:
        _add_reading(fact, raw)
        subject = object_term(raw.get("subject"), index)
        if not str(raw.get("subject", "")).count("/"):
            raise ValueError("'subject' must be an entity reference")
        _add_types(fact, subject, raw.get("type"), index)
        if "label" in raw:
            for lit in literal_terms(_need_mapping(raw["label"], "label"), RDF.langString):
                fact.triples.append((subject, RDFS.label, lit))
        if "altLabel" in raw:
            for lit in literal_terms(_need_mapping(raw["altLabel"], "altLabel"), RDF.langString):
                fact.triples.append((subject, SKOS.altLabel, lit))
        props = raw.get("props") or {}
        if not isinstance(props, dict):
            raise ValueError("'props' must be a mapping of property to value")
        for key, value in props.items():
            _add_property(fact, subject, str(key), value, index)
    except ValueError as exc:
        raise BuildError(str(exc), source=src, fact=fact_id) from None
    if not fact.triples:
        raise BuildError("states nothing (no type, label or props)", source=src, fact=fact_id)
    return fact


def _add_reading(fact: Fact, raw: dict) -> None:
    """A fact that reads more into its quote than the words say carries the reading and a
    confidence, so no one takes an interpretation for the source's own statement."""
    if "confidence" in raw:
        if raw["confidence"] not in CONFIDENCE:
            raise ValueError("'confidence' must be high or medium")
        fact.confidence = CONFIDENCE[raw["confidence"]]
    if "interpretation" in raw:
        note = _need_mapping(raw["interpretation"], "interpretation")
        fact.interpretation = list(literal_terms(note, RDF.langString))
        if not any(lit.language == "en" for lit in fact.interpretation):
            raise ValueError("'interpretation' needs at least an English note ({en: …})")


def _need_mapping(value: object, key: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"'{key}' must be a mapping of language to text, e.g. {{vi: …, en: …}}")
    return value


def _add_types(fact: Fact, subject: URIRef, types: object, index: OntologyIndex) -> None:
    if types is None:
        return
    for name in types if isinstance(types, list) else [types]:
        iri = expand_name(str(name))
        if iri is None or iri not in index.classes:
            raise ValueError(f"unknown class {name!r} (not declared in the ontology)")
        fact.triples.append((subject, RDF.type, iri))


def _add_property(fact: Fact, subject: URIRef, key: str, value: object, index: OntologyIndex):
    prop = expand_name(key)
    info = index.properties.get(prop) if prop is not None else None
    if info is None:
        raise ValueError(f"unknown property {key!r} (not in the ontology nor the standard list)")
    for item in value if isinstance(value, list) else [value]:
        if info.kind == "object":
            fact.triples.append((subject, info.iri, object_term(item, index)))
        else:
            for lit in literal_terms(item, info.range):
                fact.triples.append((subject, info.iri, lit))


__all__ = ["Article", "fact_files", "load_article_facts", "locate", "read_yaml"]
