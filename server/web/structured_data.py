"""schema.org JSON-LD embedded in entity pages (``<script type="application/ld+json">``), for
search engines and other schema.org clients.

It is written for what those clients read, whatever spelling the graph itself uses: the
context is ``"https://schema.org"`` (which expands terms to ``http://schema.org/…``), and the
shapes are the ones they expect — an edition is an ``Event`` with ``startDate``, ``location``
(a ``Place``), ``organizer`` and ``superEvent``, and ``eventStatus`` ``EventScheduled`` only
when the graph says it was held ("has taken place on the startDate as scheduled"); a
designated edition gets no status, because no source gives one. Every value comes from the
entity's own triples; nothing is added.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from . import describe

SCHEMA_ORG = "https://schema.org"


def _names(desc, view, iri: str) -> list[dict] | str:
    labels = view.labels.labels.get(iri, {})
    tagged = [{"@value": text, "@language": lang} for lang, text in sorted(labels.items()) if lang]
    return tagged or view.label(iri)


def _ref(desc, view, iri: str, kind: str) -> dict:
    return {"@type": kind, "@id": iri, "name": view.label(iri)}


def _objects(desc, name: str) -> list[str]:
    return [
        v.term.value
        for v in desc.values.get(describe.vocab(name), [])
        if isinstance(v.term, ox.NamedNode) and not v.inferred_only
    ]


def _literal(desc, name: str) -> str:
    found = desc.literals(describe.vocab(name))
    return found[0].value if found else ""


def json_ld(desc, view, card: dict) -> str:
    """The page's JSON-LD, as text safe inside ``<script>``."""
    types = set(desc.types())
    c = describe.vocab
    data: dict = {"@context": SCHEMA_ORG, "@id": desc.iri, "name": _names(desc, view, desc.iri)}
    if c("ConferenceEdition") in types:
        data["@type"] = "Event"
        date = _literal(desc, "startDate")
        if date:
            data["startDate"] = date
        places = _objects(desc, "heldIn") or []
        if places:
            data["location"] = [_ref(desc, view, p, "Place") for p in places]
        organizers = _objects(desc, "organizer") + _objects(desc, "coOrganizer")
        if organizers:
            data["organizer"] = [_ref(desc, view, o, "GovernmentOrganization") for o in organizers]
        if any(s.endswith("#held") for s in _objects(desc, "editionStatus")):
            data["eventStatus"] = "https://schema.org/EventScheduled"
        series = _objects(desc, "partOfSeries")
        if series:
            data["superEvent"] = [_ref(desc, view, s, "EventSeries") for s in series]
    elif c("Person") in types:
        data["@type"] = "Person"
        posts = card.get("posts") or []
        titles = sorted({p["role"]["label"] for p in posts})
        if titles:
            data["jobTitle"] = titles
        orgs = sorted({p["org"]["iri"] for p in posts if p.get("org")})
        if orgs:
            data["affiliation"] = [_ref(desc, view, o, "GovernmentOrganization") for o in orgs]
    elif c("AdministrativeUnit") in types:
        data["@type"] = "AdministrativeArea"
        regions = desc.incoming.get(c("memberProvince"), [])
        if regions:
            data["containedInPlace"] = [_ref(desc, view, r, "Place") for r in regions]
        codes = [_literal(desc, "iso3166Code"), _literal(desc, "gsoCode")]
        codes = [code for code in codes if code]
        if codes:
            data["identifier"] = codes
    elif c("Region") in types:
        data["@type"] = "Place"
        members = _objects(desc, "memberProvince")
        if members:
            data["containsPlace"] = [_ref(desc, view, m, "AdministrativeArea") for m in members]
    elif c("Organization") in types:
        data["@type"] = "GovernmentOrganization"
        areas = _objects(desc, "jurisdiction")
        if areas:
            data["areaServed"] = [_ref(desc, view, a, "AdministrativeArea") for a in areas]
        parents = _objects(desc, "subOrganizationOf")
        if parents:
            data["parentOrganization"] = [
                _ref(desc, view, p, "GovernmentOrganization") for p in parents
            ]
    elif c("NewsArticle") in types:
        data["@type"] = "NewsArticle"
        for key in ("headline", "datePublished", "inLanguage"):
            found = desc.literals(describe.SCHEMA + key)
            if found:
                data[key] = found[0].value
        author = desc.first(describe.SCHEMA + "author")
        if isinstance(author, ox.NamedNode):
            data["author"] = _ref(desc, view, author.value, "Person")
    else:
        data["@type"] = "Thing"
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("</", "<\\/")
