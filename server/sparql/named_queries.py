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
from ..http.answers import answer, budget, etag_for, negotiate_query, not_modified, run_read
from ..http.context import state
from ..http.errors import ApiError, BadRequest, NotFound
from ..http.fast_path import FastRequest, Keyed
from ..http.formats import RESULTS, Choice

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
    job, results, graph = named_job(
        name, request.args, request.headers.get("Accept"), state().settings
    )
    state().counters.add("queries_total")
    etag = etag_for(*_etag_parts(job, results, graph))
    cached = not_modified(etag)
    if cached is not None:
        return cached
    outcome = run_read(job, budget(request.args))
    return answer(outcome, results if outcome.kind == RESULTS else graph, etag)


def named_job(name: str, args, accept: str | None, settings):
    """The job of named query ``name`` with ``args`` bound and its two negotiated formats, or
    the ``ApiError`` the request deserves. One function for the view and the fast path."""
    try:
        query = get(name)
    except UnknownQueryError as exc:
        raise NotFound(str(exc)) from None
    results, graph = negotiate_query(args, accept)
    params: dict[str, str] = {}
    for key in args:
        if key not in RESERVED:
            values = args.getlist(key)
            if len(values) > 1:
                raise BadRequest(f"parameter {key!r} given {len(values)} times", parameter=key)
            params[key] = values[0]
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
    return job, results, graph


def _etag_parts(job: QueryJob, results: Choice | None, graph: Choice | None) -> tuple:
    return ("named", job, results and results.media_type, graph and graph.media_type)


def fast_key(request: FastRequest) -> Keyed | None:
    """``GET /api/queries/NAME?…`` as the fast path keys it (``http/fast_path.py``), or None
    when the request is an error (the view answers it): the same job, so the same key."""
    if request.method != "GET":
        return None
    try:
        job, results, graph = named_job(
            request.name, request.args, request.accept, request.settings
        )
        timeout = budget(request.args, request.settings)  # a bad timeout= is a 400 even cached
    except ApiError:
        return None
    return Keyed(job, _etag_parts(job, results, graph), results, graph, timeout)
