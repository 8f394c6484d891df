"""The engines the benchmark compares, each started, measured and stopped the same way.

HTTP engines (ctkg's endpoint, the Oxigraph server) run as subprocesses bound to 127.0.0.1 on
a free port; in-process engines (pyoxigraph on disk / in memory, rdflib) run in a worker
process (``bench.worker``). Every process is started by the benchmark and stopped by it (by its
own process id), with a time limit on every wait.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bench.worker import count_rows
from ctkg.graph.virtuoso import virtuoso_ini

HOST = "127.0.0.1"
ACCEPT = "application/sparql-results+json"
ROOT = Path(__file__).resolve().parent.parent


def python_env() -> dict:
    """This environment, with the repository on PYTHONPATH (``python -m bench.worker``)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


# ---------------------------------------------------------------- processes


def oxigraph_cli() -> str:
    """The ``oxigraph`` command: the venv's (next to ``sys.executable``), else on PATH."""
    from ctkg.tools import executable

    return executable("oxigraph") or "oxigraph"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry))
    return out


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(sum of peak RSS, sum of current RSS) over the process tree, in MB.

    The sum of peaks is an upper bound: forked workers share pages with their parent.
    """
    pids = process_tree(pid)
    peak = sum(_status_kb(p, "VmHWM") for p in pids) / 1024
    now = sum(_status_kb(p, "VmRSS") for p in pids) / 1024
    return peak, now


def tree_pss_mb(pid: int) -> float:
    """Proportional set size of the process tree now (shared pages divided among sharers)."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total / 1024


