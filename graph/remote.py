"""A remote SPARQL 1.1 store as a build target (tested with the Oxigraph server).

The store must keep a default graph apart from its named graphs; Virtuoso, whose default graph
is the union of all graphs, does not, so it is not a supported target yet.

``ctkg build`` always builds and validates locally first; with ``CTKG_STORE`` set to a query
endpoint URL (and ``CTKG_STORE_UPDATE_URL`` to its update endpoint) it then publishes the build:
every graph is uploaded into a staging graph with plain SPARQL 1.1 ``INSERT DATA`` requests, then
one final update request drops the old graphs and ``MOVE``s the staging graphs into place. On a
store that runs an update request as one transaction (Oxigraph does) the switch is atomic;
either way the served graphs are never half-written while the upload runs.

Blank nodes (only the ontology's OWL lists have them) cannot span several requests, so they are
skolemised into ``{base}.well-known/genid/…`` IRIs, as RDF 1.1 §3.5 recommends.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator

import pyoxigraph as ox

CHUNK_TRIPLES = 5_000


class RemoteStoreError(Exception):
    """The remote store refused or failed a request; the message is its own."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RemoteStore:
    """A SPARQL 1.1 query endpoint and its update endpoint: the one HTTP client for both the
    build (publishing) and the server (answering from a remote store)."""

    def __init__(self, query_url: str, update_url: str = "", timeout: float = 300):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout

    def _post(self, url: str, form: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        """POST a form (SPARQL 1.1 Protocol); the answer's media type and body.

        A slow answer raises the built-in TimeoutError; any other failure RemoteStoreError.
        """
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(form).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:1000]
            raise RemoteStoreError(f"{url} answered {exc.code}: {detail}", exc.code) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TimeoutError(str(exc.reason)) from None
            raise RemoteStoreError(f"cannot reach {url}: {exc.reason}") from None

    def request_query(
        self,
        sparql: str,
        accept: str,
        default_graphs: list[str] = (),
        named_graphs: list[str] = (),
    ) -> tuple[str, bytes]:
        """Run a query; the answer's media type and body."""
        form = [("query", sparql)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        return self._post(self.query_url, form, accept)

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> bytes:
        return self.request_query(sparql, accept)[1]

    def update(self, sparql: str) -> None:
        self._post(self.update_url, [("update", sparql)], "*/*")

    def graph_names(self) -> set[str]:
        body = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return {sol["g"].value for sol in results}

    def publish(
        self, store: ox.Store, base: str, progress: Callable[[str], None] = lambda _m: None
    ) -> int:
        """Replace the remote dataset with ``store``'s (all graphs, default included)."""
        run = uuid.uuid4().hex[:8]
        staging: dict[str, str] = {}  # target graph ("" = default) -> staging graph IRI
        sent = 0
        for target, chunk in _chunks(store, base):
            stage = staging.setdefault(target, f"{base}graph/.staging-{run}/{len(staging)}")
            self.update(f"INSERT DATA {{ GRAPH <{stage}> {{\n{chunk}}} }}")
            sent += chunk.count("\n")
            progress(f"uploaded {sent} triples")
        old = self.graph_names() - set(staging.values())
        ops = [f"DROP SILENT GRAPH <{g}>" for g in sorted(old - set(staging))]
        for target, stage in staging.items():
            ops.append(
                f"MOVE SILENT GRAPH <{stage}> TO {'DEFAULT' if not target else f'<{target}>'}"
            )
        if "" not in staging:
            ops.append("DROP SILENT DEFAULT")
        self.update(" ;\n".join(ops))
        return sent


def _chunks(store: ox.Store, base: str) -> Iterator[tuple[str, str]]:
    """(target graph IRI or "" for the default graph, N-Triples text) in bounded pieces."""
    genid = f"{base}.well-known/genid/"
    for graph in [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]:
        target = "" if isinstance(graph, ox.DefaultGraph) else graph.value
        lines: list[str] = []
        for quad in store.quads_for_pattern(None, None, None, graph):
            lines.append(
                f"{_term(quad.subject, genid)} {_term(quad.predicate, genid)} "
                f"{_term(quad.object, genid)} .\n"
            )
            if len(lines) >= CHUNK_TRIPLES:
                yield target, "".join(lines)
                lines = []
        if lines:
            yield target, "".join(lines)


def _term(term, genid: str) -> str:
    if isinstance(term, ox.BlankNode):
        return f"<{genid}{urllib.parse.quote(term.value)}>"
    return str(term)
