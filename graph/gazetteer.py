"""The gazetteer: Vietnam's 63 provincial-level units of 2019 and the regions grouping them.

Read from ``gazetteer/provinces-2019.csv`` (copied from the project's shared data with its
sources, see ``gazetteer/SOURCES.md``); every triple cites the sources of the CSV column it was
read from (``gazetteer/sources.yaml``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL, slugify

from .errors import BuildError
from .facts import read_yaml
from .model import Fact
from .terms import literal_terms
from .vocab import CTKG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

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


@dataclass(frozen=True)
class Unit:
    """One provincial-level unit as the CSV gives it."""

    gso_code: str
    name_vi: str
    name_en: str
    kind: str
    iso: str
    region: str
    northern28: bool

    @property
    def slug(self) -> str:
        return slugify(self.name_vi)

    @property
    def iri(self) -> URIRef:
        return CANONICAL.entity(f"province/{self.slug}")


@cache
def units(directory: Path = GAZETTEER_DIR) -> tuple[Unit, ...]:
    """The 63 units, checked: known kinds, unique codes and slugs."""
    path = directory / "provinces-2019.csv"
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise BuildError(f"cannot read: {exc}", source=str(path)) from None
    out = []
    for line, row in enumerate(rows, 2):
        if tuple(row) != COLUMNS:
            raise BuildError(
                f"line {line}: expected columns {', '.join(COLUMNS)}", source=str(path)
            )
        if row["kind"] not in KINDS:
            raise BuildError(f"line {line}: unknown kind {row['kind']!r}", source=str(path))
        out.append(
            Unit(
                row["gso_code"],
                row["name_vi"],
                row["name_en"],
                row["kind"],
                row["iso_3166_2"],
                row["region"],
                row["northern28"] == "yes",
            )
        )
    for attr in ("gso_code", "slug", "iso"):
        values = [getattr(u, attr) for u in out]
        if len(set(values)) != len(values):
            raise BuildError(f"duplicate {attr} values", source=str(path))
    return tuple(out)


def unit_by_name(name: str) -> Unit:
    """The unit called ``name`` (Vietnamese, with or without 'tỉnh'/'thành phố'), or an error."""
    key = slugify(
        name.removeprefix("tỉnh ")
        .removeprefix("thành phố ")
        .removeprefix("Tỉnh ")
        .removeprefix("Thành phố ")
    )
    for unit in units():
        if unit.slug == key:
            return unit
    raise ValueError(f"unknown province {name!r} (not among the 63 units of the 2019 gazetteer)")


def province_iris() -> set[URIRef]:
    return {u.iri for u in units()}


def gazetteer_facts(directory: Path = GAZETTEER_DIR) -> tuple[list[Fact], list[tuple]]:
    """The gazetteer's facts and the description of its sources (for the metadata graph)."""
    cfg = read_yaml(directory / "sources.yaml")
    regions_cfg = read_yaml(directory / "regions.yaml")
    sources = {key: URIRef(spec["url"]) for key, spec in cfg["sources"].items()}
    dataset = CANONICAL.entity(f"source/{cfg['dataset']['id']}")

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

    for unit in units(directory):
        facts += _unit_facts(unit, country, cited)
    facts += _region_facts(regions_cfg["regions"], cited, sources, dataset)
    return facts, _source_descriptions(cfg, sources, dataset)


def _unit_facts(unit: Unit, country: URIRef, cited) -> list[Fact]:
    p = unit.iri
    names = Fact(f"{unit.slug}/names", GRAPH, sources=cited("name_vi"))
    prefix = "Thành phố" if unit.kind == "centrally-governed city" else "Tỉnh"
    names.triples += [
        (p, RDF.type, KINDS[unit.kind]),
        (p, RDFS.label, Literal(unit.name_vi, lang="vi")),
        (p, RDFS.label, Literal(unit.name_en, lang="en")),
        (p, SKOS.altLabel, Literal(f"{prefix} {unit.name_vi}", lang="vi")),
        (p, CTKG.gsoCode, Literal(unit.gso_code)),
        (p, CTKG.country, country),
    ]
    if unit.kind == "centrally-governed city":
        names.triples.append((p, SKOS.altLabel, Literal(f"TP. {unit.name_vi}", lang="vi")))
    if unit.name_vi in EXONYMS:
        names.triples.append((p, SKOS.altLabel, Literal(EXONYMS[unit.name_vi], lang="en")))
    iso = Fact(f"{unit.slug}/iso", GRAPH, sources=cited("iso_3166_2"))
    iso.triples.append((p, CTKG.iso3166Code, Literal(unit.iso)))
    facts = [names, iso]
    return facts


def _region_facts(regions: list[dict], cited, sources: dict, dataset: URIRef) -> list[Fact]:
    facts = []
    all_units = units()
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
                members = [unit_by_name(n) for n in spec["members"]]
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


def web_source(iri: URIRef, label: dict | None = None) -> list[tuple]:
    """A cited web page: its IRI is its URL."""
    out = [
        (iri, RDF.type, CTKG.WebSource),
        (iri, SCHEMA.url, Literal(str(iri), datatype=XSD.anyURI)),
    ]
    if label:
        out += [(iri, RDFS.label, lit) for lit in literal_terms(label, RDF.langString)]
    return out
