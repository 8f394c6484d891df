"""Scoring proposals against gold facts (``ctkg eval-extract``).

Both sides are turned into *claims*: one (subject, property, value) per type, property value and
article field, each with the span of its quote, and each claim falls in a slot group by what it
says (``slot_of``). Labels, notes and bookkeeping (``qb:dataSet``, ``reportedIn``, periods'
instants, findings, tasks, directions) are not scored: the rules do not try them.

- **strict**: a proposed claim is right when a gold claim has the same subject, property and
  value and the two quotes overlap;
- **overlap**: the same property, overlapping quotes and the same value, except that entity
  references need only be of the same kind (an extraction right in the place it was read, whatever
  the entity it was resolved to);
- **resolution errors**: pairs that match by overlap but not strictly because an entity
  reference differs (linked to the wrong entity, or new where the graph has it, or the reverse).

Each gold claim is matched at most once. A manifest (``articles.yaml``) lists the articles with
their gold and whether the rules were written against them (``dev``) or not (``heldout``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .proposal import SLOTS, CurationError, Proposal

NUMERIC = re.compile(r"-?\d+(?:\.\d+)?")
SCORED = SLOTS  # every slot a proposal can carry is scored: one list, in proposal.py
ENTITY_CLASSES = {
    "Person",
    "Ministry",
    "ProvincialPeoplesCommittee",
    "DepartmentOfIndustryAndTrade",
    "MinistryUnit",
    "Role",
    "Organization",
    "GovernmentBody",
    "ProvincialDepartment",
}
BY_TYPE = {
    "ConferenceSeries": "series",
    "ConferenceEdition": "edition",
    "Membership": "official",
    "ParticipantGroup": "participants",
    "Observation": "indicator",
    "LocalityDesignation": "locality",
    "HostingHandover": "handover",
}
# bookkeeping the rules do not try (the report node, the data set, schemes, instants)
UNSCORED_PROPS = {"reportedIn", "qb:dataSet", "skos:inScheme"}
CONTEXTUAL = {"reportedAt", "attestedAt"}
BY_PROP = {
    "partOfSeries": "edition",
    "ordinal": "edition",
    "year": "edition",
    "editionStatus": "edition",
    "startDate": "date",
    "heldIn": "place",
    "hostProvince": "place",
    "organizer": "organiser",
    "coOrganizer": "organiser",
    "org:member": "official",
    "org:organization": "official",
    "org:role": "official",
    "attestedAt": "official",
    "directedBy": "attendance",
    "indicator": "indicator",
    "value": "indicator",
    "unitMeasure": "indicator",
    "valueKind": "indicator",
    "refPeriod": "indicator",
    "refArea": "indicator",
    "designatedArea": "locality",
    "designationType": "locality",
    "handover": "handover",
    "handoverFrom": "handover",
    "handoverTo": "handover",
    "handoverOf": "handover",
    "hostOrganization": "handover",
    "jurisdiction": "entity",
}


@dataclass(frozen=True)
class Claim:
    slot: str
    s: str
    p: str
    v: str
    spans: tuple[tuple[int, int], ...]

    @property
    def is_ref(self) -> bool:
        return "/" in self.v and " " not in self.v and ":" not in self.v.split("/", 1)[0]


def _norm_value(v) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int | float):
        return _norm_value(str(v))
    v = unicodedata.normalize("NFC", str(v)).strip()
    if NUMERIC.fullmatch(v):
        return format(Decimal(v).normalize(), "f")
    return v.removeprefix("ctkg:")


def slot_of(subject: str, prop: str, value: str, designated: set[str]) -> str:
    if prop in UNSCORED_PROPS or prop.startswith("time:"):
        return "other"
    if subject in designated:
        return "handover"
    if subject.startswith("observation/"):
        return "indicator"
    if "/designation/" in subject:
        return "locality"
    if prop == "rdf:type":
        if value in ENTITY_CLASSES:
            return "entity"
        return BY_TYPE.get(value, "other")
    if prop in ("attendee", "attendeeGroup"):
        return "participants" if "/participants/" in value or "/group/" in value else "attendance"
    return BY_PROP.get(prop, "other")


def claims_of(doc: dict, text: str, spans: dict[str, tuple[int, int]] | None = None) -> list[Claim]:
    """Claims of a facts document (gold) or a proposal's facts; spans from offsets or quotes."""
    raw: list[tuple[str, str, str, tuple[int, int] | None]] = []
    facts = doc.get("facts") or []
    designated = {
        str(f.get("subject"))
        for f in facts
        if (f.get("props") or {}).get("editionStatus") == "ctkg:designated"
    }
    for f in facts:
        span = (spans or {}).get(f["id"]) or _locate(text, f["quote"], f.get("occurrence", 1))
        s = str(f["subject"])
        types = f.get("type")
        for t in types if isinstance(types, list) else [types] if types else []:
            raw.append((s, "rdf:type", str(t).removeprefix("ctkg:"), span))
        for p, vs in (f.get("props") or {}).items():
            for v in vs if isinstance(vs, list) else [vs]:
                raw.append((s, str(p), _norm_value(v), span))
    art = doc.get("article") or {}
    head = art.get("headline")
    if head:
        raw.append(("article", "headline", _norm_value(head), _locate(text, str(head), 1)))
    if art.get("published"):
        raw.append(("article", "published", _norm_value(art["published"]), None))
    if art.get("author"):
        raw.append(("article", "author", str(art["author"]), None))
    merged: dict[tuple, list] = defaultdict(list)
    for s, p, v, span in raw:
        merged[(s, p, v)].append(span)
    out = []
    for (s, p, v), sp in merged.items():
        slot = "article" if s == "article" else slot_of(s, p, v, designated)
        out.append(Claim(slot, s, p, v, tuple(x for x in sp if x)))
    return out


