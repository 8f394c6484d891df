"""Executors: the child processes where queries and writes run, so they can be killed on time.

pyoxigraph cannot cancel a query, so every query runs in a *reader executor*: a process (forked
by its web worker's fork server, ``zygote.py``) that holds the store open read-only and
runs one job at a time, answering over a pipe. On timeout the web worker kills it and starts a
fresh one (a few ms). A reader checks
the data version before each job and reopens the store when a build or a write changed it.

Readers and writers have no network: before they run anything, the fork server's child
installs ``ctkg.sandbox.deny_network()`` (a seccomp filter: no socket but AF_UNIX), so SERVICE
and LOAD cannot connect whatever the guard understood; the attempt is answered 403. With an
allow-list configured, a request whose allow-listed targets the guard found comes back
``needs_network`` and is rerun in a *networked* reader or writer, started for those alone.
A child that cannot be sandboxed fails closed (``refuse_all``).

Writes run in a *writer*: a process started for that one write, which opens the store
read-write, applies it as a single SPARQL Update (one transaction: the change plus the rebuild
of the default graph as the merge of the named graphs, as ``ctkg.graph.store`` requires),
flushes and exits. Killing it mid-way leaves the store as it was.

Answers are written by pyoxigraph's own serializers into a spool (memory, then a file past
1 MiB); the web worker streams the spool only once the job has finished within its budget, so a
client never receives a truncated 200. Result caps are exact: SELECT results are serialized
once, in the negotiated format, into a writer that counts their rows and stops the serializer
at the cap (``LineCap`` for TSV, ``RowCap`` for JSON, XML and CSV); graphs are capped by
counting triples on their way into ``pyoxigraph.serialize``.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import re
import signal
import time

import pyoxigraph as ox

from ctkg.sandbox import network_denied

from . import jsonld
from .guard import (
    DefaultGraphWrite,
    Policy,
    Refused,
    TooComplex,
    Unparseable,
    check_query,
    check_update,
    mentions_remote,
)
from .jobs import GraphReadJob, Outcome, QueryJob, StatsJob, Status, WriteJob
from .serialisation import OX_RDF, OX_RESULTS, jsonld_context, prefixes
from .store_access import (
    MERGE_DEFAULT_GRAPH,
    StoreMissing,
    data_version,
    open_reader,
    open_writer,
)

log = logging.getLogger(__name__)

SPOOL_THRESHOLD = 1 << 20
_PREFIXED_FORMATS = ("turtle", "trig", "rdfxml")
_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.S)
_RDFLIB_POSITION = re.compile(r"\(line:(\d+), col:(\d+)\)")


class Spool(io.RawIOBase):
    """Collects an answer in memory, moving it to ``path`` once it passes the threshold."""

    def __init__(self, path: str, threshold: int = SPOOL_THRESHOLD):
        super().__init__()
        self.path = path
        self.threshold = threshold
        self.buffer = bytearray()
        self.file = None
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        n = len(data)
        if self.file is not None:
            self.file.write(data)
        else:
            self.buffer += data
            if self.path and len(self.buffer) > self.threshold:
                self.file = open(self.path, "wb")  # noqa: SIM115 - closed in result()
                self.file.write(self.buffer)
                self.buffer = bytearray()
        self.size += n
        return n

    def result(self) -> bytes | None:
        """The answer's bytes, or None if it is in the spool file."""
        if self.file is not None:
            self.file.close()
            return None
        return bytes(self.buffer)


class _CapReached(Exception):
    pass


class GraphMissing(Exception):
    """A Graph Store request names a graph the store does not have."""


class LineCap(io.RawIOBase):
    """Passes at most ``max_lines`` lines to ``target``; stops the serializer at the next byte."""

    def __init__(self, target, max_lines: int):
        super().__init__()
        self.target = target
        self.max_lines = max_lines
        self.lines = 0
        self.full = max_lines == 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        if self.full:
            if data:
                self.truncated = True
                raise _CapReached
            return 0
        count = data.count(b"\n")
        if self.lines + count < self.max_lines:
            self.lines += count
            self.target.write(data)
            return len(data)
        end = -1
        for _ in range(self.max_lines - self.lines):
            end = data.index(b"\n", end + 1)
        self.target.write(data[: end + 1])
        self.lines = self.max_lines
        self.full = True
        if len(data) > end + 1:
            self.truncated = True
            raise _CapReached
        return len(data)


