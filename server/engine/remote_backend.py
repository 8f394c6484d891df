"""Serving from a remote SPARQL 1.1 store (``CTKG_STORE`` = its query endpoint URL).

The remote store (tested with the Oxigraph server) holds what ``ctkg build`` published
there (``graph/remote.py``): the named graphs and their merge as the default graph. This backend
gives the executor's code a store-like object over HTTP, so a request is checked, capped,
negotiated and answered exactly as on the embedded store: the remote answers in SPARQL JSON or
N-Triples and the answer is re-serialised here in the format the client asked for.

Differences from the embedded store, by nature of the route:

- The time budget is enforced on the HTTP exchange: the client gets its 503 on time, but the
  remote store may go on computing unless it has its own limit (``oxigraph serve --timeout-s``).
- Named-query parameters are bound by token substitution (``queries/substitute.py``), since a
  remote endpoint takes only query text.
- The data version is unknown to us between our own writes: ETags expire after
  ``VERSION_WINDOW_S`` seconds.
- Writes are sent as one SPARQL Update request (the change, then the default-graph merge); the
  store must run one request as one transaction for that to be atomic (Oxigraph does).
"""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox

from ctkg.graph.remote import RemoteStore, RemoteStoreError
from ctkg.queries.substitute import substitute

from . import executor
from .backend import Timeout
from .guard import Policy, check_update
from .jobs import Outcome, QueryJob, ReadJob, Status, WriteJob

VERSION_WINDOW_S = 10
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.1"


class Triples(list):
    """CONSTRUCT/DESCRIBE answers, serialisable like pyoxigraph's ``QueryTriples``."""

    def serialize(self, output=None, format=None):
        return ox.serialize(self, output, format)


class RemoteStoreView:
    """Just enough of ``pyoxigraph.Store``'s API for the executor's code, over
    ``ctkg.graph.remote.RemoteStore`` (the HTTP client the build publishes with)."""

    def __init__(self, remote: RemoteStore):
        self.remote = remote

    def query(self, text, *, default_graph=None, named_graphs=None, substitutions=None, **_):
        if substitutions:
            text = substitute(text, substitutions)
        try:
            content_type, body = self.remote.request_query(
                text,
                ACCEPT,
                [g.value for g in default_graph or ()],
                [g.value for g in named_graphs or ()],
            )
        except TimeoutError:
            raise Timeout from None
        except RemoteStoreError as exc:
            if exc.status == 400:
                raise SyntaxError(f"the remote store rejected the query: {exc}") from None
            raise
        if content_type in ("application/n-triples", "text/plain"):
            return Triples(q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        if content_type == "application/sparql-results+json":
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        raise RemoteStoreError(f"the remote store answered in {content_type}, not SPARQL JSON")

    def update(self, text: str) -> None:
        try:
            self.remote.update(text)
        except TimeoutError:
            raise Timeout from None

    def named_graphs(self):
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [solution["g"] for solution in result]

    def contains_named_graph(self, graph) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

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


class RemoteBackend:
    """The ``Backend`` (``engine/backend.py``) over a remote store."""

    def __init__(self, settings):
        self.settings = settings
        self.policy = Policy.from_settings(settings)
        self._writes = 0
        self._lock = threading.Lock()

    def _store(self, timeout: float) -> RemoteStoreView:
        return RemoteStoreView(
            RemoteStore(self.settings.store, self.settings.store_update_url, timeout)
        )

    def data_version(self) -> str:
        window = int(time.time() // VERSION_WINDOW_S)
        return f"remote:{self.settings.store}:{self._writes}:{window}"

    def available(self) -> bool:
        return True

    def warm(self) -> None:
        """Nothing to start: the remote store is already running."""

    def close(self) -> None:
        """Nothing to stop."""

    def run(self, job: ReadJob, timeout: float) -> Outcome:
        try:
            # the remote store runs SERVICE itself; the allow-list is still checked here
            return executor.dispatch(self._store(timeout), job, self.policy, networked=True)
        except Timeout:
            raise
        except Exception as exc:
            outcome = executor.classify(exc)
            if outcome is not None:
                return outcome
            return Outcome(Status.UPSTREAM, message=str(exc))

    def write(self, job: WriteJob, timeout: float) -> Outcome:
        store = self._store(timeout)
        with self._lock:
            try:
                if job.operation == "update":
                    check_update(job.update, self.policy)
                text, data, merge = executor.plan_write(store, job)
                store.update(executor.joined_update(text, merge)[0])
                return Outcome(Status.OK, data=data)
            except Timeout:
                raise
            except executor.GraphMissing as exc:
                return Outcome(Status.NOT_FOUND, message=str(exc))
            except Exception as exc:
                outcome = executor.classify(exc)
                if outcome is not None:
                    return outcome
                return Outcome(Status.UPSTREAM, message=str(exc))
            finally:
                self._writes += 1


__all__ = ["QueryJob", "RemoteBackend", "RemoteStoreView"]
