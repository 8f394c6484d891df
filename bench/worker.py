"""An in-process engine in its own process, driven over stdin/stdout (one JSON object a line).

    python -m bench.worker ENGINE [--store DIR] [--nq FILE] [--nt FILE]

ENGINE is ``pyoxigraph-disk`` (the build's on-disk store, opened read-only, as ``ctkg serve``
opens it), ``pyoxigraph-mem`` (the same quads bulk-loaded into an in-memory store) or
``rdflib`` (the same named graphs and default graph parsed into an in-memory
``rdflib.Dataset``, whose default graph is not the union). A separate process so
its load time and peak memory are its own, and so a query that runs past its cap can be
stopped (neither pyoxigraph nor rdflib can cancel a running query): the parent kills it.

It answers ``{"ready": …, "load_s": …}`` once loaded, then for each ``{"text", "reps",
"budget_s", "cap_s"}`` runs the query once to count rows (that run is the timing if it took
``budget_s`` or more), else up to ``reps`` timed runs within ``budget_s`` (at least one),
serialization to SPARQL JSON included, and answers ``{"times": […], "rows": n, "bytes": b}``.
rdflib runs each job in a forked child, killed past ``cap_s`` (+ twice the budget).

Also ``python -m bench.worker load-ctkg --data-dir D --nq F --nt F``: the ctkg synthetic
build's load step (``bench.synth.load``), timed, for measuring load time and memory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time


def _open(engine: str, store: str | None, nq: str | None, nt: str | None):
    if engine == "pyoxigraph-disk":
        import pyoxigraph as ox

        return ox.Store.read_only(store)
    if engine == "pyoxigraph-mem":
        import pyoxigraph as ox

        from ctkg.bench.synth import merge_blank_node_triples

        s = ox.Store()
        s.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
        s.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        merge_blank_node_triples(s)
        return s
    if engine == "rdflib":
        # the same dataset as the others: the named graphs, and their merge as default graph
        from rdflib import BNode, Dataset, URIRef
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        from ctkg.iris import CANONICAL

        ds = Dataset()
        ds.parse(nq, format="nquads")
        default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
        default.parse(nt, format="nt")
        for t in ds.graph(URIRef(CANONICAL.graph("ontology"))):  # see synth.blank_node_merge
            if isinstance(t[0], BNode) or isinstance(t[2], BNode):
                default.add(t)
        return ds
    raise SystemExit(f"unknown engine {engine!r}")


def _run_oxigraph(store, text: str) -> tuple[bytes, int | None]:
    import pyoxigraph as ox

    result = store.query(text)
    if isinstance(result, ox.QueryTriples):
        return result.serialize(format=ox.RdfFormat.N_TRIPLES), None
    return result.serialize(format=ox.QueryResultsFormat.JSON), None


def _run_rdflib(graph, text: str) -> tuple[bytes, int | None]:
    result = graph.query(text)
    if result.type == "CONSTRUCT" or result.type == "DESCRIBE":
        return result.serialize(format="nt"), None
    return result.serialize(format="json"), None


def count_rows(body: bytes) -> int:
    try:
        data = json.loads(body)
    except ValueError:
        return body.count(b"\n")
    if "boolean" in data:
        return 1
    return len(data["results"]["bindings"])


def serve(engine: str, store_dir: str | None, nq: str | None, nt: str | None) -> None:
    t0 = time.perf_counter()
    handle = _open(engine, store_dir, nq, nt)
    run = _run_rdflib if engine == "rdflib" else _run_oxigraph
    if engine == "rdflib":  # rdflib parses and plans lazily: make the first query pay less
        run(handle, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    print(json.dumps({"ready": True, "load_s": time.perf_counter() - t0}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        if engine == "rdflib" and job.get("cap_s"):
            limit = job["cap_s"] + 2 * job["budget_s"]
            answer = _forked(lambda job=job: _job(run, handle, job), limit)
            if answer.get("error", "").startswith("timeout"):
                answer["error"] = f"timeout: over {job['cap_s']:g} s"
        else:
            answer = _job(run, handle, job)
        print(json.dumps(answer), flush=True)


def _job(run, handle, job: dict) -> dict:
    try:
        t = time.perf_counter()
        body, _ = run(handle, job["text"])
        first = time.perf_counter() - t
        rows = count_rows(body)
        if first >= job["budget_s"]:  # a slow query: its one run is its timing
            return {"times": [first], "rows": rows, "bytes": len(body)}
        times: list[float] = []
        deadline = time.perf_counter() + job["budget_s"]
        while len(times) < job["reps"] and (not times or time.perf_counter() < deadline):
            t = time.perf_counter()
            body, _ = run(handle, job["text"])
            times.append(time.perf_counter() - t)
        return {"times": times, "rows": rows, "bytes": len(body)}
    except Exception as exc:  # a query one engine cannot run is a result, not a crash
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def _forked(job, cap_s: float) -> dict:
    """Run ``job`` in a forked child (it shares the loaded graph) and kill it past ``cap_s``
    for its first run: rdflib cannot be interrupted, and reloading a large graph after every
    overrun would cost minutes."""
    import select
    import signal

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        with os.fdopen(write, "w") as out:
            out.write(json.dumps(job()))
        os._exit(0)
    os.close(write)
    chunks = []
    deadline = time.monotonic() + cap_s
    try:
        while True:
            ready, _, _ = select.select([read], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return {"error": f"timeout: over {cap_s:g} s"}
            data = os.read(read, 1 << 16)
            if not data:
                break
            chunks.append(data)
            deadline = max(deadline, time.monotonic() + 60)  # answered: let it finish writing
        return json.loads(b"".join(chunks) or b'{"error": "no answer"}')
    finally:
        os.close(read)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def load_ctkg(data_dir: str, nq: str, nt: str | None) -> None:
    from pathlib import Path

    from ctkg.bench.synth import load
    from ctkg.config import Settings

    settings = Settings.from_env(data_dir=data_dir)
    t0 = time.perf_counter()
    path, manifest = load(settings, Path(nq), Path(nt) if nt else None)
    print(
        json.dumps(
            {
                "load_s": time.perf_counter() - t0,
                "path": str(path),
                "quads": manifest["quads"],
                "default_graph_triples": manifest["default_graph_triples"],
                "timings": manifest["timings"],
            }
        ),
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.worker")
    p.add_argument("engine", choices=["pyoxigraph-disk", "pyoxigraph-mem", "rdflib", "load-ctkg"])
    p.add_argument("--store")
    p.add_argument("--nq")
    p.add_argument("--nt")
    p.add_argument("--data-dir")
    args = p.parse_args(argv)
    if args.engine == "load-ctkg":
        load_ctkg(args.data_dir, args.nq, args.nt)
    else:
        serve(args.engine, args.store, args.nq, args.nt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
