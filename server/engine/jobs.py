"""What the web workers ask executors to do, and what comes back: plain, picklable records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QueryJob:
    """Run one SPARQL query and serialize its answer.

    ``default_graphs``/``named_graphs`` are the protocol's dataset (None: as the query says).
    The two format keys are the negotiated answers for each kind of query (None: the client
    accepts none, so that kind of query gets a 406). ``limit`` caps rows or triples (0: none).
    ``substitutions`` are SEP-0007 bindings, ``((pyoxigraph.Variable, term), ...)``: how named
    queries bind their parameters without touching the query text (pyoxigraph terms pickle).
    """

    query: str
    results_format: str | None
    graph_format: str | None
    limit: int
    base_iri: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple = ()
    spool_path: str = ""


@dataclass(frozen=True)
class GraphReadJob:
    """Serialize one graph (``graph`` IRI, or None for the default graph) or the whole dataset."""

    format: str
    base_iri: str
    graph: str | None = None
    whole_dataset: bool = False
    spool_path: str = ""


@dataclass(frozen=True)
class StatsJob:
    """Count triples per graph."""


@dataclass(frozen=True)
class WriteJob:
    """One atomic write: a SPARQL Update, or a Graph Store PUT/POST/DELETE.

    ``graph`` is the target graph IRI (None: the whole dataset, for POST of quads).
    """

    operation: str  # "update" | "put" | "post" | "delete"
    update: str = ""
    graph: str | None = None
    body: bytes = b""
    body_format: str = ""


@dataclass
class Outcome:
    """An executor's answer. ``status`` is one of:

    ``ok``, ``syntax`` (malformed request; ``line``/``column`` if known), ``invalid`` (well-formed
    but failed, e.g. a graph that does not exist in an update), ``forbidden`` (SERVICE/LOAD
    refused), ``not_acceptable`` (no accepted format for this ``kind`` of answer), ``not_found``,
    ``unavailable`` (no store), ``error`` (a server fault: ``message`` is for the log only).
    """

    status: str
    message: str = ""
    kind: str = ""
    format: str = ""
    truncated: bool = False
    body: bytes | None = None
    spooled: bool = False
    size: int = 0
    line: int | None = None
    column: int | None = None
    data: dict = field(default_factory=dict)
    file: object = None  # set by the web worker: the open spool file, when ``spooled``
