"""``ctkg.KnowledgeGraph``: the graph for notebooks — SPARQL in, pandas DataFrames out.

Opened on the embedded store (the default data directory, or another) or on any SPARQL 1.1
endpoint URL (ours or another, through SPARQLWrapper). Errors are Python exceptions carrying the
server's message; a result the server capped is flagged in ``frame.attrs["capped"]``.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import re
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import replace

import pandas as pd

from ctkg.config import Settings
from ctkg.frames import frame_from_json

TRUNCATED_HEADER = "X-CTKG-Results-Truncated"
LABELS = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
RDF_OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
# the HTTP status behind each SPARQLWrapper exception
WRAPPER_STATUS = {
    "QueryBadFormed": 400,
    "Unauthorized": 401,
    "EndPointNotFound": 404,
    "URITooLong": 414,
    "EndPointInternalError": 500,
}
# the rdflib parser for a CONSTRUCT/DESCRIBE answer's media type
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/n3": "n3",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


class QueryError(Exception):
    """The query could not be answered; the message is the store's or server's own.

    ``status`` is the endpoint's HTTP status when there was one (None for the embedded store).
    """

    status: int | None = None


class QueryTimeout(QueryError):
    """The query ran past its time budget and was stopped."""


class KnowledgeGraph:
    """The ctkg graph, embedded or remote.

    >>> kg = KnowledgeGraph()                               # embedded, CTKG_DATA_DIR
    >>> kg = KnowledgeGraph("http://127.0.0.1:8080/sparql") # any SPARQL endpoint
    >>> kg.run("series-editions")                           # a named query, as a DataFrame
    """

    def __init__(
        self,
        source: str | None = None,
        *,
        lang: str | None = "vi",
        timeout: float | None = None,
        settings: Settings | None = None,
    ):
        self.lang = lang
        self.timeout = timeout
        settings = settings or Settings.from_env()
        if source and source.startswith(("http://", "https://")):
            self._backend = _Remote(source)
        else:
            if source:
                settings = replace(settings, data_dir=source)
            self._backend = _Embedded(settings)
        self.settings = settings

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self._backend.describe()})"

    def query(
        self, sparql: str, *, lang: str | None = ..., timeout: float | None = None
    ) -> pd.DataFrame:
        """SELECT/ASK results as a typed DataFrame (``lang``: keep labels in that language)."""
        data, capped = self._backend.select(sparql, timeout or self.timeout)
        frame = frame_from_json(data, self.lang if lang is ... else lang)
        frame.attrs.update(capped=capped, query=sparql)
        return frame

    def run(
        self, name: str, *, lang: str | None = ..., timeout: float | None = None, **params
    ) -> pd.DataFrame:
        """A named query (``ctkg queries`` lists them) with its parameters, as a DataFrame.

        ``lang`` (default: the graph's) also binds the query's ``lang`` parameter, so the labels
        come back in that language; ``lang=None`` leaves the query's own default.
        """
        if lang is ...:
            lang = params.get("lang") or self.lang
        if lang and "lang" not in params and "lang" in self._backend.param_names(name):
            # the query picks its labels by its own ``lang`` parameter: ask for the same language
            params = {**params, "lang": lang}
        data, capped = self._backend.run(name, params, timeout or self.timeout)
        frame = frame_from_json(data, lang)
        frame.attrs.update(capped=capped, query=name, params=params)
        return frame

    def queries(self) -> pd.DataFrame:
        """The named queries: name, title, description, parameters."""
        return pd.DataFrame(self._backend.catalog())

    def describe(self, iri: str, *, lang: str | None = ...) -> pd.DataFrame:
        """Everything said of ``iri``: outgoing and incoming triples, with labels.

        Incoming links from provenance statements are left out; ``sources(iri)`` has them.
        """
        iri = self.expand(iri)
        if any(c in iri for c in '<>"{}|\\^` \n\t'):
            raise QueryError(f"not an IRI: {iri!r}")
        sparql = f"""
        SELECT ?direction ?property ?value ?valueLabel WHERE {{
          {{ <{iri}> ?property ?value . BIND("out" AS ?direction)
             OPTIONAL {{ ?value <{LABELS}> ?valueLabel }} }}
          UNION
          {{ ?value ?property <{iri}> . BIND("in" AS ?direction)
             FILTER(?property != <{RDF_SUBJECT}> && ?property != <{RDF_OBJECT}>)
             OPTIONAL {{ ?value <{LABELS}> ?valueLabel }} }}
        }} ORDER BY ?direction ?property ?value"""
        return self.query(sparql, lang=lang)

    def expand(self, ref: str) -> str:
        """``province/hai-phong`` -> the full IRI under the configured base; IRIs unchanged."""
        if ref.startswith(("http://", "https://", "urn:")):
            return ref
        return f"{self.settings.base_iri}id/{ref}"

    def construct(self, sparql: str, *, timeout: float | None = None):
        """CONSTRUCT/DESCRIBE results as an rdflib Graph."""
        import rdflib

        data, rdf_format = self._backend.graph(sparql, timeout or self.timeout)
        graph = rdflib.Graph()
        graph.parse(data=data, format=rdf_format)
        return graph

    def ontology(self):
        """The ctkg ontology loaded in owlready2, for object-style access to classes."""
        from ctkg.iris import IriScheme
        from ctkg.ontology.owl import load_owlready

        return load_owlready(IriScheme(self.settings.base_iri))

    def to_networkx(self, *, lang: str | None = ...):
        """Entities and the relations between them as a networkx MultiDiGraph.

        Nodes are entity IRIs with ``label`` and ``type`` attributes; edges carry the ctkg
        property (``key`` and ``property``). Literal values and provenance nodes are left out.
        """
        import networkx as nx

        ids = f"{self.settings.base_iri}id/"
        vocab = f"{self.settings.base_iri}ontology#"
        edges = self.query(
            f"""
            SELECT ?s ?p ?o WHERE {{
              ?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?p), "{vocab}"))
              FILTER(STRSTARTS(STR(?s), "{ids}") && STRSTARTS(STR(?o), "{ids}"))
              FILTER(!STRSTARTS(STR(?s), "{ids}statement/"))
              FILTER(!STRSTARTS(STR(?s), "{ids}fact/"))
            }}""",
            lang=None,
        )
        # the most specific ctkg class of each entity (the build materialises the super-classes);
        # evidence and sources are provenance, not entities
        nodes = self.query(
            f"""
            SELECT ?s ?label ?type WHERE {{
              ?s a ?type . FILTER(STRSTARTS(STR(?s), "{ids}") && STRSTARTS(STR(?type), "{vocab}"))
              FILTER(!STRSTARTS(STR(?s), "{ids}statement/"))
              FILTER(!STRSTARTS(STR(?s), "{ids}fact/"))
              FILTER NOT EXISTS {{
                ?s a ?sub . ?sub <{SUBCLASS}> ?type . FILTER(?sub != ?type)
                FILTER(STRSTARTS(STR(?sub), "{vocab}"))
              }}
              FILTER NOT EXISTS {{
                ?s a ?provenance .
                VALUES ?provenance {{ <{vocab}Evidence> <{vocab}NewsArticle>
                                      <{vocab}SourceDataset> <{vocab}WebSource> }}
              }}
              OPTIONAL {{ ?s <{LABELS}> ?label }}
            }} ORDER BY ?s ?type""",
            lang=self.lang if lang is ... else lang,
        )
        graph = nx.MultiDiGraph()
        graph.graph["capped"] = bool(nodes.attrs.get("capped") or edges.attrs.get("capped"))
        if graph.graph["capped"]:
            warnings.warn("the endpoint capped the results: this graph is incomplete", stacklevel=2)
        for row in nodes.itertuples(index=False):
            if row.s in graph:  # a second label (lang=None) or a second most specific class
                continue
            graph.add_node(
                row.s,
                label=row.label if pd.notna(row.label) else row.s,
                type=row.type.removeprefix(vocab),
            )
        for row in edges.itertuples(index=False):
            if row.s not in graph or row.o not in graph:
                continue
            prop = row.p.removeprefix(vocab)
            graph.add_edge(row.s, row.o, key=prop, property=prop)
        return graph


class _Embedded:
    """The on-disk store of this machine, read-only; queries in a killable child on timeout."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.path  # noqa: B018 - fails early, with what to run, when nothing is built

    @property
    def path(self):
        """The store of the current build, looked up per query: a rebuild swaps it."""
        from ctkg.graph.store import current_dir

        return current_dir(self.settings) / "store"

    def describe(self) -> str:
        return f"embedded store at {self.path}"

    def select(self, sparql: str, timeout: float | None) -> tuple[dict, bool]:
        body = self._serialized(sparql, "json", timeout)
        return json.loads(body), False

    def graph(self, sparql: str, timeout: float | None) -> tuple[bytes, str]:
        return self._serialized(sparql, "nt", timeout), "nt"

    def run(self, name: str, params: dict, timeout: float | None) -> tuple[dict, bool]:
        from ctkg.queries import catalog

        base = self.settings.base_iri
        try:
            query = catalog.get(name)
            substitutions = query.bind({k: str(v) for k, v in params.items()}, base)
        except (catalog.UnknownQueryError, catalog.QueryParameterError) as exc:
            raise QueryError(str(exc)) from None
        body = self._serialized(query.sparql(base), "json", timeout, substitutions)
        return json.loads(body), False

    def param_names(self, name: str) -> set[str]:
        from ctkg.queries import catalog

        try:
            return {p.name for p in catalog.get(name).params}
        except catalog.UnknownQueryError:
            return set()

    def catalog(self) -> list[dict]:
        from ctkg.queries import catalog

        return [q.to_dict() for q in catalog.all_queries()]

    def _serialized(self, sparql, fmt, timeout, substitutions=None) -> bytes:
        if timeout is None:
            return _execute(str(self.path), sparql, fmt, substitutions)
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(child, str(self.path), sparql, fmt, substitutions))
        proc.start()
        child.close()
        try:
            if not parent.poll(timeout):
                raise QueryTimeout(f"query stopped after its time budget of {timeout:g} s")
            ok, payload = parent.recv()
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join()
        if not ok:
            raise QueryError(payload)
        return payload


