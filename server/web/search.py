"""Find by name: ``/api/search`` (JSON, for the search box's suggestions, notebooks and the
reconciliation service), ``/search`` (the results as a page, without JavaScript) and the index
pages of people, organisations, provinces and editions (``/browse/<kind>``).

The label index (``ctkg.queries.label_index``) is built from the store with one query through
the executors and kept per data version in each worker, so a write is searchable at once.

``GET /api/search?q=hai phong&lang=en&type=Province&limit=10`` answers::

    {"query": "hai phong", "lang": "en", "results": [
      {"iri": "https://w3id.org/ctkg/id/province/hai-phong", "href": "/id/province/hai-phong",
       "label": "Hai Phong", "labels": {"vi": "Hải Phòng", "en": "Hai Phong"},
       "matched": "Hai Phong", "score": 103, "exact": true,
       "types": [{"iri": "…ontology#Province", "label": "Province"}]}]}

``type`` takes a class's local name in the ontology (``Province``) or a full IRI, and may be
repeated; ``limit`` is at most 50.
"""

from __future__ import annotations

import threading

from flask import Blueprint, jsonify, request

from ctkg.queries.label_index import LabelIndex, index_query

from ..http.answers import etag_for, not_modified
from ..http.context import state
from ..http.errors import BadRequest
from . import describe, pages

bp = Blueprint("search", __name__)

_cache: dict[str, LabelIndex] = {}
_lock = threading.Lock()
MAX_QUERY_CHARS = 200

# The index pages: path name -> (class local name, title key)
KINDS = {
    "people": ("Person", "people"),
    "organizations": ("Organization", "organizations"),
    "provinces": ("AdministrativeUnit", "provinces"),
    "editions": ("ConferenceEdition", "editions"),
}


def label_index() -> LabelIndex:
    """The index of the data being served (built on first use after a change)."""
    version = state().backend.data_version()
    with _lock:
        found = _cache.get(version)
    if found is not None:
        return found
    rows = describe.select(index_query(state().settings.base_iri))
    index = LabelIndex.from_rows(
        (r["x"].value, r["p"].value, r["text"].value, getattr(r["text"], "language", "") or "")
        for r in rows
    )
    with _lock:
        _cache.clear()
        _cache[version] = index
    return index


def _type_iris(values: list[str]) -> list[str]:
    vocab = describe.vocab("")
    return [v if "://" in v else vocab + v for v in values if v]


def search_results(text: str, lang: str, types: list[str], limit: int) -> list[dict]:
    index = label_index()
    matches = index.search(text, types=_type_iris(types), limit=limit)
    class_labels = describe.fetch_labels({t for m in matches for t in m.entry.types})
    out = []
    for m in matches:
        entry = m.entry
        out.append(
            {
                "iri": entry.iri,
                "href": pages.href(entry.iri),
                "label": entry.label(lang),
                "labels": {k: v for k, v in entry.labels.items() if k},
                "matched": m.matched,
                "score": m.score,
                "exact": m.exact,
                "types": [
                    {"iri": t, "label": class_labels.label(t, lang)}
                    for t in _most_specific(entry.types)
                ],
            }
        )
    return out


def _most_specific(types: list[str]) -> list[str]:
    """The types without the broad ones every entity of a kind also has."""
    broad = ("#AdministrativeUnit", "#Organization", "#GovernmentBody")
    narrow = [t for t in types if not t.endswith(broad)]
    return narrow or types


def _limit() -> int:
    try:
        return max(1, min(int(request.args.get("limit", "10")), 50))
    except ValueError:
        raise BadRequest("limit must be a whole number from 1 to 50") from None


def _query_text() -> str:
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest(f"q is longer than {MAX_QUERY_CHARS} characters")
    return text


@bp.route("/api/search", methods=["GET", "HEAD"])
def api_search():
    text = _query_text()
    lang = request.args.get("lang", "")
    lang = lang if lang in pages.LANGUAGES else pages.current_lang()
    types = request.args.getlist("type")
    limit = _limit()
    etag = etag_for("search", text, lang, types, limit)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    response = jsonify(
        {"query": text, "lang": lang, "results": search_results(text, lang, types, limit)}
    )
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/search", methods=["GET", "HEAD"])
def search_page():
    text = _query_text()
    lang = pages.current_lang()
    results = search_results(text, lang, request.args.getlist("type"), 50) if text else []
    return pages.render("search.html", q=text, results=results)


@bp.route("/browse/", methods=["GET", "HEAD"])
def browse_all():
    return pages.render("browse.html", kind=None, kinds=list(KINDS), groups=[])


@bp.route("/browse/<kind>", methods=["GET", "HEAD"])
def browse(kind: str):
    if kind not in KINDS:
        return pages.not_found_page(request.url)
    etag = etag_for("browse", kind, pages.current_lang(), pages.PAGE_VERSION)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    from .browse import listing
    from .maps import for_index

    figures = for_index(pages.current_lang()) if kind == "provinces" else []
    response = pages.render(
        "browse.html", kind=kind, kinds=list(KINDS), figures=figures, **listing(kind)
    )
    response.set_etag(etag, weak=True)
    return response


# --- the query editor's autocompletion -------------------------------------------------------

# standard terms every query here uses, which the ontology itself does not declare
COMMON_TERMS = {
    "properties": (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2000/01/rdf-schema#comment",
        "http://www.w3.org/2004/02/skos/core#altLabel",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://www.w3.org/2004/02/skos/core#definition",
    ),
}


def editor_terms(lang: str) -> dict:
    """The ontology's own classes, properties and individuals (with their labels in ``lang``)
    and the standard terms it aligns to, for the query editor's Ctrl+Space — so completion
    never asks an outside vocabulary service, and offers this graph's terms first."""
    from . import linked_data, ontology_doc

    settings = state().settings
    doc = ontology_doc.get(
        state().backend.data_version(),
        linked_data.ontology_ntriples,
        settings.base_iri,
        pages._prefixes(),
    )

    def item(term) -> dict:
        label = term.labels.get(lang) or term.labels.get("en") or term.labels.get("", "")
        return {"iri": term.iri, "curie": "ctkg:" + term.name, "label": label}

    external = {"classes": [], "properties": []}
    for refs in doc.external.values():
        for ref in refs:
            # the ontology declares an outside term as a class or a property; a capital after
            # the prefix is a class by every vocabulary's convention here
            local = ref.text.split(":", 1)[-1]
            kind = "classes" if local[:1].isupper() else "properties"
            external[kind].append({"iri": ref.iri, "curie": ref.text, "label": ""})
    for iri in COMMON_TERMS["properties"]:
        external["properties"].append({"iri": iri, "curie": pages.curie(iri), "label": ""})
    return {
        "lang": lang,
        "prefixes": pages._prefixes(),
        "classes": [item(t) for t in doc.classes] + external["classes"],
        "properties": [item(t) for t in (*doc.object_properties, *doc.datatype_properties)]
        + external["properties"],
        "individuals": [item(t) for t in doc.individuals],
    }


@bp.route("/api/terms", methods=["GET", "HEAD"])
def api_terms():
    lang = request.args.get("lang", "")
    lang = lang if lang in pages.LANGUAGES else pages.current_lang()
    etag = etag_for("terms", state().backend.data_version(), lang)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    response = jsonify(editor_terms(lang))
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response