# what pyoxigraph writes after a SELECT answer's last row
_RESULTS_END = {"json": b"]}}", "xml": b"</results></sparql>", "csv": b""}


class RowCap(io.RawIOBase):
    """Passes the first ``max_rows`` rows of a SELECT answer in SPARQL JSON, XML or CSV to
    ``target``, stops the serializer where the next row starts, and ends the document as
    pyoxigraph ends it after its last row: the answer is the one the whole serialization of
    those rows would give, in one pass (formerly: TSV through ``LineCap``, parsed and written
    again in the negotiated format, which was up to a fifth of a heavy query's time).

    Why counting rows in the text is exact: JSON - rows are the objects of the one array of
    objects, separated by ``},{`` outside strings, and a string's quotes are its raw ``"``
    (inside one, ``"`` is written ``\\"`` and ``\\`` as ``\\\\``); XML - each row opens with
    ``<result>`` and a literal's ``<`` is written ``&lt;``; CSV - a row ends at a newline outside
    double quotes, and a quoted field's ``"`` is doubled. A write is scanned up to a few bytes
    before its end (a pattern or a backslash run may continue in the next one).
    """

    def __init__(self, target, key: str, max_rows: int):
        super().__init__()
        self.target = target
        self.key = key
        self.max_rows = max_rows
        self.rows = 0  # JSON: row separators seen; XML: rows opened; CSV: lines ended
        self.quoted = False  # JSON, CSV: inside a string / quoted field
        self.pending = b""  # the end of the last write, not scanned yet
        self.full = False  # the last row allowed has been passed on
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        n = len(data)
        if self.full:
            if n:
                self.truncated = True
                raise _CapReached
            return 0
        buf = self.pending + bytes(data)
        if self.key == "json":
            end, cut = self._json(buf)
        elif self.key == "xml":
            end, cut = self._xml(buf)
        else:
            end, cut = self._csv(buf)
        if cut is not None:
            self.target.write(buf[:cut])
            self.pending = b""
            self.full = True  # nothing more passes (the serializer may flush its buffer again)
            if self.key == "csv" and cut == len(buf):
                return n  # truncated only if anything follows the last row allowed
            self.truncated = True
            raise _CapReached
        self.target.write(buf[:end])
        self.pending = buf[end:]
        return n

    def finish(self) -> None:
        """After the serializer: the unscanned end, or the document's end if it was cut."""
        if self.truncated:
            self.target.write(_RESULTS_END[self.key])
        else:
            self.target.write(self.pending)
        self.pending = b""

    def _json(self, buf: bytes) -> tuple[int, int | None]:
        end = len(buf) - 2  # a "},{" may continue in the next write
        while end > 0 and buf[end - 1] == 0x5C:  # nor split a backslash run
            end -= 1
        end = max(end, 0)
        # escaped backslashes out of the way: a quote after a lone backslash is escaped (most
        # writes have no backslash at all: then every quote is raw, and one count is enough)
        escapes = buf.find(b"\\") >= 0
        text = buf.replace(b"\\\\", b"\0\0") if escapes else buf

        def raw(start: int, stop: int) -> int:
            quotes = text.count(b'"', start, stop)
            return quotes - text.count(b'\\"', start, stop) if escapes else quotes

        quoted, start, at = self.quoted, 0, 0
        while True:
            at = text.find(b"},{", at, end + 2)
            if at < 0:
                break
            quoted ^= bool(raw(start, at) & 1)
            start = at
            if not quoted:
                self.rows += 1
                if self.rows == self.max_rows:  # the next row starts after this comma
                    return end, at + 1
            at += 1
        raw_quotes = raw(start, end)
        self.quoted = quoted ^ bool(raw_quotes & 1)
        return end, None

    def _xml(self, buf: bytes) -> tuple[int, int | None]:
        end = max(len(buf) - 7, 0)  # a "<result>" may continue in the next write
        at = 0
        while True:
            at = buf.find(b"<result>", at, end + 7)
            if at < 0:
                return end, None
            self.rows += 1
            if self.rows > self.max_rows:
                return end, at
            at += 1

    def _csv(self, buf: bytes) -> tuple[int, int | None]:
        quoted, start, at = self.quoted, 0, 0
        while True:
            at = buf.find(b"\n", at)
            if at < 0:
                break
            quoted ^= bool(buf.count(b'"', start, at) & 1)
            start = at
            if not quoted:
                self.rows += 1
                if self.rows > self.max_rows:  # the header line, then max_rows rows
                    return len(buf), at + 1
            at += 1
        self.quoted = quoted ^ bool(buf.count(b'"', start) & 1)
        return len(buf), None