def _execute(path: str, sparql: str, fmt: str, substitutions=None) -> bytes:
    import pyoxigraph as ox

    store = ox.Store.read_only(path)
    try:
        result = store.query(sparql, substitutions=substitutions)
        if isinstance(result, ox.QueryTriples):
            if fmt == "json":
                raise QueryError("query() answers SELECT and ASK; use construct() for this query")
            return result.serialize(format=ox.RdfFormat.N_TRIPLES)
        if fmt != "json":
            raise QueryError("construct() answers CONSTRUCT and DESCRIBE; use query() for this")
        return result.serialize(format=ox.QueryResultsFormat.JSON)
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {exc}") from None
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors (e.g. SERVICE)
        raise QueryError(str(exc)) from None


def _child(conn, path, sparql, fmt, substitutions) -> None:
    try:
        conn.send((True, _execute(path, sparql, fmt, substitutions)))
    except QueryError as exc:
        conn.send((False, str(exc)))
    except Exception as exc:  # reported to the parent as a message, not a traceback
        conn.send((False, f"{type(exc).__name__}: {exc}"))


class _Remote:
    """A SPARQL 1.1 endpoint through SPARQLWrapper; our own server's extras when present."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.api = endpoint.rsplit("/sparql", 1)[0] + "/api/queries"
        self._params: dict[str, set[str]] | None = None

    def describe(self) -> str:
        return self.endpoint

    def _wrapper(self, sparql: str, timeout: float | None):
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        wrapper = SPARQLWrapper(self.endpoint)
        wrapper.setMethod(POST)
        with warnings.catch_warnings():  # "unknown query type": the server's message says more
            warnings.simplefilter("ignore", RuntimeWarning)
            wrapper.setQuery(sparql)
        wrapper.setReturnFormat(JSON)
        if timeout:
            wrapper.addParameter("timeout", f"{timeout:g}")
            wrapper.setTimeout(int(timeout) + 10)
        return wrapper

    def select(self, sparql: str, timeout: float | None) -> tuple[dict, bool]:
        from SPARQLWrapper import CONSTRUCT, DESCRIBE

        wrapper = self._wrapper(sparql, timeout)
        if wrapper.queryType in (CONSTRUCT, DESCRIBE):
            raise QueryError("query() answers SELECT and ASK; use construct() for this query")
        response = self._call(wrapper, timeout)
        capped = response.info().get(TRUNCATED_HEADER.lower(), "").lower() == "true"
        return json.loads(self._read(response.response, timeout)), capped

    def graph(self, sparql: str, timeout: float | None) -> tuple[bytes, str]:
        from SPARQLWrapper import ASK, SELECT, TURTLE

        wrapper = self._wrapper(sparql, timeout)
        if wrapper.queryType in (SELECT, ASK):
            raise QueryError("construct() answers CONSTRUCT and DESCRIBE; use query() for this")
        wrapper.setReturnFormat(TURTLE)
        wrapper.addCustomHttpHeader("Accept", "text/turtle, application/n-triples;q=0.9")
        response = self._call(wrapper, timeout).response
        media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return self._read(response, timeout), RDF_FORMATS.get(media_type, "turtle")

    def _read(self, response, timeout: float | None) -> bytes:
        try:
            return response.read()
        except TimeoutError:
            raise _stopped(timeout) from None

    def _call(self, wrapper, timeout: float | None = None):
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        try:
            with _http_failures(self.endpoint, timeout), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return wrapper.query()
        except SPARQLWrapperException as exc:
            error = QueryError(_wrapper_message(exc))
            error.status = WRAPPER_STATUS.get(type(exc).__name__)
            raise error from None

    def param_names(self, name: str) -> set[str]:
        if self._params is None:
            try:
                self._params = {
                    q["name"]: {p["name"] for p in q.get("params", [])} for q in self.catalog()
                }
            except QueryError:
                self._params = {}
        return self._params.get(name, set())

    def run(self, name: str, params: dict, timeout: float | None) -> tuple[dict, bool]:
        query = {k: str(v) for k, v in params.items()}
        if timeout:
            query["timeout"] = f"{timeout:g}"
        url = f"{self.api}/{urllib.parse.quote(name)}?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with (
            _http_failures(self.api, timeout),
            urllib.request.urlopen(request, timeout=(timeout or 60) + 10) as response,
        ):
            capped = response.headers.get(TRUNCATED_HEADER, "").lower() == "true"
            return json.loads(response.read()), capped

    def catalog(self) -> list[dict]:
        request = urllib.request.Request(self.api, headers={"Accept": "application/json"})
        try:
            with _http_failures(self.api, 30), urllib.request.urlopen(request, timeout=30) as r:
                data = json.loads(r.read())
        except ValueError:
            raise QueryError(f"{self.api} does not list named queries") from None
        return data.get("queries", data) if isinstance(data, dict) else data


@contextlib.contextmanager
def _http_failures(where: str, timeout: float | None):
    """HTTP failures as the API's exceptions: the server's message, or a time-out."""
    try:
        yield
    except urllib.error.HTTPError as exc:
        raise _http_error(exc) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _stopped(timeout) from None
        raise QueryError(f"cannot reach {where}: {exc.reason}") from None
    except TimeoutError:
        raise _stopped(timeout) from None


def _http_error(exc: urllib.error.HTTPError) -> QueryError:
    body = exc.read().decode("utf-8", "replace")
    message = _server_message(body) or f"HTTP {exc.code} {exc.reason}"
    timed_out = exc.code == 504 or (
        exc.code == 503
        and ('"timeout_s"' in body or re.search(r"time ?budget|timed? ?out", body, re.I))
    )
    error = (QueryTimeout if timed_out else QueryError)(message)
    error.status = exc.code
    return error


def _stopped(timeout: float | None) -> QueryTimeout:
    return QueryTimeout(
        "no answer from the endpoint within "
        + (f"the time budget of {timeout:g} s" if timeout else "the client's time limit")
    )


def _wrapper_message(exc) -> str:
    """The server's message out of a SPARQLWrapper exception (which holds ``repr(body)``)."""
    import ast

    text = str(exc)
    head, sep, raw = text.partition("Response:\n")
    if sep:
        try:
            body = ast.literal_eval(raw.strip())
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            message = _server_message(str(body))
            if message:
                return message
        except (ValueError, SyntaxError):
            pass
    return head.strip().rstrip(".") or text


def _server_message(text: str) -> str:
    """The ``message`` of our server's JSON error body, or the text itself."""
    start = text.find("{")
    if start >= 0:
        try:
            data = json.loads(text[start : text.rfind("}") + 1])
            if isinstance(data, dict):
                for key in ("message", "error"):  # our server's error bodies
                    if isinstance(data.get(key), str) and data[key]:
                        return data[key]
        except ValueError:
            pass
    text = text.strip()
    if text.startswith("<"):  # an HTML error page: its words, not its markup
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= 500 else text[:500] + "…"