def run_measured(cmd: list[str], *, timeout: float, env: dict | None = None) -> dict:
    """Run ``cmd`` to completion: wall time, exit status, stdout, and its peak RSS (wait4)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True),
        threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True),
    ]
    for r in readers:
        r.start()
    deadline = t0 + timeout
    status = None
    peak = 0.0
    while True:
        # VmHWM, polled: wait4's ru_maxrss would count the parent's memory at fork time
        peak = max(peak, tree_memory_mb(proc.pid)[0])
        pid, status, _ = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
            status = None
            break
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status) if status is not None else -9
    for r in readers:
        r.join(5)
    return {
        "seconds": time.perf_counter() - t0,
        "returncode": proc.returncode,
        "timed_out": status is None,
        "stdout": b"".join(out).decode("utf-8", "replace"),
        "stderr": b"".join(err).decode("utf-8", "replace")[-2000:],
        "peak_rss_mb": peak or None,
    }


def du_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_size
    return total / 1e6


def stop_process(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the process group we started, then SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(grace)


# ---------------------------------------------------------------- measurements


@dataclass
class Latency:
    times: list[float] = field(default_factory=list)
    rows: int | None = None
    bytes: int | None = None
    error: str | None = None

    def summary(self) -> dict:
        out: dict = {"rows": self.rows, "bytes": self.bytes, "runs": len(self.times)}
        if self.error:
            out["error"] = self.error
        if self.times:
            ts = sorted(self.times)
            out["p50_ms"] = statistics.median(ts) * 1000
            out["p95_ms"] = ts[min(len(ts) - 1, round(0.95 * (len(ts) - 1)))] * 1000
        return out


class HttpEngine:
    """A SPARQL endpoint in a subprocess we start: latency by one keep-alive client,
    throughput by wrk (or threads)."""

    name = "http"
    path = "/sparql"
    health = None  # a GET path that answers 200 once ready, else the first query is the probe

    def prologue_for(self, text: str) -> str:
        """Engine-specific text put before a query (Virtuoso's dataset pragmas)."""
        return ""

    form_post = False  # POST the query form-encoded (Virtuoso 7 ignores application/sparql-query)

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.ready_s: float | None = None
        self.log = Path(os.devnull)

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict | None:
        return None

    def start(self, timeout: float = 120.0, log: Path | None = None) -> float:
        """Start the server; seconds until it answered its first query."""
        self.log = log or Path(os.devnull)
        t0 = time.perf_counter()
        with self.log.open("ab") as logf:
            self.proc = subprocess.Popen(
                self.command(),
                stdout=logf,
                stderr=subprocess.STDOUT,
                env=self.env(),
                start_new_session=True,
            )
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} (see {log})")
            try:
                status, _ = self.request("ASK {}", timeout=5)
                if status == 200:
                    self.ready_s = time.perf_counter() - t0
                    return self.ready_s
            except OSError:
                pass
            time.sleep(0.05)
        stop_process(self.proc)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s (see {log})")

    def stop(self) -> dict:
        mem = tree_memory_mb(self.proc.pid) if self.proc else (None, None)
        pss = tree_pss_mb(self.proc.pid) if self.proc else None
        if self.proc:
            stop_process(self.proc)
        return {"peak_rss_mb": mem[0], "rss_mb": mem[1], "pss_mb": pss}

    def request(self, text: str, timeout: float = 60.0, conn=None) -> tuple[int, bytes]:
        own = conn is None
        conn = conn or http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            text = self.prologue_for(text) + text
            if self.form_post:
                body = urllib.parse.urlencode({"query": text}).encode("ascii")
                ctype = "application/x-www-form-urlencoded"
            else:
                body, ctype = text.encode("utf-8"), "application/sparql-query"
            conn.request(
                "POST", self.path, body=body, headers={"Content-Type": ctype, "Accept": ACCEPT}
            )
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            if own:
                conn.close()

    def latency(self, text: str, reps: int, budget_s: float, cap_s: float) -> Latency:
        """One untimed run (rows), then up to ``reps`` timed runs within ``budget_s``."""
        result = Latency()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=cap_s)
        try:
            status, body = self.request(text, conn=conn)
            if status != 200:
                result.error = f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
                return result
            result.rows, result.bytes = count_rows(body), len(body)
            deadline = time.perf_counter() + budget_s
            while len(result.times) < reps and (not result.times or time.perf_counter() < deadline):
                t = time.perf_counter()
                status, body = self.request(text, conn=conn)
                if status != 200:
                    result.error = f"HTTP {status} on a repeat"
                    break
                result.times.append(time.perf_counter() - t)
        except (OSError, http.client.HTTPException) as exc:
            result.error = f"{type(exc).__name__}: {exc}"[:200]
        finally:
            conn.close()
        return result

    def throughput(self, text: str, clients: int, seconds: float) -> dict:
        if shutil.which("wrk"):
            return self._wrk(text, clients, seconds)
        return self._threads(text, clients, seconds)

    def _wrk(self, text: str, clients: int, seconds: float) -> dict:
        url = f"http://{HOST}:{self.port}{self.path}?" + urllib.parse.urlencode(
            {"query": self.prologue_for(text) + text}
        )
        cmd = [
            "wrk",
            f"-t{min(2, clients)}",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            f"Accept: {ACCEPT}",
            url,
        ]
        run = run_measured(cmd, timeout=seconds + 40)
        out = run["stdout"]
        m = re.search(r"Requests/sec:\s+([\d.]+)", out)
        non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
        errors = re.search(r"Socket errors:.*?timeout (\d+)", out)
        p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
        done = re.search(r"(\d+) requests in", out)
        if done and int(done.group(1)) == 0:
            return {
                "tool": "wrk",
                "rps": None,
                "p50_ms": None,
                "non_2xx": 0,
                "timeouts": 0,
                "error": f"no request completed in {seconds:.0f} s",
            }
        return {
            "tool": "wrk",
            "rps": float(m.group(1)) if m else None,
            "p50_ms": _ms(p50) if p50 else None,
            "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "timeouts": int(errors.group(1)) if errors else 0,
            "error": None if m else (run["stderr"] or out)[-300:],
        }

    def _threads(self, text: str, clients: int, seconds: float) -> dict:
        stop = time.perf_counter() + seconds
        lat: list[float] = []
        bad = [0]
        lock = threading.Lock()

        def loop():
            conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            mine = []
            while time.perf_counter() < stop:
                t = time.perf_counter()
                try:
                    status, _ = self.request(text, conn=conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                    status = 0
                if status == 200:
                    mine.append(time.perf_counter() - t)
                else:
                    with lock:
                        bad[0] += 1
            with lock:
                lat.extend(mine)
            conn.close()

        t0 = time.perf_counter()
        threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)
        elapsed = time.perf_counter() - t0
        return {
            "tool": "python-threads",
            "rps": len(lat) / elapsed if elapsed else None,
            "p50_ms": statistics.median(lat) * 1000 if lat else None,
            "non_2xx": bad[0],
            "timeouts": 0,
            "error": None,
        }


