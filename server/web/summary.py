"""Entity pages as summaries: what a reader wants first about a thing of each kind, its
sources numbered once, and incoming links read from this side.

- ``key_facts``: a header card per kind — an edition's date, place, organisers, status and who
  directed it; a person's posts over time; a province's region, codes and the editions it
  hosted; an indicator's reported values (drawn as bars); an organisation's kind and area.
  Every value in the card carries the numbers of its sources.
- ``SourceNotes``: each distinct source (a quote at its offsets in an article, or a set of web
  pages with a confidence) gets one number per page, however many values it supports — the
  region page cites its two sources once, not 28 times.
- ``inverse_labels``: ``ctkg:inverseLabel`` from the ontology (and a few standard ones here),
  so Đặng Hoàng An's page says "directed: 6th … Conference", not "directed by".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from ctkg.queries.label_index import sort_key

from . import describe

ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
PROV = describe.PROV
SCHEMA = describe.SCHEMA
SKOS = describe.SKOS

# Inverse labels of standard predicates (ctkg's own are in the ontology).
STANDARD_INVERSES = {
    ORG + "member": ("chức danh", "post"),
    ORG + "organization": ("chức danh trong cơ quan", "post in this organisation"),
    ORG + "role": ("người giữ chức danh", "held by"),
    SCHEMA + "author": ("tác giả của", "author of"),
    PROV + "wasDerivedFrom": ("là nguồn của", "source of"),
    SKOS + "inScheme": ("gồm khái niệm", "has concept"),
    SKOS + "topConceptOf": ("khái niệm gốc", "top concept"),
    SKOS + "hasTopConcept": ("khái niệm gốc của", "top concept of"),
    describe.RDF_TYPE: ("cá thể", "instance"),
}
MONTHS_EN = [
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
]


def format_date(text: str, lang: str) -> str:
    """``2019-05-24`` as "24 tháng 5 năm 2019" / "24 May 2019"; other text as it is."""
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return text
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day} tháng {day.month} năm {day.year}"


def inverse_labels(predicates) -> dict[str, dict[str, str]]:
    """``{predicate: {lang: inverse label}}`` for the predicates given."""
    wanted = sorted({p for p in predicates if p})
    found: dict[str, dict[str, str]] = {
        p: {"vi": STANDARD_INVERSES[p][0], "en": STANDARD_INVERSES[p][1]}
        for p in wanted
        if p in STANDARD_INVERSES
    }
    own = [p for p in wanted if p not in found]
    if own:
        values = " ".join(describe.ref(p) for p in own)
        rows = describe.select(
            f"""SELECT ?p ?text WHERE {{
  VALUES ?p {{ {values} }} ?p <{describe.vocab("inverseLabel")}> ?text }}"""
        )
        for row in rows:
            found.setdefault(row["p"].value, {})[row["text"].language or ""] = row["text"].value
    return found


# --- sources, numbered once ----------------------------------------------------------------


@dataclass
class Note:
    number: int
    kind: str  # "quote" or "sources"
    quote: str = ""
    href: str = ""
    article: str = ""
    sources: list[dict] = field(default_factory=list)
    confidence: str = ""
    supports: list[str] = field(default_factory=list)  # property labels


class SourceNotes:
    """The page's numbered sources; ``refs`` gives a value's numbers."""

    def __init__(self, view):
        self.view = view
        self.notes: list[Note] = []
        self._by_key: dict[tuple, Note] = {}

    def _note(self, key: tuple, **fields) -> Note:
        note = self._by_key.get(key)
        if note is None:
            note = Note(number=len(self.notes) + 1, **fields)
            self._by_key[key] = note
            self.notes.append(note)
        return note

    def refs(self, statements, supports: str = "") -> list[int]:
        numbers: list[int] = []
        for st in statements:
            articles = {ev.article for ev in st.evidence}
            for ev in st.evidence:
                note = self._note(
                    ("quote", ev.article, ev.start, ev.end),
                    kind="quote",
                    quote=ev.quote,
                    href=self.view.href(ev.article) + "#" + ev.anchor,
                    article=self.view.label(ev.article),
                )
                self._add(note, numbers, supports)
            others = [s for s in st.sources if s not in articles]
            if others:
                conf = self.view.label(st.confidence) if st.confidence else ""
                note = self._note(
                    ("sources", tuple(sorted(others)), conf),
                    kind="sources",
                    sources=[
                        {
                            "label": self.view.label(s),
                            "href": self.view.href(s),
                            "external": self.view.external(s),
                        }
                        for s in others
                    ],
                    confidence=conf,
                )
                self._add(note, numbers, supports)
        return numbers

    @staticmethod
    def _add(note: Note, numbers: list[int], supports: str) -> None:
        if note.number not in numbers:
            numbers.append(note.number)
        if supports and supports not in note.supports:
            note.supports.append(supports)


# --- the header card per kind ----------------------------------------------------------------


def _values(desc, view, notes, predicate: str, lang: str) -> list[dict]:

    out = []
    for v in desc.values.get(predicate, []):
        if v.inferred_only:
            continue
        refs = notes.refs(v.statements, view.label(predicate))
        if isinstance(v.term, ox.NamedNode):
            out.append(
                {"label": view.label(v.term.value), "href": view.href(v.term.value), "refs": refs}
            )
        else:
            text = v.term.value
            datatype = v.term.datatype.value if v.term.datatype else ""
            if datatype.endswith(("#date", "#dateTime")):
                out.append({"label": format_date(text, lang), "datetime": text, "refs": refs})
            else:
                out.append({"label": text, "refs": refs})
    return out


def _incoming(desc, view, predicate: str) -> list[dict]:
    subjects = desc.incoming.get(predicate, [])
    return sorted(
        ({"label": view.label(s), "href": view.href(s), "refs": []} for s in subjects),
        key=lambda x: sort_key(x["label"]),
    )


def _row(view, key: str, values: list[dict], t, *predicates: str) -> dict | None:
    """A card row; ``predicates`` are the properties it shows (left out of the rest)."""
    if not values:
        return None
    merged: dict[tuple, dict] = {}
    for v in values:  # one value stated by two properties (organizer, coOrganizer) shows once
        same = (v["label"], v.get("href", ""))
        if same in merged:
            merged[same]["refs"] = sorted(set(merged[same]["refs"]) | set(v["refs"]))
        else:
            merged[same] = {**v, "refs": sorted(v["refs"])}
    values = list(merged.values())

    first = predicates[0] if predicates else ""
    return {
        "label": t(key),
        "values": values,
        "predicates": list(predicates),
        "href": view.href(first) if first else "",
        "curie": " · ".join(view.curie(p) for p in predicates),
    }


def key_facts(desc, view, notes, t) -> dict:
    """``{"kind": …, "rows": [{label, values}], "extra": {...}}`` for the header card."""
    lang = view.lang
    types = set(desc.types())
    c = describe.vocab

    def own(name: str) -> list[dict]:
        return _values(desc, view, notes, c(name), lang)

    rows: list[dict | None] = []
    incoming: list[str] = []  # incoming links the card shows (left out of "Linked from")
    extra: dict = {}
    kind = ""
    if c("ConferenceEdition") in types:
        kind = "edition"
        place = own("heldIn")
        date = own("startDate")
        rows = [
            _row(view, "date", date, t, c("startDate"))
            if date
            else _row(view, "year", own("year"), t, c("year")),
            _row(view, "place", place, t, c("heldIn")),
            _row(view, "host", own("hostProvince"), t, c("hostProvince")),
            _row(
                view,
                "organizers",
                own("organizer") + own("coOrganizer"),
                t,
                c("organizer"),
                c("coOrganizer"),
            ),
            _row(view, "status", own("editionStatus"), t, c("editionStatus")),
            _row(view, "directed_by", own("directedBy"), t, c("directedBy")),
            _row(view, "series", own("partOfSeries"), t, c("partOfSeries")),
        ]
    elif c("Person") in types:
        kind = "person"
        extra["posts"] = person_posts(desc.iri, view, lang)
    elif c("AdministrativeUnit") in types:
        kind = "province"
        rows = [
            _row(view, "region", _incoming(desc, view, c("memberProvince")), t),
            _row(view, "hosted", hosted_editions(desc, view), t),
        ]
        incoming = [c("memberProvince"), c("hostProvince"), c("heldIn")]
    elif c("Region") in types:
        kind = "region"
        members = own("memberProvince")
        rows = [
            _row(view, "part_of", own("subRegionOf"), t, c("subRegionOf")),
            _row(
                view,
                "members_count",
                [{"label": str(len(members)), "refs": []}] if members else [],
                t,
            ),
        ]
    elif c("Indicator") in types:
        kind = "indicator"
        extra["observations"] = observations(desc.iri, view)
    elif c("Organization") in types:
        kind = "organization"
        rows = [
            _row(view, "jurisdiction", own("jurisdiction"), t, c("jurisdiction")),
            _row(view, "part_of", own("subOrganizationOf"), t, c("subOrganizationOf")),
        ]
        extra["posts"] = organization_posts(desc.iri, view)
    return {"kind": kind, "rows": [r for r in rows if r], "incoming": incoming, **extra}


def hosted_editions(desc, view) -> list[dict]:

    c = describe.vocab
    editions = set(desc.incoming.get(c("hostProvince"), [])) | set(
        desc.incoming.get(c("heldIn"), [])
    )
    return sorted(
        ({"label": view.label(e), "href": view.href(e), "refs": []} for e in editions),
        key=lambda x: x["href"],
    )


def person_posts(iri: str, view, lang: str) -> list[dict]:
    """The person's posts, each with the organisation and when it is attested."""

    rows = describe.select(
        f"""PREFIX org: <{ORG}>
PREFIX ctkg: <{describe.vocab("")}>
PREFIX time: <{TIME}>
SELECT ?m ?role ?org ?edition ?year ?date WHERE {{
  ?m org:member {describe.ref(iri)} ; org:role ?role ; org:organization ?org .
  OPTIONAL {{ ?m ctkg:attestedAt ?edition . OPTIONAL {{ ?edition ctkg:year ?year }} }}
  OPTIONAL {{ ?m org:memberDuring/time:inside/time:inXSDDate ?date }}
}}"""
    )
    return _posts(rows, view, lang)


