"""Dereferenceable IRIs: every IRI under ``CTKG_BASE_IRI`` answers on this server.

IRIs and where they are served (``{base}`` is the configured base, mapped onto this server's
root, so ``https://w3id.org/ctkg/id/province/hai-phong`` is ``/id/province/hai-phong`` here):

==============================  ==========================================================
``/id/…``, ``/graph/…``         the IRI of an entity or named graph: **303 See Other** to a
                                document about it, chosen by ``Accept`` (``Vary: Accept``)
``/page/id/…``                  the HTML page about it (entity page, or article page)
``/data/id/….ttl|nt|rdf|jsonld``  its RDF description: Turtle, N-Triples, RDF/XML, JSON-LD
``/ontology``                   the ontology (hash namespace ``{base}ontology#``): HTML
                                documentation or Turtle/N-Triples/RDF-XML/JSON-LD, by direct
                                negotiation (``Vary: Accept``, ``Content-Location``)
``/ontology.ttl`` …             each form of the ontology at its own URL
``/dumps/``, ``/dumps/<file>``  the build's dumps with their SHA-256 sums
==============================  ==========================================================

Why 303 for entities (W3C "Cool URIs for the Semantic Web", section 4.3): ``/id/…`` names
things that are not web documents — a province, a person, a conference — so the IRI answers
with a redirect to a document *about* the thing rather than claiming to be that document
(httpRange-14). It also gives every representation a URL of its own (``/page/…`` to bookmark
and share, ``/data/….ttl`` to download or cite) that caches without ``Vary``, which is how
DBpedia and Wikidata publish. The price is one extra round trip, and it only applies to the
``/id/`` step. The ontology is a *hash* namespace: ``{base}ontology#Province`` can never reach
the server with its fragment, and ``{base}ontology`` is a document (the ontology), so it is
served directly, negotiated, with ``Content-Location`` naming the variant's own URL.

Negotiation uses the server's tables and werkzeug's Accept parsing (``formats.py``): q-values,
wildcards, ``q=0``; ``format=`` (``ttl``, ``nt``, ``rdf``, ``jsonld``, ``html``) overrides
``Accept`` for links. No ``Accept`` or ``*/*`` gets HTML, as browsers and curl users expect;
an ``Accept`` that allows none of the offers is a 406 listing them. An IRI the graph never
mentions is a 404 — an HTML page for browsers, the server's JSON or text error otherwise —
before any redirect, so a 303 always leads somewhere.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, redirect, request, send_file
from werkzeug.exceptions import NotFound as WerkzeugNotFound

from ctkg.graph.store import StoreMissing, current_dir, manifest
from ctkg.iris import is_iri

from ..engine.jobs import GraphReadJob, QueryJob
from ..http.answers import answer, etag_for, not_modified, run_read
from ..http.context import state
from ..http.errors import (
    NotFound,
    ServiceUnavailable,
    error_response,
    not_acceptable,
    wants_html,
)
from ..http.formats import FORMATS, TRIPLES, Choice, from_format_parameter, parse_accept
from . import describe, pages
from .paths import (
    EXTENSION_OF,
    EXTENSIONS,
    SPACES,
    base_iri,
    data_path,
    iri_for_path,
    local_path,
    page_path,
)

bp = Blueprint("linked_data", __name__)

HTML = "text/html"
# what a description is offered as: HTML first, then the RDF forms (formats.OFFERS[TRIPLES])
RDF_MEDIA = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/x-turtle": "turtle",
    "application/json": "jsonld",
}
DOCUMENT_OFFERS = [HTML, *RDF_MEDIA]


def _checked_iri(space: str, rest: str) -> str | None:
    """The IRI ``{base}{space}/{rest}`` if it is a well-formed IRI, else None."""
    iri = iri_for_path(f"{space}/{rest}")
    if not rest or not is_iri(iri):
        return None
    try:
        describe.ref(iri)
    except ValueError:
        return None
    return iri


# --- negotiation -------------------------------------------------------------------------


def negotiate_document(offers: list[str] = DOCUMENT_OFFERS) -> str | None:
    """'html', an RDF format key, or None (406): from ``format=``, else from ``Accept``."""
    values = request.args.getlist("format")
    if values:
        if values[0].strip().lower() in ("html", "text/html"):
            return "html" if HTML in offers else None
        choice = from_format_parameter(values, TRIPLES)
        return choice.format.key if choice and choice.format.key in EXTENSION_OF else None
    accept = parse_accept(request.headers.get("Accept"))
    if not accept:  # no Accept header: the first offer
        return "html" if offers[0] == HTML else RDF_MEDIA[offers[0]]
    best = accept.best_match(offers)
    if best is None:
        return None
    return "html" if best == HTML else RDF_MEDIA[best]


def not_found(iri: str) -> Response:
    """The 404 for an IRI the graph does not mention: a page for browsers, else an error body."""
    if wants_html(default=True):
        return pages.not_found_page(iri)
    response = error_response(404, f"The graph says nothing about <{iri}>.", iri=iri)
    response.headers["Vary"] = "Accept"
    return response


# --- /id/… and /graph/…: 303 to a document ----------------------------------------------


@bp.route("/id/<path:rest>", methods=["GET", "HEAD"])
def dereference_id(rest: str):
    return _dereference("id", rest)


@bp.route("/graph/<path:rest>", methods=["GET", "HEAD"])
def dereference_graph(rest: str):
    return _dereference("graph", rest)


def _graph_only(space: str, iri: str) -> bool:
    """A named graph the data does not otherwise mention (``graph/meta``): it still exists."""
    return space == "graph" and describe.is_named_graph(iri)


def _dereference(space: str, rest: str) -> Response:
    iri = _checked_iri(space, rest)
    graph_only = iri is not None and not describe.exists(iri) and _graph_only(space, iri)
    if iri is None or not (graph_only or describe.exists(iri)):
        return not_found(iri or iri_for_path(f"{space}/{rest}"))
    chosen = negotiate_document()
    if chosen is None:
        raise not_acceptable(DOCUMENT_OFFERS)
    if graph_only and chosen != "html":  # its RDF is the graph itself
        target = f"/graph-store?graph={pages._quote(iri)}&format={EXTENSION_OF[chosen]}"
    elif chosen == "html":
        target = page_path(iri)
        lang = request.args.get("lang")
        if lang in pages.LANGUAGES:
            target += f"?lang={lang}"
    else:
        target = data_path(iri, chosen)
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = "no-cache"
    return response


# --- /page/…: HTML ---------------------------------------------------------------------


@bp.route("/page/<space>/<path:rest>", methods=["GET", "HEAD"])
def page(space: str, rest: str):
    iri = _checked_iri(space, rest) if space in SPACES else None
    if iri is None:
        return pages.not_found_page(iri_for_path(f"{space}/{rest}"))
    etag = etag_for("page", iri, pages.current_lang(), pages.PAGE_VERSION)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    description = describe.describe(iri)
    if description is None:
        if _graph_only(space, iri):
            response = pages.render_graph(iri)
            response.set_etag(etag, weak=True)
            return response
        return pages.not_found_page(iri)
    response = pages.render_resource(description)
    response.set_etag(etag, weak=True)
    response.headers["Link"] = ", ".join(
        [f'<{local_path(iri)}>; rel="describes"']
        + [
            f'<{data_path(iri, key)}>; rel="alternate"; type="{FORMATS[key].media_type}"'
            for key in EXTENSION_OF
        ]
    )
    return response


# --- /data/…: RDF ------------------------------------------------------------------------


def description_query(iri: str) -> str:
    """CONSTRUCT: own triples, incoming links, labels of both, the statements naming its
    triples, the facts that state them (their sources, confidence, notes) and their evidence."""
    node = describe.ref(iri)
    return f"""PREFIX rdf: <{describe.RDF}>
