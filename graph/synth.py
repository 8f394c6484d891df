"""Synthetic data in ctkg's own ontology, for measuring speed at scale (``ctkg synth``).

The generator writes N-Quads with the shapes of the real graph: the real ontology and gazetteer
graphs; conference series with numbered yearly editions, host provinces and organisers (UBND,
Sở Công Thương, Bộ Công Thương and its units); officials whose posts change over time
(``org:Membership`` + ``ctkg:attestedAt``); indicator observations shaped like the seed's
(``qb:Observation``); and one named graph per news article in which every triple is reified as an
``rdf:Statement`` with ``prov:wasDerivedFrom`` and ``ctkg:evidence`` -> a quote whose code-point
offsets locate it in the article body. A series table like ``source/series-editions`` cites web
pages with a confidence, the ``meta`` graph describes every graph, and the ``inferred`` graph
holds the standard-vocabulary triples the build would materialise (same closure, same rules).

Provinces, officials, series and outlets are drawn with Zipf-like skew, so a few big cities,
deputy ministers and series dominate as they do in the news. The real series, its editions
(``series-editions.csv``), its officials and the seed's IRIs are anchors of the synthetic world,
so the named queries' default parameters (``edition/hoi-nghi-cong-thuong-phia-bac/2019``,
``province/hai-phong`` …) find data at every size. Everything else is random: never load a
synthetic graph next to the real one.

Output is streamed (memory stays flat at 10^7 quads), deterministic for a seed (same seed, same
bytes), and stops at the target quad count (±2 %: the last article is trimmed to fit).
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import datetime as dt
import hashlib
import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from ctkg.config import Settings
from ctkg.iris import CANONICAL, CANONICAL_BASE, slugify

from .dumps import sha256
from .gazetteer import gazetteer_facts, units
from .inputs import Inputs
from .materialize import closure
from .provenance import fact_quads, graph_description, in_meta
from .series import CSV_FILE, ROMAN, organization
from .store import BuildDirectory, merge_into_default_graph
from .terms import ontology_index
from .vocab import OWL, RDFS

log = logging.getLogger(__name__)

GENERATOR_VERSION = 1
DEFAULT_SEED = 2019
FIRST_YEAR, LAST_HELD_YEAR = 2003, 2025

# ---------------------------------------------------------------- terms, as N-Triples text

BASE = CANONICAL_BASE
ID = BASE + "id/"
GRAPH = BASE + "graph/"
V = BASE + "ontology#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
PROV_NS = "http://www.w3.org/ns/prov#"
ORG_NS = "http://www.w3.org/ns/org#"
SCHEMA_NS = "https://schema.org/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
TIME_NS = "http://www.w3.org/2006/time#"
QB_NS = "http://purl.org/linked-data/cube#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"


def iri(value: str) -> str:
    return f"<{value}>"


def eid(path: str) -> str:
    """An entity IRI ``{base}id/{path}`` as N-Triples text (``province/hai-phong``)."""
    return f"<{ID}{path}>"


def c(local: str) -> str:
    """A ctkg ontology term."""
    return f"<{V}{local}>"


def _escape(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
    return text


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return f'"{_escape(text)}"@{lang}'
    if datatype and datatype != XSD_NS + "string":
        return f'"{_escape(text)}"^^<{datatype}>'
    return f'"{_escape(text)}"'


def xsd(text: object, local: str) -> str:
    return f'"{text}"^^<{XSD_NS}{local}>'


def nt(term) -> str:
    """An rdflib term as N-Triples text."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return lit(str(term), term.language, str(term.datatype) if term.datatype else None)
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


A = iri(RDF_NS + "type")
LABEL = iri(RDFS_NS + "label")
ALT_LABEL = iri(SKOS_NS + "altLabel")
STATEMENT = iri(RDF_NS + "Statement")
SUBJECT, PREDICATE, OBJECT = (iri(RDF_NS + x) for x in ("subject", "predicate", "object"))
DERIVED = iri(PROV_NS + "wasDerivedFrom")
QUOTED_FROM = iri(PROV_NS + "wasQuotedFrom")
EVIDENCE, CONFIDENCE = c("evidence"), c("confidence")
EVIDENCE_CLASS = c("Evidence")
SCHEMA_NAME, PREF_LABEL = iri(SCHEMA_NS + "name"), iri(SKOS_NS + "prefLabel")
MEMBER, ORGANIZATION, ROLE = (iri(ORG_NS + x) for x in ("member", "organization", "role"))

G_ONTOLOGY, G_INFERRED, G_META = (iri(GRAPH + x) for x in ("ontology", "inferred", "meta"))
SERIES_TABLE = "source/synthetic-series-editions"
G_SERIES_TABLE = iri(GRAPH + SERIES_TABLE)
SERIES_DATASET = eid(SERIES_TABLE)

Triple = tuple[str, str, str]


def statement_iri(graph: str, s: str, p: str, o: str) -> str:
    """As ``IriScheme.statement``: a stable IRI per (graph, triple)."""
    digest = hashlib.sha1("\x1f".join((graph[1:-1], s, p, o)).encode("utf-8")).hexdigest()[:16]
    return f"<{ID}statement/{digest}>"


# ---------------------------------------------------------------- writing and inferring


class Inference:
    """The build's materialisation rules (``materialize.py``), applied quad by quad."""

    NO_DEDUP = frozenset({EVIDENCE, c("quote")})  # subjects unique by construction

    def __init__(self, ontology_graph):
        classes = closure(ontology_graph, RDFS.subClassOf, OWL.equivalentClass)
        props = closure(ontology_graph, RDFS.subPropertyOf, OWL.equivalentProperty)
        self.classes = {nt(k): sorted(nt(x) for x in v) for k, v in classes.items() if v}
        self.props = {nt(k): sorted(nt(x) for x in v) for k, v in props.items() if v}
        self.props[LABEL] = [SCHEMA_NAME, PREF_LABEL]
        self.seen: set[int] = set()

    def candidates(self, s: str, p: str, o: str) -> list[tuple[Triple, int | None]]:
        """Entailed triples of one stated triple, each with its dedup key (None: unique)."""
        if p == A:
            sups = self.classes.get(o)
            if not sups:
                return []
            unique = o == EVIDENCE_CLASS
            return [((s, A, x), None if unique else hash((s, A, x))) for x in sups]
        sups = self.props.get(p)
        if not sups:
            return []
        unique = p in self.NO_DEDUP
        return [((s, x, o), None if unique else hash((s, x, o))) for x in sups]


class QuadWriter:
    """Writes N-Quads lines, counts them per graph, and adds the inferred ones."""

    def __init__(
        self,
        out: TextIO,
        inference: Inference,
        base: str = CANONICAL_BASE,
        triples_out: TextIO | None = None,
    ):
        self.out = out
        self.triples_out = triples_out
        self.inference = inference
        self.base = base
        self.count = 0
        self.per_graph: dict[str, int] = {}

    def _line(self, s: str, p: str, o: str, g: str) -> None:
        triple, graph = f"{s} {p} {o}", g
        if self.base != CANONICAL_BASE:
            triple = triple.replace("<" + CANONICAL_BASE, "<" + self.base)
            graph = g.replace("<" + CANONICAL_BASE, "<" + self.base)
        self.out.write(f"{triple} {graph} .\n")
        if self.triples_out is not None:
            if s[0] == "_" or o[0] == "_":
                # blank nodes are scoped to the file they are read from: these triples get
                # into the default graph by merge_blank_node_triples, from the same store
                if g != G_ONTOLOGY:
                    raise ValueError(f"a blank node outside the ontology graph: {triple}")
            else:
                self.triples_out.write(f"{triple} .\n")
        self.count += 1
        self.per_graph[graph] = self.per_graph.get(graph, 0) + 1

    def write(self, quads: list[tuple[str, str, str, str]]) -> None:
        seen = self.inference.seen
        for s, p, o, g in quads:
            self._line(s, p, o, g)
            if g == G_ONTOLOGY:
                continue
            for triple, key in self.inference.candidates(s, p, o):
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                self._line(*triple, G_INFERRED)

    def preview(self, quads: list[tuple[str, str, str, str]]) -> int:
        """How many lines ``write(quads)`` would add (nothing is written)."""
        seen, local = self.inference.seen, set()
        n = len(quads)
        for s, p, o, _g in quads:
            for _t, key in self.inference.candidates(s, p, o):
                if key is None:
                    n += 1
                elif key not in seen and key not in local:
                    local.add(key)
                    n += 1
        return n


