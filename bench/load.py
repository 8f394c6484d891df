"""Load benchmark of ``ctkg serve`` on loopback: ``python -m bench.load`` (issue 14).

A mix of named queries, ad-hoc SELECTs, CONSTRUCTs, entity pages and dumps at 1, 8, 32, 128 and
512 concurrent clients (keep-alive, one request at a time each), while slow clients (connections
that send half a request and stall) and slow queries (a cross product that runs to its budget)
run at the same time. For each level: throughput, p50/p95/p99, errors by kind, how fast 503s
came back, ``/healthz`` latency, and the server's memory over the run.

Each level runs twice, back to back: first the same mix at the same number of clients *alone*
(no slow clients, no slow queries), then with them. "Cheap p99 × alone" is the cheap requests'
(``ASK``) p99 with the slow load divided by their p99 alone at the same level, so it measures
what the slow queries cost the cheap ones, not what more clients cost (the second session's
version divided by the p99 of 8 cheap-only clients, which mixed the two).

``/healthz`` is probed every 100 ms by a separate process with blocking sockets (a new
connection each time, 10 s timeout), not from the load generator's event loop: at 512 clients
that loop is itself saturated, and a probe sharing it would time the generator, not the server.
The prober also reports how late it woke from its own pauses ("prober lag"): on a machine
whose cores are all busy, that much of each probe's latency is the machine's, not the server's.
So it runs at a raised priority (``--prober-priority``, default ``rt``: SCHED_FIFO, else nice
-10; only the measuring process, never the server): at normal priority, on 2 cores shared with
the 512-client generator, its own lag p99 was 176 ms, larger than the server's latency.

Memory: every process of the server's session (granian's main process, its workers, their fork
servers and executors), sampled every 0.5 s, as RSS (what the issue's figures used) and PSS
(shared pages divided among the processes that share them, so the sum is what the tree really
holds; forked workers and executors share much).

Not a test: nothing here asserts. It measures; the numbers go in the report. Loopback only.

    python -m bench.load                      # sample store, 5 s per level
    python -m bench.load --data-dir ./ctkg-data --seconds 20 --levels 1,8,32,128,512
    python -m bench.load --soak 600           # one long run at 32 clients: memory over time

With ``--soak SECONDS`` (one run at 32 clients, with the slow load) the memory is reported per
minute, for the whole tree and by kind of process, with its growth: the median of the last
minute against the median of the first minute after a one-minute warm-up (caches, executors
and allocator arenas fill up first), and the least-squares slope over the run after the
warm-up, in MiB per minute. Executors come and go (a slow query's executor is replaced), so
growth is read per kind of process, not per pid. Beside the memory, the answer cache's own
accounting (``/stats`` every 5 s: bytes in memory over the workers, as charged against their
bounds, and on disk) and the workers' RSS less the cache's memory: a cache filling to its bound
shows in the first, anything else growing in the second.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the server under test ---------------------------------------------------------------


class Server:
    def __init__(self, data_dir: Path, env: dict[str, str]):
        self.port = free_port()
        self.cpu: dict[tuple[str, int], float] = {}  # (kind, pid): CPU seconds, at the samples
        self.hz = os.sysconf("SC_CLK_TCK")
        self.log = open(data_dir.parent / f"load-server-{self.port}.log", "ab")  # noqa: SIM115
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CTKG_")}
        full_env.update({"CTKG_DATA_DIR": str(data_dir), **env})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ctkg.server.run", "--port", str(self.port)],
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if b" 200 " in sock.recv(200):
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def cpu_since(self, before: dict) -> dict[str, float]:
        """CPU seconds by kind of process since the ``before`` copy of ``self.cpu`` (processes
        seen at the samples; an executor's last half second before it is killed is missed)."""
        totals: dict[str, float] = {}
        for (kind, pid), seconds in self.cpu.items():
            totals[kind] = totals.get(kind, 0.0) + seconds - before.get((kind, pid), 0.0)
        return totals

    def memory(self) -> dict[str, tuple[float, float]]:
        """``{kind: (RSS MiB, PSS MiB)}`` over the server's session, by kind of process, and
        ``"all"``: the main process, its workers, their fork servers (``zygote``) and the
        processes those fork (``executor``: readers and writers)."""
        parents: dict[int, int] = {}
        zygotes: set[int] = set()
        ticks: dict[int, int] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[3]) != self.process.pid:  # session id
                    continue
                parents[int(name)] = int(fields[1])
                ticks[int(name)] = int(fields[11]) + int(fields[12])  # utime + stime
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    if b"ctkg.server.engine.zygote" in f.read():
                        zygotes.add(int(name))
            except (OSError, IndexError, ValueError):
                continue
        totals: dict[str, list[float]] = {}
        for pid, parent in parents.items():
            if pid == self.process.pid:
                kind = "main"
            elif parent == self.process.pid:
                kind = "worker"
            elif pid in zygotes and parent not in zygotes:
                kind = "zygote"
            else:
                kind = "executor"
            self.cpu[(kind, pid)] = ticks[pid] / self.hz
            if kind == "worker":  # its event loop's thread alone (the main thread)
                with contextlib.suppress(OSError, IndexError, ValueError):
                    with open(f"/proc/{pid}/task/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    self.cpu[("worker loop", pid)] = (int(fields[11]) + int(fields[12])) / self.hz
                    # and how long it waited, runnable, for a CPU (schedstat, ns): tells a loop
                    # starved of CPU from a loop with too much to do
                    with open(f"/proc/{pid}/task/{pid}/schedstat") as f:
                        self.cpu[("worker loop wait", pid)] = int(f.read().split()[1]) / 1e9
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    values = dict(
                        (line.split()[0].rstrip(":"), int(line.split()[1]))
                        for line in f
                        if line.split()[0] in ("Rss:", "Pss:")
                    )
            except (OSError, IndexError, ValueError):
                continue
            for name in (kind, "all"):
                entry = totals.setdefault(name, [0.0, 0.0])
                entry[0] += values.get("Rss", 0) / 1024
                entry[1] += values.get("Pss", 0) / 1024
        return {kind: (rss, pss) for kind, (rss, pss) in totals.items()}

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


# --- a small keep-alive HTTP/1.1 client ----------------------------------------------------


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, target: str, accept: str = "*/*") -> tuple[int, dict, int]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(
            f"GET {target} HTTP/1.1\r\nHost: bench\r\nAccept: {accept}\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        size = 0
        if "content-length" in headers:
            size = int(headers["content-length"])
            await self.reader.readexactly(size)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                length = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(length + 2)
                size += length
                if length == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, size

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def mix(named: list[str], entities: list[str], dumps: list[str]):
    """A request of the mix: (kind, target, accept); ad-hoc ones vary so no cache answers them."""
    roll = random.random()
    n = random.randrange(1, 10**6)
    if roll < 0.25 and named:
        return "named", f"/api/queries/{random.choice(named)}", "application/sparql-results+json"
    if roll < 0.55:
        query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 20 OFFSET {n % 7}"
        return "select", "/sparql?query=" + quote(query), "application/sparql-results+json"
    if roll < 0.70:
        query = f"ASK {{ FILTER({n} = {n}) }}"
        return "cheap", "/sparql?query=" + quote(query), "application/sparql-results+json"
    if roll < 0.85:
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} LIMIT {10 + n % 5}"
        return "construct", "/sparql?query=" + quote(query), "text/turtle"
    if roll < 0.97 and entities:
        return "page", random.choice(entities), "text/html"
    if dumps:
        return "dump", random.choice(dumps), "*/*"
    return "cheap", "/sparql?query=" + quote(f"ASK {{ FILTER({n} = {n}) }}"), "*/*"


