"""Rules for people: officials with post and organisation, who attended and directed, and the
participant groups."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from ctkg.iris import slugify

from . import patterns as pt
from .proposal import ProposedFact
from .resolver import Resolver
from .spans import Mention, ascii_name, group_en, tail

# who was there: "Dự Hội nghị có", "Cùng dự có", "Tới dự có", "Hội nghị có sự tham dự của",
# "Tham dự Hội nghị gồm có", "… có các đồng chí:", a colon before the list
# "Dự tại điểm cầu X có" (a meeting over video links); "… có các ông:", "… có các ông, bà:";
# "Về phía các địa phương có ông X, …" (the side's)
ATTEND = (
    r"\b(?:(?:(?:cung|tham|toi|ve|den) )*du(?: hoi nghi)?"
    r"(?: tai (?:cac )?diem cau(?: [a-z.]+){0,4}?)?(?: con| cung)? (?:co|gom(?: co)?)"
    r"|(?:hoi nghi )?(?:co|voi) su tham (?:du|gia) cua"
    r"|ve phia (?:cac )?(?:dia phuong|tinh|bo cong thuong|doanh nghiep)(?: [a-z]+){0,3}? co)"
    r"(?: cac (?:dong chi|ong, ba|ong|ba|vi))?:?"
)


# a group given by its number or size ("cùng hơn 200 doanh nghiệp sản xuất, phân phối trong vùng",
# "và gần 50 hợp tác xã", "nhiều doanh nghiệp …"): a participant group as "đại diện …" is
PLURAL_BODIES = r"cac (?:doanh nghiep|hiep hoi|hop tac xa|nha phan phoi|to chuc tin dung)\b"
COUNTED_GROUP = (
    r"(?:(?:hon|gan|tren|khoang) )?(?:\d[\d.]*|nhieu) "
    r"(?:doanh nghiep|dai bieu|hop tac xa|don vi|nha phan phoi|co so)\b"
)


# an academic title before the name ("…; TS. Phạm Văn Minh, Giám đốc …"), folded
TITLE = r"(?:(?:gs|pgs|ts|ths|ks|bs|ncs)\.? ?)*"


# a post of the Party or the Assembly written between a name and the post the rules read
POST_WORDS = re.compile(
    r"\b(?:uy vien|tinh uy vien|thanh uy vien|ban thuong vu|bi thu|dai bieu quoc hoi"
    r"|truong doan|chu tich|pho chu tich|giam doc)\b"
)


class PeopleRules:
    """Mixed into ``extract.Extractor``: uses its text (``text``/``f``), resolver and ``fact``."""

    # what the Extractor this is mixed into has (for the type checker)
    text: str
    f: str
    r: Resolver
    rules: dict
    facts: list[ProposedFact]
    at: dt.date | None
    _entities: dict[str, Mention]
    _officials: list[dict]
    fact: Callable[..., ProposedFact]
    org_at: Callable[[int], Mention | None]
    orgs_in: Callable[[int, int], list[Mention]]
    entity_fact: Callable[[Mention], None]

    # ------------------------------------------------------------------------------ people

    def officials(self, sentences) -> list[dict]:
        """Every 'post organisation name' / 'name - post organisation' mention."""
        found: dict[int, dict] = {}
        honor = self.rules["honorifics"]
        for a, b in sentences:
            for m in re.finditer(r"\b", self.f[a:b]):
                i = a + m.start()
                if not self.f[i : i + 1].isalpha():
                    continue
                role = self.role_at(i)
                if not role:
                    continue
                org = self.org_at(role.end + 1)
                if not org:
                    continue
                org_end = org.data["full_end"]
                # post before the name: "Thứ trưởng Bộ Công Thương Đặng Hoàng An"
                span = pt.name_forward(
                    self.text, org_end + 1, stop=lambda j: self.role_at(j) is not None
                )
                # "Chủ tịch UBND tỉnh Quảng Ninh, ông Vũ Minh Khoa" (or without the comma)
                h = re.match(r",? (?:dong chi|ong|ba) ", self.f[org_end : org_end + 12])
                if not span and h:
                    span = pt.name_forward(self.text, org_end + h.end())
                if span and (self.text[org_end : org_end + 1] == " " or h):
                    found.setdefault(
                        span[0],
                        {"person": span, "role": role, "org": org, "span": (role.start, span[1])},
                    )
                    continue
                # name before the post: "Đặng Hoàng An - Thứ trưởng", "ông X, Phó Chủ tịch",
                # "ông X (Giám đốc Sở …)"
                for sep in (" - ", ", ", " – ", " — ", " ("):
                    if self.text[i - len(sep) : i] == sep:
                        span = pt.name_backward(self.text, i - len(sep), skip=honor)
                        if not span and sep != " (":
                            span = self._name_before_posts(a, i - len(sep), honor)
                        if span:
                            start = span[0]
                            h = re.search(
                                r"\b(?:dong chi|ong|ba) $", self.f[max(a, start - 9) : start]
                            )
                            if h:
                                start = max(a, start - 9) + h.start()
                            found.setdefault(
                                span[0],
                                {
                                    "person": span,
                                    "role": role,
                                    "org": org,
                                    "span": (start, org.end),
                                },
                            )
                        break
        return [found[k] for k in sorted(found)]

    def _name_before_posts(self, a: int, end: int, honor) -> tuple[int, int] | None:
        """ "ông X, Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh Y", "đồng chí X - Tỉnh
        ủy viên, Giám đốc Sở …", "bà X, Phó Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Y": the name
        before one or two posts of the Party or the Assembly; the post whose body the text names
        is the Membership (the ones before it name no body the rules can resolve)."""
        for _ in range(2):
            seg = re.search(r"(?:, | - | – )([^,;()]{3,60})$", self.f[max(a, end - 64) : end])
            if not seg or not POST_WORDS.search(seg[1]):
                return None
            end = max(a, end - 64) + seg.start()
            span = pt.name_backward(self.text, end, skip=honor)
            if span:
                return span
        return None

    def officials_and_attendance(self, ctx: dict, sentences) -> None:
        seen_members: set[str] = set()
        self._officials = []
        for off in self.officials(sentences):
            person = self.person(off["person"])
            role, org = off["role"], off["org"]
            off["ref"] = person.ref
            self._officials.append(off)
            member = f"membership/{tail(person.ref)}--{tail(role.ref)}--{tail(org.ref)}"
            if member in seen_members:
                continue
            seen_members.add(member)
            self.entity_fact(person)
            self.entity_fact(role)
            self.entity_fact(org)
            post = self.text[role.start : org.end]
            name = self.text[person.start : person.end]
            known = member in self.r.entities
            self.fact(
                f"official-{tail(person.ref)}",
                off["span"],
                member,
                "official",
                "official.post-org-name"
                if off["span"][0] == role.start
                else "official.name-post-org",
                type="Membership",
                label=None
                if known
                else {
                    "vi": f"{name} - {post}",
                    "en": f"{ascii_name(name)} - {role.data['rule']['en']}, {org.data['en']}",
                },
                props={
                    "org:member": person.ref,
                    "org:organization": org.ref,
                    "org:role": role.ref,
                    "attestedAt": ctx["ref"],
                },
                resolution={
                    "props.org:member": person.data["resolution"],
                    "props.org:organization": org.data["resolution"],
                },
            )
        # attended and directed
        for off in self._officials:
            pa, pb = off["person"]
            sent = next(((a, b) for a, b in sentences if a <= pa < b), None)
            if not sent:
                continue
            after = self.f[off["span"][1] : sent[1]]
            # "X dự và chỉ đạo Hội nghị", "X tới dự và phát biểu chỉ đạo." (the meeting
            # understood), "X dự và có ý kiến chỉ đạo tại Hội nghị", "X phát biểu chỉ đạo Hội
            # nghị" (who directed was there); "X chủ trì Hội nghị"; "X dự Hội nghị" (attended)
            # "X dự và phát biểu tại Hội nghị" (attended); "A và B (đồng) chủ trì Hội nghị":
            # the first of two co-chairs (the second as any "X chủ trì Hội nghị")
            joined = 0
            nxt = re.match(r" va ", after)
            if nxt:
                second = next(
                    (x for x in self._officials if x["span"][0] == off["span"][1] + nxt.end()), None
                )
                if second is not None and re.match(
                    r",? (?:dong |cung )?chu tri hoi nghi", self.f[second["span"][1] :]
                ):
                    joined = second["span"][1] - off["span"][1]
            # "X, Cục trưởng Cục …, Bộ Công Thương dự và phát biểu chỉ đạo": the unit's ministry
            # stands between the post and the verb
            own = re.match(
                r", bo [a-z]+(?: [a-z]+){0,4}?(?= (?:(?:den |ve |toi |tham )?du|(?:da )?phat bieu"
                r"|(?:dong |cung )?chu tri) )",
                after[joined:],
            )
            if own:
                joined += own.end()
            m = re.match(
                r",? (?:(?:(?:den |ve |toi |tham )?du(?:,| va) (?:co y kien |phat bieu )?"
                r"|(?:da )?phat bieu )(chi dao)(?: (?:tai )?hoi nghi|(?=[.;]|$))"
                r"|((?:dong |cung )?chu tri) hoi nghi"
                r"|(?:den |ve |toi |tham )?du(?: va phat bieu(?: tai)?)? hoi nghi)",
                after[joined:],
            )
            res = {"props.attendee": self.person(off["person"]).data["resolution"]}
            if m:
                props = {"attendee": off["ref"]}
                directed = bool(m[1] or m[2])
                if directed:
                    props["directedBy"] = off["ref"]
                    res["props.directedBy"] = res["props.attendee"]
                self.fact(
                    f"attended-{tail(off['ref'])}",
                    (off["span"][0], off["span"][1] + joined + m.end()),
                    ctx["ref"],
                    "attendance",
                    "attendance.du-chi-dao" if directed else "attendance.du",
                    props=props,
                    resolution=res,
                )
                continue
            before = self.f[sent[0] : off["span"][0]]
            # who directed, named after the words: "Tới dự và phát biểu chỉ đạo Hội nghị có X",
            # "Chủ trì Hội nghị có X"; or around them: "Hội nghị do X chủ trì"
            m = re.search(
                r"\b(?:(?:(?:toi|den|ve|tham) )?du(?:,| va) (?:phat bieu )?chi dao"
                r"|(?:du va )?chu tri)(?: hoi nghi)? co (?:(?:dong chi|ong|ba) )?$",
                before,
            )
            end = pb
            # "Hội nghị do X (đồng) chủ trì", "Hội nghị do A và B đồng chủ trì" (both)
            first = next(
                (
                    x
                    for x in self._officials
                    if x["span"][1] + 4 == off["span"][0] and before.endswith(" va ")
                ),
                None,
            )
            lead = before[: len(before) - (off["span"][0] - first["span"][0])] if first else before
            by_do = re.search(r"\bdo (?:(?:dong chi|ong|ba) )?$", lead)
            if not m and by_do:
                rest = self.f[off["span"][1] : sent[1]]
                two = re.match(r" va ", rest)
                if two:
                    second = next(
                        (x for x in self._officials if x["span"][0] == off["span"][1] + 4), None
                    )
                    rest = self.f[second["span"][1] : sent[1]] if second else ""
                by = re.match(r" (?:dong |cung )?chu tri\b", rest)
                if by:
                    m = by_do
                    end = sent[1] - len(rest) + by.end()
            if m:
                self.fact(
                    f"attended-{tail(off['ref'])}",
                    (sent[0] + m.start(), end),
                    ctx["ref"],
                    "attendance",
                    "attendance.chi-dao-co",
                    props={"attendee": off["ref"], "directedBy": off["ref"]},
                    resolution=res | {"props.directedBy": res["props.attendee"]},
                )
                continue
            m = re.search(rf"{ATTEND} (?:(?:dong chi|ong|ba) )?$", before)
            if m:
                self.fact(
                    f"attended-{tail(off['ref'])}",
                    (sent[0] + m.start(), pb),
                    ctx["ref"],
                    "attendance",
                    "attendance.du-hoi-nghi-co",
                    props={"attendee": off["ref"]},
                    resolution=res,
                )
                continue
            # a later person of the same list: "Tham dự Hội nghị có ông X - …; bà Y - …", "Tham
            # dự có Phó Chủ tịch … Đào Minh Nhựt, Giám đốc Sở … Lữ Thị Kim Sa" (right after an
            # attendee of that list)
            if re.search(rf"{ATTEND} .*; (?:(?:dong chi|ong|ba) )?{TITLE}$", before) or any(
                x["span"][1] < off["span"][0]
                and sent[0] <= x["span"][0]
                and re.fullmatch(r"\)?,? (?:va )?", self.f[x["span"][1] : off["span"][0]])
                for x in self._officials
                if any(
                    f.slot == "attendance" and f.props.get("attendee") == x["ref"]
                    for f in self.facts
                )
            ):
                # "Chủ trì Hội nghị có đồng chí A, Bộ trưởng …, và đồng chí B, Chủ tịch …": the
                # chairs of one list all directed ("Tham dự có …" lists only attended)
                opener = re.search(r"\b(?:dong )?chu tri(?: hoi nghi)? co ", before)
                chairs = opener is not None and not re.search(
                    rf"{ATTEND} |; ", before[opener.end() :]
                )
                props = {"attendee": off["ref"]}
                if chairs:
                    props["directedBy"] = off["ref"]
                    res = res | {"props.directedBy": res["props.attendee"]}
                self.fact(
                    f"attended-{tail(off['ref'])}",
                    (off["span"][0], pb),
                    ctx["ref"],
                    "attendance",
                    "attendance.chi-dao-co-list" if chairs else "attendance.du-hoi-nghi-co-list",
                    props=props,
                    resolution=res,
                )
                continue
            # who spoke at it was there: "Phát biểu khai mạc, ông X, …", "Trình bày báo cáo tại
            # Hội nghị, ông X, …", "ông X … phát biểu khai mạc Hội nghị"
            m = re.search(r"\b(?:phat bieu|trinh bay)[^,.;]*, $", before)
            if m:
                # "Phát biểu chỉ đạo tại Hội nghị, Thứ trưởng X …": he directed it too
                directed = m.group().startswith("phat bieu chi dao")
                self.fact(
                    f"attended-{tail(off['ref'])}",
                    (sent[0] + m.start(), pb),
                    ctx["ref"],
                    "attendance",
                    "attendance.phat-bieu-chi-dao" if directed else "attendance.phat-bieu",
                    conf="participants",
                    props={"attendee": off["ref"]}
                    | ({"directedBy": off["ref"]} if directed else {}),
                    resolution=res
                    | ({"props.directedBy": res["props.attendee"]} if directed else {}),
                )
                continue
            m = re.match(r",? (?:da )?phat bieu (?:khai mac|chi dao|tai|be mac)[a-z ]*", after)
            if m:
                self.fact(
                    f"attended-{tail(off['ref'])}",
                    (off["span"][0], off["span"][1] + m.end()),
                    ctx["ref"],
                    "attendance",
                    "attendance.phat-bieu",
                    conf="participants",
                    props={"attendee": off["ref"]},
                    resolution=res,
                )

    def participants(self, ctx: dict, sentences) -> None:
        for a, b in sentences:
            m = re.search(rf"{ATTEND} ", self.f[a:b])
            if not m:
                continue
            start = a + m.end()
            items, i = [], start
            # "… Sở Công Thương các tỉnh A, B và các doanh nghiệp tiêu biểu …": "và các" before a
            # body of firms, associations … opens a group of its own ("các tỉnh A và các tỉnh B"
            # does not)
            for sep in re.finditer(
                rf"; | (?:va|cung) (?=dai dien|lanh dao|{COUNTED_GROUP}|{PLURAL_BODIES})",
                self.f[start:b],
            ):
                items.append((i, start + sep.start()))
                i = start + sep.end()
            items.append((i, b))
            groups = []
            for x, y in items:
                while y > x and self.f[y - 1] in " .…;,":
                    y -= 1
                # "…; cùng hơn 300 doanh nghiệp …", "…; và đại diện …": the group after the word
                lead = re.match(
                    r"(?:cung|va) (?=dai dien|lanh dao|cac |toan the|" + COUNTED_GROUP + ")",
                    self.f[x:y],
                )
                if lead:
                    x += lead.end()
                seg = self.f[x:y]
                # "Giám đốc Sở Công Thương các tỉnh A, B, C": a post of several bodies, a group
                plural_post = re.match(
                    r"(?:pho )?giam doc so cong thuong cac (?:tinh|thanh pho|dia phuong)\b", seg
                )
                if not plural_post and not re.match(
                    rf"(?:lanh dao|dai dien|cac |toan the|{COUNTED_GROUP})", seg
                ):
                    continue  # a person ("ông X, Phó Chủ tịch …") or something else
                if any(x <= o["person"][0] < y for o in getattr(self, "_officials", [])):
                    continue
                groups.append((x, y))
            refs = []
            for x, y in groups:
                # "lãnh đạo Sở Công Thương tỉnh X": the body the group names is an entity of the
                # article, like an official's ("… các tỉnh A, B" names no one body)
                for org in self.orgs_in(x, y):
                    if org.data.get("province") is not None:
                        self.entity_fact(org)
                label = self.text[x:y]
                ref = f"{ctx['ref']}/participants/{slugify(label)}"
                refs.append(ref)
                self.fact(
                    f"group-{slugify(label)[:40]}",
                    (x, y),
                    ref,
                    "participants",
                    "participants.du-hoi-nghi-co",
                    type="ParticipantGroup",
                    label={"vi": label[0].upper() + label[1:], "en": group_en(label)},
                )
            if refs:
                self.fact(
                    "edition-participants",
                    (a, groups[-1][1]),
                    ctx["ref"],
                    "participants",
                    "participants.du-hoi-nghi-co",
                    props={"attendeeGroup": refs if len(refs) > 1 else refs[0]},
                )
