"""A remote SPARQL 1.1 store as a build target (tested with the Oxigraph server and Virtuoso).

``ctkg build`` always builds and validates locally first; with ``CTKG_STORE`` set to a query
endpoint URL (and ``CTKG_STORE_UPDATE_URL`` to its update endpoint) it then publishes the build:
every graph is uploaded into a staging graph with plain SPARQL 1.1 ``INSERT DATA`` requests, then
one final update request drops the old graphs and ``MOVE``s the staging graphs into place. On a
store that runs an update request as one transaction (Oxigraph and Virtuoso do) the switch is
atomic; either way the served graphs are never half-written while the upload runs.

The default graph is kept as a named graph, ``{base}graph/merge`` (``Layout.merge``), never in
the store's own default graph: Virtuoso's default graph is the union of all its graphs (a
triple two sources state comes back twice, and its own system graphs come with it), so a store's
default graph cannot be relied on. The server asks for the dataset explicitly instead, with the
protocol's ``default-graph-uri`` (the merge) and ``named-graph-uri`` (ctkg's graphs).

Which of the store's graphs are ctkg's: all but the merge, the hidden ``{base}graph/.*`` ones
(staging, and ``.store``, which records the rest) and the *foreign* graphs — those the store
already held, outside ctkg's base, when ctkg first published to it (Virtuoso's ``virtrdf#``
and friends; anybody else's data). Publishing never touches foreign graphs.

The record graph ``{base}graph/.store`` lists the foreign graphs, ctkg's named graphs and a
generation (a new value at every publish and every write through ctkg), so a server learns the
dataset to name in one small query (``RemoteStore.layout``) instead of listing the store's
graphs: on Virtuoso 7.2 ``SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }`` takes about 8 s
even on 50,000 triples (the same list with ``GROUP BY ?g`` takes milliseconds, but is still a
scan of the whole store). Writes through ctkg keep the list up to date in the same request
(``Layout.graphs_update``); a graph written into the store behind ctkg's back is not served
until the next publish or SPARQL Update through ctkg.

Blank nodes (only the ontology's OWL lists have them) cannot span several requests, so they are
skolemised into ``{base}.well-known/genid/…`` IRIs, as RDF 1.1 §3.5 recommends.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

CHUNK_TRIPLES = 5_000
# a request the store refuses for its size (Virtuoso's SPARQL compiler runs out of memory a
# little under 5,000 triples) is sent again in halves, down to this many triples
MIN_CHUNK_TRIPLES = 250
_FOREIGN = "#foreign"  # <{base}graph/.store> <{base}graph/.store#foreign> <graph> .
_GENERATION = "#generation"  # <{base}graph/.store> <…#generation> "a new value per change" .
_GRAPH = "#graph"  # <{base}graph/.store> <{base}graph/.store#graph> <one of ctkg's graphs> .
_WRITES = "#writes"  # <{base}graph/.store> <…#writes> n: writes through ctkg since publish


@dataclass(frozen=True)
class Layout:
    """Where ctkg's dataset lives in a remote store: the merge graph, and what is not ours."""

    base: str
    foreign: frozenset[str] = frozenset()
    generation: str = ""  # changes with every publish and every write through ctkg
    graphs: frozenset[str] = frozenset()  # ctkg's named graphs, as last recorded
    writes: int = 0  # writes through ctkg since the last publish (the build's)

    @property
    def merge(self) -> str:
        """The named graph that holds the default graph (the merge of ctkg's named graphs)."""
        return f"{self.base}graph/merge"

    @property
    def hidden(self) -> str:
        """The prefix of the graphs ctkg keeps for itself (staging, the ``.store`` record)."""
        return f"{self.base}graph/."

    @property
    def record(self) -> str:
        return f"{self.base}graph/.store"

    def ours(self, graph: str) -> bool:
        """Is ``graph`` one of ctkg's named graphs (those a query's ``GRAPH ?g`` ranges over)?"""
        return (
            graph != self.merge and not graph.startswith(self.hidden) and graph not in self.foreign
        )

    def is_ours(self, var: str = "?g") -> str:
        """A SPARQL expression: ``var`` is one of ctkg's named graphs (``ours`` in SPARQL)."""
        excluded = ", ".join(f"<{g}>" for g in sorted({self.merge, *self.foreign}))
        hidden = self.hidden.replace("\\", "\\\\").replace('"', '\\"')
        return f'({var} NOT IN ({excluded}) && !STRSTARTS(STR({var}), "{hidden}"))'

    def bump_generation(self) -> str:
        """The update that records a change (one more operation of a write's request)."""
        record, generation = f"<{self.record}>", f"<{self.record}{_GENERATION}>"
        return (
            f"DELETE WHERE {{ GRAPH {record} {{ {record} {generation} ?generation }} }} ;\n"
            f'INSERT DATA {{ GRAPH {record} {{ {record} {generation} "{uuid.uuid4().hex}" }} }}'
        )

    def count_write(self) -> str:
        """The update that counts one more write through ctkg (a publish starts again at 0)."""
        record, writes = f"<{self.record}>", f"<{self.record}{_WRITES}>"
        return (
            f"DELETE {{ GRAPH {record} {{ {record} {writes} ?n }} }} "
            f"INSERT {{ GRAPH {record} {{ {record} {writes} ?next }} }} "
            f"WHERE {{ OPTIONAL {{ GRAPH {record} {{ {record} {writes} ?n }} }} "
            "BIND(COALESCE(?n, 0) + 1 AS ?next) }"
        )

    def graphs_update(self, graph: str | None = None) -> str:
        """The update that makes the record list ctkg's named graphs again: all of them (a scan
        of the store, for a SPARQL Update that may have written anywhere), or only whether
        ``graph`` has triples (after a Graph Store request on it)."""
        record, listed = f"<{self.record}>", f"<{self.record}{_GRAPH}>"
        if graph is None:
            return (
                f"DELETE {{ GRAPH {record} {{ {record} {listed} ?g }} }} "
                f"WHERE {{ GRAPH {record} {{ {record} {listed} ?g }} }} ;\n"
                f"INSERT {{ GRAPH {record} {{ {record} {listed} ?g }} }} WHERE {{ "
                f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER{self.is_ours()} }} "
                "GROUP BY ?g }"
            )
        g = f"<{graph}>"
        return (
            f"DELETE DATA {{ GRAPH {record} {{ {record} {listed} {g} }} }} ;\n"
            f"INSERT {{ GRAPH {record} {{ {record} {listed} {g} }} }} WHERE {{ "
            f"SELECT ?s WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }} LIMIT 1 }}"
        )

    def merge_update(self) -> str:
        """The update that makes the merge graph the RDF merge of ctkg's named graphs again
        (only the difference is written, as ``ctkg.graph.store.MERGE_DEFAULT_GRAPH`` does)."""
        m = f"<{self.merge}>"
        return (
            f"DELETE {{ GRAPH {m} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {m} {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER{self.is_ours()} }} }} ;\n"
            f"INSERT {{ GRAPH {m} {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER{self.is_ours()} FILTER NOT EXISTS {{ GRAPH {m} {{ ?s ?p ?o }} }} }}"
        )


