"""The conference series edition by edition, from ``sources/series-editions.csv``.

Each row is what public news pages say of one edition; its triples are cited to those pages
(``prov:wasDerivedFrom`` their URLs, or the seed article) with the row's confidence. Only what a
row states is stated: a designated edition gets its host, never a date or a place; an official
is said to have directed the edition only when ``official_part`` says so (an opening speaker is
a speaker); the note is cited to ``note_sources`` when they are given (e.g. a preparation
article written before the event supports the planned venue, not the holding).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from ctkg.iris import CANONICAL, slugify

from .errors import BuildError
from .gazetteer import unit_by_name, web_source
from .model import Fact
from .terms import typed_literal
from .vocab import CTKG, ORG, RDF, RDFS, SKOS, XSD

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
CSV_FILE = "series-editions.csv"
TITLES_FILE = "series-titles.csv"  # an edition's own title where its source gives one
GRAPH = "source/series-editions"
SERIES = CANONICAL.entity("series/hoi-nghi-cong-thuong-phia-bac")
SERIES_LABEL = {
    "vi": "Hội nghị ngành Công Thương 28 tỉnh, thành phố khu vực phía Bắc",
    "en": "Industry and Trade Conference of the 28 Northern Provinces and Cities",
}
COLUMNS = (
    "edition",
    "year",
    "date",
    "host_province",
    "organisers",
    "directing_official",
    "official_post",
    "official_part",
    "status",
    "confidence",
    "sources",
    "note_sources",
    "note",
)
OFFICIAL_PARTS = ("directed", "opening speech")
STATUS = {"held": CTKG.held, "designated": CTKG.designated}
CONFIDENCE = {"high": CTKG.high, "medium": CTKG.medium}
ROLES = {  # title as written -> (slug, English)
    "Thứ trưởng": ("thu-truong", "Deputy Minister"),
    "Bộ trưởng": ("bo-truong", "Minister"),
    "Phó Chủ tịch": ("pho-chu-tich", "Vice Chairperson"),
}
MINISTRY_UNITS = {  # Vietnamese name -> English name
    "Cục Công nghiệp địa phương": "Agency for Local Industry",
    "Cục Công Thương địa phương": "Agency for Regional Industry and Trade",
}
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]
ORDINAL_EN = {1: "1st", 2: "2nd", 3: "3rd"}


def edition_iri(year: str) -> URIRef:
    return CANONICAL.entity(f"edition/hoi-nghi-cong-thuong-phia-bac/{year}")


@dataclass(frozen=True)
class Organisation:
    """An organisation as a row names it: IRI, slug, English name and describing triples."""

    iri: URIRef
    slug: str
    name_en: str
    triples: tuple


def organization(name: str, on: dt.date | None = None) -> Organisation:
    """Recognise an organisation from how the sources write its name, or raise ValueError.

    A People's Committee or Department is the body of the unit of that name valid ``on`` that
    day (no day: the 2019 table): "UBND tỉnh Tuyên Quang" in 2025 is the body of the unit
    formed in 2025, ``organization/ubnd-tuyen-quang-2025``."""
    name = name.strip()
    if name == "Bộ Công Thương":
        return _org("bo-cong-thuong", CTKG.Ministry, name, "Ministry of Industry and Trade")
    if m := re.fullmatch(r"(Cục .+) \(Bộ Công Thương\)", name):
        unit_name = m.group(1)
        if unit_name not in MINISTRY_UNITS:
            raise ValueError(f"unknown ministry unit {unit_name!r}: add its English name")
        parent = organization("Bộ Công Thương")
        return _org(
            slugify(unit_name),
            CTKG.MinistryUnit,
            unit_name,
            MINISTRY_UNITS[unit_name],
            (CTKG.subOrganizationOf, parent.iri),
            parent.triples,
        )
    if m := re.fullmatch(r"UBND (tỉnh|thành phố) (.+)", name):
        unit = unit_by_name(m.group(2), on=on)
        kind = "City" if m.group(1) == "thành phố" else "Provincial"
        return _org(
            f"ubnd-{unit.slug}",
            CTKG.ProvincialPeoplesCommittee,
            name,
            f"{unit.name_en} {kind} People's Committee",
            (CTKG.jurisdiction, unit.iri),
        )
    if m := re.fullmatch(r"Sở Công Thương (?:tỉnh |thành phố )?(.+)", name):
        unit = unit_by_name(m.group(1), on=on)
        return _org(
            f"so-cong-thuong-{unit.slug}",
            CTKG.DepartmentOfIndustryAndTrade,
            name,
            f"{unit.name_en} Department of Industry and Trade",
            (CTKG.jurisdiction, unit.iri),
        )
    raise ValueError(f"organisation name not understood: {name!r}")


def _org(slug, cls, name_vi, name_en, link=None, extra=()) -> Organisation:
    iri = CANONICAL.entity(f"organization/{slug}")
    triples = [(iri, RDF.type, cls), *_labels(iri, name_vi, name_en)]
    if link:
        triples.append((iri, *link))
    return Organisation(iri, slug, name_en, (*triples, *extra))


def _labels(iri: URIRef, vi: str, en: str) -> list[tuple]:
    return [(iri, RDFS.label, Literal(vi, lang="vi")), (iri, RDFS.label, Literal(en, lang="en"))]


def _person(name: str) -> tuple[URIRef, str, list[tuple]]:
    """A person's IRI, English (ASCII-folded) name and describing triples."""
    slug = slugify(name)
    iri = CANONICAL.entity(f"person/{slug}")
    ascii_name = " ".join(part.capitalize() for part in slug.split("-"))
    return iri, ascii_name, [(iri, RDF.type, CTKG.Person), *_labels(iri, name, ascii_name)]


