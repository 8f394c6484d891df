"""Serving from a remote SPARQL 1.1 store (``CTKG_STORE`` = its query endpoint URL).

The remote store (tested with the Oxigraph server and Virtuoso) holds what ``ctkg build``
published there (``graph/remote.py``): the named graphs, and their merge as the named graph
``{base}graph/merge``. Every query is sent with an explicit dataset (the protocol's
``default-graph-uri`` = the merge, ``named-graph-uri`` = ctkg's graphs), unless the client or
the query (FROM / FROM NAMED) names one: a store's own default graph is not reliable (Virtuoso's
is the union of every graph it holds). This backend gives the executor's code a store-like
object over HTTP, so a request is checked, capped, negotiated and answered exactly as on the
embedded store: the remote answers in SPARQL JSON or N-Triples and the answer is re-serialised
here in the format the client asked for.

Differences from the embedded store, by nature of the route:

- The time budget is enforced on the HTTP exchange: the client gets its 503 on time, but the
  remote store may go on computing unless it has its own limit (``oxigraph serve --timeout-s``).
- Named-query parameters are bound by token substitution (``queries/substitute.py``), since a
  remote endpoint takes only query text.
- The data version is the generation in the store's record (``graph/remote.py``), asked for
  once per request: every publish and every write through ctkg changes it, so ETags agree
  between workers; a write made behind ctkg's back is not seen until the next one. The list of
  ctkg's graphs the dataset names is read from the same record, also one small query: every
  publish and every write through ctkg, from any server worker, keeps it up to date; a graph
  written into the store behind ctkg's back is served from the next publish or SPARQL Update
  through ctkg.
- The answer's media type is asked for by query form (SPARQL JSON for SELECT and ASK,
  N-Triples for CONSTRUCT and DESCRIBE): Virtuoso 7.2 answers with the first type of a list
  whatever the form, and fails writing a CONSTRUCT as SPARQL JSON.
- Writes are sent as one SPARQL Update request (the change, then the merge graph brought up to
  date); the store must run one request as one transaction for that to be atomic (Oxigraph and
  Virtuoso do). A SPARQL Update's WHERE clause reads the store's own default graph (empty on the
  Oxigraph server, the union of everything on Virtuoso): name graphs there (``GRAPH <g>``).
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable

import pyoxigraph as ox

from ctkg.graph.remote import Layout, RemoteStore, RemoteStoreError, drop_graph
from ctkg.queries.substitute import substitute

from . import executor
from .backend import Timeout
from .guard import _OPAQUE, Policy, Refused, check_update
from .jobs import Outcome, QueryJob, ReadJob, Status, WriteJob

VERSION_TIMEOUT_S = 5
ACCEPT_RESULTS = "application/sparql-results+json"
ACCEPT_GRAPH = "application/n-triples, text/plain;q=0.1"
# the query form: the first of these keywords outside strings, comments and IRIs (the
# prologue before it has only PREFIX and BASE, whose IRIs are blanked out)
_FORM = re.compile(r"(?i)(?<![\w:?$-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])")
# FROM <iri> / FROM NAMED <iri> (or a prefixed name), outside strings, comments and IRIs
# (the IRIs are blanked out before this is matched, so FROM is followed by a blank or a name)
_DATASET_CLAUSE = re.compile(r"(?i)(?<![\w:?$-])FROM(?![\w:-])")
# where the store's syntax error points: Oxigraph's "error at 3:2: ..." (Virtuoso's "line N"
# counts the pragmas it puts before the query for the dataset, so it is not passed on)
_STORE_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)$", re.S)


def syntax_error(detail: str, shift: int) -> SyntaxError:
    """The remote store's syntax error in the executor's form ("error at L:C: ..."), the column
    corrected for the ``shift`` characters put before the query's first line."""
    found = _STORE_POSITION.search(detail)
    if found:
        line, column = int(found[1]), int(found[2])
        if line == 1:
            column = max(1, column - shift)
        return SyntaxError(f"error at {line}:{column}: {found[3].strip()}")
    return SyntaxError(f"the remote store rejected the query: {' '.join(detail.split())[:300]}")


def names_dataset(text: str) -> bool:
    """Does the query text have its own dataset clause (FROM / FROM NAMED)?"""
    return bool(_DATASET_CLAUSE.search(_OPAQUE.sub(" ", text)))


