"""Mixed-workload throughput of ``ctkg serve``, with and without the answer cache (issue 12):
``python -m bench.mixed``.

The requests the users of a public endpoint send over and over, in one stream: the named
queries as the query pages and ``KnowledgeGraph.run`` ask for them (``GET /api/queries/NAME``),
entity pages (``GET /page/id/…`` as HTML, and ``/id/…`` as a linked-data client asks for it),
and the notebook API's other calls as ``ctkg.KnowledgeGraph`` sends them over HTTP (its
``describe(iri)`` and ``query(...)`` are SPARQLWrapper form POSTs to ``/sparql``;
``queries()`` is ``GET /api/queries``). Weights: named 40 %, pages 30 %, notebook 30 %.
Nothing varies between two requests of the same kind and target: this is the repeated traffic
the cache is for (``bench.load`` measures the varied, uncacheable kind).

Each configuration starts its own server on the same data dir: the answer cache on (the
default ``CTKG_ANSWER_CACHE_BYTES``) and off (``0``). For each number of clients (keep-alive,
one request at a time each, from one asyncio process on the same machine: on 2 cores the client
takes a share of the CPU, so the figures are the server's floor, not its ceiling): requests/s,
p50/p95/p99, other answers (errors) by kind and status, and the cache's hits and misses in that
run (from ``/metrics``: reads, so a page that runs several queries counts several). Every
target is asked once before timing; a target that does not answer 200 (303 for ``/id/…``) is
dropped with a message (so a synthetic graph without the sample's entities still runs).

Not a test: nothing here asserts. Loopback only.

    python -m bench.mixed                                      # the test sample store
    ctkg synth --triples 1e6 --data-dir /tmp/s6                # a synthetic graph, then
    python -m bench.mixed --data-dir /tmp/s6 --clients 1,8 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from .load import ROOT, Connection, Server, pct, sample_data

RESULTS = "application/sparql-results+json"
# what SPARQLWrapper sends for JSON (ctkg.KnowledgeGraph's remote route)
WRAPPER_ACCEPT = "application/sparql-results+json,application/json,text/javascript"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
OBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#object"
# (method, target, Accept, form body for a POST)
Request = tuple[str, str, str, bytes | None]
WEIGHTS = {"named": 0.4, "page": 0.3, "notebook": 0.3}
OK = (200, 303)  # /id/… answers 303 to its page or data, as Linked Data does


def describe_query(iri: str) -> str:
    """The SELECT ``KnowledgeGraph.describe(iri)`` sends (ctkg/api.py)."""
    return (
        "SELECT ?direction ?property ?value ?valueLabel WHERE {"
        f' {{ <{iri}> ?property ?value . BIND("out" AS ?direction)'
        f" OPTIONAL {{ ?value <{LABEL}> ?valueLabel }} }} UNION"
        f' {{ ?value ?property <{iri}> . BIND("in" AS ?direction)'
        f" FILTER(?property != <{SUBJECT}> && ?property != <{OBJECT}>)"
        f" OPTIONAL {{ ?value <{LABEL}> ?valueLabel }} }}"
        " } ORDER BY ?direction ?property ?value"
    )


def workload(base: str) -> dict[str, list[Request]]:
    """kind -> [(method, target, accept, form body or None)]."""
    sys.path.insert(0, str(ROOT))
    from ctkg.queries import catalog

    named: list[Request] = []
    for q in catalog.all_queries():
        if any(p.required for p in q.params):
            continue
        params = {"lang": "vi"} if any(p.name == "lang" for p in q.params) else {}
        named.append(("GET", f"/api/queries/{q.name}?{urlencode(params)}", RESULTS, None))
    entities = ["province/hai-phong", "region/dong-bang-song-hong", "province/thai-nguyen"]
    pages: list[Request] = [("GET", f"/page/id/{e}", "text/html", None) for e in entities]
    pages += [("GET", f"/id/{e}", "text/turtle", None) for e in entities]
    pages.append(("GET", "/", "text/html", None))
    selects = [describe_query(f"{base}id/{e}") for e in entities]
    selects.append(
        "PREFIX ctkg: <https://w3id.org/ctkg/ontology#> SELECT ?e ?year WHERE "
        "{ ?e a ctkg:ConferenceEdition ; ctkg:year ?year } ORDER BY ?year"
    )
    notebook: list[Request] = [
        ("POST", "/sparql", WRAPPER_ACCEPT, urlencode({"query": s}).encode()) for s in selects
    ]
    notebook.append(("GET", "/api/queries", "application/json", None))
    return {"named": named, "page": pages, "notebook": notebook}


class FormConnection(Connection):
    """``bench.load.Connection`` plus form-encoded POSTs (what SPARQLWrapper sends)."""

    async def send(self, method: str, target: str, accept: str, body: bytes | None):
        if method == "GET" or body is None:
            return await self.request(target, accept)
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.writer is not None
        head = (
            f"POST {target} HTTP/1.1\r\nHost: bench\r\nAccept: {accept}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        return await self._response()

    async def _response(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                length = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(length + 2)
                if length == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, 0


def pick(mix: dict[str, list]) -> tuple[str, tuple]:
    roll, total = random.random(), 0.0
    for kind, weight in WEIGHTS.items():
        total += weight
        if roll < total and mix[kind]:
            return kind, random.choice(mix[kind])
    kind = next(k for k in mix if mix[k])
    return kind, random.choice(mix[kind])


async def client(port, mix, until, latencies, statuses):
    conn = FormConnection(port)
    while time.monotonic() < until:
        kind, request = pick(mix)
        started = time.monotonic()
        try:
            status, _, _ = await asyncio.wait_for(conn.send(*request), 60)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            status = type(exc).__name__
            conn.close()
        if status in OK:
            latencies.setdefault(kind, []).append(time.monotonic() - started)
            latencies.setdefault("all", []).append(time.monotonic() - started)
        else:
            statuses[f"{kind}:{status}"] += 1
    conn.close()


async def check(port: int, mix: dict[str, list]) -> list[str]:
    """Ask every target once (this also warms the cache); drop those that do not answer 200."""
    dropped = []
    conn = FormConnection(port)
    for kind in mix:
        kept = []
        for request in mix[kind]:
            status, _, _ = await conn.send(*request)
            if status in OK:
                kept.append(request)
            else:
                dropped.append(f"{request[0]} {request[1][:80]} -> {status}")
        mix[kind] = kept
    conn.close()
    return dropped


async def metrics(port: int) -> dict[str, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /metrics HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
    await writer.drain()
    text = (await reader.read()).decode("utf-8", "replace")
    writer.close()
    found = re.findall(r"^ctkg_(answer_cache_(?:hits|misses)_total) (\d+)$", text, re.M)
    return {name: int(value) for name, value in found}


async def measure(port: int, mix, clients: int, seconds: float) -> dict:
    latencies: dict[str, list[float]] = {}
    statuses: Counter = Counter()
    before = await metrics(port)
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(*(client(port, mix, until, latencies, statuses) for _ in range(clients)))
    elapsed = time.monotonic() - started
    after = await metrics(port)
    every = latencies.get("all", [])
    row = {
        "clients": clients,
        "requests": len(every),
        "rps": round(len(every) / elapsed, 1),
        "p50_ms": round(pct(every, 50), 2),
        "p95_ms": round(pct(every, 95), 2),
        "p99_ms": round(pct(every, 99), 2),
        "by_kind_p50_ms": {
            k: round(pct(v, 50), 2) for k, v in sorted(latencies.items()) if k != "all"
        },
        "not_200": dict(statuses),
    }
    for name in ("answer_cache_hits_total", "answer_cache_misses_total"):
        row[name.removeprefix("answer_cache_").removesuffix("_total")] = after.get(
            name, 0
        ) - before.get(name, 0)
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mixed", description=__doc__)
    parser.add_argument("--data-dir", help="a built data dir (default: the test sample store)")
    parser.add_argument("--clients", default="1,8", help="comma-separated (1,8)")
    parser.add_argument("--seconds", type=float, default=10, help="per level (10)")
    parser.add_argument("--workers", default="2", help="CTKG_WORKERS of the server (2)")
    parser.add_argument("--json", help="write every number here")
    args = parser.parse_args(argv)
    random.seed(12)
    tmp = Path(tempfile.mkdtemp(prefix="ctkg-mixed-"))
    data_dir = Path(args.data_dir) if args.data_dir else sample_data(tmp)
    sys.path.insert(0, str(ROOT))
    from ctkg.config import Settings

    base = Settings.from_env(data_dir=str(data_dir)).base_iri
    levels = [int(c) for c in args.clients.split(",")]
    rows = []
    for cache, cache_bytes in (("on", None), ("off", "0")):
        env = {"CTKG_WORKERS": args.workers, "CTKG_LOG_LEVEL": "WARNING"}
        if cache_bytes is not None:
            env["CTKG_ANSWER_CACHE_BYTES"] = cache_bytes
        mix = workload(base)
        server = Server(data_dir, env)
        try:
            dropped = asyncio.run(check(server.port, mix))
            for line in dropped:
                print(f"dropped (not 200): {line}", file=sys.stderr)
            for clients in levels:
                row = {
                    "cache": cache,
                    **asyncio.run(measure(server.port, mix, clients, args.seconds)),
                }
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
        finally:
            server.stop()
    print(
        "\n| cache | clients | req/s | p50 ms | p95 ms | p99 ms "
        "| cache hits / misses (reads) | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['cache']} | {r['clients']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['p99_ms']} | {r['hits']} / {r['misses']} "
            f"| {sum(r['not_200'].values()) or 0} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
