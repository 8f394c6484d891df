"""Find things by name: an index of every entity's labels and alternative names, in vi and en,
matched with or without diacritics ("hai phong", "Haiphong" and "Hải Phòng" all find Hải Phòng).

One index serves the site's search box (``/api/search``), the notebook API and the
reconciliation service, so all three rank the same way. It is built from one SELECT
(``index_query``) over whatever runs SPARQL — the server's executors, the embedded store or a
remote endpoint — and is small (a few entries per entity), so callers keep it per data version
instead of writing it into the build: a SPARQL Update is then searchable at once.

Matching works on *folded* text: NFC, đ → d, diacritics dropped, case-folded, punctuation to
spaces. A label scores (best first): 100 exact, 90 the same without spaces ("haiphong"),
80 the label starts with the query, 60 every query word starts a word of the label, 40 the
query occurs inside the label. A few points go to the main label over an alternative name, and
to a query typed with the label's own diacritics; ties go to the shorter label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PREF_LABEL = SKOS + "prefLabel"
ALT_LABEL = SKOS + "altLabel"
SCHEMA_NAMES = ("https://schema.org/name", "http://schema.org/name")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MAIN_LABELS = (RDFS_LABEL, PREF_LABEL, *SCHEMA_NAMES)
MAX_LIMIT = 50
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """``"Hải Phòng"`` -> ``"hai phong"``: the form queries and labels are compared in."""
    text = unicodedata.normalize("NFC", text).replace("Đ", "D").replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).replace("_", " ").split())


def sort_key(text: str) -> str:
    """A sort key close to Vietnamese alphabetical order (đ after d, accents ignored)."""
    text = text.replace("Đ", "D\uffff").replace("đ", "d\uffff")
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def index_query(base_iri: str) -> str:
    """Labels, alternative names and ctkg types of every entity under ``{base}id/``."""
    names = " ".join(f"<{p}>" for p in (*MAIN_LABELS, ALT_LABEL))
    return f"""SELECT ?x ?p ?text WHERE {{
  {{ VALUES ?p {{ {names} }} ?x ?p ?text FILTER(isLiteral(?text)) }}
  UNION
  {{ ?x a ?text BIND(<{RDF_TYPE}> AS ?p)
     FILTER(isIRI(?text) && STRSTARTS(STR(?text), "{base_iri}ontology#")) }}
  FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{base_iri}id/"))
}}"""


@dataclass
class Entry:
    """One entity: its names by language (main labels first), its types."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict)  # lang ('' none) -> main label
    names: list[tuple[str, str, bool]] = field(default_factory=list)  # (text, lang, is_main)
    types: list[str] = field(default_factory=list)
    # (folded, folded without spaces, as written, is a main label)
    folded: list[tuple[str, str, str, bool]] = field(default_factory=list)
    label_ranks: dict[str, int] = field(default_factory=dict, repr=False)

    def label(self, lang: str) -> str:
        for key in (lang, "", "vi", "en"):
            if self.labels.get(key):
                return self.labels[key]
        return self.names[0][0] if self.names else self.iri.rsplit("/", 1)[-1]


@dataclass
class Match:
    entry: Entry
    score: int
    matched: str  # the name that matched
    exact: bool


def _score(query: str, compact: str, words: list[str], raw: str, name: tuple) -> int:
    folded, squeezed, name_raw, main = name
    if not folded:
        return 0
    if folded == query:
        score = 100
    elif squeezed == compact:
        score = 90
    elif folded.startswith(query) or squeezed.startswith(compact):
        score = 80
    elif all(any(w.startswith(q) for w in folded.split()) for q in words):
        score = 60
    elif compact in squeezed:
        score = 40
    else:
        return 0
    if main:
        score += 3
    if raw and name_raw.casefold().startswith(raw):
        score += 5  # typed with the label's own diacritics
    return score


class LabelIndex:
    """Every entity's names, ready to match."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries = [e for e in entries if e.names]
        for entry in self.entries:
            entry.folded = [
                (fold(text), fold(text).replace(" ", ""), text, main)
                for text, _lang, main in entry.names
            ]

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, str]]) -> LabelIndex:
        """From ``(entity IRI, predicate IRI, text or type IRI, language tag)`` rows, as
        ``index_query`` returns them."""
        found: dict[str, Entry] = {}
        for iri, predicate, text, lang in rows:
            entry = found.setdefault(iri, Entry(iri))
            if predicate == RDF_TYPE:
                if text not in entry.types:
                    entry.types.append(text)
                continue
            main = predicate in MAIN_LABELS
            if main:
                rank = (MAIN_LABELS.index(predicate), text)
                if lang not in entry.labels or rank < (entry.label_ranks[lang], entry.labels[lang]):
                    entry.labels[lang] = text
                    entry.label_ranks[lang] = rank[0]
            if (text, lang, main) not in entry.names:
                entry.names.append((text, lang, main))
        for entry in found.values():
            entry.names.sort(key=lambda n: (not n[2], n[1] != "vi", n[0]))
            entry.types.sort()
        return cls(sorted(found.values(), key=lambda e: e.iri))

    def search(self, text: str, *, types: Iterable[str] = (), limit: int = 10) -> list[Match]:
        """The best matches for ``text``, at most ``limit`` (capped at ``MAX_LIMIT``); only
        entities of one of ``types`` (class IRIs) if given."""
        query = fold(text)
        if not query:
            return []
        compact = query.replace(" ", "")
        words = query.split()
        raw = " ".join(unicodedata.normalize("NFC", text).casefold().split())
        wanted = set(types)
        found = []
        for entry in self.entries:
            if wanted and not wanted.intersection(entry.types):
                continue
            best, matched = 0, ""
            for name in entry.folded:
                score = _score(query, compact, words, raw, name)
                if score > best or (score == best and score and len(name[2]) < len(matched)):
                    best, matched = score, name[2]
            if best:
                found.append(Match(entry, best, matched, best >= 90))
        found.sort(key=lambda m: (-m.score, len(m.matched), m.entry.iri))
        return found[: max(1, min(limit, MAX_LIMIT))]