# --- reading -------------------------------------------------------------------------------


# Query texts the guard passed that name no remote service, by (text, nesting limit). For such a
# text ``check_query`` is the nesting scan alone, a pure function of the two (the checks that
# resolve hosts run only on texts that could name SERVICE or LOAD, and those are never kept):
# named queries, linked-data pages and the notebook send the same texts over and over, and the
# scan cost 8 us (the trivial query) to 250 us (fact-sources, 3 KB) a request. Bounded: at most
# _PASSED_MAX texts of at most _PASSED_MAX_CHARS characters each (4 MiB), oldest out first.
_PASSED_MAX = 256
_PASSED_MAX_CHARS = 16 * 1024
_passed: dict[tuple[str, int], bool] = {}


def _guard(text: str, policy: Policy, networked: bool) -> list[str]:
    """``check_query``, skipped for a text it already passed that names no remote service."""
    key = (text, policy.max_nesting)
    if key in _passed:
        return []
    targets = check_query(text, policy, networked=networked)  # raises: nothing is kept
    if not targets and len(text) <= _PASSED_MAX_CHARS and not mentions_remote(text):
        if len(_passed) >= _PASSED_MAX:
            del _passed[next(iter(_passed))]
        _passed[key] = True
    return targets


def run_query(store: ox.Store, job: QueryJob, policy: Policy, networked: bool = False) -> Outcome:
    """Run a query and serialize its answer into the job's spool.

    An allow-listed SERVICE query is handed back (``needs_network``) from a sandboxed executor:
    only a networked one, started for such queries alone, can reach the network.
    """
    if _guard(job.query, policy, networked) and not networked:
        return Outcome(Status.NEEDS_NETWORK)
    kwargs = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    if job.substitutions:
        kwargs["substitutions"] = dict(job.substitutions)
    # relative IRIs resolve against the base the service defines (SPARQL 1.1 Protocol)
    result = store.query(job.query, base_iri=job.base_iri, **kwargs)
    spool = Spool(job.spool_path)
    truncated = False
    if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
        kind, key = "results", job.results_format
        if key is None:
            return Outcome(Status.NOT_ACCEPTABLE, kind=kind)
        if isinstance(result, ox.QueryBoolean):
            result.serialize(spool, format=OX_RESULTS[key])
        else:
            truncated = _write_solutions(result, key, job.limit, spool, outer_limit(job.query))
    else:
        kind, key = "graph", job.graph_format
        if key is None:
            return Outcome(Status.NOT_ACCEPTABLE, kind=kind)
        truncated = _write_triples(result, key, job.limit, spool, job.base_iri)
    body = spool.result()
    return Outcome(
        Status.OK,
        kind=kind,
        format=key,
        truncated=truncated,
        body=body,
        spooled=body is None,
        size=spool.size,
    )


