"""Rules for figures: indicator observations (value, unit, measure type, period, area), never a
national comparison, a plan share or a base-price year."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from itertools import pairwise

from ctkg.iris import slugify

from . import patterns as pt
from .fold import key
from .proposal import ProposedFact, Resolution
from .resolver import Resolver
from .spans import (
    MERGERS_IN_FORCE,
    NORTHERN_REGION,
    NORTHERN_SERIES,
    NORTHERN_SUCCESSORS,
    Mention,
    ascii_name,
    tail,
)

# words before "năm YYYY" that make it a target's or a plan's year, not the figures' period
NOT_A_PERIOD = ("ke hoach ", "muc tieu ", "chi tieu ", "den ", "toi ", "vao ")
# a sector or a group of goods between the indicator and the figure: that part's figure, not the
# indicator's for the area ("toàn ngành" is the whole)
SECTOR = re.compile(r"(?<!toan )\bnganh\b|\blinh vuc\b|\bmat hang\b|\bnhom hang\b")
# a sector named right after the indicator: "giá trị sản xuất (ngành) công nghiệp chế biến, chế
# tạo", "chỉ số sản xuất công nghiệp khai khoáng", "… sản xuất và phân phối điện"
SECTOR_AFTER = re.compile(
    r" (?:che bien|che tao|khai khoang|khai thac|san xuat va phan phoi|cung cap nuoc|ho tro"
    r"|dien\b|cong nghe cao)"
)
# a part of the indicator's whole named before a figure ("trong đó xuất khẩu nông sản đạt …",
# "riêng xuất khẩu cà phê …"): not the area's figure; "trong đó, tỉnh X đạt …" is a province's
PART = re.compile(r"\b(?:trong do|rieng|bao gom)\b")
# "Trong đó, xuất khẩu của TP. X …": the short name of the sentence before's turnover
SHORT_TRADE = re.compile(
    r"(?:trong do|rieng),? (?:kim ngach )?(?:(?P<x>xuat khau)|nhap khau) (?:cua |tai )?"
    r"(?=tinh |thanh pho |tp\.)"
)
# the whole country, named right after a figure ("8,2% của cả nước"; not "4,4% (cả nước …)",
# where the brackets compare the region's figure with the country's)
NATIONAL = "ca nuoc|toan quoc|chung ca nuoc|binh quan chung"
# "… của tỉnh", "… toàn tỉnh", "… trên địa bàn tỉnh" after an indicator, no name following: a
# province's figure, not the region's
THE_PROVINCE = re.compile(
    r" (?:cua |toan |tren dia ban |trong )(?P<p>tinh|thanh pho|dia phuong(?! (?:khac|trong)\b))\b"
)
UNNAMED = ("", None)  # that province is not named in the sentence: no figure
# the words that give an indicator its province, before its first figure: "… của tỉnh X", "…
# tại tỉnh X", "… trên địa bàn tỉnh X", "… toàn tỉnh X", after a bracket or a period ("(theo giá
# so sánh năm 2010) của tỉnh X", "… năm 2023 của tỉnh X", "… của TP.HCM", "… của Bình Dương"); or
# no word ("kim ngạch xuất khẩu tỉnh X", "… TP. Hồ Chí Minh")
OWNER = re.compile(r" (?:cua|tai|tren dia ban|toan) ")
# a target, not an observation: "phấn đấu", "mục tiêu", "chỉ tiêu", "định hướng", "dự kiến",
# "dự báo", "kế hoạch đặt ra" in the indicator's clause or between it and the figure; or a sentence
# that opens with one ("Mục tiêu năm 2025, …", "Kế hoạch năm 2024, …")
TARGET = re.compile(
    r"\b(?:phan dau|muc tieu|chi tieu|dinh huong|du kien|du bao|ke hoach dat ra|(?:phai|can) dat)\b"
)
TARGET_OPEN = re.compile(
    r"(?:(?:trong |rieng )?nam \d{4},? )?(?:muc tieu|ke hoach|chi tieu|dinh huong|phan dau"
    r"|du kien|du bao)\b"
)
CLAUSE_AFTER_SEMICOLON = re.compile(r"; ")
# a share of a whole, whose indicator is named after it: "chiếm 38% (tổng) kim ngạch xuất khẩu
# toàn vùng", "bằng 29,6% …": that indicator is the whole's, not the clause's next subject
SHARE_OF = re.compile(
    rf"\b(?:chiem|bang)(?: (?:khoang|hon|tren|gan|xap xi))? (?:{pt.NUMBER}) ?%"
    r"(?: (?:tong|trong tong|so voi|cua))* ?$"
)
# periods the rules do not read (no gold convention), which end the paragraph's last period: a
# span of years ("giai đoạn 2021-2025", "từ năm 2021 đến nay", "5 năm qua"), one month ("tháng
# 6/2024", "riêng tháng 6"; not "6 tháng", nor a date "ngày 5 tháng 6"), "từ đầu năm (đến nay)",
# "6 tháng cuối năm"
OTHER_PERIOD = re.compile(
    r"\bgiai doan (?:\d{4}|nay)|\btu nam \d{4}|\b\d{1,2} nam (?:qua|gan day)"
    r"|(?<!\d )(?<!ngay )\bthang (?:\d{1,2}|nay|truoc)\b(?! nam \d{4} (?:tai|o)\b)"
    r"|\btu dau nam(?: den nay)?\b|\bthang cuoi nam\b"
)
# a named comparison base: year-on-year ("so với cùng kỳ (năm trước)", "so với năm trước",
# "so với năm 2020", "cùng kỳ năm ngoái", "so với 6 tháng đầu năm 2023", "so với cùng thời điểm
# năm trước")
YOY_BASE = re.compile(
    r"\bcung ky\b|\bso voi (?:(?:\d{1,2} thang(?: dau)? )?nam (?:truoc|ngoai|\d{4})|ky nay nam"
    r"|cung thoi (?:diem|gian|ky) nam (?:truoc|ngoai|\d{4}))\b"
)
# another named base: the quarter or month before ("so với quý trước", "so với quý IV/2023", "so
# với tháng trước", "so với đầu năm"): no growth of the period the figure is read for
OTHER_BASE = re.compile(r" ?so voi (?:quy|thang|dau nam|ky truoc)\b")


class FigureRules:
    """Mixed into ``extract.Extractor``: uses its text (``text``/``f``), resolver and ``fact``."""

    # what the Extractor this is mixed into has (for the type checker)
    text: str
    f: str
    at: dt.date | None
    r: Resolver
    rules: dict
    facts: list[ProposedFact]
    warnings: list[str]
    title_span: tuple[int, int]
    _entities: dict[str, Mention]
    fact: Callable[..., ProposedFact]
    province_at: Callable[..., Mention | None]
    provinces_in: Callable[[int, int], list[Mention]]

    # ------------------------------------------------------------------------------ figures

    @cache  # noqa: B019
    def indicator_regex(self) -> re.Pattern:
        alt = "|".join(
            f"(?P<i{n}>{ind['match']})" for n, ind in enumerate(self.rules["indicators"])
        )
        return re.compile(rf"\b(?:{alt})")

    GROWTH = re.compile(
        rf"\b(?:uoc )?(?P<dir>tang|giam)(?: truong)?(?P<neg> am)?(?: nhe| manh)?(?: binh quan)?"
        rf"(?: dat)?"
        rf"(?: (?:khoang|hon|tren|gan|xap xi|toi|den))?"
        rf" (?P<n>{pt.NUMBER}) ?(?:%|phan tram\b)"
        rf"|\bdat (?:muc )?tang truong (?P<n2>{pt.NUMBER}) ?%"
    )

    def indicators(self, ctx: dict, sentences) -> None:
        rules_ = self.rules
        scales = sorted(rules_["scales"].items(), key=lambda kv: -len(kv[0]))
        scale_alt = "|".join(re.escape(s) for s, _ in scales)
        cur_alt = "|".join(re.escape(c) for c in rules_["currencies"])
        level = re.compile(
            rf"\b(?:(?:uoc )?dat(?: duoc)?|uoc(?: tinh)?(?: dat)?) "
            rf"(?:muc |khoang |tren |gan |hon |xap xi )?(?P<n>{pt.NUMBER}) "
            rf"(?:(?P<s>{scale_alt}) )?"
            rf"(?P<c>{cur_alt})\b"
        )
        area = self.series_area(ctx)
        if area is None:
            return
        context_year = ctx["year"]
        last_period = None
        last_ind: tuple[dict, int] | None = None  # the paragraph's last indicator, where it is
        current_para = None
        for a, b in sentences:
            if a < self.title_span[1]:
                continue
            para = self.text.rfind("\n", 0, a)
            if para != current_para:
                current_para, last_period, last_ind = para, None, None
            events = []
            for m in self.indicator_regex().finditer(self.f, a, b):
                if SHARE_OF.search(self.f, max(a, m.start() - 40), m.start()):
                    continue  # "…, chiếm 38% kim ngạch xuất khẩu toàn vùng, tăng …": a share's
                if SECTOR_AFTER.match(self.f, m.end()):
                    # "chỉ số sản xuất công nghiệp chế biến, chế tạo tăng 10%": a sector's
                    # index; its figures are no one's here (the previous indicator's neither)
                    events.append((m.start(), "ind", m, None))
                    continue
                n = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
                events.append((m.start(), "ind", m, rules_["indicators"][n]))
            for m in pt.PERIOD.finditer(self.f, a, b):
                events.append((m.start(), "period", m, None))
            for m in OTHER_PERIOD.finditer(self.f, a, b):
                events.append((m.start(), "unread", m, None))
            for m in self.GROWTH.finditer(self.f, a, b):
                events.append((m.start(), "growth", m, None))
            for m in level.finditer(self.f, a, b):
                events.append((m.start(), "level", m, None))
            events.sort(key=lambda e: e[0])
            ind, ind_start, boundary = None, None, a
            scopes = self.area_scopes(a, b)
            # "… toàn vùng đạt 60 tỷ USD. Trong đó, tỉnh X đạt 20 tỷ USD": a sentence that opens
            # with "Trong đó"/"Riêng" + a province and names no indicator before its figures goes
            # on with the previous sentence's ("Trong đó, ngành chế biến …" does not: a sector)
            if (
                last_ind
                and scopes
                and scopes[0][0] - a < 40
                and self.f[a:b].startswith(("trong do", "rieng", "doi voi"))
            ):
                ind, ind_start = last_ind
            elif (
                last_ind
                and (short := SHORT_TRADE.match(self.f, a, b))
                and last_ind[0]["slug"] == ("export" if short["x"] else "import") + "-turnover"
            ):
                # "… kim ngạch xuất khẩu đạt 32 tỷ USD. Trong đó, xuất khẩu của TP. X đạt …":
                # the indicator's short name, of one province; the figures are X's
                ind, ind_start = last_ind
            ind_area = None  # "kim ngạch xuất khẩu của tỉnh X ước đạt …, tăng …": X's figures
            # the province an unnamed "trên địa bàn tỉnh", "của tỉnh" was read as, and where
            told: tuple[tuple[str, Resolution | None], int] | None = None
            part = False  # "…, trong đó xuất khẩu nông sản đạt 4,2 tỷ USD, tăng 3,1%": a part's
            nation, target = False, None
            for pos, kind, m, data in events:
                if kind == "ind" and data is None:
                    ind, boundary = None, m.end()
                elif kind == "ind" and data is not None:
                    ind, ind_start, boundary = data, m.start(), m.end()
                    part = False
                    last_ind = (data, m.start())
                    # the indicator's clause before it: "cả nước có chỉ số … tăng 7,5%" (the
                    # country's), "phấn đấu / mục tiêu … kim ngạch xuất khẩu đạt …" (a target's),
                    # "Mục tiêu năm 2025, kim ngạch …" (a sentence of targets)
                    cut = max(self.f.rfind(",", a, m.start()), self.f.rfind(";", a, m.start()))
                    clause = self.f[max(a, cut) : m.start()]
                    nation = re.search(rf"\b(?:{NATIONAL})\b", clause) is not None
                    target = TARGET.search(clause) is not None or TARGET_OPEN.match(self.f, a)
                    # "… của tỉnh X", "… trên địa bàn tỉnh X", "… (theo giá so sánh năm
                    # 2010) của tỉnh X", "… năm 2023 của tỉnh X" (before its first figure):
                    # the indicator's own province
                    reach = next((e[0] for e in events if e[0] > m.start() and e[1] != "period"), b)
                    reach = min(reach, m.end() + 80)
                    p, unnamed = None, None
                    if self.f.startswith(" ", m.end()):
                        p = self.province_at(m.end() + 1)
                    if p is None:
                        own = OWNER.search(self.f, m.end(), reach)
                        p = self.province_at(own.end()) if own else None
                        unnamed = THE_PROVINCE.search(self.f, m.end(), reach)
                    ind_area = (p.ref, p.data["resolution"]) if p else None
                    if p is not None:
                        # "giá trị sản xuất công nghiệp của tỉnh X đạt …; kim ngạch xuất khẩu
                        # đạt …": the sentence's later indicators are X's too (below)
                        told = ((p.ref, p.data["resolution"]), m.start())
                    elif unnamed and not self.province_at(unnamed.start("p")):
                        # "kim ngạch xuất khẩu của tỉnh đạt …" (unnamed): the province the
                        # sentence named before (the speaker's "Sở Công Thương tỉnh X"), else
                        # the one the paragraph's previous sentence named ("… của tỉnh Cao
                        # Bằng đạt …. Giá trị sản xuất công nghiệp của tỉnh ước đạt …"), never
                        # the region; none (or two) named, no figure
                        said = self.provinces_in(a, m.start())
                        if said:
                            ind_area = (said[-1].ref, said[-1].data["resolution"])
                        else:
                            ind_area = self._province_before(sentences, a, current_para)
                        if ind_area is not UNNAMED:
                            told = (ind_area, m.start())
                    elif (
                        told
                        and not self.REGION_AGAIN.search(self.f, told[1], m.end() + 16)
                        and not any(told[1] < begin <= m.start() for begin, _ in scopes)
                    ):
                        # "Theo Sở … tỉnh X, bán lẻ trên địa bàn tỉnh đạt …; kim ngạch xuất
                        # khẩu đạt …": the sentence goes on with that province's figures (not
                        # after "…; riêng tỉnh Y, …", a clause of Y's)
                        ind_area = told[0]
                elif kind == "unread":
                    # "Giai đoạn 2021-2025, …", "Riêng tháng 6/2024, …", "Từ đầu năm đến nay,
                    # …": a period the rules do not read; the paragraph's earlier one is not
                    # its figures' (no figure until the next period read)
                    last_period = None
                elif kind == "period":
                    before = self.f[max(a, m.start() - 16) : m.start()]
                    if before.endswith(("so voi ", "so voi cung ky ", "cung ky ")):
                        continue  # "so với cùng kỳ năm 2018": the comparison, not the period
                    if before.endswith(("gia so sanh ", "gia co dinh ", "goc ")):
                        continue  # "theo giá so sánh năm 2010": a base-price year
                    if re.search(r"(?<!\d )\bthang \d{1,2} $", before):
                        continue  # "tháng 6 năm 2024": one month's (unread above)
                    if before.endswith(NOT_A_PERIOD):
                        continue  # "kế hoạch năm 2026", "đến năm 2030": a target's year
                    got = pt.period_of(m, context_year)
                    if got:
                        last_period = (got, m.start())
                        if got[1] and not got[2] and m["months"]:
                            context_year = got[1]
                elif ind is not None and last_period is not None:
                    window = self.f[boundary:pos]
                    boundary_before, boundary = boundary, m.end()
                    if any(w in window for w in rules_["not_regional"]):
                        continue
                    if target or TARGET.search(window):
                        continue  # a target's figure, not an observation
                    if kind == "level" and ind.get("levels") is False:
                        continue  # an index has no level in money ("Trong đó, X đạt 15 tỷ USD")
                    if nation:
                        continue  # the country's figures, until the next indicator
                    if SECTOR.search(window):
                        continue  # "trong đó ngành chế biến, chế tạo tăng 9,8%": a sector's
                    if PART.search(window) and not self.provinces_in(boundary_before, pos):
                        part = True  # the figures of a part of it, until the next indicator
                    if part:
                        continue
                    after = self.f[m.end() : m.end() + 24]
                    if after.lstrip(" ,").startswith(("ke hoach", "so voi ke")):
                        continue
                    # "cao hơn mức tăng 8,2% của cả nước": the country's figure, after it
                    if re.match(rf" (?:cua )?(?:{NATIONAL})\b", after):
                        continue
                    # "riêng TP. Hồ Chí Minh tăng 7,6%": that province's figure, not the region's
                    named = self.provinces_in(boundary_before, pos)
                    if any(
                        re.fullmatch(r",? va |, ", self.f[x.end : y.start]) and x.ref != y.ref
                        for x, y in pairwise(named)
                    ):
                        # "kim ngạch xuất khẩu của tỉnh A và tỉnh B đạt …", "… tỉnh A, B đạt …",
                        # "A và B lần lượt tăng …": a sum of a group, or which is whose cannot
                        # be told: no figure, nor for the indicator's next ones
                        ind_area, told = UNNAMED, (UNNAMED, pos)
                        continue
                    if named:
                        here = (named[-1].ref, named[-1].data["resolution"])
                        # "giá trị sản xuất công nghiệp năm 2023 của tỉnh X đạt …, tăng …",
                        # "…; tỉnh Y đạt …, tăng …": the indicator's next figures are X's (Y's)
                        ind_area = here
                    elif ind_area is UNNAMED:
                        continue
                    elif ind_area:
                        here = ind_area
                    else:  # "Riêng tỉnh Đồng Nai, kim ngạch xuất khẩu đạt …": the clause's
                        here = self.scoped_area(scopes, pos) or area
                        if here is UNNAMED:
                            continue  # a national conference's figure of no province
                    self.observation(ctx, here, ind, ind_start, last_period, kind, m, a)

    # "riêng tỉnh X, …", "đối với TP. Y, …", "trong đó, tỉnh Z …", "tại tỉnh X, …": the clause
    # that follows speaks of that province
    # a province's own report as the clause's source ("Theo Sở Công Thương tỉnh X, …", "Theo báo
    # cáo của UBND tỉnh X, …", "Sở Công Thương tỉnh X cho biết, …"), or the province as the
    # clause's subject ("Tỉnh X có giá trị sản xuất công nghiệp … đạt …", "Tỉnh X, kim ngạch …")
    AREA_LEAD = re.compile(
        r"\b(?:(?P<own>(?:tinh )?rieng(?: doi voi)?|doi voi|trong do,?) "
        r"|(?P<tai>tai|o|voi|tren dia ban) "
        r"|(?P<src>(?:(?:theo )?(?:(?:bao cao|so lieu) (?:cua )?)?)?"
        r"(?:so cong thuong|ubnd|uy ban nhan dan|(?:chi )?cuc thong ke) )"
        r"|(?P<subj>)(?=(?:tinh|thanh pho|tp\.?) ))"
    )
    # the region again: the province's scope has ended ("…; toàn vùng tăng 9%")
    REGION_AGAIN = re.compile(
        r"\b(?:toan vung|ca vung|cua vung|khu vuc|(?:cua )?cac (?:tinh|dia phuong)(?! khac))\b"
    )

    def _province_before(self, sentences, a: int, para) -> tuple[str, Resolution | None]:
        """The one province the paragraph's nearest earlier sentence that names any names, for
        an unnamed "của tỉnh" that opens a sentence; ``UNNAMED`` when it names two or more (which
        one is meant cannot be told) or the paragraph named none."""
        for x, y in reversed([s for s in sentences if s[1] <= a]):
            if self.text.rfind("\n", 0, x) != para:
                break
            said = {p.ref: p for p in self.provinces_in(x, y)}
            if said:
                if len(said) > 1:
                    return UNNAMED
                p = next(iter(said.values()))
                return p.ref, p.data["resolution"]
        return UNNAMED

    def area_scopes(self, a: int, b: int) -> list[tuple[int, tuple[str, Resolution | None]]]:
        """(where the scope begins, the province) for each clause of ``[a, b)`` that opens by
        naming a province: its figures are that province's, not the series' region."""
        out = []
        for m in self.AREA_LEAD.finditer(self.f, a, b):
            if m.start() != a and not re.search(
                r"[,;:] $", self.f[max(a, m.start() - 2) : m.start()]
            ):
                continue
            p = self.province_at(m.end())
            if p is None:
                continue
            if m["tai"] and self.f[p.end : p.end + 1] != ",":
                continue  # "tại tỉnh X diễn ra …" is a place; "Tại (Ở, Trên địa bàn) tỉnh X, …"
                # opens a clause
            if m["src"] is not None and not (
                self.f.startswith(",", p.end)
                if self.f.startswith("theo ", m.start())
                else m.start() == a
                and re.match(r",? (?:cho biet|bao cao|cho thay)\b", self.f[p.end :])
            ):
                # "Sở Công Thương tỉnh X tổ chức …": no report of its own; "Ông Y, Giám đốc Sở
                # … tỉnh X cho biết, …" may give the region's figures (only "của tỉnh" is X's)
                continue
            if (
                m["subj"] is not None
                and not (
                    self.f.startswith((" co ", ": "), p.end)
                    or (self.f.startswith(", ", p.end) and not self.province_at(p.end + 2))
                    # "Tỉnh X tiếp tục dẫn đầu vùng về giá trị sản xuất công nghiệp, ước đạt …":
                    # the sentence's subject, with its verb; its figures are X's, not the region's
                    or (
                        m.start() == a
                        and re.match(r" (?!va |cung |voi |hoac )[a-z]", self.f[p.end :])
                    )
                )
            ):
                continue  # "Tỉnh X và tỉnh Y …", "Tỉnh X, Y …": no clause of X's own
            out.append((p.end, (p.ref, p.data["resolution"])))
        # a bare name as the subject, opening the sentence or a clause after ";": "Bình Dương có
        # chỉ số … tăng …"
        for i in [a, *(m.end() for m in CLAUSE_AFTER_SEMICOLON.finditer(self.f, a, b))]:
            p = self.province_at(i)
            if p is not None and self.f.startswith(" co ", p.end):
                out.append((p.end, (p.ref, p.data["resolution"])))
        out.sort(key=lambda x: x[0])
        return out

    def scoped_area(self, scopes, pos: int) -> tuple[str, Resolution | None] | None:
        for begin, here in reversed(scopes):
            if begin <= pos:
                if self.REGION_AGAIN.search(self.f, begin, pos):
                    return None
                return here
        return None

    def series_area(self, ctx: dict) -> tuple[str, Resolution | None] | None:
        if ctx["series"] == NORTHERN_SERIES:
            late = self.at is not None and self.at >= MERGERS_IN_FORCE
            return (NORTHERN_SUCCESSORS if late else NORTHERN_REGION), None
        fact = next(f for f in self.facts if f.id == "series")
        label = (fact.label or {}).get("vi") or self.r.label(ctx["series"])
        if re.match(r"(?:hoi nghi|dien dan) toan quoc\b", key(label)):
            # "Hội nghị toàn quốc về …": the country's figures are context (the graph holds no
            # national observations); only a named province's figures are observations
            return UNNAMED
        # "… các tỉnh (khu vực) X", "… vùng X", "… khu vực X": the series' region
        m = re.search(
            r"\b(?:tinh(?:, thanh pho)? (?:khu vuc |vung )?|(?<!cac )(?:vung|khu vuc) )(.+)$",
            key(label),
        )
        if not m:
            return None
        res = self.r.resolve("region", m[1])
        if res.outcome == "exact":
            return res.ref, res
        ref = f"region/{slugify(m[1])}"
        self._region_entity(ref, fact, m[1])
        return ref, res

    def _region_entity(self, ref: str, series, folded_name: str) -> None:
        """A region the graph does not have ("các tỉnh miền Trung - Tây Nguyên"): typed and
        labelled where the series' name says it, so the figures' ``refArea`` is described."""
        if ref in self._entities or ref in self.r.entities:
            return
        # the key collapsed the spaces (none around a hyphen): find it in the folded text
        words = [re.escape(w) for w in folded_name.split("-")]
        pattern = re.compile(r"\s?-\s?".join(w.replace(r"\ ", r"\s+") for w in words))
        found = pattern.search(self.f, series.start, series.end)
        if found is None:
            return  # the label was not read from this text: nothing to quote
        span = found.span()
        name = self.text[span[0] : span[1]]
        self._entities[ref] = Mention(span[0], span[1], ref, "region")
        self.fact(
            f"region-{tail(ref)}",
            span,
            ref,
            "entity",
            "entity.region",
            conf="entity",
            type="Region",
            label={"vi": name, "en": ascii_name(name)},
        )

    def observation(self, ctx, area, ind, ind_start, period, kind, m, sent_start=0) -> None:
        (pslug, _year, p_inferred), p_start = period
        area_ref, area_res = area
        if kind == "growth":
            raw = m["n"] or m["n2"]
            value = pt.parse_number(raw)
            if m["dir"] == "giam" or m["neg"]:  # "giảm 2,1%", "tăng trưởng âm 1,4%"
                value = -value
            measure, unit, suffix = "ctkg:growth", "ctkg:percent", ""
        else:
            value = pt.parse_number(m["n"]) * self.rules["scales"].get(m["s"], 1)
            measure, unit = "ctkg:level", f"ctkg:{self.rules['currencies'][m['c']]}"
            suffix = "/level"
        start = min(ind_start, p_start) if self._same_sentence(p_start, ind_start) else ind_start
        # year-on-year only when the text names the base ("so với cùng kỳ", "so với năm trước",
        # "so với năm 2020"); otherwise, a whole year's rate too ("Năm 2023, … tăng 7,5%"), the
        # base is not stated: ctkg:growth (graph/FACTS.md, "State what the source says"). The
        # comparison's words follow the figure in its own clause ("tăng 12,9% so với cùng kỳ"),
        # not in the next one ("tăng 14,05%; cùng kỳ, cả nước tăng 12,1%")
        own_tail = re.split(r"[;,.]", self.f[m.end() : m.end() + 32], maxsplit=1)[0]
        # (the base named for the indicator earlier in the figure's sentence counts; in the
        # sentence before, it was another figure's: "… tăng 10,8% so với cùng kỳ. Riêng tỉnh X
        # đạt …, tăng 12,1%")
        # (… nor, after a ";", another province's: "tỉnh A đạt …, tăng 10,2% so với cùng kỳ; tỉnh
        # B đạt …, tăng 9,1%" names B's base nowhere)
        since = max(start, sent_start, self.f.rfind("; ", 0, m.start()) + 2)
        said = self.f[since : m.end()] + own_tail
        if kind == "growth" and OTHER_BASE.match(own_tail):
            return
        if kind == "growth" and YOY_BASE.search(said):
            measure = "ctkg:yearOnYearGrowth"
        # one observation per reporting source: the reporting edition is part of the IRI
        reported = "-".join(ctx["ref"].split("/")[1:])
        subject = f"observation/{ind['slug']}/{tail(area_ref)}/{pslug}{suffix}/reported/{reported}"
        if any(f.subject == subject and f.type == "Observation" for f in self.facts):
            # the same figure's slot twice: the first (the whole's) stands; a second value for
            # it is another reading the rules cannot tell apart, so it is not proposed
            self.warnings.append(f"a second value for {subject} was not proposed")
            return
        indicator = f"indicator/{ind['slug']}"
        self._indicator_entity(ind, ind_start)
        self._period_entity(pslug, p_start)
        value_text = self.text[m.start() : m.end()]
        self.fact(
            f"obs-{ind['slug']}-{pslug}{suffix.replace('/', '-')}",
            (start, m.end()),
            subject,
            "indicator",
            f"indicator.{kind}",
            type="Observation",
            label={
                "vi": f"{ind['vi']} {pslug}: {value_text}",
                "en": f"{ind['en']}, {pslug}: {pt.decimal_text(value)}"
                f"{' %' if kind == 'growth' else ''}",
            },
            props={
                "qb:dataSet": "ctkg:indicatorObservations",
                "indicator": indicator,
                "refPeriod": f"period/{pslug}",
                "refArea": area_ref,
                "valueKind": measure,
                "unitMeasure": unit,
                "value": pt.decimal_text(value),
                "reportedAt": ctx["ref"],
            },
            inferred=["props.refPeriod"] if p_inferred else [],
            resolution={"props.refArea": area_res} if area_res else {},
        )

    def _same_sentence(self, a: int, b: int) -> bool:
        lo, hi = sorted((a, b))
        return not re.search(r"[.;](?=\s)", self.f[lo:hi])

    def _indicator_entity(self, ind: dict, pos: int) -> None:
        ref = f"indicator/{ind['slug']}"
        if ref in self._entities:
            return
        m = self.indicator_regex().match(self.f, pos)
        assert m is not None  # pos is where the indicator regex matched
        self._entities[ref] = Mention(pos, m.end(), ref, "indicator")
        known = ref in self.r.entities
        self.fact(
            f"indicator-{ind['slug']}",
            (pos, m.end()),
            ref,
            "indicator",
            "entity.indicator",
            conf="entity",
            type="Indicator",
            label=None if known else {"vi": ind["vi"], "en": ind["en"]},
            props={"skos:inScheme": "ctkg:IndicatorScheme"},
        )

    def _period_entity(self, pslug: str, pos: int) -> None:
        ref = f"period/{pslug}"
        if ref in self._entities or ref in self.r.entities:
            return
        m = pt.PERIOD.match(self.f, pos)
        assert m is not None  # pos is where the period regex matched
        self._entities[ref] = Mention(pos, m.end(), ref, "period")
        first, last = pt.period_bounds(pslug)
        span = (pos, m.end())
        self.fact(
            f"period-{pslug}",
            span,
            ref,
            "indicator",
            "entity.period",
            conf="entity",
            type="ReferencePeriod",
            label={"vi": self.text[span[0] : span[1]], "en": pslug},
            props={"time:hasBeginning": f"instant/{first}", "time:hasEnd": f"instant/{last}"},
        )
        for day in (first, last):
            iref = f"instant/{day}"
            if iref in self._entities or iref in self.r.entities:
                continue
            self._entities[iref] = Mention(pos, m.end(), iref, "instant")
            self.fact(
                f"instant-{day}",
                span,
                iref,
                "indicator",
                "entity.instant",
                conf="entity",
                type="time:Instant",
                label={"vi": day.strftime("%d/%m/%Y"), "en": str(day)},
                props={"time:inXSDDate": day.isoformat()},
            )
