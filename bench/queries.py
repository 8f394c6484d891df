"""The queries the benchmark runs: ctkg's named queries with their default parameters, plus a
trivial ``LIMIT 10`` (the cheapest useful request, which measures the per-request overhead).

Every engine gets the same query text: parameters are bound into the text with
``ctkg.queries.substitute`` (the SEP-0007 token substitution the remote-store backend uses),
so an HTTP endpoint, pyoxigraph and rdflib all run the identical string.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Values for parameters a named query declares ``required`` (no default): entities every
# synthetic graph holds (see bench/synth/, "anchors").
REQUIRED_DEFAULTS = {
    "subject": "id:edition/hoi-nghi-cong-thuong-phia-bac/2019",
    "text": "Hải Phòng",
    "edition": "id:edition/hoi-nghi-cong-thuong-phia-bac/2019",
    "series": "id:series/hoi-nghi-cong-thuong-phia-bac",
    "province": "id:province/hai-phong",
    "region": "id:region/northern-28",
    "person": "id:person/dang-hoang-an",
}

TRIVIAL = """PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
SELECT ?province WHERE { ?province a ctkg:Province } LIMIT 10"""


@dataclass(frozen=True)
class BenchQuery:
    name: str
    text: str  # parameters bound: the same string for every engine
    params: dict[str, str]


def load_queries(
    names: list[str] | None = None, base_iri: str | None = None, directory: Path | None = None
) -> list[BenchQuery]:
    """The trivial query and every named query (or those in ``names``), parameters bound."""
    from ctkg.iris import CANONICAL_BASE
    from ctkg.queries import catalog
    from ctkg.queries.substitute import substitute

    base = base_iri or CANONICAL_BASE
    out = [BenchQuery("trivial-limit-10", TRIVIAL, {})]
    named = catalog.all_queries(directory) if directory else catalog.all_queries()
    for q in named:
        if names and q.name not in names:
            continue
        values = {
            p.name: REQUIRED_DEFAULTS[p.name]
            for p in q.params
            if p.required and p.default is None and p.name in REQUIRED_DEFAULTS
        }
        try:
            subs = q.bind(values, base)
        except catalog.QueryParameterError:
            continue  # a required parameter the benchmark has no value for
        params = {var.value: str(term) for var, term in subs.items()}
        out.append(BenchQuery(q.name, substitute(q.sparql(base), subs), params))
    if names:
        out = [q for q in out if q.name in names]
    return out