class Graph:
    """Quads of one named graph under construction: facts reified with their provenance.

    ``stated`` holds the triples already written to this graph (by earlier facts, or earlier
    rows of the same source): a triple stated again only gains the new evidence link.
    """

    def __init__(
        self,
        name: str,
        sources: list[str],
        confidence: str | None = None,
        stated: set[Triple] | None = None,
    ):
        self.name = name
        self.g = iri(GRAPH + name)
        self.sources = sources
        self.confidence = confidence
        self.quads: list[tuple[str, str, str, str]] = []
        self.stated = stated if stated is not None else set()
        self.new: set[Triple] = set()

    def fact(self, triples: list[Triple], evidence: str | None = None) -> None:
        """Each triple, and an ``rdf:Statement`` naming it with its sources (``fact_quads``)."""
        g, add = self.g, self.quads.append
        for t in dict.fromkeys(triples):
            s, p, o = t
            st = statement_iri(g, s, p, o)
            if t in self.stated or t in self.new:
                if evidence:
                    add((st, EVIDENCE, evidence, g))
                continue
            self.new.add(t)
            add((s, p, o, g))
            add((st, A, STATEMENT, g))
            add((st, SUBJECT, s, g))
            add((st, PREDICATE, p, g))
            add((st, OBJECT, o, g))
            for src in self.sources:
                add((st, DERIVED, src, g))
            if evidence:
                add((st, EVIDENCE, evidence, g))
            if self.confidence:
                add((st, CONFIDENCE, self.confidence, g))


class ArticleGraph(Graph):
    """An article's graph: its body grows sentence by sentence; each fact quotes one."""

    def __init__(self, article_id: str):
        self.id = article_id
        self.article = eid(f"article/{article_id}")
        super().__init__(f"article/{article_id}", [self.article])
        self.sentences: list[str] = []
        self.length = 0
        self.facts = 0
        self.described: set[str] = set()

    def say(self, sentence: str) -> tuple[int, int]:
        start = self.length
        self.sentences.append(sentence)
        self.length += len(sentence) + 1  # joined by "\n"
        return start, start + len(sentence)

    def quoted(self, fact_id: str, triples: list[Triple], span: tuple[int, int], text: str) -> None:
        """A fact supported by ``text``, found at ``span`` of the body."""
        ev = f"<{ID}article/{self.id}/evidence/{fact_id}>"
        g, add = self.g, self.quads.append
        add((ev, A, EVIDENCE_CLASS, g))
        add((ev, c("factId"), lit(fact_id), g))
        add((ev, c("quote"), lit(text, "vi"), g))
        add((ev, c("startOffset"), xsd(span[0], "nonNegativeInteger"), g))
        add((ev, c("endOffset"), xsd(span[1], "nonNegativeInteger"), g))
        add((ev, QUOTED_FROM, self.article, g))
        self.fact(triples, ev)
        self.facts += 1

    @property
    def body(self) -> str:
        return "\n".join(self.sentences)


# ---------------------------------------------------------------- the synthetic world

FAMILY = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Phan", 4.5),
    ("Huỳnh", 4),
    ("Vũ", 3.9),
    ("Võ", 3),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
)
_MIDDLE = "Văn Thị Hữu Đức Minh Quốc Ngọc Thanh Xuân Hồng Quang Công Đình Mạnh Tuấn Hoàng Kim Thế"
MIDDLE = (*_MIDDLE.split(" "), "Trọng", "Anh")
_GIVEN = "An Anh Bình Cường Dũng Đạt Giang Hà Hải Hạnh Hiếu Hòa Hùng Hưng Huy Khánh Lâm Linh Long"
_GIVEN2 = "Lợi Mai Nam Nga Nghĩa Phong Phúc Phương Quân Sơn Tâm Thắng Thành Thảo Thịnh Thủy Toàn"
GIVEN = (*_GIVEN.split(" "), *_GIVEN2.split(" "), "Trung", "Tú", "Tùng", "Việt", "Vinh", "Yến")

# title -> (slug, English); org kind -> (head title, deputy title, deputy seats)
ROLES = {
    "Bộ trưởng": ("bo-truong", "Minister"),
    "Thứ trưởng": ("thu-truong", "Deputy Minister"),
    "Cục trưởng": ("cuc-truong", "Director General"),
    "Phó Cục trưởng": ("pho-cuc-truong", "Deputy Director General"),
    "Chủ tịch": ("chu-tich", "Chairperson"),
    "Phó Chủ tịch": ("pho-chu-tich", "Vice Chairperson"),
    "Giám đốc": ("giam-doc", "Director"),
    "Phó Giám đốc": ("pho-giam-doc", "Deputy Director"),
}
SEATS = {
    "ministry": ("Bộ trưởng", "Thứ trưởng", 4),
    "unit": ("Cục trưởng", "Phó Cục trưởng", 2),
    "ubnd": ("Chủ tịch", "Phó Chủ tịch", 3),
    "so": ("Giám đốc", "Phó Giám đốc", 2),
}
# The real officials of the seed and of series-editions.csv, with public posts (anchors).
PINNED_POSTS = (
    ("Trần Tuấn Anh", "Thứ trưởng", "Bộ Công Thương", 2013, 2015),
    ("Trần Tuấn Anh", "Bộ trưởng", "Bộ Công Thương", 2016, 2021),
    ("Đặng Hoàng An", "Thứ trưởng", "Bộ Công Thương", 2016, 2022),
    ("Nguyễn Sinh Nhật Tân", "Thứ trưởng", "Bộ Công Thương", 2020, 2025),
    ("Phan Thị Thắng", "Thứ trưởng", "Bộ Công Thương", 2023, 2025),
    ("Nguyễn Hồng Diên", "Bộ trưởng", "Bộ Công Thương", 2022, 2025),
    ("Nguyễn Ngọc Thạch", "Phó Chủ tịch", "UBND tỉnh Ninh Bình", 2015, 2020),
)
MINISTRY_UNITS = (  # units of Bộ Công Thương: (Vietnamese, English)
    ("Cục Công nghiệp địa phương", "Agency for Local Industry"),
    ("Cục Công Thương địa phương", "Agency for Regional Industry and Trade"),
    ("Cục Xúc tiến thương mại", "Vietnam Trade Promotion Agency"),
    ("Cục Xuất nhập khẩu", "Agency of Foreign Trade"),
    ("Cục Công nghiệp", "Industry Agency"),
)
INDICATORS = (  # slug, vi, en (the seed's three first)
    ("industrial-production-value", "Giá trị sản xuất công nghiệp", "Industrial production value"),
    ("export-turnover", "Kim ngạch xuất khẩu", "Export turnover"),
    (
        "retail-sales-and-services-revenue",
        "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ",
        "Total retail sales of goods and services revenue",
    ),
    (
        "industrial-production-index",
        "Chỉ số sản xuất công nghiệp",
        "Index of industrial production",
    ),
    ("import-turnover", "Kim ngạch nhập khẩu", "Import turnover"),
    (
        "processing-manufacturing-index",
        "Chỉ số công nghiệp chế biến, chế tạo",
        "Manufacturing index",
    ),
    ("electricity-output", "Sản lượng điện sản xuất", "Electricity output"),
    ("registered-fdi", "Vốn FDI đăng ký", "Registered FDI capital"),
)
TEMPLATES = (  # regional series: vi, en ({r} = region label)
    ("Hội nghị ngành Công Thương khu vực {r}", "Industry and Trade Conference of the {r}"),
    ("Hội nghị xúc tiến thương mại {r}", "Trade Promotion Conference, {r}"),
    ("Diễn đàn công nghiệp hỗ trợ {r}", "Supporting Industries Forum, {r}"),
    ("Hội nghị kết nối cung cầu hàng hóa {r}", "Supply and Demand Connection Conference, {r}"),
    ("Hội nghị khuyến công {r}", "Industrial Promotion Conference, {r}"),
)
PROVINCIAL = (  # provincial series: vi, en ({p} = province label)
    (
        "Hội nghị tổng kết ngành Công Thương {p}",
        "Annual Review Conference of Industry and Trade, {p}",
    ),
    (
        "Hội nghị xúc tiến đầu tư và thương mại {p}",
        "Investment and Trade Promotion Conference, {p}",
    ),
)
FINDINGS = (
    "công nghiệp, thương mại có sự tăng trưởng khá nhanh",
    "hoạt động xúc tiến thương mại được đẩy mạnh",
    "thị trường trong nước ổn định, cung cầu hàng hóa được bảo đảm",
    "nhiều dự án công nghiệp lớn đi vào hoạt động",
    "công tác quản lý thị trường được tăng cường",
)
LIMITATIONS = (
    "khả năng cạnh tranh của sản phẩm công nghiệp còn yếu",
    "quy hoạch phát triển cụm công nghiệp còn chậm",
    "hạ tầng thương mại còn lạc hậu, thiếu đồng bộ",
    "liên kết giữa các địa phương trong chuỗi cung ứng còn hạn chế",
    "nguồn nhân lực chất lượng cao còn thiếu",
    "thu hút đầu tư vào công nghiệp hỗ trợ chưa đạt kỳ vọng",
)
TASKS = (
    "Tập trung phát triển kết cấu hạ tầng thương mại và hệ thống phân phối",
    "Đẩy nhanh hoạt động liên kết vùng giữa ngành Công Thương các tỉnh, thành phố",
    "Tăng cường xúc tiến thương mại, mở rộng thị trường xuất khẩu",
    "Thúc đẩy phát triển công nghiệp hỗ trợ và công nghiệp chế biến, chế tạo",
    "Đẩy mạnh cải cách hành chính, cải thiện môi trường kinh doanh",
    "Triển khai hiệu quả các đề án khuyến công",
    "Phát triển thương mại điện tử",
    "Bảo đảm cung ứng điện cho sản xuất và đời sống",
)
OUTLETS = (
    "baocongthuong.example",
    "congthuong.example",
    "nhandan.example",
    "vietnamplus.example",
    "tuoitre.example",
    "vnexpress.example",
    "thanhnien.example",
    "dantri.example",
    "baodautu.example",
    "kinhtedothi.example",
)
CITY_FIRST = ("ha-noi", "ho-chi-minh", "hai-phong", "da-nang", "can-tho")


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (rank + 1) ** s for rank in range(n)]


