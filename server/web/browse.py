"""The index pages (``/browse/<kind>``): every person, organisation, province or edition in one
table, with the one or two facts that tell them apart (a person's post, a province's region and
the editions it hosted), so a newcomer can find a thing without knowing its name."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from . import describe, pages

ORG = "http://www.w3.org/ns/org#"

# kind -> (query body over ?x, [(variable, column title key)])
LISTINGS = {
    "people": (
        """?x a ctkg:Person .
  OPTIONAL { ?m org:member ?x ; org:role ?role ; org:organization ?org .
             OPTIONAL { ?m ctkg:attestedAt ?edition } }""",
        [("role", "post"), ("org", "organization"), ("edition", "attested_at")],
    ),
    "organizations": (
        """?x a ctkg:Organization .
  OPTIONAL { ?x a ?kind FILTER(?kind NOT IN (ctkg:Organization, ctkg:GovernmentBody)
             && STRSTARTS(STR(?kind), STR(ctkg:))) }
  OPTIONAL { ?x ctkg:jurisdiction ?area }
  OPTIONAL { ?x ctkg:subOrganizationOf ?parent }""",
        [("kind", "type"), ("area", "jurisdiction"), ("parent", "part_of")],
    ),
    "provinces": (
        """?x a ctkg:AdministrativeUnit .
  OPTIONAL { ?x a ?kind FILTER(?kind IN (ctkg:Province, ctkg:CentrallyGovernedCity)) }
  OPTIONAL { ?region ctkg:memberProvince ?x }
  OPTIONAL { ?hosted ctkg:hostProvince ?x }""",
        [("kind", "type"), ("region", "region"), ("hosted", "hosted")],
    ),
    "editions": (
        """?x a ctkg:ConferenceEdition .
  OPTIONAL { ?x ctkg:year ?year }
  OPTIONAL { ?x ctkg:startDate ?date }
  OPTIONAL { ?x ctkg:hostProvince ?host }
  OPTIONAL { ?x ctkg:editionStatus ?status }""",
        [("year", "year"), ("date", "date"), ("host", "host"), ("status", "status")],
    ),
}
CLASS_OF = {
    "people": "Person",
    "organizations": "Organization",
    "provinces": "AdministrativeUnit",
    "editions": "ConferenceEdition",
}


def listing(kind: str) -> dict:
    """``{"items": [...], "columns": [...], "count": n, "class_iri": …}`` for one kind."""
    body, columns = LISTINGS[kind]
    variables = " ".join("?" + v for v, _ in columns)
    rows = describe.select(
        f"""PREFIX ctkg: <{describe.vocab("")}>
PREFIX org: <{ORG}>
SELECT ?x {variables} WHERE {{
  {body}
}}"""
    )
    cells: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    wanted: set[str] = set()
    for row in rows:
        x = row["x"]
        if not isinstance(x, ox.NamedNode):
            continue
        item = cells[x.value]
        wanted.add(x.value)
        for var, _ in columns:
            term = row.get(var)
            if term is not None and term not in item[var]:
                item[var].append(term)
                if isinstance(term, ox.NamedNode):
                    wanted.add(term.value)
    class_iri = describe.vocab(CLASS_OF[kind])
    view = pages.View(describe.fetch_labels(wanted | {class_iri}))

    def cell(terms: list) -> list[dict]:
        out = []
        for term in terms:
            if isinstance(term, ox.NamedNode):
                out.append({"label": view.label(term.value), "href": pages.href(term.value)})
            else:
                out.append({"label": term.value, "href": ""})
        return sorted(out, key=lambda c: pages._sort_key_text(c["label"]))

    items = [
        {
            "label": view.label(iri),
            "other": view.other_label(iri),
            "href": pages.href(iri),
            "cells": [cell(item[var]) for var, _ in columns],
        }
        for iri, item in cells.items()
    ]
    if kind == "editions":
        items.sort(key=lambda i: (i["cells"][0][0]["label"] if i["cells"][0] else "", i["label"]))
    else:
        items.sort(key=lambda i: pages._sort_key_text(i["label"]))
    return {
        "items": items,
        "columns": [key for _, key in columns],
        "count": len(items),
        "class_label": view.label(class_iri),
        "class_href": pages.href(class_iri),
    }