# The outer query's own LIMIT when the text ends with it: nothing but "LIMIT n" and an OFFSET
# after the last "}", so no string can hide it; no comment may open on the line before that
# brace (a "#" there could hide the brace and the LIMIT with it; Oxigraph ends a comment at LF
# or CR), and no \u escape anywhere (Oxigraph decodes them before it reads the query: one
# could spell a "#").
_WS = "[ \t\r\n]"  # SPARQL's white space (re's \s would take more)
_TAIL_LIMIT = re.compile(
    rf"\}}{_WS}*(?:OFFSET{_WS}+\d+{_WS}+)?LIMIT{_WS}+(\d+)(?:{_WS}+OFFSET{_WS}+\d+)?{_WS}*\Z", re.I
)
# an answer bounded by its own LIMIT up to this many rows is serialized in one call, uncounted
DIRECT_MAX_ROWS = 1000


def outer_limit(text: str) -> int | None:
    """The row bound a query's text sets on its answer, when it can be read for sure (else
    None): a SELECT whose text ends "} LIMIT n" gives at most n rows."""
    brace = text.rfind("}")
    if brace < 0 or "\\" in text:
        return None
    match = _TAIL_LIMIT.match(text, brace)
    if match is None:
        return None
    line = max(text.rfind("\n", 0, brace), text.rfind("\r", 0, brace)) + 1
    if "#" in text[line:brace]:
        return None
    return int(match[1])


def _write_solutions(
    result: ox.QuerySolutions, key: str, limit: int, spool: Spool, bound: int | None = None
) -> bool:
    """Serialize a SELECT answer into ``spool``, at most ``limit`` rows (0: all); True if rows
    were left out. ``bound``: the most rows the query can give (``outer_limit``)."""
    if not limit:
        result.serialize(spool, format=OX_RESULTS[key])
        return False
    if bound is not None and bound <= min(limit, DIRECT_MAX_ROWS):
        # the cap cannot be reached: one serialization to bytes, no row counting (at the
        # trivial LIMIT 10, 150 us through the counting writer, 80 us like this)
        spool.write(result.serialize(format=OX_RESULTS[key]))
        return False
    # the negotiated format, serialized once, through a writer that counts its rows
    if key == "tsv":
        lines = LineCap(spool, limit + 1)  # the header line, then one line per row
        with contextlib.suppress(_CapReached):
            result.serialize(lines, format=OX_RESULTS[key])
        return lines.truncated
    rows = RowCap(spool, key, limit)
    with contextlib.suppress(_CapReached):
        result.serialize(rows, format=OX_RESULTS[key])
    rows.finish()
    return rows.truncated


def _capped(items, limit: int, state: dict):
    for i, item in enumerate(items):
        if i == limit:
            state["truncated"] = True
            return
        yield item


def _write_triples(result, key: str, limit: int, spool: Spool, base_iri: str) -> bool:
    if key == "ntriples" and limit:
        cap = LineCap(spool, limit)
        with contextlib.suppress(_CapReached):
            result.serialize(cap, format=ox.RdfFormat.N_TRIPLES)
        return cap.truncated
    state = {"truncated": False}
    triples = _capped(result, limit, state) if limit else result
    _serialize_rdf(triples, key, spool, base_iri)
    return state["truncated"]


def _serialize_rdf(items, key: str, spool: Spool, base_iri: str) -> None:
    if key == "jsonld":
        expanded = ox.serialize(items, format=ox.RdfFormat.JSON_LD)
        spool.write(jsonld.compact(expanded, jsonld_context(base_iri)))
    elif key in _PREFIXED_FORMATS:
        ox.serialize(items, spool, format=OX_RDF[key], prefixes=prefixes(base_iri))
    else:
        ox.serialize(items, spool, format=OX_RDF[key])


