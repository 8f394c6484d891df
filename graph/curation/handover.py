"""Rules for the hand-over of the next edition: who handed the hosting right to whom, and the
designated edition."""

from __future__ import annotations

import re
from collections.abc import Callable

from . import patterns as pt
from .proposal import ProposedFact
from .resolver import Resolver
from .spans import Mention, nth


class HandoverRules:
    """Mixed into ``extract.Extractor``: uses its text (``text``/``f``), resolver and ``fact``."""

    # what the Extractor this is mixed into has (for the type checker)
    text: str
    f: str
    r: Resolver
    facts: list[ProposedFact]
    warnings: list[str]
    fact: Callable[..., ProposedFact]
    entity_fact: Callable[[Mention], None]
    province_at: Callable[..., Mention | None]
    org_at: Callable[[int], Mention | None]
    orgs_in: Callable[[int, int], list[Mention]]

    # "đã chuyển giao quyền đăng cai", "bàn giao cờ luân lưu đăng cai", "trao cờ đăng cai" (with or
    # without "đã")
    HANDING = (
        r"(?:chuyen giao|ban giao|trao|trao lai) (?:quyen|co)(?: luan luu| luan phien)? dang cai"
    )
    HANDOVER_VERB = rf"(?: da)? {HANDING} (?:to chuc )?"
    # the host's side: "UBND tỉnh Y (đã) nhận cờ đăng cai Hội nghị lần thứ N năm Z từ Sở … X"
    RECEIVING = r"(?:tiep nhan|nhan) (?:quyen|co)(?: luan luu| luan phien)? dang cai"
    RECEIVE_VERB = rf"(?: da)? {RECEIVING} (?:to chuc )?"

    def handovers(self, ctx: dict, sentences, mentions: list[Mention]) -> None:
        for a, b in sentences:
            m = re.search(self.HANDOVER_VERB, self.f[a:b])
            if m:
                self._handover(ctx, a, b, a + m.start(), a + m.end(), mentions)
                continue
            m = re.search(self.RECEIVE_VERB, self.f[a:b])
            if m:
                self._handover(ctx, a, b, a + m.start(), a + m.end(), mentions, received=True)
                continue
            # "Hội nghị lần thứ 4 năm 2021 sẽ do tỉnh X đăng cai (tổ chức)", "… sẽ do UBND (Sở
            # Công Thương) tỉnh X đăng cai": the body hosts it, in its province; without the
            # year, the next ordinal is next year's (inferred)
            m = re.search(
                rf"\bhoi nghi lan thu (?P<n>{pt.ORDINAL})(?: nam (?P<y>\d{{4}}))? se do ",
                self.f[a:b],
            )
            if m:
                org = self.org_at(a + m.end())
                p = org.data.get("province") if org else self.province_at(a + m.end())
                host_end = org.end if org else p.end if p else 0
                year, ordinal = int(m["y"]) if m["y"] else None, pt.roman_or_arabic(m["n"])
                if year is None:
                    year = _next_year(ctx, ordinal)
                # "… sẽ do UBND tỉnh X (chủ trì,) phối hợp với Bộ Công Thương tổ chức", "… sẽ do
                # UBND tỉnh X tổ chức": that body hosts it too
                verb = re.match(
                    r" (?:(?:chu tri,? )?phoi hop voi bo cong thuong )?(?:dang cai(?: to chuc)?"
                    r"|to chuc)",
                    self.f[host_end:],
                )
                if p and year and verb:
                    end = host_end + verb.end()
                    if org:
                        self.entity_fact(org)
                    self._next_edition(
                        ctx, (a + m.start(), end), year, ordinal, org, p,
                        inferred=[] if m["y"] else ["props.year"],
                    )  # fmt: skip
                continue
            # "Tỉnh Thái Bình sẽ đăng cai Hội nghị lần thứ 7 vào năm 2024", "Hội nghị thống nhất
            # giao tỉnh X đăng cai tổ chức Hội nghị lần thứ 7 năm 2024"
            # ("UBND tỉnh X sẽ đăng cai …", "giao Sở Công Thương tỉnh X đăng cai …": that body)
            m = re.search(
                r"(?:\b(?:giao|chon|lua chon) (?:cho )?|^|, )"
                r"(?P<org>(?:ubnd|uy ban nhan dan|so cong thuong) )?"
                r"(?P<host>(?:tinh|thanh pho|tp\.?) [^,;]{2,40}?)"
                r"(?: (?:la|lam) (?:dia phuong|don vi|noi))?"
                rf" (?:se )?dang cai (?:to chuc )?"
                rf"hoi nghi lan thu (?P<n>{pt.ORDINAL})(?: (?:vao )?nam (?P<y>\d{{4}}))?",
                self.f[a:b],
            )
            if m:
                p = self.province_at(a + m.start("host"))
                org = self.org_at(a + m.start("org")) if m["org"] else None
                if m["org"] and (org is None or org.data.get("province") is None):
                    continue
                if org:
                    p = org.data["province"]
                year = int(m["y"]) if m["y"] else None
                ordinal = pt.roman_or_arabic(m["n"])
                if p and year is None:
                    year = _next_year(ctx, ordinal)
                if p and year:
                    if org:
                        self.entity_fact(org)
                    self._next_edition(
                        ctx, ((org or p).start, a + m.end()), year, ordinal, org, p,
                        inferred=[] if m["y"] else ["props.year"],
                    )  # fmt: skip
                    continue
            # "Hội nghị lần thứ hai sẽ được tổ chức tại tỉnh X vào năm 2020"
            m = re.search(
                rf"\bhoi nghi lan thu (?P<n>{pt.ORDINAL})(?: nam (?P<y>\d{{4}}))? se (?:duoc )?"
                r"to chuc tai ",
                self.f[a:b],
            )
            if m:
                p = self.province_at(a + m.end())
                if p is None:
                    continue
                later = re.match(r" (?:vao )?nam (\d{4})", self.f[p.end :])
                year = int(m["y"]) if m["y"] else int(later[1]) if later else None
                if year is None:
                    continue
                end = p.end + (later.end() if later else 0)
                self._next_edition(
                    ctx, (a + m.start(), end), year, pt.roman_or_arabic(m["n"]), None, p
                )

    def _handover(self, ctx, a, b, verb_start, verb_end, mentions, *, received=False) -> None:
        """ "A đã chuyển giao quyền đăng cai Hội nghị … cho B" (``received``: "B đã nhận cờ đăng
        cai Hội nghị … từ A"): A hands over, B hosts the edition named."""
        first = next(
            (o for o in reversed(self.orgs_in(a, verb_start)) if o.end == verb_start), None
        )
        ed = next((x for x in mentions if x.start == verb_end), None)
        tail = None
        extra_inferred: list[str] = []
        designated_span: tuple[int, int] | None = None
        if ed is None:
            tail = re.match(
                rf"hoi nghi(?: lan thu (?P<n>{pt.ORDINAL}))?(?:(?: -)? nam (?P<y>\d{{4}}))?",
                self.f[verb_end:],
            )
            if tail and (tail["n"] or tail["y"]):
                ed_end, ordinal, year = (
                    verb_end + tail.end(),
                    pt.roman_or_arabic(tail["n"]) if tail["n"] else None,
                    int(tail["y"]) if tail["y"] else None,
                )
            elif not received and self.f.startswith("cho ", verb_end):
                # "A đã trao cờ đăng cai cho B(, địa phương đăng cai Hội nghị lần thứ N năm Y)":
                # the edition after B; none named, the next one (a yearly rotation: the next
                # ordinal, next year; marked inferred)
                taker = self.org_at(verb_end + 4)
                if taker is None:
                    return
                named = re.search(
                    rf"\bhoi nghi lan thu (?P<n>{pt.ORDINAL})(?: nam (?P<y>\d{{4}}))?",
                    self.f[taker.end : b],
                )
                # "Hội nghị lần thứ N năm Y sẽ do tỉnh B đăng cai; A đã trao cờ đăng cai cho
                # UBND tỉnh B": the clause before names the edition, and is its evidence
                before = None if named else self._named_before(a, verb_start, taker)
                if before:
                    ordinal, year = before[1], before[2]
                    designated_span = before[0]
                elif named:
                    ordinal = pt.roman_or_arabic(named["n"])
                    year = int(named["y"]) if named["y"] else None
                elif ctx.get("ordinal"):
                    ordinal, year = ctx["ordinal"] + 1, None
                    extra_inferred.append("props.ordinal")
                else:
                    return
                ed_end = verb_end - 1  # " cho B" follows, as after a named edition
            else:
                return
        else:
            ed_end, ordinal, year = ed.end, ed.data["ordinal"], ed.data["year"]
        year_inferred = False
        if year is None:
            # "trao cờ đăng cai Hội nghị lần thứ 7 cho …" at the 6th (a yearly series): the next
            # year's, read from the edition held (marked inferred)
            year = _next_year(ctx, ordinal)
            year_inferred = year is not None
        word = " tu " if received else " cho "
        if year is None:
            return
        if not self.f.startswith(word, ed_end):
            host = first.data.get("province") if received and first is not None else None
            if first is not None and host is not None:
                # "UBND tỉnh Y đã nhận cờ đăng cai Hội nghị lần thứ N năm Z" (from whom not
                # said): Y hosts that edition; no hand-over of someone's
                self.entity_fact(first)
                self._next_edition(
                    ctx, (first.start, ed_end), year, ordinal, first, host,
                    inferred=["props.year"] if year_inferred else [],
                )  # fmt: skip
            return
        second = self.org_at(ed_end + len(word))
        giver, taker = (second, first) if received else (first, second)
        if giver is None or taker is None:
            return
        start, end = min(giver.start, taker.start), max(giver.end, taker.end)
        self.entity_fact(giver)
        self.entity_fact(taker)
        handover = f"{ctx['ref']}/handover"
        nxt = self._next_edition(
            ctx,
            designated_span
            or ((taker.start, ed_end) if received else (ed.start if ed else verb_end, taker.end)),
            year,
            ordinal,
            taker,
            taker.data.get("province"),
            inferred=extra_inferred + (["props.year"] if year_inferred else []),
        )
        rule = "handover.nhan-co" if received else "handover.chuyen-giao"
        self.fact(
            "edition-handover",
            (start, ed_end),
            ctx["ref"],
            "handover",
            rule,
            props={"handover": handover},
        )
        g, t = self.text[giver.start : giver.end], self.text[taker.start : taker.end]
        self.fact(
            "handover",
            (start, end),
            handover,
            "handover",
            rule,
            type="HostingHandover",
            label={
                "vi": f"Chuyển giao quyền đăng cai tổ chức Hội nghị năm {year} từ {g} cho {t}",
                "en": f"Hand-over of the right to host the {year} Conference from "
                f"{giver.data['en']} to "
                f"{taker.data['en']}",
            },
            props={"handoverFrom": giver.ref, "handoverTo": taker.ref, "handoverOf": nxt},
            resolution={
                "props.handoverFrom": giver.data["resolution"],
                "props.handoverTo": taker.data["resolution"],
            },
        )

    def _named_before(self, a: int, verb_start: int, taker: Mention):
        """ "Hội nghị lần thứ N (năm Y) sẽ do (UBND) tỉnh B đăng cai" before the hand-over verb,
        B the taker's province: ((start, end), N, Y or None); else None. A clause naming another
        province is not the taker's edition."""
        m = re.search(
            rf"\bhoi nghi lan thu (?P<n>{pt.ORDINAL})(?: nam (?P<y>\d{{4}}))? se do ",
            self.f[a:verb_start],
        )
        if not m or taker.data.get("province") is None:
            return None
        org = self.org_at(a + m.end())
        p = org.data.get("province") if org else self.province_at(a + m.end())
        if p is None or p.ref != taker.data["province"].ref:
            return None
        verb = re.match(r" (?:se )?(?:dang cai(?: to chuc)?|to chuc)", self.f[(org or p).end :])
        if not verb:
            return None
        end = (org or p).end + verb.end()
        return (a + m.start(), end), pt.roman_or_arabic(m["n"]), int(m["y"]) if m["y"] else None

    def _next_edition(self, ctx, span, year, ordinal, host_org, province, inferred=()) -> str:
        series = ctx["series"]
        base = ctx["ref"].rsplit("/", 1)[0]
        ref = f"{base}/{year}"
        props: dict = {"partOfSeries": series}
        if ordinal:
            props["ordinal"] = ordinal
        props["year"] = str(year)
        resolution = {}
        if host_org is not None:
            props["hostOrganization"] = host_org.ref
            resolution["props.hostOrganization"] = host_org.data["resolution"]
        if province is not None:
            props["hostProvince"] = province.ref
            resolution["props.hostProvince"] = province.data["resolution"]
        known = ref in self.r.entities
        series_fact = next((f for f in self.facts if f.id == "series"), None)
        new_label = (series_fact.label or {}).get("vi") if series_fact else None
        series_label = self.r.label(series) if series in self.r.entities else new_label
        label = None
        if not known:
            ord_vi = f"lần thứ {pt.to_roman(ordinal)} " if ordinal else ""
            label = {
                "vi": f"{series_label or 'Hội nghị'} {ord_vi}({year})",
                "en": f"{nth(ordinal) + ' ' if ordinal else ''}Conference ({year})",
            }
        self.fact(
            f"edition-{year}-designated",
            span,
            ref,
            "handover",
            "handover.next-edition",
            type="ConferenceEdition",
            label=label,
            props=props,
            inferred=list(inferred),
            resolution=resolution,
        )
        # the status on its own, so review can drop it alone: "designated" is what the article
        # says at its date; a graph that already holds this edition may say "held" (one status
        # per edition, SHACL), which the curator settles
        note = None
        if known:
            note = "the graph holds this edition already: its status may say otherwise"
            self.warnings.append(f"{ref}: {note}")
        self.fact(
            f"edition-{year}-status",
            span,
            ref,
            "handover",
            "handover.next-edition-status",
            conf="fuzzy-resolution" if known else "handover",
            props={"editionStatus": "ctkg:designated"},
            note=note,
        )
        return ref


def _next_year(ctx: dict, ordinal: int | None) -> int | None:
    """The year of the edition after the one held, when ``ordinal`` is the next one: the
    series meet yearly, so a year the text leaves out is read as next year's (the callers mark
    it inferred)."""
    if ordinal and ctx.get("ordinal") and ordinal == ctx["ordinal"] + 1:
        return ctx["year"] + 1
    return None