def roman(n: int) -> str:
    if n < len(ROMAN):
        return ROMAN[n]
    out = ""
    for value, numeral in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def ordinal_en(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def decimal_vi(text: str) -> str:
    return text.replace(".", ",")


@dataclass(eq=False)
class Org:
    iri: str
    slug: str
    name_vi: str
    name_en: str
    kind: str  # ministry | unit | ubnd | so
    triples: list[Triple]
    province: str | None = None


@dataclass(eq=False)
class Person:
    slug: str
    name_vi: str
    name_en: str

    @property
    def iri(self) -> str:
        return eid(f"person/{self.slug}")

    def triples(self) -> list[Triple]:
        p = self.iri
        return [
            (p, A, c("Person")),
            (p, LABEL, lit(self.name_vi, "vi")),
            (p, LABEL, lit(self.name_en, "en")),
        ]


@dataclass(eq=False)
class Post:
    person: Person
    title: str
    org: Org
    start: int
    end: int

    @property
    def role_slug(self) -> str:
        return ROLES[self.title][0]

    @property
    def iri(self) -> str:
        return eid(f"membership/{self.person.slug}--{self.role_slug}--{self.org.slug}")


@dataclass(eq=False)
class Series:
    slug: str
    label_vi: str
    label_en: str
    members: list[str]  # province slugs that may host
    region: str | None  # region id, None for a provincial series
    provincial: bool
    editions: list[Edition] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return eid(f"series/{self.slug}")


@dataclass(eq=False)
class Edition:
    series: Series
    year: int
    ordinal: int | None
    held: bool
    host: str | None  # province slug
    date: dt.date | None
    organizers: list[Org]
    co_organizers: list[Org]
    host_org: Org | None
    director: Post | None
    next: Edition | None = None
    rank: float = 1.0
    articles: int = 0

    @property
    def iri(self) -> str:
        return eid(f"edition/{self.series.slug}/{self.year}")

    @property
    def path(self) -> str:
        return f"edition/{self.series.slug}/{self.year}"


class World:
    """Provinces, organisations, officials with their careers, series and editions.

    Independent of the target size: a larger target covers more of the same world.
    """

    def __init__(self, seed: int, inputs: Inputs):
        self.rng = random.Random(f"ctkg-synth:{seed}:world")
        self.units = {u.slug: u for u in units(inputs.gazetteer)}
        gaz, _ = gazetteer_facts(inputs.gazetteer)
        self.regions: dict[str, dict] = {}
        for fact in gaz:
            if fact.id.startswith("region/"):
                rid = fact.id.removeprefix("region/")
                labels = {t[2].language: str(t[2]) for t in fact.triples if t[1] == RDFS.label}
                members = [
                    str(t[2]).rsplit("/", 1)[1]
                    for t in fact.triples
                    if str(t[1]).endswith("memberProvince")
                ]
                self.regions[rid] = {"labels": labels, "members": members}
        others = sorted(s for s in self.units if s not in CITY_FIRST)
        self.rng.shuffle(others)
        order = [s for s in CITY_FIRST if s in self.units] + others
        self.province_weight = dict(zip(order, zipf_weights(len(order), 0.9), strict=True))
        self.used_slugs: set[str] = set()
        self.people: dict[str, Person] = {}
        self.orgs = self._organisations()
        self.posts: dict[tuple[str, str], list[Post]] = {}
        self._careers()
        self.series = self._series(inputs)
        self.journalists = {o: [self.new_person(self.rng) for _ in range(8)] for o in OUTLETS}

    # -- people and organisations
    def province_label(self, slug: str) -> tuple[str, str]:
        u = self.units[slug]
        return u.name_vi, u.name_en

    def new_person(self, rng: random.Random, name: str | None = None) -> Person:
        if name is None:
            families, weights = zip(*FAMILY, strict=True)
            for _ in range(1000):
                parts = [rng.choices(families, weights)[0], rng.choice(MIDDLE)]
                if rng.random() < 0.4:
                    parts.append(rng.choice(MIDDLE))
                parts.append(rng.choice(GIVEN))
                name = " ".join(parts)
                if slugify(name) not in self.used_slugs:
                    break
        slug = slugify(name)
        if slug in self.people:
            return self.people[slug]
        self.used_slugs.add(slug)
        person = Person(slug, name, " ".join(p.capitalize() for p in slug.split("-")))
        self.people[slug] = person
        return person

    def _org(self, o, kind: str, province: str | None = None) -> Org:
        triples = [tuple(nt(x) for x in t) for t in o.triples]
        names = {t[2].language: str(t[2]) for t in o.triples if t[1] == RDFS.label}
        return Org(nt(o.iri), o.slug, names["vi"], names["en"], kind, triples, province)

    def _organisations(self) -> dict[str, Org]:
        orgs = {"Bộ Công Thương": self._org(organization("Bộ Công Thương"), "ministry")}
        ministry = orgs["Bộ Công Thương"]
        for vi, en in MINISTRY_UNITS:
            slug = slugify(vi)
            o = eid(f"organization/{slug}")
            orgs[vi] = Org(
                o,
                slug,
                vi,
                en,
                "unit",
                [
                    (o, A, c("MinistryUnit")),
                    (o, LABEL, lit(vi, "vi")),
                    (o, LABEL, lit(en, "en")),
                    (o, c("subOrganizationOf"), ministry.iri),
                    *ministry.triples,
                ],
            )
        for slug, u in self.units.items():
            kind = "thành phố" if u.kind == "centrally-governed city" else "tỉnh"
            name = f"UBND {kind} {u.name_vi}"
            orgs[name] = self._org(organization(name), "ubnd", slug)
            name = f"Sở Công Thương {u.name_vi}"
            orgs[name] = self._org(organization(name), "so", slug)
        return orgs

    def ubnd(self, province: str) -> Org:
        u = self.units[province]
        kind = "thành phố" if u.kind == "centrally-governed city" else "tỉnh"
        return self.orgs[f"UBND {kind} {u.name_vi}"]

    def so(self, province: str) -> Org:
        return self.orgs[f"Sở Công Thương {self.units[province].name_vi}"]

    def _careers(self) -> None:
        """Office holders year by year; a head seat often goes to one of the deputies."""
        rng = self.rng
        seats: list[dict] = []  # the head seat first within each organisation
        for org in self.orgs.values():
            head, deputy, n = SEATS[org.kind]
            seats.append({"org": org, "title": head, "pins": []})
            seats += [{"org": org, "title": deputy, "pins": []} for _ in range(n)]
        for name, title, org_name, start, end in PINNED_POSTS:
            person = self.new_person(rng, name)
            org = self.orgs[org_name]
            for seat in (x for x in seats if x["org"] is org and x["title"] == title):
                if all(end < a or start > b for a, b, _ in seat["pins"]):
                    seat["pins"].append((start, end, person))
                    break
        for seat in seats:
            seat.update(holder=None, start=0, until=0)

        def pin(seat: dict, year: int):
            return next((p for p in seat["pins"] if p[0] <= year <= p[1]), None)

        for year in range(FIRST_YEAR - 4, LAST_HELD_YEAR + 2):
            for seat in seats:
                pinned = pin(seat, year)
                if pinned:
                    if seat["holder"] is not pinned[2]:
                        self._close(seat, year)
                        seat.update(holder=pinned[2], start=year, until=pinned[1])
                    continue
                if seat["holder"] is not None and seat["until"] >= year:
                    continue
                self._close(seat, year)
                person = None
                if seat["title"] == SEATS[seat["org"].kind][0] and rng.random() < 0.5:
                    deputies = [
                        x
                        for x in seats
                        if x["org"] is seat["org"]
                        and x is not seat
                        and x["holder"] is not None
                        and not pin(x, year)
                    ]
                    if deputies:
                        promoted = rng.choice(deputies)
                        person = promoted["holder"]
                        self._close(promoted, year)
                person = person or self.new_person(rng)
                seat.update(holder=person, start=year, until=year + rng.randint(2, 6))
        for seat in seats:
            self._close(seat, LAST_HELD_YEAR + 2)

    def _close(self, seat: dict, year: int) -> None:
        """End the seat's current term the year before ``year``."""
        if seat["holder"] is not None and seat["start"] < year:
            post = Post(seat["holder"], seat["title"], seat["org"], seat["start"], year - 1)
            self.posts.setdefault((seat["org"].slug, seat["title"]), []).append(post)
        seat.update(holder=None, until=0)

    def holders(self, org: Org, title: str, year: int) -> list[Post]:
        return [p for p in self.posts.get((org.slug, title), ()) if p.start <= year <= p.end]

    def post_of(self, person: Person, year: int) -> Post:
        for posts in self.posts.values():
            for p in posts:
                if p.person is person and p.start <= year <= p.end:
                    return p
        raise LookupError(f"{person.name_vi} holds no post in {year}")

    # -- series and editions
    def _series(self, inputs: Inputs) -> list[Series]:
        """The real series first, then regional series, then provincial ones (by rank)."""
        rng = self.rng
        anchor = self._anchor_series(inputs.sources / CSV_FILE)
        regional: list[Series] = []
        for t_index, (vi, en) in enumerate(TEMPLATES):
            for rid, region in self.regions.items():
                if (rid == "northern-28" and t_index == 0) or rid == "northern-28-north-central":
                    continue  # the first is the real series
                label_vi = vi.format(r=region["labels"]["vi"])
                label_en = en.format(r=region["labels"]["en"])
                regional.append(
                    Series(slugify(label_vi), label_vi, label_en, region["members"], rid, False)
                )
        provincial: list[Series] = []
        for vi, en in PROVINCIAL:
            for slug in sorted(self.units):
                pvi, pen = self.province_label(slug)
                label_vi, label_en = vi.format(p=pvi), en.format(p=pen)
                provincial.append(Series(slugify(label_vi), label_vi, label_en, [slug], None, True))
        for s in regional + provincial:
            self._plan_editions(s, rng)
        rng.shuffle(regional)
        rng.shuffle(provincial)
        ranked = [anchor, *regional, *provincial]
        for rank, s in enumerate(ranked):
            for e in s.editions:
                weight = self.province_weight.get(e.host or "", 0.05) + 0.05
                e.rank = weight / (rank + 1) ** 0.6
        return ranked

    def _anchor_series(self, csv_path: Path) -> Series:
        """The real series with its editions as ``series-editions.csv`` gives them."""
        from .series import SERIES, SERIES_LABEL

        s = Series(
            str(SERIES).rsplit("/", 1)[1],
            SERIES_LABEL["vi"],
            SERIES_LABEL["en"],
            self.regions["northern-28"]["members"],
            "northern-28",
            False,
        )
        with csv_path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        by_name = {p.name_vi: p for p in self.people.values()}
        by_province = {u.name_vi: u.slug for u in self.units.values()}
        for row in rows:
            year = int(row["year"])
            held = row["status"] == "held"
            organizers, host_org = [], None
            for name in filter(None, (n.strip() for n in row["organisers"].split(";"))):
                org = self._org_by_name(name.removesuffix("(designated host)").strip())
                if held:
                    organizers.append(org)
                else:
                    host_org = org
            director = None
            if row["directing_official"]:
                director = self.post_of(by_name[row["directing_official"]], year)
            s.editions.append(
                Edition(
                    s,
                    year,
                    int(row["edition"]) if row["edition"] else None,
                    held,
                    by_province.get(row["host_province"]),
                    dt.date.fromisoformat(row["date"]) if row["date"] else None,
                    organizers[:1],
                    organizers[1:],
                    host_org,
                    director,
                )
            )
        for a, b in zip(s.editions, s.editions[1:], strict=False):
            a.next = b
        return s

    def _org_by_name(self, name: str) -> Org:
        if name in self.orgs:
            return self.orgs[name]
        if name.endswith("(Bộ Công Thương)"):
            return self.orgs[name.removesuffix("(Bộ Công Thương)").strip()]
        provinces = {u.name_vi: u.slug for u in self.units.values()}
        for prefix in ("UBND tỉnh ", "UBND thành phố ", "Sở Công Thương tỉnh ", "Sở Công Thương "):
            if name.startswith(prefix) and name[len(prefix) :] in provinces:
                province = provinces[name[len(prefix) :]]
                return self.ubnd(province) if name.startswith("UBND") else self.so(province)
        raise ValueError(f"organisation not in the synthetic world: {name!r}")

    def _plan_editions(self, s: Series, rng: random.Random) -> None:
        start = rng.randint(FIRST_YEAR, 2018)
        members = sorted(s.members)
        weights = [self.province_weight[m] for m in members]
        years = [
            y for y in range(start, LAST_HELD_YEAR + 1) if not (y == 2021 and rng.random() < 0.5)
        ]
        previous = None
        ministry = self.orgs["Bộ Công Thương"]
        units = [self.orgs[vi] for vi, _ in MINISTRY_UNITS]
        for ordinal, year in enumerate(years, 1):
            host = members[0] if s.provincial else previous
            while not s.provincial and (host == previous or host is None) and len(members) > 1:
                host = rng.choices(members, weights)[0]
            previous = host
            if s.provincial:
                organizers = [self.so(host) if rng.random() < 0.6 else self.ubnd(host)]
                co = []
                heads = self.holders(self.ubnd(host), "Chủ tịch", year) + self.holders(
                    self.ubnd(host), "Phó Chủ tịch", year
                )
            else:
                organizers = [self.ubnd(host)]
                co = [ministry if rng.random() < 0.7 else rng.choice(units)]
                heads = self.holders(ministry, "Thứ trưởng", year)
                if rng.random() < 0.1:
                    heads = self.holders(ministry, "Bộ trưởng", year) or heads
            director = rng.choices(heads, zipf_weights(len(heads), 1.2))[0] if heads else None
            date = dt.date(year, rng.randint(3, 12), rng.randint(1, 28))
            s.editions.append(
                Edition(s, year, ordinal, True, host, date, organizers, co, None, director)
            )
        if not s.provincial and rng.random() < 0.7:
            year = LAST_HELD_YEAR + 1
            host = rng.choices(members, weights)[0]
            s.editions.append(
                Edition(s, year, len(years) + 1, False, host, None, [], [], self.so(host), None)
            )
        for a, b in zip(s.editions, s.editions[1:], strict=False):
            a.next = b

    def schedule(self) -> Iterator[tuple[Edition, int]]:
        """(edition, article number): every held edition once, the seed's first and the big
        ones early, then further coverage of editions drawn by their weight, without end."""
        rng = random.Random(self.rng.random())
        held = [e for s in self.series for e in s.editions if e.held]
        anchor = next(e for e in held if e.series is self.series[0] and e.year == 2019)
        keyed = sorted(held, key=lambda e: -(rng.random() ** (1.0 / e.rank)))
        order = [anchor, *(e for e in keyed if e is not anchor)]
        for e in order:
            e.articles += 1
            yield e, e.articles
        weights = [e.rank for e in order]
        while True:
            e = rng.choices(order, weights)[0]
            e.articles += 1
            yield e, e.articles


# ---------------------------------------------------------------- articles


class ArticleWriter:
    """Renders one article's graph, plus the series-table row of an edition covered first."""

    def __init__(self, world: World, seed: int):
        self.world = world
        self.seed = seed
        self.article_ids: set[str] = set()
        self.table_stated: set[Triple] = set()  # triples the series table already holds

    def _article_id(self, edition: Edition, number: int, rng: random.Random):
        day = edition.date or dt.date(edition.year, 6, 15)
        published = day + dt.timedelta(days=rng.randint(0, 6) + (number - 1) * rng.randint(0, 3))
        base = f"{published.isoformat()}-{edition.host or edition.series.slug}"
        aid, n = base, 1
        while aid in self.article_ids:
            n += 1
            aid = f"{base}-{n}"
        return aid, published

    def render(self, edition: Edition, number: int, max_observations: int | None = None):
        """(quads, commit) of the article; nothing changes until ``commit`` is applied."""
        rng = random.Random(f"ctkg-synth:{self.seed}:{edition.path}:{number}")
        aid, published = self._article_id(edition, number, rng)
        outlet = OUTLETS[min(len(OUTLETS), int(rng.paretovariate(1.0))) - 1]
        author = rng.choice(self.world.journalists[outlet])
        a = ArticleGraph(aid)
        b = _Builder(self.world, a, edition, rng)
        headline = b.headline()
        n_obs = min(60, 2 + int(rng.paretovariate(1.3) * 3))
        if max_observations is not None:
            n_obs = min(n_obs, max_observations)
        b.content(n_obs)
        byline = f"Nguồn:{author.name_vi}"
        a.quoted("author", author.triples(), a.say(byline), byline)
        meta = Graph("meta", [])
        a.quoted(
            "article",
            [
                (a.article, A, c("NewsArticle")),
                (a.article, iri(SCHEMA_NS + "headline"), lit(headline, "vi")),
                (a.article, LABEL, lit(headline, "vi")),
                (a.article, iri(SCHEMA_NS + "datePublished"), xsd(published.isoformat(), "date")),
                (a.article, iri(SCHEMA_NS + "author"), author.iri),
                (a.article, iri(SCHEMA_NS + "inLanguage"), lit("vi")),
                (a.article, iri(SCHEMA_NS + "articleBody"), lit(a.body, "vi")),
                (a.article, c("articleFile"), lit(f"synthetic/{aid}.txt")),
                (
                    a.article,
                    iri(SCHEMA_NS + "url"),
                    lit(f"https://{outlet}/{aid}", datatype=XSD_NS + "anyURI"),
                ),
            ],
            (0, len(headline)),
            headline,
        )
        quads = a.quads
        quads += [
            (s, p, o, G_META)
            for s, p, o in _described_graph(
                a.name,
                f"Dữ kiện từ bài báo tổng hợp {aid}",
                f"Facts from synthetic article {aid}",
                [a.article],
            )
        ]
        del meta
        commit: dict = {"article_id": aid, "table": set(), "observations": b.observations}
        if number == 1:
            row = self._series_row(edition, rng)
            quads += row.quads
            commit["table"] = row.new
        return quads, commit, n_obs

    def commit(self, commit: dict) -> None:
        self.article_ids.add(commit["article_id"])
        self.table_stated |= commit["table"]

    def _series_row(self, e: Edition, rng: random.Random) -> Graph:
        """What a news page says of the edition, in the series table, cited with a confidence."""
        url = f"https://{rng.choice(OUTLETS)}/{e.series.slug}/{e.year}"
        conf = c("high") if rng.random() < 0.8 else c("medium")
        row = Graph(SERIES_TABLE, [SERIES_DATASET, iri(url)], conf, self.table_stated)
        row.fact(_edition_triples(e, with_people=True))
        row.quads += [
            (iri(url), A, c("WebSource"), G_META),
            (iri(url), iri(SCHEMA_NS + "url"), lit(url, datatype=XSD_NS + "anyURI"), G_META),
        ]
        return row


def _described_graph(name: str, vi: str, en: str, derived: list[str]) -> list[Triple]:
    """``provenance.graph_description`` as N-Triples text."""
    return [
        (nt(s), nt(p), nt(o))
        for s, p, o, _g in graph_description(
            name, {"vi": vi, "en": en}, [URIRef(d[1:-1]) for d in derived]
        )
    ]


def _labels(s: str, vi: str, en: str) -> list[Triple]:
    return [(s, LABEL, lit(vi, "vi")), (s, LABEL, lit(en, "en"))]


def _edition_labels(e: Edition) -> tuple[str, str]:
    s = e.series
    if e.ordinal:
        return (
            f"{s.label_vi} lần thứ {roman(e.ordinal)} ({e.year})",
            f"{s.label_en}, {ordinal_en(e.ordinal)} edition ({e.year})",
        )
    return f"{s.label_vi} năm {e.year}", f"{s.label_en}, {e.year}"


def _role_triples(title: str) -> list[Triple]:
    slug, en = ROLES[title]
    r = eid(f"role/{slug}")
    return [(r, A, c("Role")), *_labels(r, title, en)]


def _post_triples(post: Post, edition: Edition) -> list[Triple]:
    m = post.iri
    person = post.person
    role_en = ROLES[post.title][1]
    return [
        *person.triples(),
        *post.org.triples,
        *_role_triples(post.title),
        (m, A, c("Membership")),
        (m, MEMBER, person.iri),
        (m, ORGANIZATION, post.org.iri),
        (m, ROLE, eid(f"role/{post.role_slug}")),
        (m, c("attestedAt"), edition.iri),
        *_labels(
            m,
            f"{person.name_vi} — {post.title} {post.org.name_vi}",
            f"{person.name_en}, {role_en}, {post.org.name_en}",
        ),
    ]


def _edition_triples(e: Edition, with_people: bool) -> list[Triple]:
    s, x = e.series, e.iri
    vi, en = _edition_labels(e)
    t = [
        (s.iri, A, c("ConferenceSeries")),
        *_labels(s.iri, s.label_vi, s.label_en),
        (x, A, c("ConferenceEdition")),
        (x, c("partOfSeries"), s.iri),
        (x, c("year"), xsd(e.year, "gYear")),
        (x, c("editionStatus"), c("held") if e.held else c("designated")),
        *_labels(x, vi, en),
    ]
    if e.ordinal:
        t.append((x, c("ordinal"), xsd(e.ordinal, "positiveInteger")))
    if e.held and e.date:
        t.append((x, c("startDate"), xsd(e.date.isoformat(), "date")))
    if e.host:
        t.append((x, c("hostProvince"), eid(f"province/{e.host}")))
        if e.held:
            t.append((x, c("heldIn"), eid(f"province/{e.host}")))
    for org in e.organizers:
        t += [*org.triples, (x, c("organizer"), org.iri)]
    for org in e.co_organizers:
        t += [*org.triples, (x, c("coOrganizer"), org.iri)]
    if e.host_org:
        t += [*e.host_org.triples, (x, c("hostOrganization"), e.host_org.iri)]
    if with_people and e.director:
        t += _post_triples(e.director, e)
        t += [
            (x, c("directedBy"), e.director.person.iri),
            (x, c("attendee"), e.director.person.iri),
        ]
    return t


class _Builder:
    """The sentences and quoted facts of one article about one edition."""

    def __init__(self, world: World, a: ArticleGraph, e: Edition, rng: random.Random):
        self.w, self.a, self.e, self.rng = world, a, e, rng
        self.n = 0
        self.observations = 0

    def fid(self, kind: str) -> str:
        self.n += 1
        return f"{kind}-{self.n}"

    def headline(self) -> str:
        vi, _ = _edition_labels(self.e)
        host_vi = self.w.province_label(self.e.host)[0] if self.e.host else ""
        text = f"{vi} tại {host_vi}" if host_vi else vi
        assert self.a.say(text) == (0, len(text))
        return text

    def quote(self, kind: str, sentence: str, triples: list[Triple]) -> None:
        self.a.quoted(self.fid(kind), triples, self.a.say(sentence), sentence)

    def describe(self, kind: str, sentence: str, entity: str, triples: list[Triple]) -> None:
        """Describe an entity once per article (its type and labels), with a quote."""
        if entity in self.a.described:
            return
        self.a.described.add(entity)
        self.quote(kind, sentence, triples)

    def content(self, n_obs: int) -> None:
        e, rng = self.e, self.rng
        x = e.iri
        vi, _ = _edition_labels(e)
        date_vi = f"Ngày {e.date.day}⁄{e.date.month}⁄{e.date.year}" if e.date else f"Năm {e.year}"
        org_vi = ", ".join(o.name_vi for o in e.organizers + e.co_organizers)
        self.quote(
            "edition", f"{date_vi}, {org_vi} tổ chức {vi}.", _edition_triples(e, with_people=False)
        )
        people = []
        if e.director:
            people.append(e.director)
            d = e.director
            self.quote(
                "directed-by",
                f"Đồng chí {d.person.name_vi} - {d.title} {d.org.name_vi} dự và chỉ đạo Hội nghị.",
                [(x, c("attendee"), d.person.iri), (x, c("directedBy"), d.person.iri)],
            )
        people += self._attendees()
        for post in people:
            self.describe(
                "membership",
                f"{post.person.name_vi}, {post.title} {post.org.name_vi}.",
                post.iri,
                _post_triples(post, e),
            )
            if post is not e.director:
                self.quote(
                    "attendee",
                    f"Dự Hội nghị có đồng chí {post.person.name_vi}.",
                    [(x, c("attendee"), post.person.iri)],
                )
        self._group()
        report = eid(f"{e.path}/report")
        self.quote(
            "report",
            "Theo báo cáo tại Hội nghị, ngành Công Thương đạt nhiều kết quả tích cực.",
            [
                (x, c("report"), report),
                (report, A, c("Report")),
                *_labels(report, "Báo cáo tại Hội nghị", "Report at the Conference"),
            ],
        )
        self._assessments(report)
        self._observations(report, n_obs)
        if rng.random() < 0.6 and e.director:
            self._speech()
        if rng.random() < 0.4:
            self._programme()
        if e.next is not None and not e.series.provincial and rng.random() < 0.8:
            self._handover()

    def _attendees(self) -> list[Post]:
        e, w, rng = self.e, self.w, self.rng
        posts: list[Post] = []
        hosts = [e.host] if e.host else []
        others = [m for m in e.series.members if m != e.host]
        if others:
            weights = [w.province_weight[m] for m in others]
            hosts += rng.choices(others, weights, k=min(len(others), rng.randint(1, 6)))
        for province in dict.fromkeys(hosts):
            for org, title in ((w.ubnd(province), "Phó Chủ tịch"), (w.so(province), "Giám đốc")):
                holders = w.holders(org, title, e.year)
                if holders and rng.random() < 0.7:
                    posts.append(holders[0] if len(holders) == 1 else rng.choice(holders))
        return [p for p in dict.fromkeys(posts) if p is not e.director]

    def _group(self) -> None:
        e = self.e
        g = eid(f"{e.path}/participants/provinces")
        n = len(e.series.members)
        label = "Lãnh đạo UBND và Sở Công Thương" + (f" {n} tỉnh, thành phố" if n > 1 else "")
        self.quote(
            "group",
            f"Dự Hội nghị có {label[0].lower()}{label[1:]}.",
            [
                (g, A, c("ParticipantGroup")),
                *_labels(
                    g,
                    label,
                    "Leaders of the People's Committees and Departments of Industry and Trade",
                ),
                (e.iri, c("attendee"), g),
            ],
        )

    def _assessments(self, report: str) -> None:
        e, rng = self.e, self.rng
        for i, text in enumerate(rng.sample(FINDINGS, rng.randint(0, 3)), 1):
            f = eid(f"{e.path}/finding/{i}")
            self.quote(
                "finding",
                f"Báo cáo đánh giá {text}.",
                [
                    (f, A, c("Finding")),
                    *_labels(f, text.capitalize(), f"Finding {i}"),
                    (f, c("reportedAt"), e.iri),
                    (report, c("finding"), f),
                ],
            )
        for i, text in enumerate(rng.sample(LIMITATIONS, rng.randint(0, 5)), 1):
            f = eid(f"{e.path}/limitation/{i}")
            self.quote(
                "limitation",
                f"Tuy nhiên, {text}.",
                [
                    (f, A, c("Limitation")),
                    *_labels(f, text.capitalize(), f"Limitation {i}"),
                    (f, c("reportedAt"), e.iri),
                    (report, c("limitation"), f),
                ],
            )
        if len(e.series.members) > 1:
            members = sorted(e.series.members)
            weights = [self.w.province_weight[m] for m in members]
            chosen = dict.fromkeys(rng.choices(members, weights, k=rng.randint(0, 5)))
            for province in chosen:
                pvi, pen = self.w.province_label(province)
                d = eid(f"{e.path}/designation/{province}")
                self.quote(
                    "designation",
                    f"{pvi} là địa phương đầu tàu về phát triển công nghiệp của vùng.",
                    [
                        (d, A, c("LocalityDesignation")),
                        (d, c("designationType"), c("leadingIndustrialLocality")),
                        (d, c("reportedAt"), e.iri),
                        (d, c("designatedArea"), eid(f"province/{province}")),
                        *_labels(
                            d,
                            f"{pvi} - địa phương đầu tàu về phát triển công nghiệp",
                            f"{pen} - a leading locality in industrial development",
                        ),
                        (report, c("designation"), d),
                    ],
                )

    def _area(self) -> tuple[str, str, str, str]:
        """(IRI, slug, vi, en) of an area an observation is about: host, region or member."""
        e, w, rng = self.e, self.w, self.rng
        roll = rng.random()
        if e.series.region and roll < 0.25:
            r = w.regions[e.series.region]
            return (
                eid(f"region/{e.series.region}"),
                e.series.region,
                r["labels"]["vi"],
                r["labels"]["en"],
            )
        province = e.host
        if (roll > 0.6 or province is None) and len(e.series.members) > 1:
            members = sorted(e.series.members)
            province = rng.choices(members, [w.province_weight[m] for m in members])[0]
        vi, en = w.province_label(province)
        return eid(f"province/{province}"), province, vi, en

    def _period(self) -> tuple[str, str, str, str]:
        """(IRI, slug, vi, en) of the reference period, described in the article when new."""
        e, rng = self.e, self.rng
        year = e.year - 1
        if rng.random() < 0.4 and e.date and e.date.month > 2:
            year = e.year
            months = rng.randint(1, e.date.month - 1)
            last = calendar.monthrange(year, months)[1]
            slug = f"{year}-01--{year}-{months:02d}"
            vi, en = (
                f"{months} tháng đầu năm {year}",
                f"January–{calendar.month_name[months]} {year}",
            )
            end = dt.date(year, months, last)
        else:
            slug, vi, en, end = str(year), f"Năm {year}", str(year), dt.date(year, 12, 31)
        p = eid(f"period/{slug}")
        begin = dt.date(year, 1, 1)
        instants = []
        for day in (begin, end):
            i = eid(f"instant/{day.isoformat()}")
            instants.append(i)
            self.describe(
                "instant",
                f"{vi} (tính đến ngày {day.day}⁄{day.month}⁄{day.year}).",
                i,
                [
                    (i, A, iri(TIME_NS + "Instant")),
                    (i, iri(TIME_NS + "inXSDDate"), xsd(day.isoformat(), "date")),
                    *_labels(
                        i,
                        f"Ngày {day.day} tháng {day.month} năm {day.year}",
                        f"{day.day} {calendar.month_name[day.month]} {day.year}",
                    ),
                ],
            )
        self.describe(
            "period",
            f"Số liệu {vi.lower()}.",
            p,
            [
                (p, A, c("ReferencePeriod")),
                *_labels(p, vi, en),
                (p, iri(TIME_NS + "hasBeginning"), instants[0]),
                (p, iri(TIME_NS + "hasEnd"), instants[1]),
            ],
        )
        return p, slug, vi, en

    def _observations(self, report: str, n: int) -> None:
        e, rng = self.e, self.rng
        done: set[str] = set()
        weights = zipf_weights(len(INDICATORS), 0.8)
        for _ in range(n):
            slug, ind_vi, ind_en = rng.choices(INDICATORS, weights)[0]
            area, area_slug, area_vi, area_en = self._area()
            period, period_slug, period_vi, period_en = self._period()
            obs_path = f"observation/{slug}/{area_slug}/{period_slug}"
            if obs_path in done:
                continue
            done.add(obs_path)
            ind = eid(f"indicator/{slug}")
            self.describe(
                "indicator",
                f"Về {ind_vi.lower()}.",
                ind,
                [
                    (ind, A, c("Indicator")),
                    (ind, iri(SKOS_NS + "inScheme"), c("IndicatorScheme")),
                    *_labels(ind, ind_vi, ind_en),
                ],
            )
            value = _value(obs_path)
            o = eid(obs_path)
            sentence = f"{period_vi}, {ind_vi.lower()} của {area_vi} tăng {decimal_vi(value)}%."
            span = self.a.say(sentence)
            self.a.quoted(
                self.fid("obs"),
                [
                    (o, A, c("Observation")),
                    *_labels(
                        o,
                        f"{ind_vi} {area_vi} {period_vi.lower()}: tăng {decimal_vi(value)}%",
                        f"{ind_en}, {area_en}, {period_en}: growth of {value}%",
                    ),
                    (o, iri(QB_NS + "dataSet"), c("indicatorObservations")),
                    (o, c("indicator"), ind),
                    (o, c("refPeriod"), period),
                    (o, c("measureType"), c("yearOnYearGrowth")),
                    (o, c("unitMeasure"), c("percent")),
                    (o, c("value"), xsd(value, "decimal")),
                ],
                span,
                sentence,
            )
            self.a.quoted(self.fid("obs-area"), [(o, c("refArea"), area)], span, sentence)
            self.observations += 1
            self.quote(
                "obs-source",
                "Theo báo cáo tại Hội nghị.",
                [(o, c("reportedAt"), e.iri), (o, c("reportedIn"), report)],
            )

    def _speech(self) -> None:
        e, rng = self.e, self.rng
        d = e.director
        sp = eid(f"{e.path}/speech/{d.person.slug}")
        self.quote(
            "speech",
            f"Phát biểu chỉ đạo tại Hội nghị, đồng chí {d.person.name_vi} đánh giá cao "
            "kết quả đạt được.",
            [
                (e.iri, c("speech"), sp),
                (sp, A, c("Speech")),
                (sp, c("speaker"), d.person.iri),
                *_labels(sp, f"Phát biểu của {d.person.name_vi}", f"Address by {d.person.name_en}"),
            ],
        )
        for i, text in enumerate(rng.sample(TASKS, rng.randint(1, 4)), 1):
            dr = eid(f"{e.path}/direction/{i}")
            region = e.series.region
            area = eid(f"region/{region}") if region else eid(f"province/{e.host}")
            self.quote(
                "direction",
                f"Đồng chí đề nghị: {text[0].lower()}{text[1:]}.",
                [
                    (dr, A, c("Direction")),
                    *_labels(dr, text, f"Direction {i}"),
                    (sp, c("direction"), dr),
                    (dr, c("mentionsArea"), area),
                ],
            )

    def _programme(self) -> None:
        e, rng = self.e, self.rng
        pr = eid(f"{e.path}/programme")
        tasks = rng.sample(TASKS, rng.randint(2, 6))
        period = eid(f"period/{e.year}")
        self.describe(
            "period",
            f"Các nhiệm vụ năm {e.year}.",
            period,
            [
                (period, A, c("ReferencePeriod")),
                *_labels(period, f"Năm {e.year}", str(e.year)),
                (period, iri(TIME_NS + "hasBeginning"), eid(f"instant/{e.year}-01-01")),
                (period, iri(TIME_NS + "hasEnd"), eid(f"instant/{e.year}-12-31")),
            ],
        )
        for day in (f"{e.year}-01-01", f"{e.year}-12-31"):
            i = eid(f"instant/{day}")
            y, m, d = (int(x) for x in day.split("-"))
            self.describe(
                "instant",
                f"Kế hoạch tính đến ngày {d}⁄{m}⁄{y}.",
                i,
                [
                    (i, A, iri(TIME_NS + "Instant")),
                    (i, iri(TIME_NS + "inXSDDate"), xsd(day, "date")),
                    *_labels(i, f"Ngày {d} tháng {m} năm {y}", f"{d} {calendar.month_name[m]} {y}"),
                ],
            )
        self.quote(
            "programme",
            f"Hội nghị thống nhất {len(tasks) + rng.randint(0, 12)} nhóm nhiệm vụ và giải pháp.",
            [
                (e.iri, c("adoptedProgramme"), pr),
                (pr, A, c("TaskProgramme")),
                *_labels(pr, "Các nhóm nhiệm vụ và giải pháp", "Groups of tasks and solutions"),
                (pr, c("numberOfTaskGroups"), xsd(len(tasks), "nonNegativeInteger")),
                (pr, c("forPeriod"), period),
            ],
        )
        for i, text in enumerate(tasks, 1):
            t = eid(f"{e.path}/task/{i}")
            self.quote(
                "task",
                f"{text}.",
                [(t, A, c("Task")), *_labels(t, text, f"Task {i}"), (pr, c("focusTask"), t)],
            )

    def _handover(self) -> None:
        e, nxt = self.e, self.e.next
        ho = eid(f"{e.path}/handover")
        giver = e.host_org or (self.w.so(e.host) if e.host else e.organizers[0])
        taker = nxt.host_org or self.w.so(nxt.host)
        nvi, nen = _edition_labels(nxt)
        triples = [
            (nxt.iri, A, c("ConferenceEdition")),
            (nxt.iri, c("partOfSeries"), e.series.iri),
            (nxt.iri, c("year"), xsd(nxt.year, "gYear")),
            (nxt.iri, c("hostProvince"), eid(f"province/{nxt.host}")),
            (nxt.iri, c("hostOrganization"), taker.iri),
            *_labels(nxt.iri, nvi, nen),
            *taker.triples,
            *giver.triples,
            (e.iri, c("handover"), ho),
            (ho, A, c("HostingHandover")),
            (ho, c("handoverFrom"), giver.iri),
            (ho, c("handoverTo"), taker.iri),
            (ho, c("handoverOf"), nxt.iri),
            *_labels(
                ho, f"Chuyển giao quyền đăng cai {nvi}", f"Hand-over of the right to host the {nen}"
            ),
        ]
        if nxt.ordinal:
            triples.append((nxt.iri, c("ordinal"), xsd(nxt.ordinal, "positiveInteger")))
        if not nxt.held:
            triples.append((nxt.iri, c("editionStatus"), c("designated")))
        self.quote(
            "handover",
            f"{giver.name_vi} đã chuyển giao quyền đăng cai tổ chức {nvi} cho {taker.name_vi}.",
            triples,
        )


def _value(key: str) -> str:
    """The observation's value, a function of its IRI so every article reports the same one."""
    h = int(hashlib.sha1(key.encode()).hexdigest()[:8], 16)
    return f"{(h % 3300) / 100 - 3:.1f}"


# ---------------------------------------------------------------- generating and loading


@dataclass
class SynthResult:
    """What ``generate`` wrote: the N-Quads file and the default graph's N-Triples beside it."""

    path: Path
    default_graph_path: Path | None
    quads: int
    articles: int
    editions: int
    observations: int
    per_graph: dict[str, int]
    seconds: float
    sha256: str

    def info(self, seed: int, target: int) -> dict:
        return {
            "generator_version": GENERATOR_VERSION,
            "seed": seed,
            "target_quads": target,
            "quads_written": self.quads,
            "articles": self.articles,
            "editions": self.editions,
            "observations": self.observations,
            "generate_s": round(self.seconds, 3),
            "sha256": self.sha256,
        }


def default_graph_path(nq_path: Path) -> Path:
    """``x.nq`` -> ``x.default.nt``: every triple of the named graphs (repeats included),
    except those with blank nodes (see ``blank_node_merge``)."""
    return nq_path.with_name(nq_path.name.removesuffix(".nq") + ".default.nt")


def fixed_quads(inputs: Inputs) -> tuple[list[tuple[str, str, str, str]], object]:
    """The real ontology and gazetteer graphs and their descriptions, as N-Quads text terms."""
    index = ontology_index(inputs.ontology)
    # the ontology's blank nodes get canonical labels, so the output is the same every run
    onto = ox.Dataset(
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(GRAPH + "ontology"))
        for q in ox.parse(path=str(inputs.ontology), format=ox.RdfFormat.TURTLE)
    )
    onto.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    quads = [
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in sorted(onto, key=str)
    ]
    rdflib_quads = graph_description(
        "ontology", {"vi": "Bản thể học ctkg", "en": "The ctkg ontology"}, [CANONICAL.ontology_iri]
    )
    gaz_facts, gaz_meta = gazetteer_facts(inputs.gazetteer)
    rdflib_quads += in_meta(gaz_meta)
    rdflib_quads += graph_description(
        "gazetteer",
        {"vi": "Danh mục đơn vị hành chính cấp tỉnh 2019", "en": "Gazetteer of provinces, 2019"},
        [CANONICAL.entity("source/provinces-2019")],
    )
    rdflib_quads += fact_quads(gaz_facts)
    quads += [tuple(nt(t) for t in q) for q in rdflib_quads]
    table = [
        (SERIES_DATASET, A, c("SourceDataset")),
        *_labels(
            SERIES_DATASET,
            "Các kỳ hội nghị (dữ liệu tổng hợp)",
            "Conference editions (synthetic data)",
        ),
        (SERIES_DATASET, c("articleFile"), lit("synthetic/series-editions.csv")),
        *_described_graph(
            SERIES_TABLE,
            "Các kỳ hội nghị (dữ liệu tổng hợp)",
            "Conference editions (synthetic)",
            [SERIES_DATASET],
        ),
    ]
    quads += [(*t, G_META) for t in table]
    return quads, index


