"""``/graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol (indirect identification).

https://www.w3.org/TR/sparql11-http-rdf-update/ — ``?graph=<IRI>`` names a graph, ``?default``
the default graph, neither the whole dataset. GET/HEAD read (anyone; negotiated like queries,
with ETags and the time budget). PUT replaces a graph, POST adds to a graph (or, with quads,
to the dataset), DELETE drops a graph; writes need a bearer token and are atomic.

The default graph is the merge of the named graphs (``ctkg.graph.store``), rebuilt after every
write, so it is read-only here: write to a named graph.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..engine.jobs import GraphReadJob, WriteJob
from ..http.answers import answer, budget, etag_for, not_modified, run_read
from ..http.auth import require_write_token
from ..http.bodies import declares_entities
from ..http.context import state
from ..http.errors import ApiError, BadRequest, UnsupportedMediaType, not_acceptable
from ..http.formats import BODY_FORMATS, DATASET, TRIPLES, choose, offered_media_types
from ..http.writes import run_write
from .protocol import check_iri

bp = Blueprint("graph_store", __name__)

_QUAD_FORMATS = ("trig", "nquads", "jsonld")


def _target() -> tuple[str, str | None]:
    """("graph", IRI), ("default", None) or ("dataset", None), from the query string."""
    graphs = request.args.getlist("graph")
    has_default = "default" in request.args
    if graphs and has_default:
        raise BadRequest("Give either graph=<IRI> or default, not both.")
    if len(graphs) > 1:
        raise BadRequest("Give one graph parameter.")
    if graphs:
        return "graph", check_iri(graphs[0], "graph")
    if has_default:
        return "default", None
    return "dataset", None


@bp.route("/graph-store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store():
    """Read or write a graph of the store."""
    kind, graph = _target()
    if request.method in ("GET", "HEAD"):
        return _read(kind, graph)
    require_write_token()
    if kind == "default":
        raise BadRequest(
            "The default graph is the merge of the named graphs and is rebuilt after every "
            "write; write to a named graph (graph=<IRI>) instead."
        )
    if kind == "dataset" and request.method != "POST":
        raise ApiError(
            f"{request.method} of the whole dataset is not supported; name a graph.",
            status=405,
            headers={"Allow": "GET, HEAD, POST"},
        )
    timeout = budget(request.args)
    if request.method == "DELETE":
        run_write(WriteJob("delete", graph=graph), timeout)
        return Response(status=204)
    body_format = _body_format(quads=kind == "dataset")
    body = request.get_data(cache=False)
    if body_format == "rdfxml" and declares_entities(body):
        raise BadRequest(
            "RDF/XML that declares entities (<!ENTITY ...>) is not accepted: entities can "
            "expand exponentially as the document is parsed. Send it with the entities expanded."
        )
    outcome = run_write(
        WriteJob(request.method.lower(), graph=graph, body=body, body_format=body_format), timeout
    )
    return Response(status=201 if outcome.data.get("created") else 204)


def _body_format(quads: bool) -> str:
    key = BODY_FORMATS.get(request.mimetype)
    allowed = _QUAD_FORMATS if quads else tuple(BODY_FORMATS.values())
    if key is None or key not in allowed:
        accepted = sorted({m for m, k in BODY_FORMATS.items() if k in allowed})
        raise UnsupportedMediaType(
            f"Send the graph as one of: {', '.join(accepted)}.", accepted=accepted
        )
    return key


def _read(kind: str, graph: str | None):
    settings = state().settings
    offers = DATASET if kind == "dataset" else TRIPLES
    choice = choose(request.headers.get("Accept"), request.args.getlist("format"), offers)
    if choice is None:
        raise not_acceptable(offered_media_types(offers))
    job = GraphReadJob(
        format=choice.format.key,
        base_iri=settings.base_iri,
        graph=graph,
        whole_dataset=kind == "dataset",
    )
    timeout = budget(request.args)
    state().counters.add("queries_total")
    etag = etag_for("graph-store", job, choice.media_type)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    outcome = run_read(job, timeout)
    return answer(outcome, choice, etag)