def _post(post: str) -> tuple[str, str, str]:
    """'Thứ trưởng Bộ Công Thương' -> (role title, role slug, organisation name)."""
    for title in ROLES:
        if post.startswith(title + " "):
            return title, ROLES[title][0], post[len(title) + 1 :]
    raise ValueError(f"post not understood: {post!r} (known titles: {', '.join(ROLES)})")


def series_facts(
    article_by_file: dict[str, URIRef], labelled: set[URIRef], path: Path | None = None
) -> tuple[list[Fact], list[tuple]]:
    """One fact per row (its triples cited to the row's sources) and the sources' descriptions.

    ``labelled`` are entities the curated article facts already label: their labels win, so
    the union graph holds one label per language.
    """
    path = path or SOURCES_DIR / CSV_FILE
    src = str(path)
    rows = read_rows(path)
    titles = _titles(path.parent / TITLES_FILE)
    dataset = CANONICAL.entity("source/series-editions")
    meta: list[tuple] = [
        (dataset, RDF.type, CTKG.SourceDataset),
        *_labels(
            dataset,
            "Các kỳ Hội nghị ngành Công Thương 28 tỉnh, thành phố khu vực phía Bắc",
            "Editions of the northern provinces' industry and trade conference",
        ),
        (dataset, CTKG.articleFile, Literal(f"sources/{CSV_FILE}")),
    ]
    facts = []
    for line, row in rows:
        if tuple(row) != COLUMNS:
            raise BuildError(f"line {line}: expected columns {', '.join(COLUMNS)}", source=src)
        fact_id = f"row-{line}-{row['year']}"
        try:
            fact, cited = _row_fact(row, fact_id, dataset, article_by_file, labelled, titles)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BuildError(f"line {line}: {exc}", source=src, fact=fact_id) from None
        facts.append(fact)
        if row["note"]:
            note, note_cited = _note_fact(row, fact_id, dataset, article_by_file, cited)
            facts.append(note)
            cited = [*cited, *note_cited]
        for iri in cited:
            if iri not in article_by_file.values():
                meta += web_source(iri)
    return facts, sorted(set(meta))


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, row) for each row of a CSV file with a header; a row with fewer or more
    fields than the header (a lost or extra comma, an unclosed quote) is a BuildError naming
    the file and the line, before any field is read."""
    src = str(path)
    rows = []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            line = 2
            for row in reader:
                width = len(reader.fieldnames or ())
                if None in row:  # more fields than the header: DictReader keeps them under None
                    got = width + len(row[None])
                    raise BuildError(
                        f"line {line}: {got} fields where the header has {width} "
                        "(an extra comma? quote a field that contains one)",
                        source=src,
                    )
                if None in row.values():
                    got = sum(v is not None for v in row.values())
                    raise BuildError(
                        f"line {line}: {got} fields where the header has {width} "
                        f"(the row ends before '{next(k for k, v in row.items() if v is None)}')",
                        source=src,
                    )
                rows.append((line, row))
                line = reader.line_num + 1
    except OSError as exc:
        raise BuildError(f"cannot read: {exc}", source=src) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise BuildError(f"line {line}: not readable as CSV: {exc}", source=src) from None
    return rows


def _titles(path: Path) -> dict[str, dict]:
    """year -> the edition's title (vi, en) and the source's headline; none if no file."""
    if not path.exists():
        return {}
    return {row["year"]: row for _line, row in read_rows(path)}


def _sources(tokens: str, article_by_file) -> list[URIRef]:
    cited = []
    for token in tokens.split():
        if token.startswith("seed:"):
            name = token.removeprefix("seed:")
            if name not in article_by_file:
                raise ValueError(f"cites {name!r}, which is not a source article of the graph")
            cited.append(article_by_file[name])
        elif token.startswith(("http://", "https://")):
            cited.append(URIRef(token))
        else:
            raise ValueError(f"source {token!r} is neither a URL nor seed:<file>")
    return cited


def _note_fact(row, fact_id, dataset, article_by_file, cited) -> tuple[Fact, list[URIRef]]:
    """The row's note, cited to its own sources when the row names them."""
    own = _sources(row["note_sources"], article_by_file) or cited
    fact = Fact(
        f"{fact_id}-note",
        GRAPH,
        sources=[dataset, *own],
        confidence=CONFIDENCE[row["confidence"]],
    )
    fact.triples.append(
        (edition_iri(row["year"]), SKOS.editorialNote, Literal(row["note"], lang="en"))
    )
    return fact, own