def _locate(text: str, quote: str, occurrence: int) -> tuple[int, int] | None:
    quote = unicodedata.normalize("NFC", quote)
    i = -1
    for _ in range(int(occurrence or 1)):
        i = text.find(quote, i + 1)
        if i < 0:
            return None
    return i, i + len(quote)


def _overlap(a: Claim, b: Claim) -> bool:
    """Quotes overlap; the type of a person, organisation, role or series and the edition a
    figure or a post was reported at are not read at one place (any mention will do)."""
    if not a.spans or not b.spans or a.p in CONTEXTUAL:
        return True
    if a.p == "rdf:type" and a.slot in ("entity", "series"):
        return True
    return any(x0 < y1 and y0 < x1 for x0, x1 in a.spans for y0, y1 in b.spans)


def _kind(v: str) -> str:
    return v.split("/", 1)[0]


@dataclass
class SlotScore:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    overlap: int = 0
    resolution_errors: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: SlotScore) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.strict += other.strict
        self.overlap += other.overlap
        self.resolution_errors += other.resolution_errors
        self.errors += other.errors

    @staticmethod
    def _prf(hit: int, pred: int, gold: int) -> tuple[float, float, float]:
        p = hit / pred if pred else 1.0
        r = hit / gold if gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def strict_prf(self):
        return self._prf(self.strict, self.pred, self.gold)

    def overlap_prf(self):
        return self._prf(self.overlap, self.pred, self.gold)


def score(pred: list[Claim], gold: list[Claim], article: str = "") -> dict[str, SlotScore]:
    out: dict[str, SlotScore] = defaultdict(SlotScore)
    for slot in {c.slot for c in pred + gold}:
        if slot not in SCORED:
            continue
        ps = [c for c in pred if c.slot == slot]
        gs = [c for c in gold if c.slot == slot]
        sc = out[slot]
        sc.gold, sc.pred = len(gs), len(ps)
        # strict
        free = list(gs)
        for c in ps:
            g = next(
                (g for g in free if (g.s, g.p, g.v) == (c.s, c.p, c.v) and _overlap(c, g)), None
            )
            if g:
                free.remove(g)
                sc.strict += 1
        # overlap: the strict pairs first, then the same value elsewhere, then same-kind refs
        free = list(gs)
        rest = []
        for c in ps:
            g = next(
                (g for g in free if (g.s, g.p, g.v) == (c.s, c.p, c.v) and _overlap(c, g)), None
            )
            if g:
                free.remove(g)
                sc.overlap += 1
            else:
                rest.append(c)
        pending = []
        for c in rest:
            g = next((g for g in free if g.p == c.p and g.v == c.v and _overlap(c, g)), None)
            if g:
                free.remove(g)
                sc.overlap += 1
                if g.s != c.s:
                    sc.resolution_errors += 1
                    sc.errors.append(f"{article}: subject {c.s} for gold {g.s} ({c.p} {c.v})")
            else:
                pending.append(c)
        for c in pending:
            g = next(
                (
                    g
                    for g in free
                    if g.p == c.p
                    and c.is_ref
                    and g.is_ref
                    and _kind(g.v) == _kind(c.v)
                    and _overlap(c, g)
                ),
                None,
            )
            if g:
                free.remove(g)
                sc.overlap += 1
                sc.resolution_errors += 1
                sc.errors.append(f"{article}: {c.p} {c.v} for gold {g.v} (subject {c.s})")
    return dict(out)