class Run:
    def __init__(self):
        self.latencies: dict[str, list[float]] = {}
        self.errors: Counter = Counter()
        self.shed_seconds: list[float] = []
        self.lag: list[float] = []
        self.prober_lag: list[float] = []
        self.cpu: dict[str, float] = {}
        self.cache: list[tuple[float, float, float]] = []  # (s, MiB in memory, MiB on disk)
        self.prober_priority = ""
        self.connects: list[float] = []  # the /healthz probes' TCP connects
        self.ok = 0

    def record(self, kind: str, status: int | str, seconds: float, retry_after: bool):
        if status in (200, 303, 304):
            self.ok += 1
            self.latencies.setdefault(kind, []).append(seconds)
            self.latencies.setdefault("all", []).append(seconds)
        else:
            self.errors[f"{status}{'+Retry-After' if retry_after else ''}"] += 1
            if status == 503:
                self.shed_seconds.append(seconds)


async def client(port: int, run: Run, until: float, catalogue):
    conn = Connection(port)
    while time.monotonic() < until:
        kind, target, accept = mix(*catalogue)
        started = time.monotonic()
        try:
            status, headers, _ = await asyncio.wait_for(conn.request(target, accept), 60)
            run.record(kind, status, time.monotonic() - started, "retry-after" in headers)
            if status >= 500:
                await asyncio.sleep(0.05)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            run.record(kind, type(e).__name__, time.monotonic() - started, False)
            conn.close()
            await asyncio.sleep(0.05)
        except TimeoutError:
            run.record(kind, "client-timeout", time.monotonic() - started, False)
            conn.close()
    conn.close()