def oxigraph_syntax_error(text: str) -> SyntaxError | None:
    """Oxigraph's syntax error inside ``text``, found without running it: ``text`` is parsed with
    an ``@`` after it, which nothing in SPARQL may end with, so the parse always fails and nothing
    is evaluated; an error before that ``@`` is the text's own. None if the text reads to its end
    (valid, or cut short at its very end)."""
    try:
        ox.Store().update(text + "\n@")
    except SyntaxError as exc:
        found = _STORE_POSITION.search(str(exc.msg if exc.msg is not None else exc))
        if found is None:
            return None
        line, column = int(found[1]), int(found[2])
        lines = text.rstrip().split("\n")
        if line < len(lines) or (line == len(lines) and column <= len(lines[-1])):
            return SyntaxError(f"error at {line}:{column}: {found[3].strip()}")
    return None


def upstream_message(exc: Exception) -> str:
    """What to tell the client when the remote store failed: its own words (an Oxigraph server
    answers 500 for a request's evaluation error, e.g. a graph that does not exist), never its
    address on the operator's network."""
    if isinstance(exc, RemoteStoreError) and exc.status:
        words = " ".join(exc.detail.split())[:500] or "no reason given"
        return f"the remote store answered {exc.status}: {words}"
    return "the remote store could not be reached"


def accept_for(text: str) -> str:
    """The media types to ask the remote store for, by the query's form."""
    form = _FORM.search(_OPAQUE.sub(" ", text))
    if form and form[1].upper() in ("CONSTRUCT", "DESCRIBE"):
        return ACCEPT_GRAPH
    return ACCEPT_RESULTS


class Triples(list):
    """CONSTRUCT/DESCRIBE answers, serialisable like pyoxigraph's ``QueryTriples``."""

    def serialize(self, output=None, format=None):
        return ox.serialize(self, output, format)


