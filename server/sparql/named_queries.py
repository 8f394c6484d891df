"""The named queries over HTTP: ``/api/queries`` (the catalogue) and ``/api/queries/<name>``.

Parameters come from the query string (``?province=id:province/thai-nguyen``) and are bound by
``ctkg.queries.catalog`` as RDF terms (SEP-0007 substitutions), never spliced into the query
text. The query then runs like any other: in the executor processes, within the time budget
(``timeout=``, capped by the server maximum), with the result cap, the negotiated format
(``format=`` or Accept; SPARQL JSON by default) and an ETag.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ctkg.queries.catalog import QueryParameterError, UnknownQueryError, all_queries, get

from ..engine.jobs import QueryJob
from ..http.answers import answer, budget, etag_for, not_modified, query_formats, run_read
from ..http.context import state
from ..http.errors import BadRequest, NotFound
from ..http.formats import RESULTS

bp = Blueprint("named_queries", __name__, url_prefix="/api/queries")

# Query-string names that are not query parameters.
RESERVED = {"format", "output", "timeout"}


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
    """Run one named query with the query-string parameters, like any SPARQL query."""
    try:
        query = get(name)
    except UnknownQueryError as exc:
        raise NotFound(str(exc)) from None
    results, graph = query_formats(request.args)
    params: dict[str, str] = {}
    for key in request.args:
        if key not in RESERVED:
            values = request.args.getlist(key)
            if len(values) > 1:
                raise BadRequest(f"parameter {key!r} given {len(values)} times", parameter=key)
            params[key] = values[0]
    settings = state().settings
    try:
        substitutions = query.bind(params, settings.base_iri)
    except QueryParameterError as exc:
        raise BadRequest(str(exc)) from None
    job = QueryJob(
        query=query.sparql(settings.base_iri),
        results_format=results.format.key if results else None,
        graph_format=graph.format.key if graph else None,
        limit=settings.result_limit,
        base_iri=settings.base_iri,
        substitutions=tuple(sorted(substitutions.items(), key=lambda kv: kv[0].value)),
    )
    state().counters.add("queries_total")
    etag = etag_for("named", job, results and results.media_type, graph and graph.media_type)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    outcome = run_read(job, budget(request.args))
    return answer(outcome, results if outcome.kind == RESULTS else graph, etag)