async def slow_query(port: int, run: Run, until: float, budget: float):
    conn = Connection(port)
    target = "/sparql?query=" + quote(SLOW) + f"&timeout={budget}"
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            status, _, _ = await conn.request(target, "application/sparql-results+json")
            run.errors[f"slow-query:{status}"] += 1
        except (OSError, asyncio.IncompleteReadError):
            conn.close()
        run.latencies.setdefault("slow-query", []).append(time.monotonic() - started)
    conn.close()


async def slow_client(port: int, until: float):
    """Connections that send half a request, then nothing; reconnect when dropped."""
    while time.monotonic() < until:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 1000\r\n\r\nASK"
            )
            await writer.drain()
            await asyncio.wait_for(reader.read(), max(0.1, until - time.monotonic()))
            writer.close()
        except (OSError, TimeoutError):
            await asyncio.sleep(0.1)


def raise_priority(how: str) -> str:
    """Raise this (measuring) process's priority: ``rt`` (SCHED_FIFO, else nice -10), ``nice``
    (nice -10) or ``none``; returns what was applied. Why: on a machine whose cores are busy
    with the load generator, a prober at normal priority waits for a CPU itself (its wake-up
    lag p99 was 176 ms at 512 clients), and that wait would be counted as the server's."""
    if how == "rt":
        with contextlib.suppress(OSError, AttributeError):
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
            return "SCHED_FIFO 10"
    if how in ("rt", "nice"):
        with contextlib.suppress(OSError):
            os.nice(-10)
            return "nice -10"
    return "normal"


def _probe_process(port: int, seconds: float, out, priority: str = "rt") -> None:
    """``/healthz`` every 100 ms for ``seconds``, from a process of its own (see the docstring);
    sends the list of latencies (10.0 for a timeout, an error or a non-200) through ``out``."""
    applied = raise_priority(priority)
    timings: list[float] = []
    connects: list[float] = []  # of which the TCP connect (the kernel's accept queue, granian's)
    lags: list[float] = []  # how late this process woke from its pauses: the machine's share
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                connects.append(time.monotonic() - started)
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
                answer = b""
                while b"\r\n\r\n" not in answer:
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
            ok = answer.startswith(b"HTTP/1.1 200")
            timings.append(time.monotonic() - started if ok else 10.0)
        except OSError:
            timings.append(10.0)
        pause = max(0.0, 0.1 - (time.monotonic() - started))
        woke = time.monotonic()
        time.sleep(pause)
        lags.append(time.monotonic() - woke - pause)
    out.send((timings, lags, applied, connects))
    out.close()


class Prober:
    """The independent ``/healthz`` prober: a forked process with blocking sockets."""

    def __init__(self, port: int, seconds: float, priority: str = "rt"):
        context = multiprocessing.get_context("fork")
        self.ours, theirs = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_probe_process, args=(port, seconds, theirs, priority), daemon=True
        )
        self.process.start()
        theirs.close()
        self.connects: list[float] = []

    async def result(self) -> tuple[list[float], list[float], str]:
        """The probes' latencies, how late the prober itself woke (its own lag), and the
        priority it ran at."""
        timings, lags, applied, self.connects = await asyncio.get_running_loop().run_in_executor(
            None, self.ours.recv
        )
        self.process.join(5)
        return timings, lags, applied


async def lag(until: float, out: list[float]):
    """How late the load generator's own event loop wakes from a 10 ms sleep: the part of
    every client-side latency that is the generator's, not the server's (it shares the cores)."""
    while time.monotonic() < until:
        started = time.monotonic()
        await asyncio.sleep(0.01)
        out.append(time.monotonic() - started - 0.01)


