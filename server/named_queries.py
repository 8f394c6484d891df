"""The named queries over HTTP: ``/api/queries`` (the catalogue) and ``/api/queries/<name>``.

Register it in the application factory::

    from .named_queries import bp as named_queries_bp
    app.register_blueprint(named_queries_bp)

It reads ``app.config["CTKG_SETTINGS"]`` (a ``ctkg.config.Settings``) if set, else the
environment. Parameters come from the query string (``?province=id:province/thai-nguyen``) and
are bound by ``ctkg.queries.catalog`` as RDF terms (SEP-0007 substitutions), never spliced into
the query text. ``format=`` (json, xml, csv, tsv) or the Accept header picks the result format;
SPARQL JSON is the default.

TODO(lead): the negotiation below is a minimal stand-in; swap ``_result_format`` for
``server.formats.choose(accept, format_values, RESULTS)`` once that module is committed. And this
runs the query in the web process, with no time budget. Route it through the
server's executor (worker processes with timeouts, result caps, ETags) once ``QueryJob`` can
carry substitutions: ``query.bind(params, base)`` gives ``{Variable: NamedNode | Literal}``;
pickle it as ``(name, kind, value, datatype_or_language)`` tuples and rebuild the terms in the
worker before ``store.query(text, substitutions=…)``.
"""

from __future__ import annotations

import logging
import os

import pyoxigraph as ox
from ctkg.graph.store import StoreMissing, open_store
from ctkg.queries.catalog import (
    QueryParameterError,
    UnknownQueryError,
    all_queries,
    get,
    run_named,
)
from flask import Blueprint, Response, current_app, jsonify, request

from ctkg.config import Settings

log = logging.getLogger(__name__)

bp = Blueprint("named_queries", __name__, url_prefix="/api/queries")

# Query-string names that are not query parameters.
RESERVED = {"format", "output"}

# The SPARQL results formats, in the server's order of preference (JSON first).
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
}
OX_RESULTS = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values; charset=utf-8", ox.QueryResultsFormat.TSV),
}
FORMAT_NAMES = {
    "json": "json",
    "srj": "json",
    "xml": "xml",
    "srx": "xml",
    "csv": "csv",
    "tsv": "tsv",
}


def _settings() -> Settings:
    settings = current_app.config.get("CTKG_SETTINGS")
    return settings if isinstance(settings, Settings) else Settings.from_env()


def _store(settings: Settings) -> ox.Store:
    """A read-only store, reopened when a new build becomes current."""
    key = os.path.realpath(settings.data_path / "current")
    cache = current_app.extensions.setdefault("ctkg_named_queries", {})
    if cache.get("key") != key:
        cache["store"] = open_store(settings)
        cache["key"] = key
    return cache["store"]


def _error(status: int, message: str, **extra) -> Response:
    response = jsonify({"error": message, "status": status, **extra})
    response.status_code = status
    return response


def _result_format() -> str | None:
    """The results format key from ``format=``/``output=``, else from Accept; None: 406."""
    values = request.args.getlist("format") + request.args.getlist("output")
    if values:
        value = values[0].strip().lower()
        if value in FORMAT_NAMES:
            return FORMAT_NAMES[value]
        return RESULT_TYPES.get(value.split(";")[0].strip())
    if not request.accept_mimetypes:
        return "json"
    best = request.accept_mimetypes.best_match(list(RESULT_TYPES))
    return RESULT_TYPES.get(best) if best else None


@bp.get("")
@bp.get("/")
def list_queries():
    """The catalogue: every named query with titles, descriptions, parameters and view."""
    return jsonify(
        [
            {**q.to_dict(), "url": f"{bp.url_prefix}/{q.name}", "sparql": q.text}
            for q in all_queries()
        ]
    )


@bp.get("/<name>")
def run_query(name: str):
    """Run one named query with the query-string parameters; SPARQL results in the chosen format."""
    try:
        query = get(name)
    except UnknownQueryError as exc:
        return _error(404, str(exc))
    fmt = _result_format()
    if fmt is None:
        return _error(406, "no acceptable results format", offered=list(RESULT_TYPES))
    params: dict[str, str] = {}
    for key in request.args:
        if key in RESERVED:
            continue
        values = request.args.getlist(key)
        if len(values) > 1:
            return _error(400, f"parameter {key!r} given {len(values)} times")
        params[key] = values[0]
    settings = _settings()
    try:
        query.bind(params, settings.base_iri)  # validate before touching the store
        result = run_named(_store(settings), name, params, base_iri=settings.base_iri)
        if isinstance(result, ox.QueryTriples):
            body = result.serialize(format=ox.RdfFormat.TURTLE)
            media_type = "text/turtle; charset=utf-8"
        else:
            media_type, ox_format = OX_RESULTS[fmt]
            body = result.serialize(format=ox_format)
    except QueryParameterError as exc:
        return _error(400, str(exc))
    except StoreMissing:
        return _error(503, "no graph has been built yet")
    except Exception:  # a server fault: logged with its traceback, never sent to the client
        log.exception("named query %s failed", name)
        return _error(500, "internal error running the named query")
    return Response(body, status=200, content_type=media_type)