PREFIX rdfs: <{describe.RDFS}>
PREFIX ctkg: <{describe.vocab("")}>
CONSTRUCT {{
  {node} ?p ?o . ?o rdfs:label ?oLabel .
  ?in ?inP {node} . ?in rdfs:label ?inLabel .
  ?st ?stP ?stO .
  ?fact ctkg:statement ?st . ?fact ?factP ?factO .
  ?ev ?evP ?evO .
}} WHERE {{
  {{ {node} ?p ?o OPTIONAL {{ ?o rdfs:label ?oLabel }} }}
  UNION
  {{
    ?in ?inP {node}
    FILTER(?inP NOT IN (rdf:subject, rdf:predicate, rdf:object))
    FILTER NOT EXISTS {{ ?in a rdf:Statement }}
    FILTER NOT EXISTS {{ ?in a ctkg:Fact }}
    OPTIONAL {{ ?in rdfs:label ?inLabel }}
  }}
  UNION
  {{ ?st rdf:subject {node} ; a rdf:Statement ; ?stP ?stO }}
  UNION
  {{
    ?st rdf:subject {node} ; a rdf:Statement . ?fact ctkg:statement ?st ; ?factP ?factO
    FILTER(?factP != ctkg:statement)
  }}
  UNION
  {{ ?st rdf:subject {node} ; a rdf:Statement . ?fact ctkg:statement ?st ; ctkg:evidence ?ev .
     ?ev ?evP ?evO }}
}}"""


@bp.route("/data/<space>/<path:rest>", methods=["GET", "HEAD"])
def data(space: str, rest: str):
    stem, dot, ext = rest.rpartition(".")
    if dot and ext in EXTENSIONS:
        key = EXTENSIONS[ext]
    else:
        stem, key = rest, None
    iri = _checked_iri(space, stem) if space in SPACES else None
    if iri is None or not describe.exists(iri):
        return not_found(iri or iri_for_path(f"{space}/{stem}"))
    if key is None:  # no extension: pick the RDF form by Accept, like /id/ does
        offers = list(RDF_MEDIA)
        chosen = negotiate_document(offers)
        if chosen is None or chosen == "html":
            raise not_acceptable(offers)
        response = redirect(data_path(iri, chosen), code=303)
        response.headers["Vary"] = "Accept"
        return response
    fmt = FORMATS[key]
    choice = Choice(fmt, fmt.media_type)
    settings = state().settings
    etag = etag_for("data", iri, key)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    job = QueryJob(
        query=description_query(iri),
        results_format=None,
        graph_format=key,
        limit=settings.result_limit,
        base_iri=settings.base_iri,
    )
    response = answer(run_read(job, settings.query_timeout_s), choice, etag)
    del response.headers["Vary"]  # the URL fixes the format
    response.headers["Link"] = f'<{local_path(iri)}>; rel="describes"'
    return response


# --- the ontology ------------------------------------------------------------------------

ONTOLOGY_OFFERS = [HTML, *RDF_MEDIA]


def ontology_graph_iri() -> str:
    return base_iri() + "graph/ontology"


@bp.route("/ontology", methods=["GET", "HEAD"])
def ontology():
    chosen = negotiate_document(ONTOLOGY_OFFERS)
    if chosen is None:
        raise not_acceptable(ONTOLOGY_OFFERS)
    response = _ontology_document(chosen)
    response.headers["Vary"] = "Accept"
    ext = "html" if chosen == "html" else EXTENSION_OF[chosen]
    response.headers["Content-Location"] = f"/ontology.{ext}"
    return response


@bp.route("/ontology.<ext>", methods=["GET", "HEAD"])
def ontology_file(ext: str):
    if ext != "html" and ext not in EXTENSIONS:
        raise WerkzeugNotFound()
    return _ontology_document("html" if ext == "html" else EXTENSIONS[ext])


@bp.route("/ontology/<version>", methods=["GET", "HEAD"])
def ontology_version(version: str):
    """The version IRI: this server serves the current version only."""
    response = redirect("/ontology", code=303)
    response.headers["Vary"] = "Accept"
    return response


def _ontology_document(chosen: str) -> Response:
    settings = state().settings
    etag = etag_for("ontology", chosen, pages.current_lang(), pages.PAGE_VERSION)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    if chosen == "html":
        response = pages.render_ontology(ontology_ntriples)
        response.set_etag(etag, weak=True)
        response.headers["Cache-Control"] = "no-cache"
        return response
    job = GraphReadJob(format=chosen, base_iri=settings.base_iri, graph=ontology_graph_iri())
    fmt = FORMATS[chosen]
    return answer(run_read(job, settings.query_timeout_s), Choice(fmt, fmt.media_type), etag)


def ontology_ntriples() -> bytes:
    """The ontology graph as N-Triples (for the HTML documentation)."""
    settings = state().settings
    job = GraphReadJob(format="ntriples", base_iri=settings.base_iri, graph=ontology_graph_iri())
    outcome = run_read(job, settings.query_timeout_s)
    return describe._results_body(outcome)


# --- dumps -------------------------------------------------------------------------------

CHECKSUMS = "SHA256SUMS"


def dumps_info() -> dict:
    """The current build's dumps: {name: {format, bytes, sha256}}, its id and directory."""
    settings = state().settings
    try:
        info = manifest(settings)
        directory = current_dir(settings) / "dumps"
    except (StoreMissing, FileNotFoundError):
        raise ServiceUnavailable(
            "No graph is being served: none has been built yet (run `ctkg build`)."
        ) from None
    return {"build": info.get("build", ""), "files": info.get("dumps", {}), "dir": directory}


@bp.get("/dumps")
def dumps_redirect():
    return redirect("/dumps/", code=301)


@bp.route("/dumps/", methods=["GET", "HEAD"])
def dumps_index():
    info = dumps_info()
    return pages.render_dumps(info)


@bp.route("/dumps/<name>", methods=["GET", "HEAD"])
def dump_file(name: str):
    info = dumps_info()
    files = info["files"]
    if name != CHECKSUMS and name not in files:
        raise NotFound(f"No dump named {name!r}; the dumps are listed at /dumps/.")
    path = info["dir"] / name
    if not path.is_file():
        raise NotFound(f"The dump {name!r} is missing from this build.")
    media_type = "text/plain" if name == CHECKSUMS else files[name]["format"]
    response = send_file(path, mimetype=media_type, conditional=True, etag=True, max_age=300)
    if name in files:
        digest = base64.b64encode(bytes.fromhex(files[name]["sha256"])).decode("ascii")
        response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    return response