class RemoteStoreError(Exception):
    """The remote store refused or failed a request; the message is its own."""

    def __init__(self, message: str, status: int | None = None, detail: str = ""):
        super().__init__(message)
        self.status = status
        self.detail = detail  # the store's own words, for an answer that was an error


class RemoteStore:
    """A SPARQL 1.1 query endpoint and its update endpoint: the one HTTP client for both the
    build (publishing) and the server (answering from a remote store)."""

    def __init__(
        self,
        query_url: str,
        update_url: str = "",
        timeout: float = 300,
        user: str = "",
        password: str = "",
    ):
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout = timeout
        handlers = []
        if user:  # answered to whichever the store asks: Digest (Virtuoso's /sparql-auth), Basic
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, [self.query_url, self.update_url], user, password)
            handlers = [
                urllib.request.HTTPDigestAuthHandler(passwords),
                urllib.request.HTTPBasicAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    @classmethod
    def from_settings(cls, settings, timeout: float = 300) -> RemoteStore:
        """The store ``CTKG_STORE`` names, with its update URL and account."""
        return cls(
            settings.store,
            settings.store_update_url,
            timeout,
            settings.store_user,
            settings.store_password,
        )

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
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:1000]
            raise RemoteStoreError(
                f"{url} answered {exc.code}: {detail}", exc.code, detail
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TimeoutError(str(exc.reason)) from None
            raise RemoteStoreError(f"cannot reach {url}: {exc.reason}") from None

    def request_query(
        self,
        sparql: str,
        accept: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
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

    def select(self, sparql: str) -> ox.QuerySolutions:
        results = ox.parse_query_results(self.query(sparql), format=ox.QueryResultsFormat.JSON)
        if not isinstance(results, ox.QuerySolutions):
            raise RemoteStoreError(f"{self.query_url} answered a SELECT with a boolean")
        return results

    def graph_names(self) -> set[str]:
        """Every graph the store holds (ctkg's or not): a scan of the whole store. GROUP BY,
        not DISTINCT: Virtuoso 7.2 takes about 8 s on DISTINCT even for a small store."""
        results = self.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {sol["g"].value for sol in results}

    def layout(self, base: str) -> Layout:
        """ctkg's layout in this store, as the record says (one small query). A store ctkg
        never published to has no record: RemoteStoreError."""
        record = Layout(base).record
        rows = self.select(f"SELECT ?p ?o WHERE {{ GRAPH <{record}> {{ <{record}> ?p ?o }} }}")
        foreign, graphs, generation, writes, found = set(), set(), "", 0, False
        for row in rows:
            found = True
            if row["p"].value == record + _FOREIGN:
                foreign.add(row["o"].value)
            elif row["p"].value == record + _GRAPH:
                graphs.add(row["o"].value)
            elif row["p"].value == record + _GENERATION:
                generation = row["o"].value
            elif row["p"].value == record + _WRITES and row["o"].value.isdigit():
                writes = int(row["o"].value)
        if not found:
            raise RemoteStoreError(
                f"{self.query_url} holds no ctkg dataset (no record graph <{record}>): "
                "publish one with `ctkg build` and CTKG_STORE set to this store"
            )
        return Layout(base, frozenset(foreign), generation, frozenset(graphs), writes)

    def dataset_graphs(self, layout: Layout) -> list[str]:
        """ctkg's named graphs in this store, sorted, as recorded in ``layout``."""
        return sorted(g for g in layout.graphs if layout.ours(g))

    def publish(
        self, store: ox.Store, base: str, progress: Callable[[str], None] = lambda _m: None
    ) -> int:
        """Replace ctkg's graphs in the remote store with ``store``'s (its default graph goes
        to the merge graph); graphs that are not ctkg's stay as they are."""
        names = self.graph_names()
        layout = Layout(base)
        if layout.record in names:
            layout = self.layout(base)
        else:  # first publish here: what the store holds outside our base is somebody else's
            layout = Layout(base, frozenset(g for g in names if not g.startswith(base)))
        run = uuid.uuid4().hex[:8]
        staging: dict[str, str] = {}  # target graph IRI -> staging graph IRI
        sent = 0
        size = CHUNK_TRIPLES
        for target, chunk in _chunks(store, base):
            target = target or layout.merge
            stage = staging.setdefault(target, f"{layout.hidden}staging-{run}/{len(staging)}")
            size = self._insert(stage, chunk, size)
            sent += len(chunk)
            progress(f"uploaded {sent} triples")
        old = {g for g in names if layout.ours(g) or g == layout.merge} - set(staging)
        old |= {g for g in names if g.startswith(layout.hidden + "staging-")}  # dead runs'
        ops = [drop_graph(g) for g in sorted(old - set(staging.values()))]
        ops += [f"MOVE SILENT GRAPH <{stage}> TO <{target}>" for target, stage in staging.items()]
        ops.append(drop_graph(layout.record))
        ops.append(_record_update(layout, set(staging) - {layout.merge}))
        ops.append(layout.bump_generation())
        self.update(" ;\n".join(ops))
        return sent

    def _insert(self, graph: str, lines: list[str], size: int) -> int:
        """INSERT DATA ``lines`` into ``graph``, ``size`` triples a request, halving it while the
        store refuses a request (400/413/500); the size that worked."""
        start = 0
        while start < len(lines):
            piece = lines[start : start + size]
            try:
                self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(piece)}}} }}")
            except RemoteStoreError as exc:
                if exc.status not in (400, 413, 500) or size <= MIN_CHUNK_TRIPLES:
                    raise
                size = max(MIN_CHUNK_TRIPLES, size // 2)
                continue
            start += len(piece)
        return size


def drop_graph(graph: str) -> str:
    """The update that removes ``graph`` on any store: Virtuoso refuses DROP of a graph that
    an INSERT created (not ``CREATE GRAPH``) and skips it with SILENT, but CLEAR empties it;
    Oxigraph keeps an empty graph after CLEAR, and DROP removes it."""
    return f"CLEAR SILENT GRAPH <{graph}> ;\nDROP SILENT GRAPH <{graph}>"


def _record_update(layout: Layout, graphs: set[str]) -> str:
    record = f"<{layout.record}>"
    predicate, listed = f"<{layout.record}{_FOREIGN}>", f"<{layout.record}{_GRAPH}>"
    triples = [f"{record} {predicate} <{g}> ." for g in sorted(layout.foreign)]
    triples += [f"{record} {listed} <{g}> ." for g in sorted(graphs)]
    # the record graph must exist even with nothing foreign: one triple says what it is
    triples.append(
        f"{record} <http://www.w3.org/2000/01/rdf-schema#comment> "
        '"ctkg keeps its default graph in the merge graph; the foreign graphs are not ctkg\'s" .'
    )
    return f"INSERT DATA {{ GRAPH {record} {{\n" + "\n".join(triples) + "\n} }"


def _chunks(store: ox.Store, base: str) -> Iterator[tuple[str, list[str]]]:
    """(target graph IRI or "" for the default graph, N-Triples lines) in bounded pieces."""
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
                yield target, lines
                lines = []
        if lines:
            yield target, lines


def _term(term, genid: str) -> str:
    if isinstance(term, ox.BlankNode):
        return f"<{genid}{urllib.parse.quote(term.value)}>"
    return str(term)