def _row_fact(
    row, fact_id, dataset, article_by_file, labelled, titles
) -> tuple[Fact, list[URIRef]]:
    cited = _sources(row["sources"], article_by_file)
    if not cited:
        raise ValueError("a row needs at least one source")
    if row["confidence"] not in CONFIDENCE or row["status"] not in STATUS:
        raise ValueError(
            f"status '{row['status']}' / confidence '{row['confidence']}': status must be "
            "held|designated and confidence high|medium"
        )
    year = row["year"]
    e = edition_iri(year)
    # names of units and bodies as of the edition's day (a designated edition: its year)
    try:
        day = dt.date.fromisoformat(row["date"]) if row["date"] else dt.date(int(year), 1, 1)
    except ValueError as exc:
        raise ValueError(f"date '{row['date']}' (year '{year}'): {exc}") from None
    fact = Fact(fact_id, GRAPH, sources=[dataset, *cited], confidence=CONFIDENCE[row["confidence"]])
    t = fact.triples
    t.append((SERIES, RDF.type, CTKG.ConferenceSeries))
    t += [(SERIES, RDFS.label, Literal(v, lang=k)) for k, v in SERIES_LABEL.items()]
    t += [
        (e, RDF.type, CTKG.ConferenceEdition),
        (e, CTKG.partOfSeries, SERIES),
        (e, CTKG.year, typed_literal(year, XSD.gYear)),
        (e, CTKG.editionStatus, STATUS[row["status"]]),
    ]
    ordinal = int(row["edition"]) if row["edition"] else None
    if ordinal:
        t.append((e, CTKG.ordinal, typed_literal(ordinal, XSD.positiveInteger)))
    t += _edition_labels(e, year, ordinal, titles.get(year))
    if row["date"]:
        t.append((e, CTKG.startDate, typed_literal(row["date"], XSD.date)))
    if row["host_province"]:
        host = unit_by_name(row["host_province"], on=day).iri
        t.append((e, CTKG.hostProvince, host))
        if row["status"] == "held":
            t.append((e, CTKG.heldIn, host))
    for name in filter(None, (n.strip() for n in row["organisers"].split(";"))):
        designated = name.endswith("(designated host)")
        org = organization(name.removesuffix("(designated host)").strip(), on=day)
        t += org.triples
        t.append((e, CTKG.hostOrganization if designated else CTKG.organizer, org.iri))
    if row["directing_official"]:
        if row["official_part"] not in OFFICIAL_PARTS:
            raise ValueError(f"official_part must be one of: {', '.join(OFFICIAL_PARTS)}")
        t += _official(
            e, row["directing_official"], row["official_post"], day, row["official_part"]
        )
    fact.triples = [
        tr for tr in dict.fromkeys(t) if not (tr[1] == RDFS.label and tr[0] in labelled)
    ]
    return fact, cited


