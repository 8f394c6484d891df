"""Facts about time that the build derives from the other facts, each citing what it rests on.

- **Bodies in time.** A provincial People's Committee (UBND) or Department (Sở) is the body of
  its unit's local government: it begins and ends when that government does. The act that
  formed or ended the unit says when (NQ 202/2025/QH15: the local governments of the new units
  operate from 2025-07-01 and the old ones continue until then; NQ 175/2024/QH15: from the day
  it took effect). A body links to the change that formed it (``org:resultedFrom``) or changed it
  (``org:changedBy``). In the gazetteer graph, citing the act's sources.
- **Sở under their UBND.** Every Sở the graph names is ``org:unitOf`` the People's Committee of
  its unit (Thông tư 37/2025/TT-BCT: the industry-and-trade department is a specialised agency of
  the provincial People's Committee); a People's Committee no other source names is added.
- **Memberships by day.** A membership attested at an edition held on day D holds on D:
  ``org:memberDuring`` a one-day interval, in the graph and with the sources of the attestation.
- **Status as of a date.** Each ``ctkg:editionStatus`` a source states becomes a
  ``ctkg:StatusAssertion`` with ``ctkg:asOf``: a held edition is held as of its start date; an
  edition designated at a hand-over is designated as of the day of the edition where the
  hand-over took place. In the graph and with the sources of the status statement.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL

from . import gazetteer as gz
from .model import Fact
from .vocab import CTKG, ORG, RDF, RDFS, TIME, XSD

GAZETTEER_GRAPH = gz.GRAPH
BODY_TYPES = (CTKG.ProvincialPeoplesCommittee, CTKG.DepartmentOfIndustryAndTrade)
# Thông tư 37/2025/TT-BCT (2025-06-14): guidance on the industry-and-trade agencies "thuộc Ủy ban
# nhân dân tỉnh, thành phố trực thuộc Trung ương" — the one offline legal source found for the link
TT_37_2025 = URIRef(
    "https://thuviennhadat.vn/van-ban-phap-luat-viet-nam/"
    "thong-tu-37-2025-tt-bct-quyen-han-co-quan-chuyen-mon-cong-thuong-uy-ban-nhan-dan-tinh-660830.html"
)
TT_37_2025_LABEL = {
    "vi": "Thông tư 37/2025/TT-BCT: cơ quan chuyên môn về công thương thuộc UBND tỉnh",
    "en": "Circular 37/2025/TT-BCT: industry-and-trade agencies of provincial People's Committees",
}


@dataclass
class _Index:
    """Which fact states (s, p, o), for deriving facts that cite the same sources."""

    by_sp: dict

    @classmethod
    def of(cls, facts: list[Fact]) -> _Index:
        by_sp: dict = defaultdict(list)
        for f in facts:
            for s, p, o in f.triples:
                by_sp[(s, p)].append((o, f))
        return cls(by_sp)

    def values(self, s, p) -> list:
        return [o for o, _ in self.by_sp.get((s, p), ())]

    def first(self, s, p):
        found = self.by_sp.get((s, p))
        return found[0] if found else (None, None)

    def subjects(self, p, o) -> list:
        return sorted(
            {s for (s, q), pairs in self.by_sp.items() if q == p for v, _ in pairs if v == o}
        )


def derived_facts(
    facts: list[Fact], directory: Path = gz.GAZETTEER_DIR
) -> tuple[list[Fact], list[tuple]]:
    """The derived facts, and descriptions of the web sources they cite (for the meta graph)."""
    index = _Index.of(facts)
    out = bodies_in_time(index, directory)
    out += memberships_by_day(index)
    out += status_as_of(index)
    meta = gz.web_source(TT_37_2025, TT_37_2025_LABEL)
    return out, meta


def _date(lit) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(lit))
    except (TypeError, ValueError):
        return None


# --- bodies ---------------------------------------------------------------------------------


def _unit_of_iri(iri, directory: Path) -> gz.Unit | None:
    prefix = CANONICAL.id + "province/"
    if isinstance(iri, URIRef) and iri.startswith(prefix):
        try:
            return gz.unit(iri.removeprefix(prefix), directory)
        except KeyError:
            return None
    return None


def _government_bounds(u: gz.Unit, directory: Path) -> tuple:
    """When the unit's local government begins and ends, and the acts that say so."""
    g = gz.gazetteer(directory)
    begin = end = None
    begin_act = end_act = None
    if u.formed_by:
        begin_act = g.acts[u.formed_by]
        begin = begin_act.governments_from or begin_act.in_force
    if u.ended_by:
        end_act = g.acts[u.ended_by]
        end = end_act.governments_from or end_act.in_force
    return begin, end, begin_act, end_act


def _change_iri(u: gz.Unit) -> URIRef:
    return CANONICAL.entity(f"activity/territorial-change/{u.slug}")