def organization_posts(iri: str, view) -> list[dict]:

    rows = describe.select(
        f"""PREFIX org: <{ORG}>
PREFIX ctkg: <{describe.vocab("")}>
SELECT ?m ?role ?person ?edition ?year WHERE {{
  ?m org:organization {describe.ref(iri)} ; org:role ?role ; org:member ?person .
  OPTIONAL {{ ?m ctkg:attestedAt ?edition . OPTIONAL {{ ?edition ctkg:year ?year }} }}
}}"""
    )
    return _posts(rows, view, view.lang)


def _posts(rows, view, lang) -> list[dict]:
    found: dict[str, dict] = {}
    labels = set()
    for row in rows:
        for k in ("role", "org", "person", "edition"):
            if k in row:
                labels.add(row[k].value)
    view.labels.update(describe.fetch_labels(labels))
    for row in rows:
        post = found.setdefault(
            row["m"].value,
            {
                "role": {
                    "label": view.label(row["role"].value),
                    "href": view.href(row["role"].value),
                },
                "org": (
                    {
                        "label": view.label(row["org"].value),
                        "href": view.href(row["org"].value),
                        "iri": row["org"].value,
                    }
                    if "org" in row
                    else None
                ),
                "person": (
                    {
                        "label": view.label(row["person"].value),
                        "href": view.href(row["person"].value),
                    }
                    if "person" in row
                    else None
                ),
                "href": view.href(row["m"].value),
                "when": [],
            },
        )
        if "edition" in row:
            when = {
                "label": row["year"].value if "year" in row else view.label(row["edition"].value),
                "href": view.href(row["edition"].value),
                "title": view.label(row["edition"].value),
            }
            if when not in post["when"]:
                post["when"].append(when)
        if "date" in row:
            when = {"label": format_date(row["date"].value, lang), "href": "", "title": ""}
            if when not in post["when"]:
                post["when"].append(when)
    posts = list(found.values())
    for post in posts:
        post["when"].sort(key=lambda w: w["label"])
    posts.sort(key=lambda p: p["when"][0]["label"] if p["when"] else "")
    return posts


