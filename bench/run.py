"""The benchmark: ctkg's endpoint beside the Oxigraph server, pyoxigraph and rdflib.

    python -m bench.run --sizes 1e4,1e5,1e6 [--engines …] [--seconds 3] [--keep]

For each size: generate the synthetic graph (``bench/synth/``); load it the ctkg way (a
build directory, as ``ctkg synth`` does) and the Oxigraph way (``oxigraph load``); then, one
engine at a time, start it, run every named query (default parameters) for p50/p95, measure
throughput at 1, 8 and 32 clients for a cheap and a heavy query (HTTP engines), and stop it.
Results go to ``bench/results/<stamp>.md`` (tables), ``.json`` (everything) and ``.png``
(chart), rewritten after each size so a run cut short still leaves its results. Every wait
has a limit; nothing is left running. Traffic goes only to 127.0.0.1. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ctkg.tools import executable

from . import engines as E
from .queries import load_queries

HERE = Path(__file__).resolve().parent
ALL_ENGINES = ("pyoxigraph-disk", "pyoxigraph-mem", "ctkg", "ctkg-nocache", "oxigraph", "rdflib")
KNOWN_ENGINES = (*ALL_ENGINES, "virtuoso")  # virtuoso: --with-virtuoso (Debian package)
HTTP_ENGINES = ("ctkg", "ctkg-nocache", "oxigraph", "virtuoso")
# ctkg serve with the answer cache off: what a request costs when it has to run (issue 12)
CTKG_ENGINES = ("ctkg", "ctkg-nocache")


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ctkg_serve_available() -> bool:
    from ctkg import cli

    cli._load_optional_commands()
    return "serve" in cli.COMMANDS


def run_size(n: int, args, queries, work: Path) -> dict:
    from ctkg.bench.synth import generate

    here = work / f"n{n}"
    here.mkdir(parents=True, exist_ok=True)
    result: dict = {"target": n, "engines": {}, "latency": {}, "throughput": {}, "notes": []}
    say(f"size {n:,}: generating")
    gen = generate(here / "data.nq", n, args.seed)
    result["data"] = {
        "quads": gen.quads,
        "articles": gen.articles,
        "editions": gen.editions,
        "observations": gen.observations,
        "generate_s": gen.seconds,
        "nq_mb": gen.path.stat().st_size / 1e6,
        "sha256": gen.sha256,
    }
    nq, nt = gen.path, gen.default_graph_path
    load_timeout = args.load_timeout

    # -- loads
    data_dir = here / "ctkg-data"
    if {*CTKG_ENGINES, "pyoxigraph-disk"} & set(args.engines):
        say("loading the ctkg build (bulk_load into the build directory)")
        run = E.run_measured(
            [
                sys.executable,
                "-m",
                "bench.worker",
                "load-ctkg",
                "--data-dir",
                str(data_dir),
                "--nq",
                str(nq),
                "--nt",
                str(nt),
            ],
            timeout=load_timeout,
            env=E.python_env(),
        )
        if run["returncode"] != 0:
            raise RuntimeError(f"ctkg load failed: {run['stderr']}")
        info = json.loads(run["stdout"].strip().splitlines()[-1])
        result["data"]["store_quads"] = info["quads"]
        result["data"]["default_graph_triples"] = info["default_graph_triples"]
        result["engines"]["ctkg-store"] = {
            "load_s": info["load_s"],
            "load_detail": info["timings"],
            "load_peak_rss_mb": run["peak_rss_mb"],
            "disk_mb": E.du_mb(data_dir / "current" / "store"),
        }
    ox_dir = here / "oxigraph-store"
    if "oxigraph" in args.engines:
        say("loading the Oxigraph server's store (oxigraph load)")
        info = E.oxigraph_load(ox_dir, nq, nt, load_timeout)
        if "error" in info:
            result["notes"].append(f"oxigraph load failed: {info['error']}")
        else:
            result["engines"]["oxigraph-store"] = {
                "load_s": info["load_s"],
                "load_peak_rss_mb": info["peak_rss_mb"],
                "disk_mb": E.du_mb(ox_dir),
            }

    vt_dir = here / "virtuoso-db"
    if "virtuoso" in args.engines:
        say("loading Virtuoso (isql-vt: ld_dir + rdf_loader_run + checkpoint)")
        info = E.virtuoso_load(vt_dir, nq, nt, load_timeout, here / "virtuoso-load.log")
        if "error" in info:
            result["notes"].append(f"virtuoso load failed: {info['error']}")
        else:
            result["engines"]["virtuoso-store"] = {
                "load_s": info["load_s"],
                "start_s": info["start_s"],
                "load_peak_rss_mb": info["peak_rss_mb"],
                "disk_mb": E.du_mb(vt_dir),
            }

    # -- latency, one engine at a time
    for name in args.engines:
        if name == "rdflib" and n > args.rdflib_max:
            result["notes"].append(f"rdflib skipped at {n:,} (> --rdflib-max {args.rdflib_max:,})")
            continue
        if name in CTKG_ENGINES and not args.ctkg_available:
            result["notes"].append("ctkg serve not available: endpoint not measured")
            continue
        if name == "oxigraph" and "oxigraph-store" not in result["engines"]:
            continue
        if name == "virtuoso" and "virtuoso-store" not in result["engines"]:
            continue
        engine = _make(name, data_dir, ox_dir, nq, nt, args)
        say(f"{name}: starting")
        try:
            started = _start(engine, here, load_timeout)
        except RuntimeError as exc:
            result["notes"].append(f"{name}: {exc}")
            continue
        entry = result["engines"].setdefault(name, {})
        entry.update(started)
        cap = args.rdflib_timeout if name == "rdflib" else args.query_cap
        try:
            for q in queries:
                lat = engine.latency(q.text, args.reps, args.budget, cap)
                result["latency"].setdefault(q.name, {})[name] = lat.summary()
                s = lat.summary()
                shown = f"{s['p50_ms']:.1f} ms" if "p50_ms" in s else s.get("error")
                say(f"  {name} {q.name}: {shown} ({s.get('rows')} rows)")
            if name in HTTP_ENGINES:
                for q, p50_ms in _throughput_queries(result, queries, args):
                    for clients in args.clients:
                        # long enough for each client to finish a few requests (2 cores)
                        seconds = min(
                            args.max_seconds,
                            max(args.seconds, 3 * p50_ms / 1000 * max(1, clients / 2)),
                        )
                        tp = engine.throughput(q.text, clients, seconds)
                        tp["seconds"] = seconds
                        result["throughput"].setdefault(q.name, {}).setdefault(name, {})[
                            str(clients)
                        ] = tp
                        say(f"  {name} {q.name} x{clients}: {tp.get('rps')} req/s")
        finally:
            entry.update(engine.stop())
            if isinstance(engine, E.WorkerEngine):
                entry["restarts"] = engine.restarts
    if not args.keep:
        shutil.rmtree(here, ignore_errors=True)
    return result


def _make(name, data_dir, ox_dir, nq, nt, args):
    if name in CTKG_ENGINES:
        return E.CtkgServer(
            data_dir,
            workers=args.workers,
            query_timeout_s=args.query_cap,
            answer_cache=name == "ctkg",
        )
    if name == "oxigraph":
        return E.OxigraphServer(ox_dir)
    if name == "virtuoso":
        return E.VirtuosoServer(nq.parent / "virtuoso-db", nq.parent)
    store = data_dir / "current" / "store" if name == "pyoxigraph-disk" else None
    return E.WorkerEngine(name, store, nq, nt, args.load_timeout)


def _start(engine, here: Path, timeout: float) -> dict:
    if isinstance(engine, E.HttpEngine):
        ready = engine.start(timeout=timeout, log=here / f"{engine.name}.log")
        return {"ready_s": ready}
    return {"load_s": engine.start()}


def _throughput_queries(result: dict, queries, args) -> list:
    """(query, in-process p50): the trivial query, the cheapest named query, and the heaviest
    one still interactive (p50 under ``--heavy-cap`` ms in process)."""
    floor = "pyoxigraph-disk" if "pyoxigraph-disk" in args.engines else None
    timed = []
    for q in queries:
        cell = result["latency"].get(q.name, {}).get(floor or "", {})
        if "p50_ms" in cell and cell.get("rows"):
            timed.append((cell["p50_ms"], q))
    chosen = [(q, p50) for p50, q in timed if q.name == "trivial-limit-10"]
    named = sorted((t for t in timed if t[1].name != "trivial-limit-10"), key=lambda t: t[0])
    if named:
        chosen.append((named[0][1], named[0][0]))
        heavy = [t for t in named if t[0] <= args.heavy_cap] or named[:1]
        if heavy[-1][1] is not named[0][1]:
            chosen.append((heavy[-1][1], heavy[-1][0]))
    return chosen[: args.throughput_queries]


def machine() -> dict:
    try:
        import pyoxigraph

        pyox = pyoxigraph.__version__
    except (ImportError, AttributeError):
        pyox = "?"
    import rdflib

    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "pyoxigraph": pyox,
        "rdflib": rdflib.__version__,
        "oxigraph_cli": E.run_measured([E.oxigraph_cli(), "--version"], timeout=10)[
            "stdout"
        ].strip()
        if executable("oxigraph")
        else None,
        "virtuoso": E.virtuoso_version(),
        "load_generator": "wrk" if shutil.which("wrk") else "python threads",
    }


def main(argv: list[str] | None = None) -> int:
    from ctkg.bench.synth import DEFAULT_SEED, parse_size

    # the venv's tools (the oxigraph CLI) are next to its python, on PATH or not
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])

    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1e4,1e5", help="quad counts, comma-separated (1e4,1e5,1e6)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--engines", default=",".join(ALL_ENGINES), help=", ".join(ALL_ENGINES))
    p.add_argument("--queries", help="named queries to run (default: all, plus trivial-limit-10)")
    p.add_argument("--reps", type=int, default=20, help="timed runs per query (at most)")
    p.add_argument("--budget", type=float, default=2.0, help="seconds of timed runs per query")
    p.add_argument("--query-cap", type=float, default=60.0, help="seconds before a run is cut")
    p.add_argument("--rdflib-max", type=parse_size, default=10**5, help="largest size for rdflib")
    p.add_argument("--rdflib-timeout", type=float, default=20.0, help="rdflib per-query cap (s)")
    p.add_argument("--clients", default="1,8,32", help="concurrent clients for throughput")
    p.add_argument("--seconds", type=float, default=3.0, help="length of each throughput run")
    p.add_argument("--max-seconds", type=float, default=20.0, help="longest throughput run")
    p.add_argument(
        "--heavy-cap", type=float, default=1000.0, help="heaviest query for throughput: p50 ms"
    )
    p.add_argument("--throughput-queries", type=int, default=3)
    p.add_argument("--workers", type=int, default=2, help="ctkg serve --workers")
    p.add_argument("--load-timeout", type=float, default=900.0)
    p.add_argument("--no-ctkg", action="store_true", help="do not start ctkg serve")
    p.add_argument(
        "--with-virtuoso", action="store_true", help="add Virtuoso (virtuoso-t, isql-vt)"
    )
    p.add_argument("--work", help="scratch directory (default: a new one under /tmp)")
    p.add_argument("--keep", action="store_true", help="keep generated data and stores")
    p.add_argument("--out", default=str(HERE / "results"), help="directory for the results")
    args = p.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if args.with_virtuoso and "virtuoso" not in args.engines:
        args.engines.append("virtuoso")
    unknown = set(args.engines) - set(KNOWN_ENGINES)
    if unknown:
        p.error(f"unknown engines: {', '.join(sorted(unknown))}")
    args.clients = [int(c) for c in args.clients.split(",")]
    args.ctkg_available = not args.no_ctkg and ctkg_serve_available()
    if "oxigraph" in args.engines and not executable("oxigraph"):
        # say so loudly: the tables would silently lack the engine ctkg is measured against
        say(
            f"the oxigraph command is missing (next to {sys.executable} and on PATH; "
            "`pip install -e '.[test]'` installs it): the Oxigraph server is NOT in these tables"
        )
        args.engines.remove("oxigraph")
    queries = load_queries(args.queries.split(",") if args.queries else None)
    work = Path(args.work or tempfile.mkdtemp(prefix="ctkg-bench-"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results = {
        "machine": machine(),
        "settings": {
            k: v for k, v in vars(args).items() if k not in ("ctkg_available",) and k != "work"
        },
        "ctkg_serve": args.ctkg_available,
        "queries": {q.name: {"params": q.params} for q in queries},
        "sizes": [],
    }
    if "virtuoso" in args.engines and not E.virtuoso_available():
        say("virtuoso-t / isql-vt missing (apt-get install virtuoso-opensource): skipping it")
        args.engines.remove("virtuoso")
    from .report import write_report

    t0 = time.perf_counter()
    try:
        for n in sizes:
            results["sizes"].append(run_size(n, args, queries, work))
            paths = write_report(results, out / stamp)
            say(f"size {n:,} done ({time.perf_counter() - t0:.0f} s): {paths[0]}")
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(paths[0].read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
