"""What the web workers ask executors to do, and what comes back: plain, picklable records."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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


ReadJob = QueryJob | GraphReadJob | StatsJob


@dataclass(frozen=True)
class WriteJob:
    """One atomic write: a SPARQL Update, or a Graph Store PUT/POST/DELETE.

    ``graph`` is the target graph IRI (None: the whole dataset, for POST of quads).
    """

    operation: str  # "update" | "put" | "post" | "delete" | "checkpoint" (flush the log)
    update: str = ""
    graph: str | None = None
    body: bytes = b""
    body_format: str = ""


class Status(StrEnum):
    """How a job ended. A ``StrEnum``: it pickles across the process boundary as its value,
    and ``Outcome("ok")`` is ``Outcome(Status.OK)``; an unknown status is an error."""

    OK = "ok"
    SYNTAX = "syntax"  # malformed request; ``line``/``column`` if known
    INVALID = "invalid"  # well-formed but failed, e.g. an update on a graph that does not exist
    FORBIDDEN = "forbidden"  # SERVICE/LOAD refused
    NOT_ACCEPTABLE = "not_acceptable"  # no accepted format for this ``kind`` of answer
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"  # no store
    UPSTREAM = "upstream"  # a remote store or an allow-listed SERVICE failed
    MEMORY = "memory"  # the job needed more memory than an executor may use
    NEEDS_NETWORK = "needs_network"  # allow-listed SERVICE/LOAD: run it in a networked executor
    CRASHED = "crashed"  # the process running the job died
    ERROR = "error"  # a server fault: ``message`` is for the log only


@dataclass
class Outcome:
    """An executor's answer: its ``status``, and the serialized answer when it is ``OK``."""

    status: Status
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

    def __post_init__(self) -> None:
        self.status = Status(self.status)