def read_graph(store: ox.Store, job: GraphReadJob) -> Outcome:
    """Serialize one graph, or the whole dataset, into the job's spool."""
    spool = Spool(job.spool_path)
    options = {}
    if job.format in _PREFIXED_FORMATS:
        options["prefixes"] = prefixes(job.base_iri)
    if not job.whole_dataset:
        graph = ox.NamedNode(job.graph) if job.graph else ox.DefaultGraph()
        if job.graph and not store.contains_named_graph(graph):
            return Outcome(Status.NOT_FOUND, message=f"no graph <{job.graph}> in the store")
        options["from_graph"] = graph
    if job.format == "jsonld":
        expanded = store.dump(format=ox.RdfFormat.JSON_LD, **options)
        spool.write(jsonld.compact(expanded, jsonld_context(job.base_iri)))
    else:
        store.dump(spool, format=OX_RDF[job.format], **options)
    body = spool.result()
    kind = "dataset" if job.whole_dataset else "graph"
    return Outcome(
        Status.OK, kind=kind, format=job.format, body=body, spooled=body is None, size=spool.size
    )


def stats(store: ox.Store) -> Outcome:
    """Triples in the default graph (the merge) and in each named graph."""
    graphs = {
        solution["g"].value: int(solution["n"].value)
        for solution in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    for name in store.named_graphs():
        graphs.setdefault(name.value, 0)
    default = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
    data = {
        "triples": int(default["n"].value),
        "quads": int(default["n"].value) + sum(graphs.values()),
        "graphs": dict(sorted(graphs.items())),
    }
    return Outcome(Status.OK, data=data)


# --- the reader executor's loop ------------------------------------------------------------


class _Reader:
    """The store as this process holds it, reopened when the data version changes."""

    def __init__(self, settings):
        self.settings = settings
        self.store: ox.Store | None = None
        self.version: str | None = None

    def current(self) -> ox.Store:
        version = data_version(self.settings)
        if self.store is None or version != self.version:
            self.store = None
            self.store = open_reader(self.settings)
            self.version = version
        return self.store

    def reset(self) -> None:
        self.store = None
        self.version = None


def dispatch(store: ox.Store, job, policy: Policy, networked: bool = False) -> Outcome:
    """Run one read job on ``store`` (the embedded store, or a remote store's view of it).

    Failures raise; ``classify`` says which are the request's fault. Public: the remote
    backend runs the same jobs through it.
    """
    if isinstance(job, QueryJob):
        return run_query(store, job, policy, networked)
    if isinstance(job, GraphReadJob):
        return read_graph(store, job)
    if isinstance(job, StatsJob):
        return stats(store)
    return Outcome(Status.ERROR, message=f"unknown job {type(job).__name__}")


def handle(reader: _Reader, job, policy: Policy, networked: bool = False) -> Outcome:
    """Run one job; every failure becomes an Outcome, never an exception."""
    for attempt in (1, 2):
        try:
            return dispatch(reader.current(), job, policy, networked)
        except StoreMissing as exc:
            return Outcome(Status.UNAVAILABLE, message=str(exc))
        except Exception as exc:
            outcome = classify(exc, networked)
            if outcome is not None:
                return outcome
            if (isinstance(exc, OSError) or storage_fault(exc)) and attempt == 1:
                # a read-only handle can go stale when a writer compacts: reopen, retry once
                log.warning("store read failed (%s); reopening and retrying", exc)
                reader.reset()
                continue
            log.exception("executor job failed")
            return Outcome(Status.ERROR, message=f"{type(exc).__name__}: {exc}")
    raise AssertionError("unreachable")


_NETWORK_DENIED = "Permission denied (os error 13)"
_REMOTE_FAILURES = (
    "failed to lookup address",
    "returned by http",
    "redirect",
    "is not allowed for HTTP",
    "Connection refused",
    "connection",
    "timed out",
)


# what RocksDB's messages start with when its files fail (pyoxigraph raises them as plain
# RuntimeError/ValueError, the same types as a query's evaluation errors)
_STORAGE_FAULTS = ("Corruption:", "IO error:")


def storage_fault(exc: BaseException) -> bool:
    """True if the exception is the store's files failing (missing, corrupt, unreadable): a
    server fault, never a 400 that tells the client its query was wrong."""
    text = str(exc).lstrip()
    return text.startswith(_STORAGE_FAULTS) or "IO error: " in text


def classify(exc: BaseException, networked: bool = False) -> Outcome | None:
    """The Outcome for an exception that is the request's fault, or None for server faults."""
    if isinstance(exc, PermissionError) and network_denied() and _NETWORK_DENIED in str(exc):
        # the query reached for the network (SERVICE/LOAD the guard did not see) and the
        # sandbox stopped it: no connection was made
        return Outcome(
            Status.FORBIDDEN,
            message="SERVICE/LOAD refused: this server's query processes have no network "
            "access (no SERVICE allow-list is configured, or the target is not on it)",
        )
    if networked and isinstance(exc, OSError) and any(m in str(exc) for m in _REMOTE_FAILURES):
        # an allow-listed SERVICE/LOAD failed: the remote's fault, and not retried
        return Outcome(Status.UPSTREAM, message=" ".join(str(exc).split())[:300])
    if isinstance(exc, MemoryError):
        return Outcome(
            Status.MEMORY, message="the query needed more memory than an executor may use"
        )
    if isinstance(exc, Refused):
        return Outcome(Status.FORBIDDEN, message=str(exc))
    if isinstance(exc, DefaultGraphWrite | TooComplex):
        return Outcome(Status.INVALID, message=str(exc))
    if isinstance(exc, Unparseable):
        match = _RDFLIB_POSITION.search(str(exc))
        line, column = (int(match[1]), int(match[2])) if match else (None, None)
        return Outcome(Status.SYNTAX, message=str(exc), line=line, column=column)
    if isinstance(exc, SyntaxError):
        text = str(exc.msg if exc.msg is not None else exc)
        match = _OX_POSITION.match(text)
        if match:
            return Outcome(Status.SYNTAX, message=text, line=int(match[1]), column=int(match[2]))
        return Outcome(Status.SYNTAX, message=text)
    if isinstance(exc, ConnectionError):
        return Outcome(Status.UPSTREAM, message="a remote SERVICE did not answer properly")
    if storage_fault(exc):
        return None  # the store's files, not the request: the server's fault (reopen, then 500)
    if isinstance(exc, ValueError | RuntimeError) and not isinstance(exc, OSError):
        # pyoxigraph's evaluation errors (e.g. "The graph <g> does not exist"): about the request
        return Outcome(Status.INVALID, message=" ".join(str(exc).split())[:500])
    return None


def _die_with_parent() -> None:
    """Ask Linux to kill this process if its parent (the fork server) dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def refuse_all(conn, kind: str, message: str) -> None:
    """Fail closed: answer every job ``unavailable`` (a child that could not be sandboxed)."""
    log.error("%s refuses to run jobs: %s", kind, message)
    while True:
        try:
            conn.recv()
            conn.send(Outcome(Status.UNAVAILABLE, message=message))
        except (EOFError, OSError):
            return
        if "writer" in kind:
            return


def serve(conn, settings, networked: bool = False) -> None:
    """A reader executor's main loop: receive a job, answer an Outcome, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    reader = _Reader(settings)
    policy = Policy.from_settings(settings)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        outcome = handle(reader, job, policy, networked)
        try:
            conn.send(outcome)
        except OSError:
            return


# --- writing -------------------------------------------------------------------------------


def _iri(value: str) -> str:
    return f"<{ox.NamedNode(value).value}>"


def payload_ntriples(job: WriteJob) -> str:
    """The request body as N-Triples text (for a graph) or graph-grouped blocks (for quads)."""
    fmt = OX_RDF[job.body_format]
    if job.graph is not None:
        triples = [
            q.triple
            for q in ox.parse(job.body, format=fmt, base_iri=job.graph, without_named_graphs=True)
        ]
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    groups: dict[str, list] = {}
    for quad in ox.parse(job.body, format=fmt):
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise ValueError(
                "the payload has triples outside any named graph; the default graph is the "
                "merge of the named graphs, so put them in a named graph"
            )
        groups.setdefault(str(quad.graph_name), []).append(quad.triple)
    blocks = [
        f"GRAPH {name} {{\n{ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()}}}"
        for name, triples in groups.items()
    ]
    return "\n".join(blocks)


def plan_write(store: ox.Store, job: WriteJob) -> tuple[str, dict, str]:
    """The update that performs ``job``, and the one that then keeps the default graph the
    merge of the named graphs.

    A SPARQL Update may touch any graph, so it is followed by the whole merge (a scan of the
    store). A Graph Store write touches one graph: only that graph's triples are moved in or
    out of the default graph, so its cost follows the graph's size, not the store's.
    """
    op = job.operation
    if op == "update":
        return job.update, {}, MERGE_DEFAULT_GRAPH
    graph = _iri(job.graph) if job.graph is not None else None
    existed = job.graph is not None and store.contains_named_graph(ox.NamedNode(job.graph))
    if graph is None:  # POST of quads to the dataset: several graphs at once
        return (
            f"INSERT DATA {{\n{payload_ntriples(job)}\n}}",
            {"created": False},
            (MERGE_DEFAULT_GRAPH),
        )
    # triples only this graph states leave the default graph with it
    forget_old = (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }} }}"
    )
    if op == "delete":
        if not existed:
            raise GraphMissing(f"no graph <{job.graph}> in the store")
        return f"{forget_old} ;\nDROP GRAPH {graph}", {}, ""
    payload = payload_ntriples(job)
    add_new = f"INSERT DATA {{\n{payload}}}"
    if op == "put":
        text = (
            f"{forget_old} ;\nDROP SILENT GRAPH {graph} ;\nCREATE GRAPH {graph} ;\n"
            f"INSERT DATA {{ GRAPH {graph} {{\n{payload}}} }}"
        )
    else:
        text = f"CREATE SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{payload}}} }}"
    return text, {"created": not existed}, add_new


