"""The gazetteer: Vietnam's provincial-level units in time, and the regions grouping them.

Two tables: ``gazetteer/provinces-2019.csv`` (the 63 units of 2019) and
``gazetteer/provinces-2025.csv`` (the 34 units after the 2025 arrangement, each with the 2019
units it was formed from), tied together by the legal acts of ``gazetteer/changes.yaml``. A unit
the acts leave unchanged is one entity across both tables (``id/province/ha-noi``); a unit an act
forms is a new entity, ``id/province/{slug}-2025``, and the units it was formed from end on the
day the act takes effect. So ``id/province/hai-phong`` keeps meaning the Hải Phòng of 2019 (until
2025-06-12) and ``id/province/hai-phong-2025`` is the city formed from it and Hải Dương.

Python API (used by the build and by curation, which must resolve a name *as of* a date)::

    units_on(date(2025, 10, 17))              # the 34 units valid that day
    unit_by_name("Tuyên Quang", on=date(2025, 10, 17)).key   # 'tuyen-quang-2025'
    unit_by_name("Hà Giang", on=date(2025, 10, 17))          # ValueError: ... became Tuyên Quang
    became(unit("hai-duong"), date(2025, 10, 17))            # (Unit hai-phong-2025,)

Every triple cites the sources of the table column or act it comes from (``sources.yaml``,
``changes.yaml``); see ``gazetteer/SOURCES.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL, slugify

from .errors import BuildError
from .facts import read_yaml
from .model import Fact
from .terms import literal_terms
from .vocab import CTKG, DCTERMS, PROV, RDF, RDFS, SCHEMA, SKOS, TIME, XSD

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer"
GRAPH = "gazetteer"
KINDS = {"province": CTKG.Province, "centrally-governed city": CTKG.CentrallyGovernedCity}
# English exonyms SOURCES.md names (and chose not to use as the English label)
EXONYMS = {"Hà Nội": "Hanoi", "Hải Phòng": "Haiphong"}
COLUMNS = (
    "gso_code",
    "name_vi",
    "name_en",
    "kind",
    "iso_3166_2",
    "wikidata_qid",
    "region",
    "northern28",
)
COLUMNS_2025 = ("code", "name_vi", "name_en", "kind", "predecessor_codes")
NEW_SUFFIX = "-2025"  # slug suffix of units formed in 2025


@dataclass(frozen=True)
class Act:
    """A legal act that formed or ended units: when it was adopted, when it took effect."""

    id: str
    identifier: str
    label: dict
    adopted: dt.date
    in_force: dt.date
    sources: tuple[URIRef, ...]
    governments_from: dt.date | None = None

    @property
    def iri(self) -> URIRef:
        return CANONICAL.entity(f"act/{self.id}")


@dataclass(frozen=True)
class Unit:
    """One provincial-level unit, valid from ``valid_from`` (inclusive) to ``valid_until``
    (exclusive; the day the act that ended it took effect). ``None``: no known bound."""

    gso_code: str
    name_vi: str
    name_en: str
    kind: str
    iso: str = ""
    region: str = ""
    northern28: bool = False
    key: str = ""  # the IRI slug: 'hai-phong' (2019), 'hai-phong-2025' (formed in 2025)
    tables: tuple[str, ...] = ("2019",)  # the tables that list it
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    predecessors: tuple[str, ...] = ()  # keys of the units it was formed from
    successors: tuple[str, ...] = ()  # keys of the units it became
    formed_by: str | None = None  # act id
    ended_by: str | None = None  # act id

    @property
    def slug(self) -> str:
        return self.key or slugify(self.name_vi)

    @property
    def iri(self) -> URIRef:
        return CANONICAL.entity(f"province/{self.slug}")

    @property
    def is_city(self) -> bool:
        return self.kind == "centrally-governed city"

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the unit is written under: 'Hải Phòng', 'Thành phố Hải Phòng', 'TP. Hải
        Phòng', 'Hai Phong', 'Haiphong'."""
        prefix = "Thành phố" if self.is_city else "Tỉnh"
        out = [self.name_vi, f"{prefix} {self.name_vi}"]
        if self.is_city:
            out.append(f"TP. {self.name_vi}")
        out.append(self.name_en)
        if self.name_vi in EXONYMS:
            out.append(EXONYMS[self.name_vi])
        return tuple(out)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day < self.valid_until
        )


