"""Rules that turn one article of the genre into proposed facts, each with its quote.

The rules read the *folded* text (``fold.fold``: same length as the text, no marks, lower case),
so they hold with and without diacritics, and quote the original at the same offsets. Words of
the genre (posts, indicators, scales) are data in ``rules.yaml``; the grammar is one method per
slot, here (article, series, edition, date, place, organisers, localities) and in the rules mixed
into ``Extractor`` (``people.py``, ``figures.py``, ``handover.py``):

- the article's title, publication date and author (first line, the date before " - ", the
  signature line; for HTML the page's metadata);
- the conference series and edition (series name, "lần thứ VI" / "lần thứ 10", "năm 2019"),
  its date ("24⁄5⁄2019", "24/5/2019", "ngày 24 tháng 5 năm 2019", "sáng 17/5" with the year
  taken from the title or the publication date — marked inferred), its place ("tại tỉnh X",
  "tại TP. X"; a city that is not a province is not a place of the graph: "thành phố Kon Tum"
  is the capital of tỉnh Kon Tum, so the title's "tại Kon Tum" gives the place, else the
  province the city lies in, with an interpretation), its organisers
  ("A phối hợp với B tổ chức": A organiser, B co-organiser);
- officials with post and organisation ("Thứ trưởng Bộ Công Thương Đặng Hoàng An", "ông X, Phó
  Chủ tịch UBND tỉnh Y", "đồng chí X - Giám đốc Sở Công Thương Z"), who attended and who directed;
- participant groups ("Dự Hội nghị có lãnh đạo …; đại diện …");
- indicator observations (indicator, value, unit, measure type, period, area): growth ("tăng
  14,9%", "giảm 2,1%") and levels ("đạt 1.919 nghìn tỷ đồng"); a plan share ("đạt 46,8% kế hoạch"),
  a national figure ("trong khi cả nước tăng 1,3%", "mức tăng 8,2% của cả nước") or a
  base-price year ("giá so sánh 2010") is not an observation, nor is a plan's or target's year
  ("kế hoạch năm 2026") a period; a clause that opens with a province ("Riêng tỉnh X, kim
  ngạch xuất khẩu đạt …") gives that province's figures;
- leading localities ("vai trò đầu tàu … như A, B, C"; "A và tỉnh B tiếp tục giữ vai trò đầu
  tàu về phát triển công nghiệp");
- the hand-over of the next edition ("X đã chuyển giao quyền đăng cai … lần thứ VII năm 2020
  cho Y"; "Y đã nhận cờ đăng cai Hội nghị … từ X"; "Hội nghị lần thứ 4 năm 2021 sẽ do tỉnh Z
  đăng cai").

An article without a conference edition yields no conference facts (``Extraction.edition`` is
None), whatever provinces or figures it has.

Session 6 widened the forms without fitting one text (each in tests/test_curation_forms.py):
dotted and hyphenated dates, meetings over days ("Trong hai ngày 8 và 9/4/2026"), datelines with
dots, "|", a time or on their own line; a date, place and organisers from the first sentences
that name the meeting (a sapo); the edition's year from the publication date; a new series named
by a capitalised activity and a group of provinces ("Hội nghị Kết nối cung cầu các tỉnh …",
"Diễn đàn …", the group after the edition, or the title alone); posts Bí thư, Quyền …, Tổng cục
trưởng, the Party Committee and People's Council of a province, five-word names, academic
titles, co-chairs; "Thủ đô", a venue after "TP."; a quarter without its year, "tăng trưởng âm",
a part's figures ("trong đó xuất khẩu nông sản …") and an unnamed "của tỉnh" that are not the
region's; "dẫn đầu về phát triển công nghiệp"; the next edition by its ordinal only, "X sẽ đăng
cai …", "giao X đăng cai …".

Session 7 (cur5), the same way: an indicator's province named before its first figure (after a
bracket or a period, with or without "tỉnh") owns all its figures and the sentence's later
indicators; an unnamed "của tỉnh / của địa phương" opening a sentence is the one province the
paragraph's previous sentence named; more clause openers of a province ("Tính riêng", "Ở", "Trên
địa bàn", "Tỉnh X:", "X có …"); no figure for a group of provinces, a share's whole, a sector
after the indicator, a target ("phấn đấu", "mục tiêu", "dự kiến"), the country's figures named
before the indicator, an index's sum of money, a base of the quarter or month before, or a
period the rules do not read ("giai đoạn 2021-2025", "tháng 6/2024", "từ đầu năm"); "9 tháng
qua", "quý I năm nay"; leading localities over a group or by their field ("dẫn đầu các tỉnh Tây
Bắc về giá trị sản xuất công nghiệp", "đứng đầu", "đi đầu", "xếp thứ nhất", a list after "là");
who directed with the meeting understood or by a speech ("phát biểu chỉ đạo"), co-chairs "A và B
đồng chủ trì"; the next edition "sẽ do UBND tỉnh X đăng cai"; a dateline "X (ngày D) - ".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from . import patterns as pt
from .figures import FigureRules
from .fold import fold, key
from .handover import HandoverRules
from .people import PeopleRules
from .proposal import ProposedFact, Resolution
from .resolver import Resolver
from .spans import (
    NORTHERN_SERIES,
    Mention,
    ascii_name,
    has,
    nth,
    series_en,
    strip_span,
    tail,
)

RULES_FILE = Path(__file__).resolve().parent / "rules.yaml"
SERIES_NAME = re.compile(
    r"\bhoi nghi (?:nganh )?cong thuong(?P<name>(?:(?! lan thu | nam \d{4}| tai | da | se | cho "
    r"| - nam | hoi nghi | dien dan )[^.;:\n(])*)"
)
# the genre's other regional series, named by what they do ("Hội nghị Xúc tiến thương mại các
# tỉnh Đồng bằng sông Hồng lần thứ 4", "Hội nghị Hợp tác phát triển công nghiệp – thương mại các
# tỉnh Tây Bắc lần thứ III", "… năm 2024"): a name is a series only when an edition's ordinal or
# year follows it, and (``OTHER_SERIES_WORDS``) it names industry or trade and a group of
# provinces: "Hội nghị tổng kết công tác năm 2023", "Hội nghị lần thứ IV" are not series.
OTHER_SERIES_NAME = re.compile(
    r"\b(?:hoi nghi|dien dan) (?!(?:nganh )?cong thuong\b|lan thu\b|nam \d)"
    r"(?P<name>(?:(?! lan thu | nam \d{4}| tai | da | se | cho | - nam | hoi nghi | dien dan )"
    r"[^.;:\n(])+?)"
    r"(?=(?: -|,)? (?:lan thu|nam \d{4})\b)"
)
# what the name must say: a group of provinces, and either an industry or trade word or (a
# proper name, capitalised: "Hội nghị Kết nối cung cầu các tỉnh Bắc Trung Bộ …", "Diễn đàn Hợp
# tác kinh tế các tỉnh Tây Nguyên …") an activity of the genre; a lower-case "hội nghị kết nối
# cung cầu nông sản" in passing is no series
OTHER_SERIES_GROUP = re.compile(
    r"\b(?:cac tinh|cac dia phuong|vung|khu vuc|lien vung|lien tinh|toan quoc)\b"
)
OTHER_SERIES_TRADE = re.compile(r"\b(?:cong nghiep|thuong mai|cong thuong|xuc tien|xuat khau)\b")
OTHER_SERIES_ACTIVITY = re.compile(
    r"\b(?:ket noi|cung cau|hop tac|lien ket|phat trien|dau tu|kinh te|giao thuong|tieu thu"
    r"|nong san|logistics|nang luong|thi truong)\b"
)
OTHER_SERIES_WORDS = (OTHER_SERIES_TRADE, OTHER_SERIES_GROUP)
# a series' name never holds who organised it ("Hội nghị tỉnh X, UBND tỉnh X phối hợp với Cục …
# tổ chức Hội nghị …": a lead-in the name ran over) and is not a paragraph: such a name is no
# series (proposing none is better than a wrong one, which every IRI of the article would carry)
ORGANISER_IN_NAME = re.compile(
    r"\b(?:phoi hop|to chuc|chu tri|dang cai|ubnd|uy ban nhan dan|so cong thuong|bo cong thuong)\b"
)
SERIES_NAME_MAX_WORDS = 20
# a unit's name may join two words with a dash: "Vụ Kế hoạch – Tài chính", "Vụ Kế hoạch - Tài chính"
UNIT_NAME = (
    r"(?:tong cuc|cuc|vu) (?!truong\b|pho\b)(?:(?! va )(?:[a-z ]| [-\u2013](?= [a-z]))){3,40}?"
)
UNIT_AFTER_POST = re.compile(
    r"\b(?:pho |quyen )?(?P<k>tong cuc|cuc|vu) truong (?P<unit>(?P=k) (?!truong\b|pho\b)"
    r"[a-z]+(?: (?:[-\u2013] )?[a-z]+){1,8})"
)
# a title's series with no edition after it: the name runs to the place, a dash or the end
UNTAILED_SERIES = re.compile(
    r"\b(?:hoi nghi|dien dan) (?!(?:nganh )?cong thuong\b|lan thu\b|nam \d)"
    r"(?P<name>(?:(?! hoi nghi | dien dan )[^.;:\n(])+?)"
    r"(?= tai | - | dien ra| khai mac| thanh cong|[:.(]|$)"
)
# the group of provinces written after the edition: "Hội nghị Hợp tác phát triển công nghiệp lần
# thứ V các tỉnh Tây Nguyên", "Hội nghị Kết nối cung cầu năm 2024 khu vực Đông Nam Bộ"
GROUP_AFTER_TAIL = re.compile(
    r" (?P<grp>(?:cac tinh|cac dia phuong|khu vuc|vung) [^.;:\n(,]+?)"
    r"(?= tai | da | se | dien ra| duoc | do | voi | nham |[.,;:(]|$)"
)
# where the meeting was: "tại tỉnh X", and "diễn ra/tổ chức/khai mạc ở tỉnh X" ("ở" alone is too
# common: "ở mức", "doanh nghiệp ở tỉnh X")
AT_PLACE = re.compile(r"\btai |\b(?:dien ra|to chuc|khai mac|hop) o ")
ORDINAL_AFTER_YEAR = re.compile(rf"(?: -|,)? \(?lan thu (?P<n>{pt.ORDINAL})\)?")
EDITION_TAIL = re.compile(
    rf"(?P<ord> lan thu (?P<n>{pt.ORDINAL}))?(?P<yr>(?: -|,)? nam (?P<y>\d{{4}}))?"
)


@cache
def rules() -> dict:
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    data["roles"] = sorted(data["roles"], key=lambda r: -len(r["match"]))
    return data


@dataclass
class Extraction:
    """What the rules found in one article."""

    title: str
    published: dt.date | None
    author: str | None
    edition: str | None
    facts: list[ProposedFact]
    warnings: list[str]


class Extractor(PeopleRules, FigureRules, HandoverRules):
    """One article's text, folded, and the facts proposed for it."""

    def __init__(
        self,
        text: str,
        resolver: Resolver,
        *,
        published: dt.date | None = None,
        title: str | None = None,
        author: str | None = None,
    ):
        self.text = unicodedata.normalize("NFC", text)
        self.f = fold(self.text)
        assert len(self.f) == len(self.text)
        self.r = resolver
        self.rules = rules()
        self.facts: list[ProposedFact] = []
        self.warnings: list[str] = []
        self._ids: set[str] = set()
        self._entities: dict[str, Mention] = {}
        self._date_line: re.Match | None = None
        self.title_span = self._title_span(title)
        self.published, self.pub_span = self._published(published)
        self.author_hint = author
        self.at: dt.date | None = self.published

    # ------------------------------------------------------------------------------ output

    def fact(
        self,
        fid: str,
        span: tuple[int, int],
        subject: str,
        slot: str,
        rule: str,
        *,
        conf: str | None = None,
        **kw,
    ) -> ProposedFact:
        base, n = fid, 2
        while fid in self._ids:
            fid, n = f"{base}-{n}", n + 1
        self._ids.add(fid)
        start, end = span
        quote = self.text[start:end]
        occurrence, i = 0, -1
        while True:
            i = self.text.find(quote, i + 1)
            occurrence += 1
            if i < 0 or i >= start:
                break
        confidence = self.rules["confidence"].get(conf or slot, 0.8)
        if any(r.outcome == "candidates" for r in kw.get("resolution", {}).values()):
            confidence = min(confidence, self.rules["confidence"]["fuzzy-resolution"])
        f = ProposedFact(
            id=fid,
            quote=quote,
            start=start,
            end=end,
            subject=subject,
            rule=rule,
            confidence=confidence,
            slot=slot,
            occurrence=occurrence,
            **kw,
        )
        self.facts.append(f)
        return f

    # ------------------------------------------------------------------------------ metadata

    def _lines(self):
        pos = 0
        for line in self.text.split("\n"):
            yield pos, pos + len(line)
            pos += len(line) + 1

    def _title_span(self, hint: str | None) -> tuple[int, int]:
        if hint:
            i = self.text.find(hint)
            if i >= 0:
                return i, i + len(hint)
        for a, b in self._lines():
            seg = self.text[a:b]
            if not seg.strip():
                continue
            m = self.DATELINE.match(self.f, a)
            if self._date_line is None and m and not self.f[m.end() : b].strip(" -|"):
                self._date_line = m  # "26/11/2021 08:30" on a line of its own above the title
                continue
            lead = len(seg) - len(seg.lstrip())
            return a + lead, a + len(seg.rstrip())
        return 0, 0

    # the paper's dateline: "26/11/2021 - ", "26.11.2021 - ", "Thứ Năm, 26-11-2021 08:30 | ",
    # "Quảng Ngãi, 28/8/2027 - " (a place before it),
    # "Cập nhật: 08:30 26/11/2021", "2021-11-26" alone on its line (after the title, or before it)
    DATELINE = re.compile(
        # the paper's place: "Hà Tĩnh, 22/5/2027 - ", "Bình Dương (ngày 10/8/2024) - "
        r"\s*(?:(?:tp\.? ?)?[a-z]+(?: [a-z]+){0,4}(?:, | \((?=(?:ngay )?\d)))?"
        r"(?:(?:cap nhat|ngay dang|dang ngay|dang luc|ngay)(?: luc| ngay)?:? )?"
        r"(?:\d{1,2}[:h]\d{2},? (?:\| )?)?"
        r"(?:(?:thu [a-z]+|chu nhat),? )?(?:ngay )?"
        r"(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})([/.-])(\d{1,2})\5(\d{4}))"
        r"(?:,? (?:\| |- )?(?:luc )?\d{1,2}[:h]\d{2}(?::\d{2})?(?: \(?gmt ?\+ ?7\)?)?)?\)?"
        r"(?P<dash>\s*(?:\||-)\s)?"
    )

    def _published(self, given: dt.date | None):
        m = self.DATELINE.match(self.f, self.title_span[1])
        if m and not m["dash"] and self.text[m.end() : m.end() + 1] not in ("\n", ""):
            m = None  # a date opening the body without " - " is the event's, not the paper's
        if m is None:  # a sapo before the dateline: "<sapo>\n\n26/11/2021 - Ngày 25/11, …"
            later = [(a, b) for a, b in self._lines() if a > self.title_span[1]]
            for a, _b in [x for x in later if self.text[x[0] : x[1]].strip()][1:3]:
                m2 = self.DATELINE.match(self.f, a)
                if m2 and m2["dash"]:
                    m = m2
                    break
        if m is None and self._date_line is not None:
            m = self._date_line
        found = None
        if m:
            y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[7], m[6], m[4])
            found = pt.valid_date(int(y), int(mo), int(d))
        if given:
            return given, (m.start(), m.end()) if m else None
        return found, (m.start(), m.end()) if m else None

    def authors(self) -> list[tuple[tuple[int, int], str]]:
        """The signature line: 'Nguồn:Trần Thu', 'Bài và ảnh: Ngọc Anh', 'Hoàng Lan', 'Minh Khang
        (Báo Mẫu)', 'Thanh Bình - Hoàng Hà' (the first is the article's author)."""
        if self.author_hint:
            i = self.text.rfind(self.author_hint)
            if i >= 0:
                return [((i, i + len(self.author_hint)), self.author_hint)]
        lines = [(a, b) for a, b in self._lines() if self.text[a:b].strip()]
        if len(lines) < 2:
            return []
        a, b = lines[-1]
        if len(self.f[a:b].split()) > 10:
            return []
        m = re.match(r"\s*(?:nguon|theo|tac gia|bai va anh|bai, anh|bai/anh)?\s*:?\s*", self.f[a:b])
        i, out = a + (m.end() if m else 0), []
        caps = _caps_names(self.text, i, b)
        if caps:  # "MINH ANH", "THU HÀ - NGỌC LAN": a signature in capitals
            return caps
        while True:
            span = pt.name_forward(self.text, i)
            if not span:
                return []
            out.append((span, self.text[span[0] : span[1]]))
            sep = re.match(r" ?[-–,&] ?| va ", self.f[span[1] : b])
            if not sep:
                break
            i = span[1] + sep.end()
        rest = self.text[out[-1][0][1] : b]
        if re.sub(r"\s*\([^)]*\)\s*$", "", rest).strip(" ."):  # only "(Báo …)" may follow
            return []
        return out

    # ------------------------------------------------------------------------------ entities

    @cache  # noqa: B019 (one extractor per article)
    def province_regex(self) -> re.Pattern:
        names = set()
        for ent in self.r.entities.values():
            if ent.kind == "province":
                for label in ent.labels:
                    k = key(label)
                    if not k.startswith(("tinh ", "thanh pho ")) and re.fullmatch(r"[a-z .-]+", k):
                        names.add(k)
        # "Bà Rịa-Vũng Tàu" and "Bà Rịa - Vũng Tàu" alike
        alt = "|".join(
            re.escape(n).replace(r"\-", " ?- ?") for n in sorted(names, key=len, reverse=True)
        )
        return re.compile(rf"\b(?:(?:tinh|thanh pho|tp\.?|thu do) ?)?({alt})\b")

    def province_at(self, pos: int, *, city_of: bool = False) -> Mention | None:
        """The province named at ``pos`` (valid at the article's date). "thành phố X" / "TP. X"
        names the province only when X is a centrally governed city; else it is the city of that
        name, the capital of tỉnh X ("thành phố Kon Tum"), which the graph does not hold — with
        ``city_of``, that province, marked ``data["city"]`` (the city lies in it)."""
        m = self.province_regex().match(self.f, pos)
        if not m:
            return self._city_province(pos) if city_of else None
        surface = self.text[m.start() : m.end()]
        res = self.r.resolve("province", surface, at_date=self.at)
        if res.outcome != "exact":
            return None
        prefix = self.f[m.start() : m.start(1)].strip()
        city = prefix.startswith(("thanh pho", "tp")) and not _is_city(res.ref)
        if city and not city_of:
            return None
        data = {"resolution": res} | ({"city": True} if city else {})
        return Mention(m.start(), m.end(), res.ref, "province", data)

    @cache  # noqa: B019 (one extractor per article)
    def city_regex(self) -> re.Pattern:
        alt = "|".join(
            re.escape(n).replace(r"\-", " ?- ?")
            for n in sorted(self.rules["cities"], key=len, reverse=True)
        )
        return re.compile(rf"\b(?:thanh pho|tp\.?) ?({alt})\b")

    def _city_province(self, pos: int) -> Mention | None:
        """ "thành phố Đồng Hới" / "TP. Vinh": a city of rules.yaml's ``cities``, whose name is
        not its province's; the province it lies in, when that province is valid at the
        article's date (the cities of provinces ended with the 2025 reform), marked ``city``."""
        m = self.city_regex().match(self.f, pos)
        if not m:
            return None
        name = self.rules["cities"].get(re.sub(r" ?- ?", " - ", m.group(1))) or self.rules[
            "cities"
        ].get(m.group(1))
        if not name:
            return None
        res = self.r.resolve("province", name, at_date=self.at)
        if res.outcome != "exact":
            return None
        return Mention(m.start(), m.end(), res.ref, "province", {"resolution": res, "city": True})

    def provinces_in(self, a: int, b: int) -> list[Mention]:
        out = []
        for m in self.province_regex().finditer(self.f, a, b):
            p = self.province_at(m.start())
            if p:
                out.append(p)
        return out

    @cache  # noqa: B019 (one extractor per article)
    def org_regex(self) -> re.Pattern:
        """UBND / Sở … + province, the ministries of rules.yaml, a 'Cục' the graph knows."""
        depts = "|".join(
            re.escape(d["match"])
            for d in sorted(self.rules["departments"], key=lambda d: -len(d["match"]))
        )
        mins = "|".join(
            re.escape(m["match"])
            for m in sorted(self.rules["ministries"], key=lambda m: -len(m["match"]))
        )
        return re.compile(
            rf"\b(?:(?P<ubnd>ubnd|uy ban nhan dan)|so (?P<dept>{depts})"
            r"|(?P<hdnd>hdnd|hoi dong nhan dan)|(?P<party>tinh uy|thanh uy)) (?:cua )?"
            rf"|\b(?P<min>{mins})\b"
            r"|\b(?P<cuc>(?:tong cuc|cuc|vu) (?:[a-z ]| [-\u2013](?= [a-z])){3,40}?)"
            # whose unit it is: "(Bộ Công Thương)" or "thuộc Bộ Công Thương"
            rf"(?P<paren> \(bo [a-z ]{{3,40}}\)| thuoc (?:{mins})\b)?"
            r"(?= phoi hop| \(| thuoc| chu tri"
            r"|,|;|\.| va | to chuc| da | cho |$)"
        )

    def org_at(self, pos: int) -> Mention | None:
        m = self.org_regex().match(self.f, pos)
        found = self._org(m) if m else None
        return found or self._known_unit_before_name(pos)

    @cache  # noqa: B019 (one extractor per article)
    def known_units_regex(self) -> re.Pattern | None:
        """The ministry units ("Cục …", "Vụ …", "Tổng cục …") the graph holds, by their labels."""
        names = {
            key(label)
            for ent in self.r.entities.values()
            if ent.kind == "organization"
            for label in ent.labels
            if re.match(r"(?:tong cuc|cuc|vu) [a-z ]+$", key(label))
        }
        if not names:
            return None
        alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"\b(?:{alt})\b")

    def _known_unit_before_name(self, pos: int) -> Mention | None:
        """ "Cục trưởng Cục Công Thương địa phương Khổng Văn Đạt": a unit the graph holds, its name
        followed directly by a person's (which the unit pattern, ending at punctuation or a
        verb, does not see)."""
        regex = self.known_units_regex()
        m = regex.match(self.f, pos) if regex else None
        own = None
        if not m:
            # a unit this article names with its ministry ("Cục Xúc tiến thương mại (Bộ Công
            # Thương) phối hợp …") is known here too: "Phó Cục trưởng Cục Xúc tiến thương mại Đỗ
            # Thị Hải Lý", "Vụ trưởng Vụ Thị trường trong nước (Bộ Công Thương) Vũ Hoàng Phong"
            own_regex = self.own_units_regex()
            m = own = own_regex.match(self.f, pos) if own_regex else None
        if not m:
            return None
        end, full_end = (own.end("unit"), own.end()) if own else (m.end(), m.end())
        if not (
            self.text[full_end : full_end + 1] == " " and pt.name_forward(self.text, full_end + 1)
        ):
            return None
        surface = self.text[m.start() : end]
        res = self.r.resolve("organization", surface, at_date=self.at)
        if res.outcome != "exact" and not own:
            return None
        paren = own["paren"] if own else None
        data = {"resolution": res, "class": "MinistryUnit", "province": None, "paren": paren}
        data |= {"en": ascii_name(surface), "full_end": full_end}
        return Mention(m.start(), end, res.ref, "organization", data)

    @cache  # noqa: B019 (one extractor per article)
    @cache  # noqa: B019 (one extractor per article)
    def own_unit_names(self) -> frozenset[str]:
        """The ministry units (folded names) this article says are a ministry's: "Cục … (Bộ Công
        Thương)", "Vụ …, Bộ Công Thương", "… thuộc Bộ Công Thương", or after the head's post."""
        names = {
            m[1]
            for m in re.finditer(
                rf"\b({UNIT_NAME})"
                r"(?: \(bo [a-z ]{3,40}\)|, bo cong thuong\b| thuoc bo cong thuong\b)",
                self.f,
            )
        }
        # a unit the organisers' sentence names as a co-organiser ("A chủ trì, phối hợp với Cục
        # Xúc tiến thương mại tổ chức …", "… với sự phối hợp của Vụ …"): the genre's
        # co-organising "Cục"/"Vụ" is a ministry's (a province's names its province)
        for m in re.finditer(
            rf"\b(?:phoi hop (?:voi|cung)|voi su phoi hop (?:cua|voi)) ({UNIT_NAME})"
            r"(?= to chuc| dong to chuc| va |, |\.)",
            self.f,
        ):
            if not re.search(r"\b(?:tinh|thanh pho|tp|khu vuc|huyen|xa|phuong)\b", m[1]):
                names.add(m[1])
        # a unit named after its head's post ("Vụ trưởng Vụ Thị trường trong nước, …", "Phó Cục
        # trưởng Cục Xúc tiến thương mại Mai Thị Hồng Vân"): the post says it is a ministry's
        # unit; not one of a province ("Cục trưởng Cục Thống kê tỉnh X")
        for m in UNIT_AFTER_POST.finditer(self.f):
            words = self.text[m.start("unit") : m.end("unit")].split(" ")
            for n in range(2, len(words) + 1):
                if words[n - 1] in ("-", "\u2013"):
                    continue  # "Vụ Kế hoạch – Tài chính": the name goes on after the dash
                end = m.start("unit") + len(" ".join(words[:n]))
                name = (
                    pt.name_forward(self.text, end + 1) if self.text[end : end + 1] == " " else None
                )
                rest = self.f[end : end + 2]
                if rest[:1] in (",", ";", ".") or (
                    name
                    and self.f[name[1] : name[1] + 1] in (",", ";", ".", " ")
                    and n < len(words)
                ):
                    unit = self.f[m.start("unit") : end]
                    if not re.search(r"\b(?:tinh|thanh pho|tp|khu vuc)\b", unit):
                        names.add(unit)
                    break
        return frozenset(names)

    @cache  # noqa: B019 (one extractor per article)
    def own_units_regex(self) -> re.Pattern | None:
        """The ministry units this article names with their ministry in brackets ("Cục … (Bộ
        Công Thương)"): the bracket says whose unit it is, as for the unit pattern, so a later
        mention of the same unit before a person's name is that unit."""
        names = self.own_unit_names()
        if not names:
            return None
        alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"\b(?P<unit>{alt})(?P<paren> \(bo [a-z ]{{3,40}}\))?(?= )")

    def orgs_in(self, a: int, b: int) -> list[Mention]:
        out, i = [], a
        while True:
            m = self.org_regex().search(self.f, i)  # no endpos: the lookaheads see past b
            if not m or m.start() >= b:
                return out
            org = self._org(m)
            if org and org.end <= b:
                out.append(org)
                i = org.data["full_end"]  # not the ministry in "Cục … (Bộ Công Thương)"
            else:
                i = m.end()

    def _org(self, m: re.Match) -> Mention | None:
        prov = None
        if m["min"]:
            start, end, cls = m.start(), m.end(), "Ministry"
            rule = next(x for x in self.rules["ministries"] if x["match"] == m["min"])
            en = rule["en"]
        elif m["cuc"]:
            start, end, cls, en = m.start(), m.end("cuc"), "MinistryUnit", ""
        else:
            prov = self.province_at(m.end())
            if prov is None:
                return None
            start, end = m.start(), prov.end
            place = ascii_name(self.r.label(prov.ref))
            if m["ubnd"]:
                cls, en = "ProvincialPeoplesCommittee", f"{place} People's Committee"
            elif m["hdnd"]:
                cls, en = "GovernmentBody", f"{place} People's Council"
            elif m["party"]:  # the provincial Party Committee: an organisation, not a state body
                cls, en = "Organization", f"{place} Party Committee"
            else:
                dept = next(d for d in self.rules["departments"] if d["match"] == m["dept"])
                cls, en = dept["class"], f"{place} Department of {dept['en']}"
        surface = self.text[start:end]
        res = self.r.resolve("organization", surface, at_date=self.at)
        if (
            cls == "MinistryUnit"
            and res.outcome != "exact"
            and not m["paren"]
            and (m["cuc"] not in self.own_unit_names() or self.f.startswith(" (", m.end("cuc")))
        ):  # (a bracket after a known unit: the ministry's, read with the name after it)
            return None  # "Cục/Vụ …" only when the graph knows it or "(Bộ …)" says whose it is
        if cls == "MinistryUnit" and not en:
            en = ascii_name(surface)
        data = {"resolution": res, "class": cls, "province": prov, "paren": m["paren"], "en": en}
        full_end = m.end() if m["paren"] else end
        return Mention(start, end, res.ref, "organization", data | {"full_end": full_end})

    def role_at(self, pos: int) -> Mention | None:
        for role in self.rules["roles"]:
            n = len(role["match"])
            if (
                self.f.startswith(role["match"], pos)
                and not self.f[pos + n : pos + n + 1].isalpha()
            ):
                res = self.r.resolve("role", role["vi"])
                ref = res.ref if res.outcome == "exact" else f"role/{role['slug']}"
                return Mention(pos, pos + n, ref, "role", {"rule": role, "resolution": res})
        return None

    def person(self, span: tuple[int, int]) -> Mention:
        surface = self.text[span[0] : span[1]]
        res = self.r.resolve("person", surface, at_date=self.at)
        return Mention(span[0], span[1], res.ref, "person", {"resolution": res})

    def entity_fact(self, m: Mention) -> None:
        """Type (and label, when new) every person, organisation and role the facts name."""
        if m.ref in self._entities:
            return
        self._entities[m.ref] = m
        res: Resolution | None = m.data.get("resolution")
        new = res is None or res.outcome != "exact"
        surface = self.text[m.start : m.end]
        resolution = {"subject": res} if res else {}
        props: dict = {}
        label = None
        if m.kind == "person":
            cls = "Person"
            label = {"vi": surface, "en": ascii_name(surface)}
        elif m.kind == "role":
            cls = "Role"
            label = {"vi": m.data["rule"]["vi"], "en": m.data["rule"]["en"]}
        else:
            cls = m.data["class"]
            prov: Mention | None = m.data.get("province")
            if prov is not None:
                props["jurisdiction"] = prov.ref
                resolution["props.jurisdiction"] = prov.data["resolution"]
            label = {"vi": surface, "en": m.data["en"]}
        self.fact(
            f"{m.kind}-{m.ref.split('/', 1)[1]}",
            (m.start, m.end),
            m.ref,
            "entity",
            f"entity.{m.kind}",
            type=cls,
            label=label if new else None,
            props=props,
            resolution=resolution,
        )

    # ------------------------------------------------------------------------------ sentences

    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans: ends at . ! ? … followed by space/end (not 'TP.', not '1.919')."""
        out = []
        for a, b in self._lines():
            start = a
            for m in re.finditer(r"(?:\.{3}|…|[.!?])(?=\s|$)", self.f[a:b]):
                end = a + m.start()
                if self.f[end - 1 : end].isdigit() or re.search(
                    r"\b(?:tp|ts|ths|pgs|gs|ks|bs|ncs)$", self.f[max(a, end - 4) : end]
                ):
                    continue  # "TP. Vinh", "TS. Phạm Văn Minh", "1.919"
                if self.f[start:end].strip():
                    out.append(strip_span(self.f, start, end))
                start = a + m.end()
            if self.f[start:b].strip():
                out.append(strip_span(self.f, start, b))
        return out

    # ------------------------------------------------------------------------------ editions

    def series_mentions(self) -> list[Mention]:
        out = []
        found = [(m, False) for m in SERIES_NAME.finditer(self.f)]
        for m in OTHER_SERIES_NAME.finditer(self.f):
            if any(o.start() <= m.start() < o.end() for o, _ in found):
                continue
            name = self.f[m.start("name") : m.end("name")]
            proper = self.text[m.start("name")].isupper()
            if OTHER_SERIES_TRADE.search(name) or (proper and OTHER_SERIES_ACTIVITY.search(name)):
                found.append((m, True))
        if not found:
            found = self._untailed_series()
        found.sort(key=lambda mo: mo[0].start())
        for m, other in found:
            name_end = m.end("name")
            while name_end > m.start() and self.f[name_end - 1] in " ,-":
                name_end -= 1
            name = self.f[m.start("name") : name_end]
            if ORGANISER_IN_NAME.search(name) or len(name.split()) > SERIES_NAME_MAX_WORDS:
                continue
            tail = EDITION_TAIL.match(self.f, name_end)
            ordinal = pt.roman_or_arabic(tail["n"]) if tail and tail["n"] else None
            year = int(tail["y"]) if tail and tail["y"] else None
            end = tail.end() if tail and tail.end() > name_end else name_end
            ord_span = tail.span("ord") if tail and tail["ord"] else None
            if year and not ordinal:  # "… năm 2024 lần thứ 5", "… năm 2024 (lần thứ 5)"
                later = ORDINAL_AFTER_YEAR.match(self.f, end)
                if later:
                    ordinal, ord_span = pt.roman_or_arabic(later["n"]), later.span()
                    end = later.end()
            surface = None
            if other and not OTHER_SERIES_GROUP.search(self.f[m.start() : name_end]):
                grp = GROUP_AFTER_TAIL.match(self.f, end) if end > name_end else None
                if not grp:
                    continue  # no group of provinces: one province's or nobody's conference
                # the name is the words before the edition and the group after it
                words = self.text[grp.start("grp") : grp.end("grp")]
                surface = f"{self.text[m.start() : name_end]} {words}"
                end = grp.end("grp")
            out.append(
                Mention(
                    m.start(),
                    end,
                    "",
                    "series",
                    {
                        "name": (m.start(), name_end),
                        "surface": surface or self.text[m.start() : name_end],
                        "ordinal": ordinal,
                        "year": year,
                        "ord_span": ord_span,
                        "year_span": tail.span("yr") if tail and tail["yr"] else None,
                        "other": other,
                    },
                )
            )
        return out

    def _untailed_series(self) -> list[tuple[re.Match, bool]]:
        """No series with an edition's ordinal or year anywhere: a regional series the title
        names by itself ("Hội nghị Kết nối cung cầu các tỉnh Tây Nguyên tại Gia Lai") is one,
        with the body's mentions of the same name (the year then comes from the date or the
        publication, marked inferred). Only a proper name with a group of provinces and a word of
        the genre (as for a tailed one), so "hội nghị triển khai nhiệm vụ" is none."""
        a, b = self.title_span
        m = UNTAILED_SERIES.search(self.f, a, b)
        if not m:
            return []
        name = self.f[m.start("name") : m.end("name")].rstrip(" ,-")
        if not (
            OTHER_SERIES_GROUP.search(name)
            and self.text[m.start("name")].isupper()
            and (OTHER_SERIES_TRADE.search(name) or OTHER_SERIES_ACTIVITY.search(name))
        ):
            return []
        again = re.compile(rf"\b(?:hoi nghi|dien dan) (?P<name>{re.escape(name)})(?=[ .,;:]|$)")
        return [(x, True) for x in again.finditer(self.f) if x.start() >= m.start()]

    def series_ref(self, mention: Mention) -> tuple[str, Resolution | None]:
        a, b = mention.data["name"]
        surface = mention.data["surface"]
        if not mention.data.get("other") and not re.search(r"cong thuong \S", self.f[a:b]):
            # "Hội nghị ngành Công Thương" alone
            return "", None
        res = self.r.resolve("series", surface)
        return res.ref, res

    def run(self) -> Extraction:
        sentences = self.sentences()
        mentions = self.series_mentions()
        handover_sents = [
            s
            for s in sentences
            if has(self.f, s, HandoverRules.HANDING)
            or has(self.f, s, HandoverRules.RECEIVING)
            or has(self.f, s, r"\bse do\b.*\bdang cai\b")
            or has(self.f, s, r"\bse (?:duoc )?to chuc tai\b")
        ]
        self._handover_sents = handover_sents
        main = [m for m in mentions if not any(a <= m.start < b for a, b in handover_sents)]
        authors = self.authors()
        edition = None
        if main:
            edition = self.edition(main, sentences)
        if edition:
            self.officials_and_attendance(edition, sentences)
            self.participants(edition, sentences)
            self.indicators(edition, sentences)
            self.localities(edition)
            self.handovers(edition, sentences, mentions)
        for n, (span, name) in enumerate(authors):
            p = self.person(span)
            self.fact(
                "author" if n == 0 else f"author-{n + 1}",
                span,
                p.ref,
                "article",
                "article.author",
                type="Person",
                label=None
                if p.data["resolution"].outcome == "exact"
                else {"vi": name, "en": ascii_name(name)},
                resolution={"subject": p.data["resolution"]},
            )
        title = self.text[self.title_span[0] : self.title_span[1]]
        return Extraction(
            title,
            self.published,
            authors[0][1] if authors else None,
            edition["ref"] if edition else None,
            self.facts,
            self.warnings,
        )

    def edition(self, main: list[Mention], sentences) -> dict | None:
        # the first mention carrying the series name in the body (else the title) is primary
        named = [m for m in main if self.series_ref(m)[0]]
        if not named:
            return None
        body = [m for m in named if m.start >= self.title_span[1]]
        with_ord = [m for m in named if m.data["ordinal"]]
        body_ord = [m for m in with_ord if m.start >= self.title_span[1]]
        primary = (body_ord or with_ord or body or named)[0]
        in_title = [m for m in named if m.start < self.title_span[1] and m is not primary]
        series, series_res = self.series_ref(primary)
        year_m = next((m for m in [primary, *named] if m.data["year"]), None)
        year = year_m.data["year"] if year_m else None
        org_sent = next(
            (
                s
                for s in sentences
                if s[0] >= self.title_span[1]
                and has(self.f, s, r"\b(?:to chuc|khai mac|dien ra)\b")
            ),
            None,
        )
        # the sentences that may say when and where: the organisers' sentence first, then the
        # body's first sentences that name the meeting (a sapo before the dateline, "Sáng 25/11,
        # Hội nghị … đã khai mạc tại …" before the organisers), never a hand-over's
        lead = [
            s
            for s in sentences
            if s[0] >= self.title_span[1] and s != org_sent and s not in self._handover_sents
        ][:4]
        lead = [s for s in lead if has(self.f, s, r"\b(?:hoi nghi|dien dan)\b")]
        self._lead_sents = lead
        # the edition's date: the first date in the organisers' sentence (else in those)
        date, date_span, inferred_year = None, None, False
        for a, b in ([org_sent] if org_sent else []) + lead:
            if date:
                break
            for span, d, full in pt.find_dates(self.f, a, b):
                if self.pub_span and self.pub_span[0] <= span[0] < self.pub_span[1]:
                    continue  # the paper's date, not the meeting's
                if span[0] < self.title_span[1]:
                    continue
                if (a, b) != org_sent and year and (d.year if full else year) != year:
                    continue  # another year's date in a sentence that is not the organisers'
                if full:
                    date, date_span = d, span
                else:
                    y = year or (self.published.year if self.published else None)
                    if y is None:
                        continue
                    date, date_span, inferred_year = pt.valid_date(y, d[1], d[0]), span, True
                    src = "the title" if year else "the publication date"
                    self.warnings.append(
                        f"the year of {self.text[span[0] : span[1]]!r} was taken from {src}"
                    )
                break
        year_inferred = False
        if year is None and date:
            year, year_inferred = date.year, True
        if year is None and self.published:  # "Hội nghị Kết nối cung cầu các tỉnh …" alone
            year, year_inferred = self.published.year, True
            self.warnings.append("the edition's year was taken from the publication date")
        if year is None:
            self.warnings.append("no year for the edition: nothing proposed for it")
            return None
        self.at = date or self.published
        if series == NORTHERN_SERIES:
            edition = f"edition/hoi-nghi-cong-thuong-phia-bac/{year}"
        else:
            edition = f"edition/{series.split('/', 1)[1]}/{year}"
        ordinal = next((m.data["ordinal"] for m in [primary, *named] if m.data["ordinal"]), None)
        ctx = {"ref": edition, "series": series, "year": year, "ordinal": ordinal}
        # the series
        series_name = primary.data["surface"]
        series_new = series_res is None or series_res.outcome != "exact"
        label = None
        if series_new:
            label = {"vi": series_name, "en": series_en(series_name)}
        self.fact(
            "series",
            (primary.start, primary.end),
            series,
            "series",
            "series.name",
            type="ConferenceSeries",
            label=label,
            resolution={"subject": series_res} if series_res else {},
        )
        # the edition
        props: dict = {"partOfSeries": series}
        if ordinal:
            props["ordinal"] = ordinal
        inferred = []
        separate_year = year_m is not None and year_m is not primary and year_m not in in_title
        if not separate_year:
            props["year"] = str(year)
            if year_inferred:
                inferred.append("props.year")
        props["editionStatus"] = "ctkg:held"
        ed_res = self.r.resolve("edition", edition)
        known = edition in self.r.entities
        self.fact(
            "edition",
            (primary.start, primary.end),
            edition,
            "edition",
            "edition.series-ordinal-year",
            type="ConferenceEdition",
            label=None if known else _edition_labels(self, series, series_name, ordinal, year),
            props=props,
            inferred=inferred,
            resolution={
                "subject": Resolution(
                    "edition",
                    self.text[primary.start : primary.end],
                    "exact" if known else "new",
                    edition,
                    ed_res.candidates,
                )
            },
        )
        for m in in_title[:1]:  # the headline says it too: the same claims, its own evidence
            hp = {"partOfSeries": series}
            if m.data["ordinal"]:
                hp["ordinal"] = m.data["ordinal"]
            hp["year"] = str(year)
            hp["editionStatus"] = "ctkg:held"
            self.fact(
                "edition-headline",
                (m.start, m.end),
                edition,
                "edition",
                "edition.headline",
                type="ConferenceEdition",
                props=hp,
                inferred=[] if m.data["year"] else ["props.year"],
            )
        if separate_year:
            self.fact(
                "edition-year",
                (year_m.start, year_m.end),
                edition,
                "edition",
                "edition.year",
                props={"year": str(year)},
            )
        if date:
            self.fact(
                "edition-date",
                date_span,
                edition,
                "date",
                "date.inferred-year" if inferred_year else "date.full",
                conf="date-inferred-year" if inferred_year else "date",
                props={"startDate": date.isoformat()},
                inferred=["props.startDate"] if inferred_year else [],
            )
        self.place(ctx, org_sent)
        # the organisers: the organisers' sentence, else the first of the lead that names them
        for sent in ([org_sent] if org_sent else []) + lead:
            if self.organisers(ctx, sent):
                break
        return ctx

    def place(self, ctx: dict, org_sent) -> None:
        """Where the edition is held. A sentence of the body that says where ("tại Trung tâm Hội
        nghị tỉnh X (thành phố Y)") is the evidence whenever one exists; a headline's "X: …"
        prefix (a dateline of place) is evidence only when the body says nowhere, or besides the
        body's when the headline names the conference itself ("X: Khai mạc Hội nghị …"), as the
        gold writers quote it: "Hà Nam: Kết nối giao thương, …" names no conference."""
        spans = ([org_sent] if org_sent else []) + self._lead_sents + [self.title_span]
        t0, t1 = self.title_span
        lead = self.province_at(t0)  # "Bình Dương: Tổ chức Hội nghị …" (a dateline of place)
        found = []  # (span, province, rule): what each of the body's sentence and the title says
        for a, b in spans:
            for m in re.finditer(AT_PLACE, self.f[a:b]):
                p = (
                    self.province_at(a + m.end())
                    or self._venue_province(a + m.end(), b)
                    or self._venue_chain(a + m.end(), b)
                )
                if p:
                    found.append(((a + m.start(), p.end), p, "place.tai-province"))
                    break
        if lead and self.f[lead.end : lead.end + 1] == ":":
            body = [x for x in found if not t0 <= x[0][0] < t1]
            names_conference = re.search(
                r"\b(?:hoi nghi|hoi cho|hoi thao|dien dan|tuan le|le hoi)\b", self.f[t0:t1]
            )
            if body and body[0][1].ref == lead.ref:
                span, p, rule = body[0]
                self._place_fact("edition-place", span, ctx, p, rule)
                if names_conference:
                    self._place_fact(
                        "edition-headline-place", (t0, t1), ctx, lead, "place.title-dateline"
                    )
                return
            if not any(
                re.search(r"\btai ", self.f[a:b]) and self._tai_province(a, b) for a, b in spans
            ):
                self._place_fact("edition-place", (t0, t1), ctx, lead, "place.title-dateline")
                return
        if not found:  # "tại thành phố Ninh Bình" and nothing else: the city lies in that province
            for a, b in spans:
                for m in re.finditer(AT_PLACE, self.f[a:b]):
                    p = self.province_at(a + m.end(), city_of=True)
                    if p:
                        found.append(((a + m.start(), p.end), p, "place.city-of-province"))
                        break
                if found:
                    break
        if not found:
            found = self._host_or_dateline_place()
        if not found:
            return
        span, p, rule = found[0]
        city = {
            "en": "The article names the city of that name, which lies in the province.",
            "vi": "Bài báo nêu thành phố cùng tên, thuộc tỉnh này.",
        }
        interpretation = city if p.data.get("city") else None
        self._place_fact("edition-place", span, ctx, p, rule, interpretation)
        # the headline says it too ("… năm 2026 tại Đồng Nai"): the same claim, its own evidence
        for span2, p2, _rule in found[1:]:
            if p2.ref == p.ref and span2[0] < self.title_span[1] <= span[0]:
                self._place_fact("edition-headline-place", span2, ctx, p2, "place.headline")

    def _place_fact(self, fact_id, span, ctx: dict, province, rule: str, interpretation=None):
        """The edition is held in, and hosted by, that province: one claim with its evidence."""
        res = province.data["resolution"]
        self.fact(
            fact_id,
            span,
            ctx["ref"],
            "place",
            rule,
            props={"heldIn": province.ref, "hostProvince": province.ref},
            resolution={"props.heldIn": res, "props.hostProvince": res},
            interpretation=interpretation,
        )

    def _venue_province(self, pos: int, end: int) -> Mention | None:
        """The province after a venue or a city that is not one: "tại thành phố Hạ Long, tỉnh
        Quảng Ninh", "tại Trung tâm Hội nghị tỉnh X", "tại khách sạn Y (TP. Vinh, Nghệ An)"."""
        m = re.match(
            r"(?:tp\. ?|[^,.;()]){1,50}?(?:, |\(| (?=tinh |thanh pho |tp\.))", self.f[pos:end]
        )  # "tại TP. Buôn Ma Thuột, tỉnh Đắk Lắk"
        if not m:
            return None
        i = pos + m.end()
        if self.f[i - 1] == "(":  # "(TP. Vinh, Nghệ An)": the last name before ")"
            close = self.f.find(")", i, end)
            for p in reversed(self.provinces_in(i, close if close > 0 else i)):
                return p
            return None
        return (
            self.province_at(i)
            if re.match(r"(?:tinh |thanh pho |tp\.? ?)", self.f[i:]) or m.group().endswith(", ")
            else None
        )

    def _host_or_dateline_place(self) -> list:
        """When no sentence says where: a headline "Tỉnh X đăng cai Hội nghị …" (the host holds
        it), else the paper's dateline "X, 22/8/2026 - " (the reporter writes from the meeting's
        province; the genre's datelines name it). Only a province valid at the article's date."""
        t0, t1 = self.title_span
        p = self.province_at(t0)
        if p and re.match(r" (?:dang cai|to chuc|la chu nha)\b", self.f[p.end : t1]):
            return [((t0, t1), p, "place.headline-host")]
        m = self.DATELINE.match(self.f, t1)
        if m and m["dash"]:
            i = len(self.f[t1 : m.end()]) - len(self.f[t1 : m.end()].lstrip())
            d = self.province_at(t1 + i)
            if d and re.match(r"(?:, | \()", self.f[d.end :]):
                return [((d.start, d.end), d, "place.dateline")]
        return []

    def _venue_chain(self, pos: int, end: int) -> Mention | None:
        """The province at the end of a venue's address: "tại Trung tâm Hội nghị tỉnh, phường X,
        tỉnh Y", "tại Trung tâm Hội nghị tỉnh ở thành phố Y" (the city of that name, or a city of
        rules.yaml's ``cities``). Between the venue and the province only units of an address
        (phường, xã, quận, huyện, thành phố, đường, số …) may stand, so "tại Hội nghị, …" and a
        clause after the venue name no place."""
        if re.match(
            r"(?:hoi nghi|hoi thao|dien dan|buoi|phien|le |chuong trinh|su kien)", self.f[pos:]
        ):
            return None
        head = re.match(r"[^,.;()]{1,60}?(?:, | o (?=thanh pho |tp\.|tinh ))", self.f[pos:end])
        if not head:
            return None
        i = pos + head.end()
        for _ in range(4):
            p = self.province_at(i, city_of=True)
            if p:
                return p
            step = re.match(
                r"(?:phuong|xa|quan|huyen|thi xa|thi tran|thanh pho|tp\.|so \d+|duong|khu)"
                r"[^,.;()]{1,40}?, ",
                self.f[i:end],
            )
            if not step:
                return None
            i += step.end()
        return None

    def _tai_province(self, a: int, b: int) -> bool:
        return any(self.province_at(a + m.end()) for m in re.finditer(r"\btai ", self.f[a:b]))

    def organisers(self, ctx: dict, sent) -> bool:
        """ "A phối hợp với B tổ chức …": True when the sentence names organisers."""
        a, b = sent
        m = re.search(r"\b(?:dong )?to chuc\b", self.f[a:b])
        if not m:
            return False
        verb_end = a + m.end()
        # an organisation in parentheses names the one before it ("Vụ … (Bộ Công Thương)")
        orgs = [o for o in self.orgs_in(a, a + m.start()) if self.f[o.start - 1 : o.start] != "("]
        # "phối hợp với Cục B, Bộ Công Thương tổ chức": the ministry right after a unit and a
        # comma is the unit's, not an organiser of its own
        orgs = [
            o
            for n, o in enumerate(orgs)
            if not (
                n
                and o.data["class"] == "Ministry"
                and orgs[n - 1].data["class"] == "MinistryUnit"
                and self.f[orgs[n - 1].data.get("full_end", orgs[n - 1].end) : o.start] == ", "
            )
        ]
        if not orgs:
            return False
        coop = re.search(r"\bphoi hop (?:voi|cung)\b", self.f[orgs[0].start : a + m.start()])
        coop_at = orgs[0].start + coop.start() if coop else None
        # "Hội nghị do A và B (cùng) phối hợp tổ chức": as with "A phối hợp với B", the first
        # named organises and the others co-organise (one organiser per edition)
        if coop is None and len(orgs) > 1:
            joint = re.search(r"\b(?:cung )?phoi hop $", self.f[orgs[-1].start : a + m.start()])
            if joint:
                coop, coop_at = joint, orgs[0].start
        # "A tổ chức Hội nghị … với sự phối hợp của B": B co-organises
        after = re.search(r"\bvoi su phoi hop (?:cua|voi) ", self.f[verb_end:b])
        if after:
            helper = self.org_at(verb_end + after.end())
            if helper and all(helper.ref != o.ref for o in orgs):
                orgs.append(helper)
                coop_at = helper.start - 1
            # "… với sự phối hợp của Cục A và Cục B, Bộ Công Thương": each co-organises
            while helper is not None:
                more = re.match(r",? va |, ", self.f[helper.data["full_end"] : b])
                unit = helper.data["class"] == "MinistryUnit"
                helper = self.org_at(helper.data["full_end"] + more.end()) if more else None
                if (
                    helper
                    and unit
                    and more
                    and more[0] == ", "
                    and helper.data["class"] == "Ministry"
                ):
                    break  # "Cục B, Bộ Công Thương": the unit's ministry, not an organiser
                if helper and all(helper.ref != o.ref for o in orgs):
                    orgs.append(helper)
        by_role: dict[str, list[Mention]] = {}
        for o in orgs:
            role = "coOrganizer" if coop_at is not None and o.start > coop_at else "organizer"
            if all(x.ref != o.ref for x in by_role.setdefault(role, [])):
                by_role[role].append(o)
            self.entity_fact(o)
        props: dict = {}
        resolution = {}
        for role, items in by_role.items():
            props[role] = items[0].ref if len(items) == 1 else [o.ref for o in items]
            for n, o in enumerate(items):
                path = f"props.{role}" if len(items) == 1 else f"props.{role}[{n}]"
                resolution[path] = o.data["resolution"]
        self.fact(
            "edition-organisers",
            (orgs[0].start, verb_end),
            ctx["ref"],
            "organiser",
            "organiser.phoi-hop-voi" if coop else "organiser.to-chuc",
            props=props,
            resolution=resolution,
        )
        return True

    # ------------------------------------------------------------------------------ places

    # "… giữ vai trò đầu tàu về phát triển công nghiệp", "… là địa phương đầu tàu", "… tiếp tục là
    # đầu tàu công nghiệp của vùng": the provinces just before it are the leading localities
    # "A và tỉnh B là hai địa phương dẫn đầu về phát triển công nghiệp": "dẫn đầu" says which
    # field only with "công nghiệp" after it ("dẫn đầu về thu hút đầu tư" is not this)
    # "A tiếp tục giữ vai trò đầu tàu …", "A là địa phương dẫn đầu về phát triển công nghiệp",
    # "A tiếp tục dẫn đầu vùng về phát triển công nghiệp" (no verb), "A được các đại biểu đánh
    # giá là địa phương dẫn đầu …" (a passive with its agent), "A giữ vững vị trí dẫn đầu …"
    # "dẫn đầu (vùng / khu vực / các tỉnh Tây Bắc / cả nước) về (phát triển | giá trị sản xuất |
    # sản xuất) công nghiệp", "đi đầu", "đứng đầu …", "xếp (đứng) thứ nhất …": which field is
    # said ("dẫn đầu về thu hút đầu tư", "… về tốc độ tăng trưởng …", "xếp thứ hai" are none; nor
    # "đầu tàu kinh tế / du lịch / thương mại")
    LEAD_CORE = (
        r"(?:dan dau|di dau|dung dau|(?:xep|dung) (?:vi tri )?(?:thu nhat|so 1|thu 1))"
        r" (?:(?:(?:cua |trong |ca |toan )?(?:vung|khu vuc)|cac (?:tinh|dia phuong)"
        r"(?:, thanh pho)?|ca nuoc)(?: [a-z]+){0,4} )?"
        r"(?:ve |trong )(?:phat trien |gia tri san xuat |san xuat |nganh )?cong nghiep"
    )
    LEADS = re.compile(
        r"(?:(?:tiep tuc|van|deu|se|da|cung|vuon len"
        r"|duoc (?:(?:cac |nhieu )?(?:dai bieu|hoi nghi|doanh nghiep|bo cong thuong) )?"
        r"(?:danh gia|xac dinh|ghi nhan|coi)) )*"
        r"(?:(?:giu vung|giu|phat huy|the hien|khang dinh|dong|la|tro thanh)(?: duoc)?"
        r"(?: tot)? (?:vai tro |vi tri |ngoi vi |(?:(?:cac|nhung|hai|ba|bon|2|3|4) )?"
        r"(?:dia phuong|tinh|thanh pho|dia ban) )?)?"
        r"(?:dau tau(?: (?:ve |trong )?(?:phat trien )?cong nghiep)?"
        r"(?! (?:ve |cua |trong )?(?:phat trien )?(?:kinh te|du lich|nong nghiep|dich vu|thuong mai"
        r"|xuat khau|logistics|tang truong)\b)"
        rf"|{LEAD_CORE})\b"
    )
    # the list after the words: "vai trò đầu tàu … như A, B, C", "các địa phương dẫn đầu về phát
    # triển công nghiệp của vùng là/gồm A, B và C", "Đứng đầu vùng về … công nghiệp là tỉnh A"
    # (opening the clause)
    LEADS_BEFORE_LIST = re.compile(
        r"\b(?:vai tro dau tau\b[^.]*? nhu"
        rf"|(?:(?:dia phuong|tinh|thanh pho) |(?<![a-z] )){LEAD_CORE}"
        r"(?: (?:cua|trong) (?:vung|khu vuc|ca nuoc)(?: [a-z]+){0,3}?)?"
        r",? (?:nhu|la|gom(?: co)?):?) "
    )

    def localities(self, ctx: dict) -> None:
        """Leading localities: "vai trò đầu tàu … như A, B, C" (the list after) and "A, B và C
        tiếp tục giữ vai trò đầu tàu về phát triển công nghiệp" (the list before), each province
        resolved through the gazetteer valid at the edition's date."""
        for m in self.LEADS_BEFORE_LIST.finditer(self.f):
            i = m.end()
            while True:
                p = self.province_at(i)
                if not p:
                    break
                self._designation(ctx, p, (m.start(), p.end), "locality.dau-tau-nhu")
                sep = re.match(r", | va ", self.f[p.end :])
                if not sep:
                    break
                i = p.end + sep.end()
        for m in self.LEADS.finditer(self.f):
            if self.f[m.start() - 1 : m.start()] != " ":
                continue
            listed = self._listed_before(m.start() - 1)
            for p in listed:
                self._designation(ctx, p, (p.start, m.end()), "locality.truoc-dau-tau")

    def _listed_before(self, end: int) -> list[Mention]:
        """The provinces of a list "A, B và C" that ends at ``end`` (nothing when another word
        stands between the last one and ``end``)."""
        lo = next((a for a, b in self.sentences() if a <= end <= b), end)
        found = {p.end: p for p in self.provinces_in(lo, end)}
        out: list[Mention] = []
        while end in found:
            p = found[end]
            out.insert(0, p)
            sep = re.search(r"(?:, va |, | va )$", self.f[max(lo, p.start - 6) : p.start])
            if not sep:
                break
            end = p.start - len(sep.group())
        return out

    def _designation(self, ctx: dict, p: Mention, span: tuple[int, int], rule: str) -> None:
        ref = f"{ctx['ref']}/designation/{tail(p.ref)}"
        if any(f.subject == ref for f in self.facts):
            return
        name = self.text[p.start : p.end]
        self.fact(
            f"locality-{tail(p.ref)}",
            span,
            ref,
            "locality",
            rule,
            type="LocalityDesignation",
            label={
                "vi": f"{name} - địa phương đầu tàu về phát triển công nghiệp",
                "en": f"{ascii_name(name)} - a leading industrial locality",
            },
            props={
                "designatedArea": p.ref,
                "designationType": "ctkg:leadingIndustrialLocality",
                "reportedAt": ctx["ref"],
            },
            resolution={"props.designatedArea": p.data["resolution"]},
        )


def _caps_names(text: str, a: int, b: int) -> list[tuple[tuple[int, int], str]]:
    """A signature line in capitals: 2–4 upper-case words a name, names parted by " - ", ", "
    or "và"/"VÀ", an "(Báo …)" after them allowed; else nothing (an acronym is no name)."""
    line = text[a:b]
    body = re.sub(r"\s*\([^)]*\)\s*$", "", line).rstrip(" .")
    out, pos = [], 0
    for part in re.split(r"( - | – |, | và | VÀ )", body):
        if re.fullmatch(r"( - | – |, | và | VÀ )", part):
            pos += len(part)
            continue
        words = part.strip().split(" ")
        if not 2 <= len(words) <= 4 or not all(w.isalpha() and w.isupper() for w in words):
            return []
        if fold(words[0]) in ("bao", "tap", "nguon", "theo", "tin", "anh", "cong", "so", "bo"):
            return []  # "BÁO CÔNG THƯƠNG", "NGUỒN TTXVN": a paper or a source, not a person
        start = a + pos + (len(part) - len(part.lstrip()))
        out.append(((start, start + len(part.strip())), part.strip()))
        pos += len(part)
    return out


@cache
def _is_city(ref: str) -> bool:
    """A centrally governed city ("thành phố Cần Thơ" is the unit; "thành phố Kon Tum" is the
    capital of tỉnh Kon Tum, a city the graph does not hold)."""
    from ctkg.graph import gazetteer

    try:
        return gazetteer.unit(tail(ref)).is_city
    except (KeyError, ValueError):
        return True  # not the gazetteer's: keep what the resolver linked


def _edition_labels(ex: Extractor, series, name: str, ordinal, year) -> dict:
    vi = name if series not in ex.r.entities else ex.r.label(series)
    en = (
        ex.r.entities[series].labels[1]
        if series in ex.r.entities and len(ex.r.entities[series].labels) > 1
        else series_en(name)
    )
    ord_vi = f" lần thứ {pt.to_roman(ordinal)}" if ordinal else ""
    return {
        "vi": f"{vi}{ord_vi} ({year})",
        "en": f"{nth(ordinal) + ' ' if ordinal else ''}{en} ({year})",
    }


def extract(text: str, resolver: Resolver, **kw) -> Extraction:
    """The facts the rules propose for ``text`` (see the module docstring)."""
    return Extractor(text, resolver, **kw).run()