class RemoteStoreView:
    """Just enough of ``pyoxigraph.Store``'s API for the executor's code, over
    ``ctkg.graph.remote.RemoteStore`` (the HTTP client the build publishes with).

    ``dataset()`` gives ctkg's layout in the store and its named graphs, asked once per view
    (a view serves one request).
    """

    def __init__(self, remote: RemoteStore, dataset: Callable[[], tuple[Layout, list[str]]]):
        self.remote = remote
        self._ask_dataset = dataset
        self._dataset: tuple[Layout, list[str]] | None = None

    def dataset(self) -> tuple[Layout, list[str]]:
        if self._dataset is None:
            self._dataset = self._ask_dataset()
        return self._dataset

    def _graphs(self, default_graph, named_graphs, text: str) -> tuple[list[str], list[str]]:
        """The dataset to send: the client's, else none if the query names its own, else the
        merge graph and ctkg's named graphs."""
        if default_graph is None and named_graphs is None:
            if names_dataset(text):
                return [], []
            layout, graphs = self.dataset()
            return [layout.merge], graphs or [layout.hidden + "none"]
        layout, _ = self.dataset()
        # the protocol cannot say "no graph": a graph that never exists stands for it
        nothing = [layout.hidden + "none"]
        default = [g.value for g in default_graph or ()] or nothing
        named = [g.value for g in named_graphs or ()] or nothing
        return default, named

    def query(
        self,
        text,
        *,
        default_graph=None,
        named_graphs=None,
        substitutions=None,
        base_iri=None,
        **_,
    ):
        if substitutions:
            text = substitute(text, substitutions)
        defaults, named = self._graphs(default_graph, named_graphs, text)
        prologue = ""
        if base_iri:  # relative IRIs resolve against the service's base, as in-process
            prologue = f"BASE <{ox.NamedNode(base_iri).value}> "
        sent = prologue + text
        try:
            content_type, body = self.remote.request_query(sent, accept_for(text), defaults, named)
        except TimeoutError:
            raise Timeout from None
        except RemoteStoreError as exc:
            if exc.status == 400:
                raise syntax_error(exc.detail or str(exc), len(prologue)) from None
            raise
        if content_type in ("application/n-triples", "text/plain"):
            return Triples(q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        if content_type == "application/sparql-results+json":
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        raise RemoteStoreError(f"the remote store answered in {content_type}, not SPARQL JSON")

    def update(self, text: str, base_iri: str | None = None) -> None:
        prologue = f"BASE <{ox.NamedNode(base_iri).value}> " if base_iri else ""
        try:
            self.remote.update(prologue + text)
        except TimeoutError:
            raise Timeout from None
        except RemoteStoreError as exc:
            if exc.status == 400:
                raise syntax_error(exc.detail or str(exc), len(prologue)) from None
            raise

    def named_graphs(self):
        return [ox.NamedNode(g) for g in self.dataset()[1]]

    def contains_named_graph(self, graph) -> bool:
        layout, graphs = self.dataset()
        return graph.value in graphs and layout.ours(graph.value)

    def dump(self, output=None, format=None, *, from_graph=None, prefixes=None):
        """The default graph, one named graph, or (no ``from_graph``) every named graph."""
        if from_graph is None:
            rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            data = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
        else:
            where = (
                "{ ?s ?p ?o }"
                if isinstance(from_graph, ox.DefaultGraph)
                else f"{{ GRAPH {from_graph} {{ ?s ?p ?o }} }}"
            )
            data = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {where}")
        options = {"prefixes": prefixes} if prefixes else {}
        return ox.serialize(data, output, format, **options)


def check_remote_write(job: WriteJob, layout: Layout, base: str) -> None:
    """Raise Refused if ``job`` would change what is not ctkg's to change in a shared store:
    the merge graph and the record (ctkg keeps them), the foreign graphs (the store's own, as
    Virtuoso's ``virtrdf#`` that its RDF views need, or anybody else's), or every graph at once
    (``DROP``/``CLEAR`` ``ALL``, ``NAMED``, ``DEFAULT``: on Virtuoso, whose default graph is the
    union, that is the foreign graphs too). A SPARQL Update is read with rdflib (prefixes and
    the base resolved, as the store will) and any mention of a protected graph is refused; one
    rdflib cannot read is refused, since it cannot be checked."""

    def refuse(what: str) -> Refused:
        return Refused(
            f"{what}: on a remote store ctkg keeps the merge graph <{layout.merge}> and its "
            f"record under <{layout.hidden}>, and leaves alone the graphs the store held before "
            "ctkg published to it; name ctkg's own graphs instead"
        )

    if job.operation != "update":
        graphs = {job.graph} if job.graph is not None else set()
        if job.graph is None and job.body:
            quads = ox.parse(job.body, format=executor.OX_RDF[job.body_format])
            graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        for graph in sorted(graphs):
            if not layout.ours(ox.NamedNode(graph).value):
                raise refuse(f"the request writes to <{graph}>")
        return
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    # parsed once (rdflib's parser costs ~0.2 s for a 2 KB update with long VALUES blocks), with
    # the base the store resolves against; only a failure is looked at again, on the text itself
    try:
        request = translateUpdate(parseUpdate(f"BASE <{base}>\n{job.update}"))
    except Exception as exc:
        error = oxigraph_syntax_error(job.update)
        if error is not None:  # the client's mistake, said where Oxigraph finds it
            raise error from None
        raise Refused(
            "the update cannot be checked (rdflib cannot read it), and on a remote store every "
            f"update is: {' '.join(str(exc).split())[:200]}"
        ) from None
    for operation in request.algebra:
        target = operation.get("graphiri")
        if operation.name in ("Clear", "Drop") and target in ("ALL", "NAMED", "DEFAULT"):
            raise refuse(f"{operation.name.upper()} {target}")
    stack: list = [request.algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, URIRef):
            if not layout.ours(str(node)):
                raise refuse(f"the update names <{node}>")
        elif isinstance(node, dict):  # InsertData keeps its quads by graph: the keys count too
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | tuple | set):
            stack.extend(node)


def plan_remote_write(view: RemoteStoreView, job: WriteJob) -> tuple[str, dict, str]:
    """As ``executor.plan_write``, for a store that keeps the default graph in the merge graph:
    the update that performs ``job``, and the one that then brings the merge up to date."""
    layout, _ = view.dataset()
    merge = f"<{layout.merge}>"
    counted = f"{layout.bump_generation()} ;\n{layout.count_write()}"
    remerge = f"{layout.merge_update()} ;\n{layout.graphs_update()} ;\n{counted}"
    if job.operation == "update":
        return job.update, {}, remerge
    if job.graph is None:  # POST of quads to the dataset: several graphs at once
        return f"INSERT DATA {{\n{executor.payload_ntriples(job)}\n}}", {"created": False}, remerge
    iri = ox.NamedNode(job.graph).value
    graph = f"<{iri}>"
    existed = view.contains_named_graph(ox.NamedNode(iri))
    listed = f"{layout.graphs_update(iri)} ;\n{counted}"
    forget_old = (
        f"DELETE {{ GRAPH {merge} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
        f"FILTER(?other != {graph} && {layout.is_ours('?other')}) }} }}"
    )
    if job.operation == "delete":
        if not existed:
            raise executor.GraphMissing(f"no graph <{job.graph}> in the store")
        return f"{forget_old} ;\n{drop_graph(iri)}", {}, listed
    payload = executor.payload_ntriples(job)
    add_new = f"INSERT DATA {{ GRAPH {merge} {{\n{payload}}} }} ;\n{listed}"
    if job.operation == "put":
        text = (
            f"{forget_old} ;\n{drop_graph(iri)} ;\nINSERT DATA {{ GRAPH {graph} {{\n{payload}}} }}"
        )
    else:
        text = f"INSERT DATA {{ GRAPH {graph} {{\n{payload}}} }}"
    return text, {"created": not existed}, add_new