@dataclass(frozen=True)
class Gazetteer:
    """Every unit of both tables (by key) and the acts between them."""

    units: dict[str, Unit]
    acts: dict[str, Act]
    units_2019: tuple[Unit, ...]
    units_2025: tuple[Unit, ...]
    sources: dict[str, URIRef] = field(default_factory=dict)


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise BuildError(f"cannot read: {exc}", source=str(path)) from None
    for line, row in enumerate(rows, 2):
        if tuple(row) != columns:
            raise BuildError(
                f"line {line}: expected columns {', '.join(columns)}", source=str(path)
            )
        if row["kind"] not in KINDS:
            raise BuildError(f"line {line}: unknown kind {row['kind']!r}", source=str(path))
    return rows


def _units_2019(directory: Path) -> list[Unit]:
    path = directory / "provinces-2019.csv"
    out = [
        Unit(
            row["gso_code"],
            row["name_vi"],
            row["name_en"],
            row["kind"],
            row["iso_3166_2"],
            row["region"],
            row["northern28"] == "yes",
            key=slugify(row["name_vi"]),
        )
        for row in _read_csv(path, COLUMNS)
    ]
    for attr in ("gso_code", "slug", "iso"):
        values = [getattr(u, attr) for u in out]
        if len(set(values)) != len(values):
            raise BuildError(f"duplicate {attr} values", source=str(path))
    return out


def _acts(cfg: dict, sources: dict[str, URIRef], where: str) -> dict[str, Act]:
    acts = {}
    for spec in cfg["acts"]:
        try:
            cited = tuple(sources[k] for k in spec["sources"])
        except KeyError as exc:
            raise BuildError(f"unknown source {exc}", source=where, fact=spec["id"]) from None
        acts[spec["id"]] = Act(
            spec["id"],
            spec["identifier"],
            spec["label"],
            spec["adopted"],
            spec["in_force"],
            cited,
            spec.get("governments_from"),
        )
    return acts


@cache
def gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    """Both tables joined by the acts, checked against what the acts say."""
    where = str(directory / "changes.yaml")
    cfg = read_yaml(directory / "changes.yaml")
    sources = {key: URIRef(spec["url"]) for key, spec in cfg["sources"].items()}
    acts = _acts(cfg, sources, where)
    old = {u.gso_code: u for u in _units_2019(directory)}
    rows = _read_csv(directory / "provinces-2025.csv", COLUMNS_2025)
    path = str(directory / "provinces-2025.csv")
    ended: dict[str, tuple[str, str]] = {}  # 2019 code -> (successor key, act id)
    new: list[Unit] = []
    continuing: list[Unit] = []
    for line, row in enumerate(rows, 2):
        codes = row["predecessor_codes"].split(";")
        if unknown := [c for c in codes if c not in old]:
            raise BuildError(f"line {line}: unknown 2019 codes {unknown}", source=path)
        first = old[codes[0]]
        same = (first.name_vi, first.kind) == (row["name_vi"], row["kind"])
        if len(codes) == 1 and same and row["code"] not in cfg["renamed"]:
            continuing.append(first)
            continue
        if len(codes) == 1 and row["code"] not in cfg["renamed"]:
            raise BuildError(
                f"line {line}: {row['name_vi']} is {first.name_vi} under another name or kind; "
                "name the act in changes.yaml 'renamed'",
                source=path,
            )
        act = acts[cfg["renamed"].get(row["code"], cfg["default_act"])]
        key = slugify(row["name_vi"]) + NEW_SUFFIX
        for c in codes:
            if c in ended:
                raise BuildError(f"line {line}: 2019 unit {c} already ended", source=path)
            ended[c] = (key, act.id)
        new.append(
            Unit(
                row["code"],
                row["name_vi"],
                row["name_en"],
                row["kind"],
                key=key,
                tables=("2025",),
                valid_from=act.in_force,
                predecessors=tuple(old[c].key for c in codes),
                formed_by=act.id,
            )
        )
    if missing := sorted(set(old) - set(ended) - {u.gso_code for u in continuing}):
        raise BuildError(f"2019 units in no 2025 unit: {missing}", source=path)
    _check_against_act(acts[cfg["default_act"]], cfg, continuing, new, where)

    by_key: dict[str, Unit] = {}
    for code, u in old.items():
        if code in ended:
            succ, act_id = ended[code]
            u = replace(u, valid_until=acts[act_id].in_force, successors=(succ,), ended_by=act_id)
        else:
            u = replace(u, tables=("2019", "2025"))
        by_key[u.key] = u
    for u in new:
        if u.key in by_key:
            raise BuildError(f"duplicate unit key {u.key}", source=path)
        by_key[u.key] = u
    units_2019 = tuple(by_key[u.key] for u in old.values())
    units_2025 = tuple(by_key[u.key] for u in (*continuing, *new))
    return Gazetteer(by_key, acts, units_2019, units_2025, sources)