def joined_update(text: str, merge: str) -> list[str]:
    """``text`` then ``merge`` as one update request, in the two ways a request may end."""
    if not merge:
        return [text]
    return [text + "\n;\n" + merge, text + "\n" + merge]


def apply_write(settings, job: WriteJob, deadline: float, networked: bool = False) -> Outcome:
    """Open the store read-write, apply ``job`` atomically, flush. Runs in a writer process."""
    policy = Policy.from_settings(settings)
    store = None
    try:
        if (
            job.operation == "update"
            and check_update(job.update, policy, networked=networked)
            and not networked
        ):
            return Outcome(Status.NEEDS_NETWORK)
        store = open_writer(settings, deadline)
        if job.operation == "checkpoint":
            # opening read-write replayed the write-ahead log; flushing folds it into the
            # store, so read-only opens need not replay it again (each one would)
            store.flush()
            return Outcome(Status.OK, data={})
        text, data, merge = plan_write(store, job)
        first, *fallback = joined_update(text, merge)
        try:
            store.update(first, base_iri=settings.base_iri)
        except SyntaxError as error:
            # the request ends in ';' or is only a prologue: join without another ';'
            if not fallback:
                raise
            try:
                store.update(fallback[0], base_iri=settings.base_iri)
            except SyntaxError:
                raise error from None
        store.flush()
        return Outcome(Status.OK, data=data)
    except StoreMissing as exc:
        return Outcome(Status.UNAVAILABLE, message=str(exc))
    except GraphMissing as exc:
        return Outcome(Status.NOT_FOUND, message=str(exc))
    except Exception as exc:
        outcome = classify(exc, networked)
        if outcome is not None:
            return outcome
        log.exception("write failed")
        return Outcome(Status.ERROR, message=f"{type(exc).__name__}: {exc}")
    finally:
        del store


def write_child(conn, settings, networked: bool = False) -> None:
    """A writer process: receive one write, apply it, report, exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    try:
        job, deadline = conn.recv()
    except (EOFError, OSError):
        return
    started = time.monotonic()
    outcome = apply_write(settings, job, deadline, networked)
    outcome.data["seconds"] = round(time.monotonic() - started, 4)
    with contextlib.suppress(OSError):
        conn.send(outcome)