def _ms(m: re.Match) -> float:
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


class CtkgServer(HttpEngine):
    """``ctkg serve`` on the synthetic build (granian workers over the on-disk store)."""

    name = "ctkg"
    path = "/sparql"

    def __init__(
        self,
        data_dir: Path,
        workers: int = 2,
        query_timeout_s: float = 60.0,
        answer_cache: bool = True,
    ):
        super().__init__()
        self.data_dir = data_dir
        self.workers = workers
        self.query_timeout_s = query_timeout_s
        # the bench repeats identical requests: with the cache on, ctkg's figures are hits
        self.answer_cache = answer_cache
        if not answer_cache:
            self.name = "ctkg-nocache"

    def command(self) -> list[str]:
        # not ``python -m ctkg.cli``: as __main__ the CLI would not see the commands that
        # other modules register on ``ctkg.cli`` (``serve`` among them)
        return [
            sys.executable,
            "-c",
            "import sys; from ctkg.cli import main; sys.exit(main())",
            "--data-dir",
            str(self.data_dir),
            "serve",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]

    def env(self) -> dict:
        env = dict(os.environ)
        env.update(
            CTKG_LOG_LEVEL="WARNING",
            CTKG_QUERY_TIMEOUT=str(self.query_timeout_s),
            CTKG_MAX_QUERY_TIMEOUT=str(self.query_timeout_s),
        )
        if not self.answer_cache:
            env["CTKG_ANSWER_CACHE_BYTES"] = "0"
        return env


class OxigraphServer(HttpEngine):
    """The Rust Oxigraph server, read-only on its own on-disk store (same store kind)."""

    name = "oxigraph"
    path = "/query"

    def __init__(self, location: Path):
        super().__init__()
        self.location = location

    def command(self) -> list[str]:
        return [
            oxigraph_cli(),
            "serve-read-only",
            "--location",
            str(self.location),
            "--bind",
            f"{HOST}:{self.port}",
        ]


def oxigraph_load(location: Path, nq: Path, nt: Path, timeout: float) -> dict:
    """``oxigraph load`` of the named graphs, then of the default graph's triples (and the
    ontology's blank-node triples by ``oxigraph update``, as ``bench.synth.load`` does)."""
    a = run_measured(
        [oxigraph_cli(), "load", "--location", str(location), "--file", str(nq)], timeout=timeout
    )
    if a["returncode"] != 0:
        return {"error": a["stderr"][-300:] or "oxigraph load failed", **a}
    b = run_measured(
        [oxigraph_cli(), "load", "--location", str(location), "--file", str(nt)], timeout=timeout
    )
    if b["returncode"] != 0:
        return {"error": b["stderr"][-300:] or "oxigraph load failed", **b}
    from ctkg.bench.synth import blank_node_merge

    c = run_measured(
        [oxigraph_cli(), "update", "--location", str(location), "--update", blank_node_merge()],
        timeout=timeout,
    )
    if c["returncode"] != 0:
        return {"error": c["stderr"][-300:] or "oxigraph update failed", **c}
    return {
        "load_s": a["seconds"] + b["seconds"] + c["seconds"],
        "peak_rss_mb": max(r["peak_rss_mb"] or 0 for r in (a, b, c)),
    }


