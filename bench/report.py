"""The benchmark's results as Markdown tables, JSON and a chart (PNG)."""

from __future__ import annotations

import json
import math
from pathlib import Path

ENGINE_ORDER = (
    "pyoxigraph-disk",
    "pyoxigraph-mem",
    "ctkg",
    "ctkg-nocache",
    "oxigraph",
    "virtuoso",
    "rdflib",
)
COLORS = {
    "pyoxigraph-disk": "tab:blue",
    "pyoxigraph-mem": "tab:orange",
    "ctkg": "tab:green",
    "ctkg-nocache": "tab:olive",
    "oxigraph": "tab:red",
    "rdflib": "tab:purple",
    "virtuoso": "tab:brown",
}
STYLES = ("-", "--", ":", "-.")
LABELS = {
    "pyoxigraph-disk": "pyoxigraph disk",
    "pyoxigraph-mem": "pyoxigraph mem",
    "ctkg": "ctkg /sparql",
    "ctkg-nocache": "ctkg, no answer cache",
    "oxigraph": "Oxigraph server",
    "rdflib": "rdflib (memory)",
    "virtuoso": "Virtuoso",
}


def _f(value, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value >= 100:
        return f"{value:,.0f}{unit}"
    return f"{value:,.{digits}f}{unit}"


def _ms(value) -> str:
    if value is None:
        return "–"
    if value < 1:
        return f"{value:.2f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def _size_title(n: int) -> str:
    exp = math.log10(n) if n > 0 else 0
    return f"10^{exp:.0f}" if abs(exp - round(exp)) < 1e-9 else f"{n:,}"


def _ratio(a, b) -> str:
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:,.0f}×"


def markdown(results: dict) -> str:
    m = results["machine"]
    s = results["settings"]
    out = [
        f"# ctkg benchmark, {m['date']}",
        "",
        f"{m['cpus']} CPUs, {m['platform']}; Python {m['python']}, pyoxigraph {m['pyoxigraph']}, "
        f"rdflib {m['rdflib']}, {m['oxigraph_cli'] or 'no oxigraph CLI'}"
        + (f", {m['virtuoso']}" if m.get("virtuoso") else "")
        + f"; load generator: "
        f"{m['load_generator']}. Up to {s['reps']} timed runs or {s['budget']} s per query "
        f"and engine; throughput runs of {s['seconds']} s; rdflib capped at "
        f"{s['rdflib_timeout']} s a query and run up to {s['rdflib_max']:,} quads. "
        f"ctkg serve: {'measured' if results['ctkg_serve'] else 'NOT measured (not available)'}. "
        "Everything runs on the same machine as the load generator: compare ratios within one "
        "run, not absolute numbers across runs.",
        "",
    ]
    for note in results.get("notes", []):
        out += [f"- {note}", ""]
    for size in results["sizes"]:
        out += _size_section(size, results)
    return "\n".join(out).rstrip() + "\n"