def _check_against_act(act: Act, cfg: dict, continuing, new, where: str) -> None:
    """The 2025 table must say what the act says: its unarranged units, units formed, total."""
    spec = next(a for a in cfg["acts"] if a["id"] == act.id)
    formed = [u for u in new if u.formed_by == act.id]
    kept = {u.name_vi for u in continuing} | {u.name_vi for u in new if u.formed_by != act.id}
    problems = []
    if kept != set(spec["not_arranged"]):
        problems.append(f"unarranged units {sorted(kept)} != the act's {spec['not_arranged']}")
    if len(formed) != spec["units_formed"]:
        problems.append(f"{len(formed)} units formed, the act says {spec['units_formed']}")
    if len(continuing) + len(new) != spec["units_after"]:
        problems.append(f"{len(continuing) + len(new)} units, the act says {spec['units_after']}")
    if problems:
        raise BuildError("; ".join(problems), source=where, fact=act.id)


# --- The Python API ------------------------------------------------------------------------


def units(directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    """The 63 units of the 2019 table (with their validity)."""
    return gazetteer(directory).units_2019


def units_2025(directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    """The 34 units of the 2025 table: 10 unchanged 2019 units and 24 formed in 2025."""
    return gazetteer(directory).units_2025


def all_units(directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    """Every unit of either table, once (87)."""
    return tuple(gazetteer(directory).units.values())


def unit(key: str, directory: Path = GAZETTEER_DIR) -> Unit:
    """The unit whose IRI slug is ``key`` ('hai-phong', 'hai-phong-2025'), or KeyError."""
    return gazetteer(directory).units[key]


def units_on(day: dt.date, directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    """The units valid on ``day``."""
    return tuple(u for u in all_units(directory) if u.valid_on(day))


def _name_key(name: str) -> str:
    name = name.strip()
    for prefix in ("tỉnh ", "thành phố ", "Tỉnh ", "Thành phố ", "TP. ", "TP "):
        name = name.removeprefix(prefix)
    return slugify(name)


def unit_by_name(name: str, on: dt.date | None = None, directory: Path = GAZETTEER_DIR) -> Unit:
    """The unit called ``name`` ('Hải Phòng', 'tỉnh Thái Nguyên', 'TP. Hải Phòng', 'Hai Phong')
    valid on ``on``; without a date, the unit of the 2019 table. A name no unit valid that day
    bears raises ValueError saying when the unit of that name existed and what it became."""
    key = _name_key(name)
    candidates = [u for u in all_units(directory) if key in {_name_key(n) for n in u.names}]
    if on is None:
        found = [u for u in candidates if "2019" in u.tables]
        if found:
            return found[0]
        raise ValueError(
            f"unknown province {name!r} (not among the 63 units of the 2019 gazetteer)"
        )
    found = [u for u in candidates if u.valid_on(on)]
    if found:
        return found[0]
    if not candidates:
        raise ValueError(f"unknown province {name!r} (in no table of the gazetteer)")
    notes = []
    for u in candidates:
        span = f"{u.valid_from or '…'} – {u.valid_until or '…'}"
        now = ", ".join(f"{b.name_vi} ({b.iri})" for b in became(u, on, directory))
        notes.append(f"{u.name_vi} ({u.iri}) existed {span}" + (f"; became {now}" if now else ""))
    raise ValueError(f"no unit called {name!r} on {on.isoformat()}: " + "; ".join(notes))


def successors(u: Unit, directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    return tuple(unit(k, directory) for k in u.successors)


def predecessors(u: Unit, directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    return tuple(unit(k, directory) for k in u.predecessors)


def became(u: Unit, on: dt.date, directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    """The units valid on ``on`` that ``u`` is, or became (following successors); empty when
    ``on`` is before ``u`` began."""
    if u.valid_on(on):
        return (u,)
    if u.valid_from is not None and on < u.valid_from:
        return ()
    out: list[Unit] = []
    for s in successors(u, directory):
        out += [x for x in became(s, on, directory) if x not in out]
    return tuple(out)


def province_iris(directory: Path = GAZETTEER_DIR) -> set[URIRef]:
    """The IRIs of every unit of either table (what fact files may reference)."""
    return {u.iri for u in all_units(directory)}


# --- RDF -----------------------------------------------------------------------------------


def gazetteer_facts(directory: Path = GAZETTEER_DIR) -> tuple[list[Fact], list[tuple]]:
    """The gazetteer's facts and the description of its sources (for the metadata graph)."""
    cfg = read_yaml(directory / "sources.yaml")
    regions_cfg = read_yaml(directory / "regions.yaml")
    changes_cfg = read_yaml(directory / "changes.yaml")
    gaz = gazetteer(directory)
    sources = {key: URIRef(spec["url"]) for key, spec in cfg["sources"].items()}
    dataset = CANONICAL.entity(f"source/{cfg['dataset']['id']}")
    dataset_2025 = CANONICAL.entity("source/provinces-2025")
    table_2025 = [dataset_2025, gaz.sources["vietnamadminunits"]]

    def cited(column: str) -> list[URIRef]:
        return [dataset, *(sources[k] for k in cfg["columns"][column])]

    facts: list[Fact] = []
    country = CANONICAL.entity(f"country/{regions_cfg['country']['id']}")
    fact = Fact("country", GRAPH, sources=cited("name_vi"))
    fact.triples.append((country, RDF.type, CTKG.Country))
    fact.triples += [
        (country, RDFS.label, lit)
        for lit in literal_terms(regions_cfg["country"]["label"], RDF.langString)
    ]
    facts.append(fact)

    for u in gaz.units_2019:
        facts += _unit_facts(u, country, cited("name_vi"), cited("iso_3166_2"))
    for u in gaz.units_2025:
        if "2019" not in u.tables:
            facts += _unit_facts(u, country, table_2025, [])
    facts += _instant_facts(gaz)
    facts += _change_facts(gaz, table_2025)
    facts += _region_facts(regions_cfg["regions"], cited, sources, dataset, directory)
    facts += _region_succession(gaz, cited("northern28"), table_2025, directory)
    meta = _source_descriptions(cfg, sources, dataset)
    meta += _dataset_2025(changes_cfg, gaz, dataset_2025)
    return facts, meta


def _unit_facts(u: Unit, country: URIRef, name_sources, iso_sources) -> list[Fact]:
    p = u.iri
    names = Fact(f"{u.slug}/names", GRAPH, sources=list(name_sources))
    prefix = "Thành phố" if u.is_city else "Tỉnh"
    names.triples += [
        (p, RDF.type, KINDS[u.kind]),
        (p, RDFS.label, Literal(u.name_vi, lang="vi")),
        (p, RDFS.label, Literal(u.name_en, lang="en")),
        (p, SKOS.altLabel, Literal(f"{prefix} {u.name_vi}", lang="vi")),
        (p, CTKG.gsoCode, Literal(u.gso_code)),
        (p, CTKG.country, country),
    ]
    if u.is_city:
        names.triples.append((p, SKOS.altLabel, Literal(f"TP. {u.name_vi}", lang="vi")))
    if u.name_vi in EXONYMS:
        names.triples.append((p, SKOS.altLabel, Literal(EXONYMS[u.name_vi], lang="en")))
    facts = [names]
    if u.iso:
        iso = Fact(f"{u.slug}/iso", GRAPH, sources=list(iso_sources))
        iso.triples.append((p, CTKG.iso3166Code, Literal(u.iso)))
        facts.append(iso)
    return facts


def instant(day: dt.date) -> tuple[URIRef, list[tuple]]:
    """The OWL-Time instant of a day (``id/instant/2025-06-12``) and its triples."""
    i = CANONICAL.entity(f"instant/{day.isoformat()}")
    return i, [
        (i, RDF.type, TIME.Instant),
        (i, TIME.inXSDDate, Literal(day.isoformat(), datatype=XSD.date)),
    ]


def validity(entity: URIRef, begin: dt.date | None, end: dt.date | None) -> list[tuple]:
    """``entity ctkg:validDuring entity/validity``: an interval from ``begin`` (the first day)
    to ``end`` (the first day it no longer holds); an unknown bound is left out. The instants
    themselves are stated once, by ``_instant_facts``."""
    v = URIRef(f"{entity}/validity")
    out = [(entity, CTKG.validDuring, v), (v, RDF.type, TIME.ProperInterval)]
    for day, prop in ((begin, TIME.hasBeginning), (end, TIME.hasEnd)):
        if day is not None:
            out.append((v, prop, instant(day)[0]))
    return out


def _instant_facts(gaz: Gazetteer) -> list[Fact]:
    """One fact per day an act takes effect (or starts the new local governments)."""
    days: dict[dt.date, list[URIRef]] = {}
    for act in gaz.acts.values():
        for day in filter(None, (act.in_force, act.governments_from)):
            days.setdefault(day, [])
            days[day] += [s for s in act.sources if s not in days[day]]
    return [
        Fact(f"instant/{day.isoformat()}", GRAPH, triples=instant(day)[1], sources=sources)
        for day, sources in sorted(days.items())
    ]


def _change_facts(gaz: Gazetteer, table_sources: list[URIRef]) -> list[Fact]:
    """Each act, and one TerritorialChange per unit it formed: which units, which act, when."""
    facts = []
    for act in gaz.acts.values():
        f = Fact(f"act/{act.id}", GRAPH, sources=list(act.sources))
        f.triples += [
            (act.iri, RDF.type, CTKG.LegalAct),
            *((act.iri, RDFS.label, lit) for lit in literal_terms(act.label, RDF.langString)),
            (act.iri, SCHEMA.legislationIdentifier, Literal(act.identifier)),
            (act.iri, SCHEMA.legislationDate, Literal(act.adopted.isoformat(), datatype=XSD.date)),
        ]
        facts.append(f)
    for u in gaz.units.values():
        if not u.formed_by:
            continue
        act = gaz.acts[u.formed_by]
        olds = [gaz.units[k] for k in u.predecessors]
        change = CANONICAL.entity(f"activity/territorial-change/{u.slug}")
        f = Fact(f"change/{u.slug}", GRAPH, sources=[*table_sources, *act.sources])
        at = instant(act.in_force)[0]
        old_vi = " và ".join(f"{'thành phố' if o.is_city else 'tỉnh'} {o.name_vi}" for o in olds)
        old_en = " and ".join(o.name_en for o in olds)
        new_vi = f"{'thành phố' if u.is_city else 'tỉnh'} {u.name_vi}"
        verb_en = "Merger of" if len(olds) > 1 else "Change of"
        f.triples += [
            (change, RDF.type, CTKG.TerritorialChange),
            (
                change,
                RDFS.label,
                Literal(f"Sắp xếp {old_vi} thành {new_vi} ({act.identifier})", lang="vi"),
            ),
            (
                change,
                RDFS.label,
                Literal(f"{verb_en} {old_en} into {u.name_en} ({act.identifier})", lang="en"),
            ),
            (change, CTKG.resultingUnit, u.iri),
            (change, CTKG.legalBasis, act.iri),
            (change, CTKG.effectiveAt, at),
            *validity(u.iri, act.in_force, None),
        ]
        for o in olds:
            f.triples += [
                (change, CTKG.originalUnit, o.iri),
                (u.iri, DCTERMS.replaces, o.iri),
                (o.iri, DCTERMS.isReplacedBy, u.iri),
                *validity(o.iri, None, act.in_force),
            ]
        f.triples = list(dict.fromkeys(f.triples))
        facts.append(f)
    return facts


def _region_facts(
    regions: list[dict], cited, sources: dict, dataset: URIRef, directory: Path
) -> list[Fact]:
    facts = []
    all_units = units(directory)
    for spec in regions:
        r = CANONICAL.entity(f"region/{spec['id']}")
        if "csv" in spec:
            members = [u for u in all_units if u.region == spec["csv"]]
            src = cited("region")
        elif spec.get("northern28"):
            members = [u for u in all_units if u.northern28]
            src = cited("northern28")
        else:
            try:
                members = [unit_by_name(n, directory=directory) for n in spec["members"]]
            except ValueError as exc:
                raise BuildError(
                    str(exc), source="gazetteer/regions.yaml", fact=spec["id"]
                ) from None
            src = [dataset, *(sources[k] for k in spec["sources"])]
        if not members:
            raise BuildError(
                "region has no member provinces", source="gazetteer/regions.yaml", fact=spec["id"]
            )
        fact = Fact(f"region/{spec['id']}", GRAPH, sources=src)
        fact.triples.append((r, RDF.type, CTKG.Region))
        fact.triples += [
            (r, RDFS.label, lit) for lit in literal_terms(spec["label"], RDF.langString)
        ]
        if "altLabel" in spec:
            fact.triples += [
                (r, SKOS.altLabel, lit) for lit in literal_terms(spec["altLabel"], RDF.langString)
            ]
        if "subRegionOf" in spec:
            fact.triples.append(
                (r, CTKG.subRegionOf, CANONICAL.entity(f"region/{spec['subRegionOf']}"))
            )
        fact.triples += [(r, CTKG.memberProvince, u.iri) for u in members]
        facts.append(fact)
    return facts


NORTHERN_2025 = {
    "vi": "Các đơn vị hành chính cấp tỉnh hình thành từ 28 tỉnh, thành phố khu vực phía Bắc",
    "en": "The provincial-level units formed from the 28 northern provinces and cities",
}


def _region_succession(
    gaz: Gazetteer, northern_sources, table_sources, directory: Path
) -> list[Fact]:
    """The northern-28 grouping ends when its units do; what covers its territory afterwards
    is the set of units its members became (the 2025 table's mapping), not 28 units."""
    members = [u for u in gaz.units_2019 if u.northern28]
    ends = {u.valid_until for u in members if u.valid_until}
    if len(ends) != 1:
        return []
    end = ends.pop()
    act = gaz.acts[next(u.ended_by for u in members if u.ended_by)]
    after = []
    for u in members:
        after += [x for x in became(u, end, directory) if x not in after]
    old = CANONICAL.entity("region/northern-28")
    new = CANONICAL.entity("region/northern-28-successors-2025")
    f = Fact(
        "region-time/northern-28", GRAPH, sources=[*northern_sources, *table_sources, *act.sources]
    )
    f.triples += [
        *validity(old, None, end),
        (old, DCTERMS.isReplacedBy, new),
        (new, DCTERMS.replaces, old),
        (new, RDF.type, CTKG.Region),
        *((new, RDFS.label, Literal(v, lang=k)) for k, v in NORTHERN_2025.items()),
        *validity(new, end, None),
        *((new, CTKG.memberProvince, u.iri) for u in after),
    ]
    f.triples = list(dict.fromkeys(f.triples))
    return [f]


def _source_descriptions(cfg: dict, sources: dict[str, URIRef], dataset: URIRef) -> list[tuple]:
    """Triples describing the CSV and the pages behind it (provenance metadata, not facts)."""
    out: list[tuple] = [(dataset, RDF.type, CTKG.SourceDataset)]
    out += [
        (dataset, RDFS.label, lit) for lit in literal_terms(cfg["dataset"]["label"], RDF.langString)
    ]
    out.append((dataset, CTKG.articleFile, Literal(f"gazetteer/{cfg['dataset']['file']}")))
    for key, iri in sources.items():
        spec = cfg["sources"][key]
        out.append((dataset, PROV.wasDerivedFrom, iri))
        out += web_source(iri, spec["label"])
    return out


def _dataset_2025(cfg: dict, gaz: Gazetteer, dataset: URIRef) -> list[tuple]:
    out: list[tuple] = [
        (dataset, RDF.type, CTKG.SourceDataset),
        (
            dataset,
            RDFS.label,
            Literal("Danh mục 34 đơn vị hành chính cấp tỉnh năm 2025", lang="vi"),
        ),
        (dataset, RDFS.label, Literal("Vietnam's 34 provincial-level units as of 2025", lang="en")),
        (dataset, CTKG.articleFile, Literal("gazetteer/provinces-2025.csv")),
    ]
    for key, iri in gaz.sources.items():
        out.append((dataset, PROV.wasDerivedFrom, iri))
        out += web_source(iri, cfg["sources"][key]["label"])
    return out


def web_source(iri: URIRef, label: dict | None = None) -> list[tuple]:
    """A cited web page: its IRI is its URL."""
    out = [
        (iri, RDF.type, CTKG.WebSource),
        (iri, SCHEMA.url, Literal(str(iri), datatype=XSD.anyURI)),
    ]
    if label:
        out += [(iri, RDFS.label, lit) for lit in literal_terms(label, RDF.langString)]
    return out
