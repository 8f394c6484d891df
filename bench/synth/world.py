"""The synthetic world: names, organisations, officials' posts, series and editions."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ctkg.graph.gazetteer import gazetteer_facts, units
from ctkg.graph.inputs import Inputs
from ctkg.graph.series import CSV_FILE, ROMAN, organization
from ctkg.graph.vocab import RDFS
from ctkg.iris import slugify

from .terms import LABEL, A, Triple, c, eid, lit, nt

FIRST_YEAR, LAST_HELD_YEAR = 2003, 2025

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
        from ctkg.graph.series import SERIES, SERIES_LABEL

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