@dataclass
class ArticleResult:
    id: str
    set: str
    scores: dict[str, SlotScore]
    missed: list[Claim]
    spurious: list[Claim]
    refused: str = ""  # the extractor's refusal, when it proposed nothing for the article


def load_manifest(path: Path) -> list[dict]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CurationError(f"cannot read the manifest: {exc}", source=str(path)) from None
    items = (data or {}).get("articles")
    if not isinstance(items, list) or not items:
        raise CurationError("expected 'articles': a list", source=str(path))
    out = []
    for item in items:
        item = dict(item)
        for k in ("file", "gold"):
            item[k] = (path.parent / item[k]).resolve()
        out.append(item)
    return out


def evaluate_article(item: dict, resolver) -> ArticleResult:
    from .pipeline import propose

    published = item.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    refused = ""
    try:
        proposed = propose(
            item["file"], resolver, article_id=item["id"], published=published,
            require_edition=False,
        )  # fmt: skip
    except CurationError as exc:
        # the extractor refused the article (e.g. no date it can read): it proposed nothing, so
        # every gold fact of it is missed; a refusal must not stop the rest of the set's scoring
        from .source import read_article

        text, pred, refused = read_article(item["file"]).text, [], str(exc)
    else:
        text = proposed.source.text
        pred = _proposal_claims(proposed.proposal, text)
    gold_doc = yaml.safe_load(Path(item["gold"]).read_text(encoding="utf-8"))
    gold = claims_of(gold_doc, text)
    if item.get("genre") == "other":  # only "no conference facts" is asked of it
        gold = [c for c in gold if c.slot != "article"]
        pred = [c for c in pred if c.slot != "article"]
    scores = score(pred, gold, item["id"])
    strict_keys = {(c.s, c.p, c.v) for c in pred}
    gold_keys = {(c.s, c.p, c.v) for c in gold}
    missed = [c for c in gold if (c.s, c.p, c.v) not in strict_keys and c.slot in SCORED]
    spurious = [c for c in pred if (c.s, c.p, c.v) not in gold_keys and c.slot in SCORED]
    return ArticleResult(item["id"], item.get("set", "dev"), scores, missed, spurious, refused)


def _proposal_claims(p: Proposal, text: str) -> list[Claim]:
    doc = {"article": p.article, "facts": [f.facts_entry() for f in p.facts]}
    return claims_of(doc, text, {f.id: (f.start, f.end) for f in p.facts})


def totals(results: list[ArticleResult], which: str | None = None) -> dict[str, SlotScore]:
    out: dict[str, SlotScore] = defaultdict(SlotScore)
    for r in results:
        if which and r.set != which:
            continue
        for slot, sc in r.scores.items():
            out[slot].add(sc)
    return dict(out)


def table(results: list[ArticleResult]) -> str:
    """The evaluation table by slot: dev and held-out, strict and overlap."""
    lines = [
        "| slot | set | gold | proposed | strict P | strict R | strict F1 | overlap P | "
        "overlap R | overlap F1 | resolution errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sets = sorted({r.set for r in results}, key=lambda s: (s != "dev", s))
    for slot in SCORED:
        for which in sets:
            sc = totals(results, which).get(slot)
            if not sc or not (sc.gold or sc.pred):
                continue
            sp, sr, sf = sc.strict_prf()
            op, orr, of = sc.overlap_prf()
            lines.append(
                f"| {slot} | {which} | {sc.gold} | {sc.pred} | {sp:.2f} | {sr:.2f} | "
                f"{sf:.2f} | {op:.2f} | {orr:.2f} | {of:.2f} | {sc.resolution_errors} |"
            )
    return "\n".join(lines)


def check_thresholds(results: list[ArticleResult], thresholds: dict) -> list[str]:
    """Failures: 'heldout official strict recall 0.80 < 0.90'."""
    failures = []
    for which, slots in (thresholds or {}).items():
        tot = totals(results, which)
        for slot, mins in slots.items():
            sc = tot.get(slot, SlotScore())
            p, r, _ = sc.strict_prf()
            for name, got in (("precision", p), ("recall", r)):
                want = mins.get(name)
                if want is not None and got + 1e-9 < want:
                    failures.append(f"{which} {slot} strict {name} {got:.2f} < {want:.2f}")
    return failures