class WorkerEngine:
    """pyoxigraph (disk or memory) or rdflib in a ``bench.worker`` process."""

    def __init__(self, name: str, store: Path | None, nq: Path, nt: Path, load_timeout: float):
        self.name = name
        self.args = [sys.executable, "-m", "bench.worker", name, "--nq", str(nq), "--nt", str(nt)]
        if store is not None:
            self.args += ["--store", str(store)]
        self.load_timeout = load_timeout
        self.proc: subprocess.Popen | None = None
        self.load_s: float | None = None
        self.peak_rss_mb = 0.0
        self.restarts = 0

    def start(self) -> float:
        self.proc = subprocess.Popen(
            self.args,
            env=python_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        line = self._read(self.load_timeout)
        if line is None or not line.get("ready"):
            self._kill()
            raise RuntimeError(f"{self.name} did not load within {self.load_timeout} s")
        self.load_s = line["load_s"] if self.load_s is None else self.load_s
        return line["load_s"]

    def _read(self, timeout: float) -> dict | None:
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            if not sel.select(timeout):
                return None
            line = self.proc.stdout.readline()
            return json.loads(line) if line else None
        finally:
            sel.close()

    def _kill(self) -> None:
        if self.proc is None:
            return
        self._note_memory()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> None:
        os.wait4(self.proc.pid, 0)
        self.proc.returncode = 0
        self.proc = None

    def _note_memory(self) -> None:
        if self.proc is not None:
            self.peak_rss_mb = max(self.peak_rss_mb, _status_kb(self.proc.pid, "VmHWM") / 1024)

    def latency(self, text: str, reps: int, budget_s: float, cap_s: float) -> Latency:
        """Send one job; a query past ``cap_s`` (+ budget) kills the worker, which restarts."""
        if self.proc is None:
            self.restarts += 1
            self.start()
        job = {"text": text, "reps": reps, "budget_s": budget_s, "cap_s": cap_s}
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()
        answer = self._read(cap_s + 2 * budget_s + 10)  # the worker cuts rdflib itself
        self._note_memory()
        if answer is None:
            self._kill()
            return Latency(error=f"timeout: over {cap_s:g} s")
        if "error" in answer:
            return Latency(error=answer["error"])
        return Latency(answer["times"], answer["rows"], answer["bytes"])

    def stop(self) -> dict:
        """Note its peak RSS (VmHWM), close its stdin (it exits), reap it."""
        if self.proc is not None:
            self._note_memory()
            self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self._kill()
            self.proc = None
        return {"peak_rss_mb": self.peak_rss_mb or None}


# ---------------------------------------------------------------- Virtuoso

VIRTUOSO_DEFAULT_GRAPH = "urn:ctkg:bench:default-graph"


def virtuoso_available() -> bool:
    return bool(shutil.which("virtuoso-t") and shutil.which("isql-vt"))


def virtuoso_version() -> str | None:
    if not shutil.which("virtuoso-t"):
        return None
    run = run_measured(["virtuoso-t", "-?"], timeout=10)
    m = re.search(r"Version (\S+)", run["stdout"] + run["stderr"])
    return f"Virtuoso {m.group(1)}" if m else "Virtuoso"


class VirtuosoServer(HttpEngine):
    """OpenLink Virtuoso 7 (Debian ``virtuoso-opensource``) with a private ini and database.

    The named graphs load as they are; the default graph (the merge) cannot be a separate
    graph in Virtuoso, whose default dataset is the union of *all* graphs, so the merge loads
    into the graph ``VIRTUOSO_DEFAULT_GRAPH`` and every query gets Virtuoso pragmas before
    the same text the other engines run: ``define input:default-graph-uri`` (that graph is the
    default graph) and, if the query has a ``GRAPH`` pattern, one ``define
    input:named-graph-uri`` per named graph of the data (listed once the server is up).
    Tried and wrong: the default-graph pragma alone (``GRAPH ?g`` then ranges over the merge
    graph too: ``fact-sources`` 1,384 rows instead of 48 at 10^4); adding
    ``input:named-graph-exclude`` (it empties the default graph too); no pragma, the union of
    all graphs (a triple stated in k graphs comes back k times: ``person-posts`` 1,040 rows
    instead of 3); a graph group in ``named-graph-uri`` (refused). Virtuoso 7 answers an empty
    body to a POST of ``application/sparql-query``: queries are POSTed form-encoded.
    """

    name = "virtuoso"
    path = "/sparql"
    form_post = True

    def __init__(self, db: Path, data: Path, buffers: int = 340000):
        super().__init__()
        self.db = db
        self.data = data
        self.sql_port = free_port()
        self.buffers = buffers
        self.named_graphs: list[str] = []
        db.mkdir(parents=True, exist_ok=True)
        self.ini = db / "virtuoso.ini"
        self.ini.write_text(
            virtuoso_ini(
                db,
                host=HOST,
                sql_port=self.sql_port,
                http_port=self.port,
                buffers=buffers,
                threads=40,
                dirs_allowed=[data],
            ),
            encoding="utf-8",
        )

    def command(self) -> list[str]:
        return ["virtuoso-t", "+foreground", "+configfile", str(self.ini)]

    def start(self, timeout: float = 120.0, log: Path | None = None) -> float:
        ready = super().start(timeout, log)
        from ctkg.iris import CANONICAL_BASE

        self.wait_sql(60)
        run = self.isql("SPARQL SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } };", 120)
        self.named_graphs = sorted(
            line.strip()
            for line in run["stdout"].splitlines()
            if line.strip().startswith(CANONICAL_BASE)
        )
        return ready

    def prologue_for(self, text: str) -> str:
        out = f"define input:default-graph-uri <{VIRTUOSO_DEFAULT_GRAPH}>\n"
        if re.search(r"\bGRAPH\b", text, re.IGNORECASE):
            out += "".join(f"define input:named-graph-uri <{g}>\n" for g in self.named_graphs)
        return out

    def isql(self, script: str, timeout: float) -> dict:
        return run_measured(
            ["isql-vt", f"{HOST}:{self.sql_port}", "dba", "dba", f"exec={script}"],
            timeout=timeout,
        )

    def wait_sql(self, timeout: float) -> None:
        """Until the SQL port answers (the HTTP one may answer earlier)."""
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.isql("select 1;", timeout=10)["returncode"] == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"virtuoso SQL port did not answer within {timeout} s")

    def stop(self) -> dict:
        """Shut down cleanly by SQL (then the process group, as every engine)."""
        if self.proc and self.proc.poll() is None:
            mem = tree_memory_mb(self.proc.pid)
            pss = tree_pss_mb(self.proc.pid)
            self.isql("shutdown;", timeout=60)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(30)
            stop_process(self.proc)
            return {"peak_rss_mb": mem[0], "rss_mb": mem[1], "pss_mb": pss}
        return super().stop()