def bodies_in_time(index: _Index, directory: Path = gz.GAZETTEER_DIR) -> list[Fact]:
    bodies = {}  # body IRI -> (type, unit)
    for cls in BODY_TYPES:
        for body in index.subjects(RDF.type, cls):
            u = _unit_of_iri(index.first(body, CTKG.jurisdiction)[0], directory)
            if u is not None:
                bodies[body] = (cls, u)
    out: list[Fact] = []
    for body, (cls, u) in sorted(bodies.items()):
        if cls != CTKG.DepartmentOfIndustryAndTrade:
            continue
        committee = CANONICAL.entity(f"organization/ubnd-{u.slug}")
        f = Fact(f"unit-of/{body.rsplit('/', 1)[1]}", GAZETTEER_GRAPH, sources=[TT_37_2025])
        f.confidence = CTKG.medium
        f.triples.append((body, ORG.unitOf, committee))
        if committee not in bodies:
            bodies[committee] = (CTKG.ProvincialPeoplesCommittee, u)
            kind = "thành phố" if u.is_city else "tỉnh"
            en = "City" if u.is_city else "Provincial"
            f.triples += [
                (committee, RDF.type, CTKG.ProvincialPeoplesCommittee),
                (committee, RDFS.label, Literal(f"UBND {kind} {u.name_vi}", lang="vi")),
                (committee, RDFS.label, Literal(f"{u.name_en} {en} People's Committee", lang="en")),
                (committee, CTKG.jurisdiction, u.iri),
            ]
        out.append(f)
    for body, (_cls, u) in sorted(bodies.items()):
        begin, end, begin_act, end_act = _government_bounds(u, directory)
        if begin is None and end is None:
            continue
        acts = [a for a in (begin_act, end_act) if a is not None]
        f = Fact(
            f"body-time/{body.rsplit('/', 1)[1]}",
            GAZETTEER_GRAPH,
            sources=[a.iri for a in acts] + [s for a in acts for s in a.sources],
        )
        f.triples += gz.validity(body, begin, end)
        if begin_act is not None:
            f.triples.append((body, ORG.resultedFrom, _change_iri(u)))
        if end_act is not None:
            for succ in gz.successors(u, directory):
                f.triples.append((body, ORG.changedBy, _change_iri(succ)))
        out.append(f)
    return out


# --- memberships ------------------------------------------------------------------------------


def day_interval(day: dt.date) -> tuple[URIRef, list[tuple]]:
    """``id/period/{day}``: the interval of one day (begins and ends on that day, as the
    reference periods' inclusive bounds do)."""
    p = CANONICAL.entity(f"period/{day.isoformat()}")
    i, triples = gz.instant(day)
    return p, [
        (p, RDF.type, TIME.Interval),
        (p, TIME.hasBeginning, i),
        (p, TIME.hasEnd, i),
        *triples,
    ]


def memberships_by_day(index: _Index) -> list[Fact]:
    out = []
    for membership in index.subjects(RDF.type, CTKG.Membership):
        for edition, fact in index.by_sp.get((membership, CTKG.attestedAt), ()):
            day = _date(index.first(edition, CTKG.startDate)[0])
            if day is None:
                continue
            period, triples = day_interval(day)
            out.append(
                Fact(
                    f"{fact.id}/member-during/{day.isoformat()}",
                    fact.graph,
                    triples=[(membership, ORG.memberDuring, period), *triples],
                    sources=list(fact.sources),
                    evidence=fact.evidence,
                    evidence_iri=fact.evidence_iri,
                    confidence=fact.confidence,
                )
            )
    return out


# --- status -----------------------------------------------------------------------------------


def _status_day(index: _Index, edition, status) -> dt.date | None:
    if status == CTKG.held:
        return _date(index.first(edition, CTKG.startDate)[0])
    if status == CTKG.designated:
        for handover in index.subjects(CTKG.handoverOf, edition):
            for at in index.subjects(CTKG.handover, handover):
                if day := _date(index.first(at, CTKG.startDate)[0]):
                    return day
    return None


def status_as_of(index: _Index) -> list[Fact]:
    out = []
    for (edition, p), pairs in sorted(index.by_sp.items()):
        if p != CTKG.editionStatus:
            continue
        for status, fact in pairs:
            name = str(status).rsplit("#", 1)[1]
            a = URIRef(f"{edition}/status/{name}")
            triples = [
                (edition, CTKG.statusAssertion, a),
                (a, RDF.type, CTKG.StatusAssertion),
                (a, CTKG.status, status),
            ]
            if day := _status_day(index, edition, status):
                triples.append((a, CTKG.asOf, Literal(day.isoformat(), datatype=XSD.date)))
            out.append(
                Fact(
                    f"{fact.id}/status/{name}",
                    fact.graph,
                    triples=triples,
                    sources=list(fact.sources),
                    evidence=fact.evidence,
                    evidence_iri=fact.evidence_iri,
                    confidence=fact.confidence,
                )
            )
    return out