def _size_section(size: dict, results: dict) -> list[str]:
    d = size["data"]
    eng = size["engines"]
    out = [
        f"## {_size_title(size['target'])} quads",
        "",
        f"{d['quads']:,} quads in the named graphs"
        + (
            f", {d['default_graph_triples']:,} triples in the default graph (their merge)"
            if "default_graph_triples" in d
            else ""
        )
        + f"; {d['articles']:,} articles, {d['editions']:,} editions, {d['observations']:,} "
        f"observations; generated in {d['generate_s']:.1f} s ({d['nq_mb']:.0f} MB of N-Quads).",
        "",
        "### Load and memory",
        "",
        "| engine | load (s) | on disk (MB) | peak RSS loading (MB) | first answer (s) "
        "| peak RSS serving (MB) | PSS serving (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    store = eng.get("ctkg-store", {})
    served = eng.get("ctkg") or eng.get("ctkg-nocache") or {}
    oxs = eng.get("oxigraph-store", {})
    vts = eng.get("virtuoso-store", {})
    rows = [
        (
            "ctkg (build dir, bulk_load)",
            store.get("load_s"),
            store.get("disk_mb"),
            store.get("load_peak_rss_mb"),
            served.get("ready_s"),
            served.get("peak_rss_mb"),
            served.get("pss_mb"),
        ),
        (
            "Oxigraph server (oxigraph load)",
            oxs.get("load_s"),
            oxs.get("disk_mb"),
            oxs.get("load_peak_rss_mb"),
            eng.get("oxigraph", {}).get("ready_s"),
            eng.get("oxigraph", {}).get("peak_rss_mb"),
            eng.get("oxigraph", {}).get("pss_mb"),
        ),
        (
            "Virtuoso (isql-vt ld_dir + rdf_loader_run + checkpoint)",
            vts.get("load_s"),
            vts.get("disk_mb"),
            vts.get("load_peak_rss_mb"),
            eng.get("virtuoso", {}).get("ready_s"),
            eng.get("virtuoso", {}).get("peak_rss_mb"),
            eng.get("virtuoso", {}).get("pss_mb"),
        ),
        (
            "pyoxigraph disk (open read-only)",
            eng.get("pyoxigraph-disk", {}).get("load_s"),
            store.get("disk_mb"),
            None,
            None,
            eng.get("pyoxigraph-disk", {}).get("peak_rss_mb"),
            None,
        ),
        (
            "pyoxigraph mem (bulk_load)",
            eng.get("pyoxigraph-mem", {}).get("load_s"),
            None,
            None,
            None,
            eng.get("pyoxigraph-mem", {}).get("peak_rss_mb"),
            None,
        ),
        (
            "rdflib Dataset (parse N-Quads + N-Triples)",
            eng.get("rdflib", {}).get("load_s"),
            None,
            None,
            None,
            eng.get("rdflib", {}).get("peak_rss_mb"),
            None,
        ),
    ]
    for name, load, disk, lrss, ready, rss, pss in rows:
        if all(v is None for v in (load, disk, lrss, ready, rss)):
            continue
        out.append(
            f"| {name} | {_f(load, 2)} | {_f(disk)} | {_f(lrss, 0)} | {_f(ready, 2)} "
            f"| {_f(rss, 0)} | {_f(pss, 0)} |"
        )
    present = [e for e in ENGINE_ORDER if any(e in v for v in size["latency"].values())]
    out += [
        "",
        "### Latency per query: p50 / p95 in ms, serialization to SPARQL JSON included",
        "",
        "| query | rows | "
        + " | ".join(LABELS[e] for e in present)
        + " | ctkg ÷ pyox disk | ctkg uncached ÷ pyox disk | Oxigraph ÷ pyox disk "
        "| rdflib ÷ ctkg |",
        "|---|---:|" + "---:|" * len(present) + "---:|---:|---:|---:|",
    ]
    for qname, cells in size["latency"].items():
        rows_seen = {c.get("rows") for c in cells.values() if c.get("rows") is not None}
        rows = (
            "≠ " + "/".join(str(r) for r in sorted(rows_seen))
            if len(rows_seen) > 1
            else (str(next(iter(rows_seen))) if rows_seen else "–")
        )
        parts = []
        for e in present:
            c = cells.get(e)
            if c is None:
                parts.append("–")
            elif "p50_ms" in c:
                parts.append(f"{_ms(c['p50_ms'])} / {_ms(c['p95_ms'])}")
            else:
                parts.append(f"error: {c.get('error', '?')[:40]}")
        p50 = {e: cells.get(e, {}).get("p50_ms") for e in present}
        out.append(
            f"| {qname} | {rows} | "
            + " | ".join(parts)
            + f" | {_ratio(p50.get('ctkg'), p50.get('pyoxigraph-disk'))}"
            + f" | {_ratio(p50.get('ctkg-nocache'), p50.get('pyoxigraph-disk'))}"
            + f" | {_ratio(p50.get('oxigraph'), p50.get('pyoxigraph-disk'))}"
            + f" | {_ratio(p50.get('rdflib'), p50.get('ctkg'))} |"
        )
    out += _serving_store(size)
    if size["throughput"]:
        clients = results["settings"]["clients"]
        s_default = results["settings"]["seconds"] + 0.5
        out += [
            "",
            "### Throughput on loopback: requests/s (p50 ms)",
            "",
            "| query | engine | "
            + " | ".join(f"{c} client{'s' if c > 1 else ''}" for c in clients)
            + " |",
            "|---|---|" + "---:|" * len(clients),
        ]
        for qname, by_engine in size["throughput"].items():
            for e, runs in by_engine.items():
                parts = []
                for c in clients:
                    r = runs.get(str(c), {})
                    cell = f"{_f(r.get('rps'), 1)} ({_ms(r.get('p50_ms'))})"
                    if r.get("seconds") and r["seconds"] > s_default:
                        cell += f" [{r['seconds']:.0f} s]"
                    if r.get("non_2xx") or r.get("timeouts"):
                        cell += f" ⚠ {r.get('non_2xx', 0)} non-2xx, {r.get('timeouts', 0)} t/o"
                    parts.append(cell)
                out.append(f"| {qname} | {LABELS.get(e, e)} | " + " | ".join(parts) + " |")
        for engine, said in (("ctkg", "cache hits"), ("ctkg-nocache", "no answer cache")):
            ratios = []
            for qname, by_engine in size["throughput"].items():
                a = by_engine.get(engine, {}).get("8", {}).get("rps")
                b = by_engine.get("oxigraph", {}).get("8", {}).get("rps")
                if a and b:
                    ratios.append(f"{qname} {a / b:.2f}")
            if ratios:
                out += ["", f"{engine} ({said}) ÷ Oxigraph server at 8 clients: "]
                out[-1] += "; ".join(ratios) + "."
    for note in size.get("notes", []):
        out += ["", f"- {note}"]
    out.append("")
    return out


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _serving_store(size: dict) -> list[str]:
    """On disk vs in memory: pyoxigraph's two stores on the same data and queries."""
    pairs = [
        (c["pyoxigraph-mem"]["p50_ms"], c["pyoxigraph-disk"]["p50_ms"])
        for name, c in size["latency"].items()
        if name != "trivial-limit-10"
        and "p50_ms" in c.get("pyoxigraph-mem", {})
        and "p50_ms" in c.get("pyoxigraph-disk", {})
    ]
    if not pairs:
        return []
    ratios = [m / d for m, d in pairs]
    heavy = [m / d for m, d in pairs if d >= 50]
    mem = size["engines"].get("pyoxigraph-mem", {}).get("peak_rss_mb")
    disk = size["engines"].get("pyoxigraph-disk", {}).get("peak_rss_mb")
    line = (
        f"Serving store: pyoxigraph in memory ÷ on disk (optimised, page cache warm), p50 over "
        f"the named queries: geometric mean {geomean(ratios):.2f}, range "
        f"{min(ratios):.2f}–{max(ratios):.2f}"
    )
    if heavy:
        line += f"; on the queries over 50 ms on disk: {geomean(heavy):.2f}"
    if mem and disk:
        line += f". Memory: {mem:,.0f} MB in memory vs {disk:,.0f} MB on disk (peak RSS)"
    return ["", line + "."]


def chart(results: dict, path: Path) -> Path | None:
    """Three panels: p50 per query (largest size), throughput vs clients, p50 vs size."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    sizes = results["sizes"]
    if not sizes:
        return None
    last = sizes[-1]
    fig, axes = plt.subplots(1, 3, figsize=(18, 6.5))
    ax = axes[0]
    queries = list(last["latency"])
    present = [e for e in ENGINE_ORDER if any(e in last["latency"][q] for q in queries)]
    height = 0.8 / max(1, len(present))
    for i, e in enumerate(present):
        ys = [k + i * height for k in range(len(queries))]
        xs = [last["latency"][q].get(e, {}).get("p50_ms") or 0 for q in queries]
        ax.barh(ys, xs, height=height, label=LABELS[e], color=COLORS[e])
    ax.set_yticks([k + 0.4 - height / 2 for k in range(len(queries))])
    ax.set_yticklabels(queries, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("p50 latency (ms, log)")
    ax.set_title(f"Named queries at {_size_title(last['target'])} quads")
    ax.legend(fontsize=8)
    ax = axes[1]
    clients = results["settings"]["clients"]
    for k, (qname, by_engine) in enumerate(last["throughput"].items()):
        for e, runs in by_engine.items():
            ys = [runs.get(str(c), {}).get("rps") for c in clients]
            ax.plot(
                clients,
                ys,
                STYLES[k % len(STYLES)],
                marker="o",
                color=COLORS.get(e),
                label=f"{LABELS.get(e, e)}: {qname}",
            )
    ax.set_xscale("log", base=2)
    ax.set_xticks(clients, [str(c) for c in clients])
    ax.set_yscale("log")
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("requests/s (log)")
    ax.set_title(f"Throughput at {_size_title(last['target'])} quads")
    ax.legend(fontsize=7)
    ax = axes[2]
    for e in ENGINE_ORDER:
        xs, ys = [], []
        for size in sizes:
            values = [c[e]["p50_ms"] for c in size["latency"].values() if "p50_ms" in c.get(e, {})]
            if values:
                xs.append(size["data"]["quads"])
                ys.append(math.exp(sum(math.log(max(v, 1e-3)) for v in values) / len(values)))
        if xs:
            ax.plot(xs, ys, marker="o", label=LABELS[e], color=COLORS[e])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("quads")
    ax.set_ylabel("geometric mean p50 over the queries (ms)")
    ax.set_title("Latency as the graph grows")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_report(results: dict, stem: Path) -> tuple[Path, Path, Path | None]:
    md = stem.with_suffix(".md")
    js = stem.with_suffix(".json")
    png = chart(results, stem.with_suffix(".png"))
    text = markdown(results)
    if png:
        text += f"\n![chart]({png.name})\n"
    md.write_text(text, encoding="utf-8")
    js.write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    return md, js, png