def observations(indicator: str, view) -> list[dict]:
    """The indicator's reported values, for a small bar chart."""

    c = describe.vocab
    rows = describe.select(
        f"""PREFIX ctkg: <{c("")}>
SELECT ?o ?value ?area ?period ?unit ?measure WHERE {{
  ?o ctkg:indicator {describe.ref(indicator)} ; ctkg:value ?value .
  OPTIONAL {{ ?o ctkg:refArea ?area }}
  OPTIONAL {{ ?o ctkg:refPeriod ?period }}
  OPTIONAL {{ ?o ctkg:unitMeasure ?unit }}
  OPTIONAL {{ ?o ctkg:measureType ?measure }}
}} ORDER BY ?period ?area"""
    )
    keys = ("area", "period", "unit", "measure")
    wanted = {row[k].value for row in rows for k in keys if k in row}
    view.labels.update(describe.fetch_labels(wanted))
    out = []
    for row in rows:
        try:
            value = float(row["value"].value)
        except ValueError:
            continue
        out.append(
            {
                "value": value,
                "text": row["value"].value,
                "href": view.href(row["o"].value),
                "period": view.label(row["period"].value) if "period" in row else "",
                "area": view.label(row["area"].value) if "area" in row else "",
                "unit": view.label(row["unit"].value) if "unit" in row else "",
                "measure": view.label(row["measure"].value) if "measure" in row else "",
            }
        )
    top = max((abs(o["value"]) for o in out), default=0) or 1
    for o in out:
        o["width"] = round(abs(o["value"]) / top * 100, 1)
    return out
