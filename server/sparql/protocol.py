"""``/sparql``: the SPARQL 1.1 Protocol (query and update) and the service description.

https://www.w3.org/TR/sparql11-protocol/ — a query by GET ``?query=``, by POST form-encoded, or
by POST ``application/sparql-query``; ``default-graph-uri``/``named-graph-uri`` give the dataset
(they name graphs of the store and never fetch anything). An update by POST form-encoded
(``update=``) or ``application/sparql-update``, with a bearer token. A GET without a query is
the service description: RDF for RDF clients, a page for browsers. ``/context.jsonld`` is the
JSON-LD context used by JSON-LD answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, Response, request, url_for
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from ctkg.iris import is_iri

from ..engine.jobs import QueryJob, WriteJob
from ..engine.serialisation import jsonld_context
from ..http.answers import answer, budget, etag_for, negotiate_query, not_modified, run_read
from ..http.auth import require_write_token
from ..http.context import state
from ..http.errors import ApiError, BadRequest, UnsupportedMediaType, not_acceptable
from ..http.fast_path import FastRequest, Keyed
from ..http.formats import (
    GRAPH,
    RESULTS,
    Choice,
    choose,
    offered_media_types,
    parse_accept,
)
from ..http.middleware import mark_write
from ..http.stats import store_stats
from ..http.writes import run_write
from . import service_description

bp = Blueprint("sparql", __name__)

QUERY_TYPES = (
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
)


@dataclass(frozen=True)
class Operation:
    """What a request asks: a query, an update, or nothing (the service description)."""

    kind: str
    text: str
    params: MultiDict


@bp.route("/sparql", methods=["GET", "HEAD", "POST"])
def endpoint():
    """Dispatch a protocol request to a query, an update or the service description."""
    operation = _operation()
    if operation.kind == "query":
        return _query(operation)
    if operation.kind == "update":
        return _update(operation)
    return _service_description()


@bp.get("/context.jsonld")
def context():
    """The JSON-LD context JSON-LD answers use."""
    document = {"@context": jsonld_context(state().settings.base_iri)}
    body = json.dumps(document, ensure_ascii=False, indent=1)
    response = Response(body, content_type="application/ld+json")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _operation() -> Operation:
    if request.method in ("GET", "HEAD"):
        args = request.args
        if "update" in args:
            raise BadRequest("A SPARQL Update must be sent with POST.")
        return (
            Operation("query", _single(args, "query"), args)
            if "query" in args
            else (Operation("", "", args))
        )
    mimetype = request.mimetype
    if mimetype == "application/sparql-update":
        require_write_token()  # before reading the body
        return Operation("update", _body_text(), request.args)
    if mimetype == "application/sparql-query":
        return Operation("query", _body_text(), request.args)
    if mimetype == "application/x-www-form-urlencoded":
        form = request.form
        if ("query" in form) == ("update" in form):
            raise BadRequest("A form POST needs exactly one of the fields 'query' or 'update'.")
        kind = "query" if "query" in form else "update"
        if kind == "update":
            require_write_token()
        return Operation(kind, _single(form, kind), CombinedMultiDict([form, request.args]))
    raise UnsupportedMediaType(
        "POST a query as application/sparql-query, an update as application/sparql-update, "
        "or either as an application/x-www-form-urlencoded form.",
        accepted=list(QUERY_TYPES),
    )


def _single(values: MultiDict, name: str) -> str:
    found = values.getlist(name)
    if len(found) != 1:
        raise BadRequest(f"Give exactly one '{name}' parameter.")
    return found[0]


def _body_text() -> str:
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body is not UTF-8 text.") from None


def check_iri(value: str, parameter: str) -> str:
    """``value`` if it is an absolute IRI that can be written between ``<>``, else a 400."""
    if not is_iri(value):
        raise BadRequest(
            f"{parameter} must be an absolute IRI: {value[:200]!r}", parameter=parameter
        )
    return value


def _query(operation: Operation):
    params = operation.params
    job, results, graph, timeout = query_job(
        operation.text, params, request.headers.get("Accept"), state().settings
    )
    state().counters.add("queries_total")
    etag = None
    if request.method in ("GET", "HEAD"):
        etag = etag_for(*_etag_parts(job, results, graph))
        cached = not_modified(etag)
        if cached is not None:
            return cached
    outcome = run_read(job, timeout)
    choice = results if outcome.kind == RESULTS else graph
    return answer(outcome, choice, etag)


def query_job(text: str, params, accept: str | None, settings):
    """The job of a protocol query, its two negotiated formats and its budget, or the
    ``ApiError`` its request deserves. One function for the Flask view and the fast path
    (``fast_key``), so both compute the same job and so the same cache key and ETag."""
    if not text.strip():
        raise BadRequest("The query is empty.")
    results, graph = negotiate_query(params, accept)
    default_graphs = [
        check_iri(v, "default-graph-uri") for v in params.getlist("default-graph-uri")
    ]
    named_graphs = [check_iri(v, "named-graph-uri") for v in params.getlist("named-graph-uri")]
    protocol_dataset = bool(default_graphs or named_graphs)
    timeout = budget(params, settings)
    job = QueryJob(
        query=text,
        results_format=results.format.key if results else None,
        graph_format=graph.format.key if graph else None,
        limit=settings.result_limit,
        base_iri=settings.base_iri,
        default_graphs=tuple(default_graphs) if protocol_dataset else None,
        named_graphs=tuple(named_graphs) if protocol_dataset else None,
    )
    return job, results, graph, timeout


def _etag_parts(job: QueryJob, results: Choice | None, graph: Choice | None) -> tuple:
    return ("query", job, _media(results), _media(graph))


def fast_key(request: FastRequest) -> Keyed | None:
    """A protocol query as the fast path keys it (``http/fast_path.py``): ``GET ?query=``,
    or a POST of ``application/sparql-query`` or of a form with ``query=``, read as
    ``_operation`` reads them. None for anything else (an update, the service description, a
    request that is an error): the Flask view then answers it, as before."""
    args, etag = request.args, request.method == "GET"
    if etag:
        if "update" in args or len(args.getlist("query")) != 1:
            return None
        text, params = args["query"], args
    elif request.mimetype == "application/sparql-query":
        text, params = request.body.decode("utf-8"), args
    elif request.mimetype == "application/x-www-form-urlencoded":
        form = request.form()
        if "update" in form or len(form.getlist("query")) != 1:
            return None
        text, params = form["query"], CombinedMultiDict([form, args])
    else:
        return None
    try:
        job, results, graph, timeout = query_job(text, params, request.accept, request.settings)
    except ApiError:
        return None
    parts = _etag_parts(job, results, graph) if etag else None
    return Keyed(job, parts, results, graph, timeout)


def _media(choice: Choice | None) -> str | None:
    return choice.media_type if choice else None


def _update(operation: Operation):
    mark_write()
    params = operation.params
    if params.getlist("using-graph-uri") or params.getlist("using-named-graph-uri"):
        raise BadRequest(
            "using-graph-uri and using-named-graph-uri are not supported; "
            "write USING / USING NAMED in the update instead."
        )
    if not operation.text.strip():
        raise BadRequest("The update is empty.")
    run_write(WriteJob("update", update=operation.text), budget(params))
    return Response(status=204)


_DESCRIPTION_OFFERS = [*offered_media_types(GRAPH), "text/html"]


def _service_description():
    settings = state().settings
    format_values = request.args.getlist("format")
    endpoint_iri = url_for("sparql.endpoint", _external=True)
    stats = store_stats()
    if format_values and format_values[0].lower() == "html":
        wants_html = True
        choice = None
    elif format_values:
        choice, wants_html = choose(None, format_values, GRAPH), False
    else:
        accept = parse_accept(request.headers.get("Accept"))
        best = accept.best_match(_DESCRIPTION_OFFERS) if accept else _DESCRIPTION_OFFERS[0]
        wants_html = best == "text/html"
        choice = None if wants_html or best is None else choose(best, [], GRAPH)
    # the page is in the interface language (web/pages.py): ?lang=, the cookie, Accept-Language
    lang = (
        (request.args.get("lang"), request.cookies.get("ctkg_lang"), request.accept_languages)
        if wants_html
        else ""
    )
    etag = etag_for(
        "description", endpoint_iri, bool(settings.tokens), wants_html, _media(choice), lang
    )
    cached = not_modified(etag)
    if cached is not None:
        return cached
    if wants_html:  # the site's page, in the interface language
        response = service_description.html_page(endpoint_iri, settings, stats)
        response.headers["Vary"] = "Accept, Cookie, Accept-Language"
        response.set_etag(etag, weak=True)
        return response
    if choice is None:
        raise not_acceptable(_DESCRIPTION_OFFERS)
    else:
        triples = service_description.description_triples(endpoint_iri, settings, stats)
        body = service_description.serialize(triples, choice.format.key, settings.base_iri)
        response = Response(body, content_type=choice.content_type)
    response.headers["Vary"] = "Accept"
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response