async def memory(server: Server, until: float, out: list[tuple[float, dict]]):
    start = time.monotonic()
    while time.monotonic() < until:
        out.append((time.monotonic() - start, server.memory()))
        await asyncio.sleep(0.5)


async def cache_stats(port: int, until: float, out: list[tuple[float, float, float]]):
    """The answer cache's own accounting every 5 s (``/stats``): MiB in memory over the
    workers, as charged against their bounds, and MiB on disk; so a reader of the memory
    figures sees the cache fill to its bound and what the rest of the workers do."""
    start = time.monotonic()
    while time.monotonic() < until:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError, ValueError, TimeoutError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(b"GET /stats HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                raw = await asyncio.wait_for(reader.read(), 5)
            finally:
                writer.close()
            head, _, body = raw.partition(b"\r\n\r\n")
            if b" 200 " in head.split(b"\r\n", 1)[0]:
                cache = json.loads(body)["answer_cache"]
                out.append(
                    (
                        time.monotonic() - start,
                        cache.get("memory_bytes", 0) / 2**20,
                        cache.get("disk_bytes", 0) / 2**20,
                    )
                )
        await asyncio.sleep(
            max(0.0, min(until - time.monotonic(), 5 - (time.monotonic() - start) % 5))
        )


async def level(
    server, clients, seconds, catalogue, slow_clients, slow_queries, budget, priority="rt"
) -> tuple[Run, list[float], list[tuple[float, dict]], float]:
    run = Run()
    rss: list[tuple[float, dict]] = []
    until = time.monotonic() + seconds
    prober = Prober(server.port, seconds, priority)
    tasks = [client(server.port, run, until, catalogue) for _ in range(clients)]
    tasks += [slow_client(server.port, until) for _ in range(slow_clients)]
    tasks += [slow_query(server.port, run, until, budget) for _ in range(slow_queries)]
    tasks += [memory(server, until, rss), lag(until, run.lag)]
    tasks += [cache_stats(server.port, until, run.cache)]
    started, cpu_before = time.monotonic(), dict(server.cpu)
    await asyncio.gather(*tasks)
    took = time.monotonic() - started
    server.memory()
    run.cpu = server.cpu_since(cpu_before)
    health, run.prober_lag, run.prober_priority = await prober.result()
    run.connects = prober.connects
    return run, health, rss, took


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000


def catalogue_of(data_dir: Path):
    sys.path.insert(0, str(ROOT))
    from ctkg.queries import catalog

    named = [q.name for q in catalog.all_queries() if all(not p.required for p in q.params)]
    entities = [
        "/page/id/province/hai-phong",
        "/id/province/hai-phong",
        "/page/id/region/dong-bang-song-hong",
        "/",
    ]
    dumps_dir = data_dir / "current" / "dumps"
    dumps = [f"/dumps/{p.name}" for p in dumps_dir.glob("*.nt")] if dumps_dir.is_dir() else []
    return named, entities, dumps


def sample_data(tmp: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import SAMPLE_TRIG, build_store

    data_dir = tmp / "data"
    build_store(data_dir, SAMPLE_TRIG)
    return data_dir


def growth(rss: list[tuple[float, float]], warmup: float = 60.0) -> dict:
    """How the samples ``(seconds, MiB)`` grew after ``warmup`` seconds (see the docstring)."""
    after = [(t, m) for t, m in rss if t >= warmup] or rss
    if len(after) < 2:
        return {}

    def median(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[len(ordered) // 2]

    t0, t_end = after[0][0], after[-1][0]
    first = median([m for t, m in after if t < t0 + 60])
    last = median([m for t, m in after if t > t_end - 60])
    mean_t = sum(t for t, _ in after) / len(after)
    mean_m = sum(m for _, m in after) / len(after)
    var = sum((t - mean_t) ** 2 for t, _ in after) or 1.0
    slope = sum((t - mean_t) * (m - mean_m) for t, m in after) / var
    per_minute: dict[int, list[float]] = {}
    for t, m in rss:
        per_minute.setdefault(int(t // 60), []).append(m)
    return {
        "first_minute_mb": round(first, 1),
        "last_minute_mb": round(last, 1),
        "growth_mb": round(last - first, 1),
        "slope_mb_per_min": round(slope * 60, 2),
        "per_minute_mb": [round(median(v)) for _, v in sorted(per_minute.items())],
    }


def series(samples: list[tuple[float, dict]], kind: str, which: int) -> list[tuple[float, float]]:
    """One kind's RSS (``which`` 0) or PSS (1) over the run, from ``Server.memory`` samples."""
    return [(t, m.get(kind, (0.0, 0.0))[which]) for t, m in samples]


def minus_cache(
    samples: list[tuple[float, float]], cache: list[tuple[float, float, float]]
) -> list[tuple[float, float]]:
    """``samples`` less the cache's in-memory MiB last reported before each (none before the
    first report)."""
    out, i, held = [], 0, None
    for t, m in samples:
        while i < len(cache) and cache[i][0] <= t:
            held = cache[i][1]
            i += 1
        if held is not None:
            out.append((t, m - held))
    return out


def row_of(clients: int, run: Run, alone: Run, health: list[float], rss, took: float) -> dict:
    everything = run.latencies.get("all", [])
    cheap = pct(run.latencies.get("cheap", []), 99)
    cheap_alone = pct(alone.latencies.get("cheap", []), 99)
    total = series(rss, "all", 0)
    cpu = dict(run.cpu)
    loop_wait = cpu.pop("worker loop wait", 0.0)
    return {
        "clients": clients,
        "req_s": round(run.ok / took, 1),
        "p50_ms": round(pct(everything, 50), 1),
        "p95_ms": round(pct(everything, 95), 1),
        "p99_ms": round(pct(everything, 99), 1),
        "cheap_p99_ms": round(cheap, 1),
        "cheap_alone_p99_ms": round(cheap_alone, 1),
        "cheap_ratio": round(cheap / cheap_alone, 1),
        "alone_errors": dict(alone.errors),
        "errors": dict(run.errors),
        "503_max_ms": round(max(run.shed_seconds) * 1000, 1) if run.shed_seconds else 0,
        "generator_lag_p99_ms": round(pct(run.lag, 99), 1),
        # the server's CPU per answer (200s and 503s alike), by kind of process: unlike the
        # latencies, barely moved by what else runs on the machine
        "cpu_ms_per_answer": {
            kind: round(1000 * seconds / max(1, run.ok + sum(run.errors.values())), 2)
            for kind, seconds in sorted(cpu.items())
        },
        # the workers' event-loop threads, summed: ms a second they ran, and waited for a CPU
        "worker_loop_ran_ms_per_s": round(1000 * cpu.get("worker loop", 0.0) / took, 1),
        "worker_loop_waited_ms_per_s": round(1000 * loop_wait / took, 1),
        "prober_lag_p99_ms": round(pct(run.prober_lag, 99), 1),
        "prober_priority": run.prober_priority,
        "cache_memory_mb_end": round(run.cache[-1][1], 1) if run.cache else None,
        "cache_disk_mb_end": round(run.cache[-1][2], 1) if run.cache else None,
        "healthz_probes": len(health),
        "healthz_p99_ms": round(pct(health, 99), 1),
        "healthz_max_ms": round(max(health) * 1000, 1) if health else None,
        "healthz_connect_p99_ms": round(pct(run.connects, 99), 1),
        "rss_mb_start_max_end": [
            round(total[0][1]) if total else None,
            round(max(m for _, m in total)) if total else None,
            round(total[-1][1]) if total else None,
        ],
        "pss_mb_max": round(max((m for _, m in series(rss, "all", 1)), default=0)),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data-dir", help="a built data dir (default: the test sample store)")
    parser.add_argument("--levels", default="1,8,32,128,512")
    parser.add_argument("--seconds", type=float, default=5.0, help="per level and run")
    parser.add_argument("--slow-clients", type=int, default=16)
    parser.add_argument("--slow-queries", type=int, default=4)
    parser.add_argument("--budget", type=float, default=5.0, help="the slow queries' timeout")
    parser.add_argument("--soak", type=float, default=0, help="one run of this many seconds")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument(
        "--prober-priority",
        choices=("rt", "nice", "none"),
        default="rt",
        help="the /healthz prober's priority: rt = SCHED_FIFO (else nice -10), so its own wait "
        "for a CPU is not counted as the server's (it needs root or CAP_SYS_NICE)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="CTKG_X=VALUE",
        help="a setting for the server under test (repeatable), to compare two back to back",
    )
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="ctkg-load-"))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else sample_data(tmp)
    catalogue = catalogue_of(data_dir)
    server = Server(
        data_dir, {"CTKG_QUERY_TIMEOUT": "10", **dict(e.split("=", 1) for e in args.env)}
    )
    rows = []
    soak_samples: list[tuple[float, dict]] = []
    try:
        loop = asyncio.new_event_loop()
        levels = [32] if args.soak else [int(x) for x in args.levels.split(",")]
        for clients in levels:
            alone, *_ = loop.run_until_complete(
                level(
                    server,
                    clients,
                    args.seconds,
                    catalogue,
                    0,
                    0,
                    args.budget,
                    args.prober_priority,
                )
            )
            run, health, rss, took = loop.run_until_complete(
                level(
                    server,
                    clients,
                    args.soak or args.seconds,
                    catalogue,
                    args.slow_clients,
                    args.slow_queries,
                    args.budget,
                    args.prober_priority,
                )
            )
            row = row_of(clients, run, alone, health, rss, took)
            if args.soak:
                soak_samples = rss
                kinds = sorted({k for _, m in rss for k in m})
                row["soak"] = {
                    f"{kind} {name}": growth(series(rss, kind, which))
                    for kind in kinds
                    for which, name in ((0, "rss"), (1, "pss"))
                }
                # the answer cache's own accounting, and the workers without it: "filled to its
                # bound, then flat" reads as the first levelling off and the second flat
                row["soak"]["cache memory"] = growth([(t, m) for t, m, _ in run.cache])
                row["soak"]["cache disk"] = growth([(t, d) for t, _, d in run.cache])
                row["soak"]["worker rss-cache"] = growth(
                    minus_cache(series(rss, "worker", 0), run.cache)
                )
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    finally:
        server.stop()
        if not args.data_dir:  # the sample store and its answer cache (a soak's: ~130 MiB)
            shutil.rmtree(data_dir, ignore_errors=True)
            print(f"(the server's log: {server.log.name})", file=sys.stderr)
    print()
    print(
        "| clients | req/s | p50 ms | p95 ms | p99 ms | cheap p99 ms: with / alone (×) | errors "
        "by kind | slowest 503 ms | /healthz p99 / max ms | RSS MiB start / max / end | "
        "PSS MiB max | generator / prober lag p99 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(r["errors"].items())) or "0"
        if r["alone_errors"]:
            errors += " (alone: " + ", ".join(f"{k}: {v}" for k, v in r["alone_errors"].items())
            errors += ")"
        print(
            f"| {r['clients']} | {r['req_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
            f"| {r['cheap_p99_ms']} / {r['cheap_alone_p99_ms']} ({r['cheap_ratio']}×) "
            f"| {errors} | {r['503_max_ms']} "
            f"| {r['healthz_p99_ms']} / {r['healthz_max_ms']} "
            f"| {' / '.join(str(x) for x in r['rss_mb_start_max_end'])} | {r['pss_mb_max']} "
            f"| {r['generator_lag_p99_ms']} / {r['prober_lag_p99_ms']} |"
        )
    priorities = sorted({r["prober_priority"] for r in rows})
    print(f"\nthe /healthz prober ran at: {', '.join(priorities)}")
    kinds = sorted({k for r in rows for k in r["cpu_ms_per_answer"]})
    print("\nserver CPU ms per answer (200s and 503s), by kind of process; the workers' loops:")
    print("| clients | " + " | ".join(kinds) + " | loops ran / waited for a CPU, ms per s |")
    print("|---|" + "---|" * (len(kinds) + 1))
    for r in rows:
        cells = " | ".join(str(r["cpu_ms_per_answer"].get(k, 0)) for k in kinds)
        loops = f"{r['worker_loop_ran_ms_per_s']} / {r['worker_loop_waited_ms_per_s']}"
        print(f"| {r['clients']} | {cells} | {loops} |")
    for r in rows:
        if r.get("soak"):
            print(f"\nsoak {args.soak:.0f} s at {r['clients']} clients, MiB per minute (median):")
            for name, g in r["soak"].items():
                if g:
                    print(
                        f"  {name:14} {g['per_minute_mb']}; after the warm-up minute "
                        f"{g['first_minute_mb']} -> {g['last_minute_mb']} (growth "
                        f"{g['growth_mb']} MiB, slope {g['slope_mb_per_min']} MiB/min)"
                    )
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "soak_samples": soak_samples}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