class RemoteBackend:
    """The ``Backend`` (``engine/backend.py``) over a remote store."""

    version_is_local = False  # data_version() queries the store's record over HTTP

    def __init__(self, settings):
        self.settings = settings
        self.policy = Policy.from_settings(settings)
        self._lock = threading.Lock()

    def _store(self, timeout: float) -> RemoteStoreView:
        remote = RemoteStore.from_settings(self.settings, timeout)
        return RemoteStoreView(remote, lambda: self._dataset_of(remote))

    def _dataset_of(self, remote: RemoteStore) -> tuple[Layout, list[str]]:
        """ctkg's layout and named graphs in the remote store, from its record (one query)."""
        try:
            layout = remote.layout(self.settings.base_iri)
        except TimeoutError:
            raise Timeout from None
        return layout, remote.dataset_graphs(layout)

    def _record(self) -> Layout | None:
        """The store's record (one small query, with the configured account), or None if the
        store cannot say."""
        try:
            return RemoteStore.from_settings(self.settings, VERSION_TIMEOUT_S).layout(
                self.settings.base_iri
            )
        except (RemoteStoreError, TimeoutError, OSError):
            return None

    def data_version(self) -> str:
        """The generation the store's record holds (a new one at every publish and every
        write through ctkg, from any worker): the same in every worker, so ETags agree. A
        store that cannot say gets a version of its own, which no ETag matches."""
        record = self._record()
        generation = record.generation if record is not None else ""
        return f"remote:{self.settings.store}:{generation or uuid.uuid4().hex}"

    def available(self) -> bool:
        return True

    def write_count(self) -> int:
        """Writes through ctkg since the last publish, as the store's record counts them."""
        record = self._record()
        return record.writes if record is not None else 0

    def warm(self) -> None:
        """Nothing to start: the remote store is already running."""

    def close(self) -> None:
        """Nothing to stop."""

    def run(self, job: ReadJob, timeout: float) -> Outcome:
        try:
            # the remote store runs SERVICE itself, with network: the guard reads strictly
            return executor.dispatch(self._store(timeout), job, self.policy, networked=True)
        except Timeout:
            raise
        except Exception as exc:
            outcome = executor.classify(exc)
            if outcome is not None:
                return outcome
            return Outcome(Status.UPSTREAM, message=upstream_message(exc))

    def write(self, job: WriteJob, timeout: float) -> Outcome:
        store = self._store(timeout)
        with self._lock:
            try:
                if job.operation == "update":
                    check_update(job.update, self.policy, networked=True)
                check_remote_write(job, store.dataset()[0], self.settings.base_iri)
                text, data, merge = plan_remote_write(store, job)
                first, *fallback = executor.joined_update(text, merge)
                try:
                    store.update(first, self.settings.base_iri)
                except SyntaxError as error:
                    # the request ends in ';' or is only a prologue: join without another ';'
                    if not fallback:
                        raise
                    try:
                        store.update(fallback[0], self.settings.base_iri)
                    except SyntaxError:
                        raise error from None
                return Outcome(Status.OK, data=data)
            except Timeout:
                raise
            except executor.GraphMissing as exc:
                return Outcome(Status.NOT_FOUND, message=str(exc))
            except Exception as exc:
                outcome = executor.classify(exc)
                if outcome is not None:
                    return outcome
                return Outcome(Status.UPSTREAM, message=upstream_message(exc))


__all__ = ["QueryJob", "RemoteBackend", "RemoteStoreView"]
