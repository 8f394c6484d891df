"""``/reconcile``: the W3C Entity Reconciliation API (v0.2) over the graph being served.

- ``GET /reconcile`` (no ``queries``): the service manifest (name, identifier and schema spaces,
  default types, view and preview templates);
- ``GET|POST /reconcile`` with ``queries={"q0": {"query": "Hải Phòng", "type": "province",
  "limit": 3}, …}``: per query ``{"result": [{"id", "name", "score", "match", "type"}]}``;
- ``GET /reconcile/preview?id=province/hai-phong``: a small HTML card of the entity.

Matching is ``ctkg.graph.curation.reconcile.Reconciler``: the curation resolver over the served
store's labels (exact unique folded match -> ``match: true``) plus the site's label index, both
kept per data version, so an ingest or a write is reconciled against at once. Reads: CORS for
any origin (``middleware.py``), no token.
"""

from __future__ import annotations

import json
import threading

from flask import Blueprint, Response, jsonify, request
from markupsafe import escape

from ctkg.graph.curation.reconcile import DEFAULT_TYPES, TYPES, Reconciler
from ctkg.graph.curation.resolver import Resolver
from ctkg.queries.label_index import index_query

from ..http.context import state
from ..http.errors import BadRequest
from . import describe
from .search import label_index

bp = Blueprint("reconcile", __name__)
MAX_QUERIES = 100
_cache: dict[str, Reconciler] = {}
_lock = threading.Lock()


def reconciler() -> Reconciler:
    version = state().backend.data_version()
    with _lock:
        found = _cache.get(version)
    if found is not None:
        return found
    base = state().settings.base_iri
    rows = describe.select(index_query(base))
    triples = [(r["x"].value, r["p"].value, r["text"].value) for r in rows]
    made = Reconciler(Resolver.from_triples(triples, base=base), label_index(), base)
    with _lock:
        _cache.clear()
        _cache[version] = made
    return made


def _site() -> str:
    return request.host_url.rstrip("/")


def manifest() -> dict:
    base = state().settings.base_iri
    site = _site()
    return {
        "versions": ["0.2"],
        "name": "ctkg — Công Thương Knowledge Graph",
        "identifierSpace": base + "id/",
        "schemaSpace": base + "ontology#",
        "defaultTypes": [{"id": k, "name": TYPES[k][1]} for k in DEFAULT_TYPES],
        "view": {"url": site + "/id/{{id}}"},
        "preview": {"url": site + "/reconcile/preview?id={{id}}", "width": 400, "height": 120},
    }


@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile():
    raw = request.values.get("queries")
    if raw is None:
        return jsonify(manifest())
    try:
        queries = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"'queries' is not JSON: {exc.msg} at character {exc.pos}") from None
    if not isinstance(queries, dict) or not queries:
        raise BadRequest('\'queries\' must be an object of queries: {"q0": {"query": …}}')
    if len(queries) > MAX_QUERIES:
        raise BadRequest(f"at most {MAX_QUERIES} queries in one batch")
    lang = "vi" if request.values.get("lang") == "vi" else "en"
    r = reconciler()
    out = {}
    for qid, q in queries.items():
        if isinstance(q, str):
            q = {"query": q}
        if not isinstance(q, dict) or not isinstance(q.get("query"), str):
            raise BadRequest(f"query {qid!r} needs a 'query' text")
        kind = q.get("type")
        if isinstance(kind, list):
            kind = kind[0] if kind else None
        if kind is not None and kind not in TYPES:
            raise BadRequest(f"query {qid!r}: unknown type {kind!r} (one of {', '.join(TYPES)})")
        try:
            limit = int(q.get("limit") or 5)
        except (TypeError, ValueError):
            raise BadRequest(f"query {qid!r}: 'limit' must be a number") from None
        results = r.reconcile(q["query"], kind, limit=limit, at_date=_date(q))
        out[qid] = {"result": [x.to_dict(lang) for x in results]}
    return jsonify(out)


def _date(q: dict):
    """Provinces valid on the query's ``date`` property (``{"pid": "date", "v": "2019-05-24"}``),
    else today."""
    import datetime as dt

    for prop in q.get("properties") or []:
        if isinstance(prop, dict) and prop.get("pid") == "date":
            try:
                return dt.date.fromisoformat(str(prop.get("v"))[:10])
            except ValueError:
                raise BadRequest("the 'date' property must be YYYY-MM-DD") from None
    return dt.date.today()


@bp.get("/reconcile/preview")
def preview():
    ref = request.args.get("id", "")
    if ref.count("/") != 1 or ref.split("/", 1)[0] not in TYPES:
        raise BadRequest("'id' must be an entity reference kind/slug, e.g. province/hai-phong")
    iri = state().settings.base_iri + "id/" + ref
    labels = describe.fetch_labels({iri})
    vi, en = labels.label(iri, "vi"), labels.label(iri, "en")
    kind = TYPES[ref.split("/", 1)[0]]
    html = (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><title>'
        f'{escape(vi)}</title><body style="font:14px sans-serif;margin:8px">'
        f'<p><a href="/id/{escape(ref)}" target="_blank"><strong>{escape(vi)}</strong></a>'
        f' <span lang="en">({escape(en)})</span></p><p>{escape(kind[0])} · '
        f'<span lang="en">{escape(kind[1])}</span></p><p><code>{escape(iri)}</code></p>'
        "</body></html>"
    )
    return Response(html, mimetype="text/html")