def virtuoso_load(db: Path, nq: Path, nt: Path, timeout: float, log: Path) -> dict:
    """Start a fresh Virtuoso on ``db``; bulk-load (``ld_dir`` + ``rdf_loader_run``) the
    N-Quads into their named graphs and the default graph's triples into
    ``VIRTUOSO_DEFAULT_GRAPH``, add the ontology's blank-node triples to it (as
    ``bench.synth.blank_node_merge`` does), checkpoint, stop. The load time counts from the
    loader's start to the end of the checkpoint (not the server's start, reported apart)."""
    from ctkg.iris import CANONICAL_BASE

    if db.exists():
        shutil.rmtree(db)
    data = nq.parent
    server = VirtuosoServer(db, data)
    t0 = time.perf_counter()
    server.start(timeout=min(timeout, 120), log=log)
    try:
        server.wait_sql(60)
        start_s = time.perf_counter() - t0
        merge = (
            f"SPARQL INSERT {{ GRAPH <{VIRTUOSO_DEFAULT_GRAPH}> {{ ?s ?p ?o }} }} WHERE "
            f"{{ GRAPH <{CANONICAL_BASE}graph/ontology> {{ ?s ?p ?o }} "
            "FILTER(isBlank(?s) || isBlank(?o)) };"
        )
        script = (
            "log_enable(2, 1); "
            f"ld_dir('{data}', '{nq.name}', 'urn:ctkg:bench:unused'); "
            f"ld_dir('{data}', '{nt.name}', '{VIRTUOSO_DEFAULT_GRAPH}'); "
            "rdf_loader_run(); "
            f"{merge} "
            "checkpoint; "
            "select ll_file, ll_state, ll_error from DB.DBA.LOAD_LIST;"
        )
        run = server.isql(script, timeout=timeout)
        peak, _ = tree_memory_mb(server.proc.pid)
        if run["returncode"] != 0 or "Error" in run["stdout"] + run["stderr"]:
            return {"error": (run["stderr"] or run["stdout"])[-400:], **run}
        errors = [
            line
            for line in run["stdout"].splitlines()
            if (nq.name in line or nt.name in line) and not re.search(r"\s2\s+NULL\s*$", line)
        ]
        if errors:
            return {"error": "ld_dir: " + " | ".join(errors)[:400]}
        return {
            "load_s": run["seconds"],
            "start_s": start_s,
            "peak_rss_mb": peak,
            "loader_output": run["stdout"][-1000:],
        }
    finally:
        server.stop()