def _official(edition: URIRef, name: str, post: str, day: dt.date, part: str) -> list[tuple]:
    person, name_en, triples = _person(name)
    title, role_slug, org_name = _post(post)
    org = organization(org_name, on=day)
    role = CANONICAL.entity(f"role/{role_slug}")
    role_en = ROLES[title][1]
    membership = CANONICAL.entity(f"membership/{slugify(name)}--{role_slug}--{org.slug}")
    return [
        *triples,
        *org.triples,
        (role, RDF.type, CTKG.Role),
        *_labels(role, title, role_en),
        (membership, RDF.type, CTKG.Membership),
        (membership, ORG.member, person),
        (membership, ORG.organization, org.iri),
        (membership, ORG.role, role),
        (membership, CTKG.attestedAt, edition),
        *_labels(membership, f"{name} — {post}", f"{name_en}, {role_en}, {org.name_en}"),
        (edition, CTKG.attendee, person),
        *_part(edition, person, name, name_en, part),
    ]


def _part(edition: URIRef, person: URIRef, name: str, name_en: str, part: str) -> list[tuple]:
    """What the official did: directed the edition, or gave its opening speech (only that)."""
    if part == "directed":
        return [(edition, CTKG.directedBy, person)]
    speech = URIRef(f"{edition}/speech/{slugify(name)}")
    return [
        (speech, RDF.type, CTKG.Speech),
        *_labels(speech, f"Phát biểu khai mạc của {name}", f"Opening speech by {name_en}"),
        (speech, CTKG.speaker, person),
        (edition, CTKG.speech, speech),
    ]


def _edition_labels(e: URIRef, year: str, ordinal: int | None, title=None) -> list[tuple]:
    if title:  # the edition's own title, as its source gives it
        out = _labels(e, title["title_vi"], title["title_en"])
        if title["headline"] and title["headline"] != title["title_vi"]:
            out.append((e, SKOS.altLabel, Literal(title["headline"], lang="vi")))
        return out
    if ordinal:
        vi = f"{SERIES_LABEL['vi']} lần thứ {ROMAN[ordinal]} ({year})"
        en = f"{ORDINAL_EN.get(ordinal, f'{ordinal}th')} {SERIES_LABEL['en']} ({year})"
    else:
        vi, en = f"{SERIES_LABEL['vi']} năm {year}", f"{SERIES_LABEL['en']} ({year})"
    return _labels(e, vi, en)
