"""The ``virtuoso.ini`` of a private OpenLink Virtuoso 7: one template for every Virtuoso ctkg
starts (the remote-store tests' in ``tests/helpers.py``, the benchmark's in ``bench/engines.py``).

Both start Debian's ``virtuoso-t`` on loopback ports with their own database directory; they
differ only in size (buffers, threads), so those are the parameters. The ``[SPARQL]`` limits
are the point of sharing it: Virtuoso's defaults silently truncate answers at 10,000 rows, and
an execution-time limit makes it answer partial ("anytime") results with HTTP 200, so both are
off — ctkg's own budget, or the benchmark's, cuts a query instead. And ``VectorSize = 1000``:
under Virtuoso 7.2's built-in value the named query ``unit-as-of`` loses its OPTIONAL
``?change`` bindings (the remote-store test found it; with this setting every named query but
``indicator-ranking``'s repeated path rows answers as SPARQL 1.1 says).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

_TEMPLATE = """\
; a private Virtuoso on {host}, its files under {db} (written by ctkg.graph.virtuoso)
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = {host}:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 20
CheckpointInterval       = 0
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = {dirs}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
VADInstallDir            = /usr/share/virtuoso-opensource-7/vad/
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 200000000
MaxQueryMem              = 2G
; without it Virtuoso 7.2 drops an OPTIONAL's bindings in the named query unit-as-of
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
; 8 kB pages; Virtuoso's guide gives 340,000 buffers (~2.7 GB) for 4 GB of free memory
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}

[HTTPServer]
ServerPort                  = {host}:{http_port}
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = {threads}
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = {threads}
MaxKeepAlives               = {threads}
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[SPARQL]
; no silent truncation (the default is 10,000 rows), no partial answers with 200 (no time limit)
ResultSetMaxRows           = 10000000
MaxSortedTopRows           = 10000000
MaxConstructTriples        = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
DeferInferenceRulesInit    = 0
"""


def virtuoso_ini(
    db: Path,
    *,
    sql_port: int,
    http_port: int,
    host: str = "127.0.0.1",
    buffers: int = 20_000,
    threads: int = 10,
    dirs_allowed: Sequence[Path] = (),
) -> str:
    """The ini text of a Virtuoso whose files live under ``db``, listening on ``host`` only.

    ``buffers`` (8 kB pages; three quarters of them may be dirty) and ``threads`` (HTTP server
    threads and connections) size it: the tests' default is small, the benchmark asks for
    more. ``dirs_allowed`` are read by the bulk loader besides ``db`` itself."""
    dirs = ", ".join([".", *(str(d) for d in dirs_allowed), str(db)])
    return _TEMPLATE.format(
        db=db,
        host=host,
        sql_port=sql_port,
        http_port=http_port,
        buffers=buffers,
        dirty=buffers * 3 // 4,
        threads=threads,
        dirs=dirs,
    )