def generate(
    out: Path,
    target: int,
    seed: int = DEFAULT_SEED,
    *,
    base_iri: str = CANONICAL_BASE,
    inputs: Inputs | None = None,
    default_graph: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> SynthResult:
    """Write about ``target`` quads to ``out`` (N-Quads, named graphs only), streaming.

    With ``default_graph``, ``default_graph_path(out)`` gets every triple once per named graph
    stating it (N-Triples): loaded into the default graph, which is a set, that is the merge.
    """
    inputs = inputs or Inputs.packaged()
    t0 = time.perf_counter()
    fixed, index = fixed_quads(inputs)
    world = World(seed, inputs)
    articles = ArticleWriter(world, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    editions: set[str] = set()
    n_articles = n_obs_total = 0
    triples_path = default_graph_path(out) if default_graph else None
    with contextlib.ExitStack() as stack:
        fh = stack.enter_context(out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20))
        th = None
        if triples_path:
            th = stack.enter_context(
                triples_path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
            )
        writer = QuadWriter(fh, Inference(index.graph), base_iri, th)
        writer.write(fixed)
        if writer.count >= target:
            log.warning("target %d is below the fixed part (%d quads)", target, writer.count)
        typical = 3000
        next_report = 0
        for edition, number in world.schedule():
            remaining = target - writer.count
            if remaining <= 0:
                break
            quads, commit, n_obs = articles.render(edition, number)
            if remaining < 3 * typical:
                size = writer.preview(quads)
                if size > remaining:
                    quads, commit, n_obs, size = _fit(
                        articles, writer, edition, number, n_obs, remaining
                    )
                    if size - remaining > remaining:  # closer to the target without it
                        break
            writer.write(quads)
            articles.commit(commit)
            editions.add(edition.path)
            n_articles += 1
            n_obs_total += commit["observations"]
            typical = max(1000, (writer.count - len(fixed)) // n_articles)
            if writer.count >= next_report:
                progress(
                    f"{writer.count:,} quads, {n_articles:,} articles, {len(editions):,} editions"
                )
                next_report = writer.count + max(target // 10, 1)
    return SynthResult(
        out,
        triples_path,
        writer.count,
        n_articles,
        len(editions),
        n_obs_total,
        {k[1:-1]: v for k, v in writer.per_graph.items()},
        time.perf_counter() - t0,
        sha256(out),
    )


def _fit(articles: ArticleWriter, writer: QuadWriter, edition, number, n_obs, remaining):
    """The article with as many observations as fit in ``remaining`` (binary search)."""
    lo, hi = 0, n_obs
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        quads, commit, _ = articles.render(edition, number, max_observations=mid)
        size = writer.preview(quads)
        if size <= remaining or (mid == 0 and best is None):
            best = (quads, commit, mid, size)
        if size <= remaining:
            lo = mid + 1
        else:
            hi = mid - 1
    return best


def load(
    settings: Settings,
    nq_path: Path,
    default_nt: Path | None = None,
    *,
    progress: Callable[[str], None] = lambda _m: None,
    extra_manifest: dict | None = None,
    keep_file_as_dump: bool = False,
) -> tuple[Path, dict]:
    """Bulk-load the N-Quads into a new build of ``settings.data_dir`` and make it current.

    The layout is the real build's (``graph.store.BuildDirectory``): each source in its named
    graph, the default graph their merge. ``merge_into_default_graph`` makes that merge with one
    SPARQL update, which at 10^6 quads on disk took 36 s and 1.2 GB here; bulk-loading the
    triples a second time into the default graph (a set, so repeats vanish) gives the same
    graph in a fraction of it. Without ``default_nt``, ``merge_into_default_graph`` is used.
    """
    timings: dict[str, float] = {}
    extra_manifest = extra_manifest or {"synthetic": {"file": str(nq_path)}}
    with BuildDirectory(settings) as target:
        t = time.perf_counter()
        store = ox.Store(str(target.store_path))
        store.bulk_load(path=str(nq_path), format=ox.RdfFormat.N_QUADS)
        timings["bulk_load_s"] = round(time.perf_counter() - t, 3)
        progress(f"bulk-loaded the named graphs in {timings['bulk_load_s']:.1f} s")
        t = time.perf_counter()
        if default_nt is not None:
            store.bulk_load(
                path=str(default_nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph()
            )
            merge_blank_node_triples(store, settings.base_iri)
        else:
            merge_into_default_graph(store)
        timings["default_graph_s"] = round(time.perf_counter() - t, 3)
        progress(f"merged them into the default graph in {timings['default_graph_s']:.1f} s")
        t = time.perf_counter()
        store.optimize()
        store.flush()
        timings["optimize_s"] = round(time.perf_counter() - t, 3)
        dumps = {}
        if keep_file_as_dump:
            dest = target.dumps_path / "ctkg.nq"
            nq_path.replace(dest)
            dumps["ctkg.nq"] = {
                "format": ox.RdfFormat.N_QUADS.media_type,
                "bytes": dest.stat().st_size,
                "sha256": (extra_manifest or {}).get("synthetic", {}).get("sha256") or sha256(dest),
            }
        manifest = _manifest(store, settings, target.id, dumps, timings, extra_manifest or {})
        (target.path / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        del store
        path = target.commit()
    return path, manifest


def blank_node_merge(base_iri: str = CANONICAL_BASE) -> str:
    """The update adding the ontology graph's blank-node triples to the default graph.

    ``default_graph_path`` leaves them out: a blank node read from another file would be
    another node. Only the ontology graph has blank nodes (the writer checks).
    """
    return (
        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{base_iri}graph/ontology> {{ ?s ?p ?o }} "
        "FILTER(isBlank(?s) || isBlank(?o)) }"
    )


def merge_blank_node_triples(store: ox.Store, base_iri: str = CANONICAL_BASE) -> None:
    store.update(blank_node_merge(base_iri))


def _manifest(store, settings, build_id, dumps, timings, extra) -> dict:
    """The real build's manifest keys, counted in the store, plus ``synthetic`` and timings."""
    graphs = {
        r["g"].value: int(r["n"].value)
        for r in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    default = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]
    vocab = settings.base_iri + "ontology#"
    classes = {
        r["c"].value: int(r["n"].value)
        for r in store.query(
            f"SELECT ?c (COUNT(?s) AS ?n) WHERE {{ ?s a ?c "
            f'FILTER(STRSTARTS(STR(?c), "{vocab}")) }} GROUP BY ?c ORDER BY ?c'
        )
    }
    articles = sum(1 for g in graphs if g.startswith(settings.base_iri + "graph/article/"))
    kept = {g: n for g, n in graphs.items() if "/graph/article/" not in g}
    return {
        "build": build_id,
        "base_iri": settings.base_iri,
        "inputs_sha256": extra.get("synthetic", {}).get("sha256", ""),
        "quads": sum(graphs.values()),
        "default_graph_triples": int(default.value),
        "graphs": dict(sorted(kept.items())),
        "article_graphs": {
            "count": articles,
            "quads": sum(n for g, n in graphs.items() if g not in kept),
        },
        "entities_per_class": classes,
        "dumps": dumps,
        "timings": timings,
        **extra,
    }


def synth(
    settings: Settings,
    target: int,
    seed: int = DEFAULT_SEED,
    *,
    out: Path | None = None,
    load_store: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict:
    """Generate and load; returns the new build's manifest (or, without loading, the
    generator's report).

    With ``out`` the N-Quads (and ``default_graph_path(out)``) are kept there; without it they
    are written into the data directory, the N-Quads kept as the build's ``dumps/ctkg.nq``.
    """
    keep_as_dump = out is None
    if out is None:
        settings.data_path.mkdir(parents=True, exist_ok=True)
        out = settings.data_path / f".synth-{seed}-{target}.nq"
    result = generate(out, target, seed, base_iri=settings.base_iri, progress=progress)
    progress(
        f"wrote {result.quads:,} quads ({result.articles:,} articles, {result.editions:,} "
        f"editions, {result.observations:,} observations) in {result.seconds:.1f} s"
    )
    info = {"synthetic": result.info(seed, target)}
    if not load_store:
        return {**info, "file": str(out)}
    try:
        path, manifest = load(
            settings,
            out,
            result.default_graph_path,
            progress=progress,
            extra_manifest=info,
            keep_file_as_dump=keep_as_dump,
        )
    finally:
        if keep_as_dump:
            for tmp in (out, result.default_graph_path):
                if tmp is not None and tmp.exists():
                    tmp.unlink()
    manifest["path"] = str(path)
    return manifest


def parse_size(text: str) -> int:
    """``1e6``, ``1000000``, ``1M``, ``100k`` -> an integer."""
    t = text.strip().lower().replace("_", "").replace(",", "")
    mult = {"k": 10**3, "m": 10**6, "g": 10**9}
    try:
        value = float(t[:-1]) * mult[t[-1]] if t and t[-1] in mult else float(t)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (e.g. 1e6, 100k, 1M)") from None
    if not math.isfinite(value) or value < 1:
        raise ValueError(f"not a size: {text!r}")
    return int(value)
