"""Loading the synthetic N-Quads into a new build: ``load`` (and the blank-node merge).

Its own module, importing only pyoxigraph, the settings and ``ctkg.graph.store``, so the process
that loads carries no more than it needs: rdflib and the generator's modules were 16 MB of the
loader's resident memory before its first quad (44 MB against 28 MB), counted in its peak
beside the Rust ``oxigraph load``'s (``bench.run``'s load table).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ctkg.config import Settings
from ctkg.graph.store import BuildDirectory, close_log, merge_into_default_graph, release_memory


def load(
    settings: Settings,
    nq_path: Path,
    default_nt: Path | None = None,
    *,
    progress: Callable[[str], None] = lambda _m: None,
    extra_manifest: dict | None = None,
    keep_file_as_dump: bool = False,
) -> tuple[Path, dict]:
    """Bulk-load the N-Quads into a new build of ``settings.data_dir`` and make it current.

    The layout is the real build's (``graph.store.BuildDirectory``): each source in its named
    graph, the default graph their merge. ``merge_into_default_graph`` makes that merge with one
    SPARQL update, which at 10^6 quads on disk took 36 s and 1.2 GB here; bulk-loading the
    triples a second time into the default graph (a set, so repeats vanish) gives the same
    graph in a fraction of it. Without ``default_nt``, ``merge_into_default_graph`` is used.
    """
    timings: dict[str, float] = {}
    extra_manifest = extra_manifest or {"synthetic": {"file": str(nq_path)}}
    with BuildDirectory(settings) as target:
        t = time.perf_counter()
        store = ox.Store(str(target.store_path))
        store.bulk_load(path=str(nq_path), format=ox.RdfFormat.N_QUADS)
        release_memory()  # else the next load's peak stacks on this one's freed heap
        timings["bulk_load_s"] = round(time.perf_counter() - t, 3)
        progress(f"bulk-loaded the named graphs in {timings['bulk_load_s']:.1f} s")
        t = time.perf_counter()
        if default_nt is not None:
            store.bulk_load(
                path=str(default_nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph()
            )
            release_memory()
            merge_blank_node_triples(store, settings.base_iri)
        else:
            merge_into_default_graph(store)
        timings["default_graph_s"] = round(time.perf_counter() - t, 3)
        progress(f"merged them into the default graph in {timings['default_graph_s']:.1f} s")
        # no optimize(): bulk_load writes finished SST files, compacting them again only costs
        # time (and the Rust `oxigraph load` it is measured against does not either)
        t = time.perf_counter()
        store.flush()
        timings["flush_s"] = round(time.perf_counter() - t, 3)
        dumps = {}
        if keep_file_as_dump:
            from ctkg.graph.dumps import sha256

            dest = target.dumps_path / "ctkg.nq"
            nq_path.replace(dest)
            dumps["ctkg.nq"] = {
                "format": ox.RdfFormat.N_QUADS.media_type,
                "bytes": dest.stat().st_size,
                "sha256": (extra_manifest or {}).get("synthetic", {}).get("sha256") or sha256(dest),
            }
        manifest = _manifest(store, settings, target.id, dumps, timings, extra_manifest or {})
        (target.path / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        del store
        t = time.perf_counter()
        close_log(target.store_path)  # so the server's start has nothing to recover
        timings["close_log_s"] = round(time.perf_counter() - t, 3)
        path = target.commit()
    return path, manifest


def blank_node_merge(base_iri: str | None = None) -> str:
    """The update adding the ontology graph's blank-node triples to the default graph.

    ``default_graph_path`` leaves them out: a blank node read from another file would be
    another node. Only the ontology graph has blank nodes (the writer checks).
    """
    if base_iri is None:
        from ctkg.iris import CANONICAL_BASE as base_iri  # rdflib: only when asked for
    return (
        f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{base_iri}graph/ontology> {{ ?s ?p ?o }} "
        "FILTER(isBlank(?s) || isBlank(?o)) }"
    )


def merge_blank_node_triples(store: ox.Store, base_iri: str | None = None) -> None:
    store.update(blank_node_merge(base_iri))


def _manifest(store, settings, build_id, dumps, timings, extra) -> dict:
    """The real build's manifest keys, counted in the store, plus ``synthetic`` and timings."""
    graphs = {
        r["g"].value: int(r["n"].value)
        for r in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    default = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]
    vocab = settings.base_iri + "ontology#"
    classes = {
        r["c"].value: int(r["n"].value)
        for r in store.query(
            f"SELECT ?c (COUNT(?s) AS ?n) WHERE {{ ?s a ?c "
            f'FILTER(STRSTARTS(STR(?c), "{vocab}")) }} GROUP BY ?c ORDER BY ?c'
        )
    }
    articles = sum(1 for g in graphs if g.startswith(settings.base_iri + "graph/article/"))
    kept = {g: n for g, n in graphs.items() if "/graph/article/" not in g}
    return {
        "build": build_id,
        "base_iri": settings.base_iri,
        "inputs_sha256": extra.get("synthetic", {}).get("sha256", ""),
        "quads": sum(graphs.values()),
        "default_graph_triples": int(default.value),
        "graphs": dict(sorted(kept.items())),
        "article_graphs": {
            "count": articles,
            "quads": sum(n for g, n in graphs.items() if g not in kept),
        },
        "entities_per_class": classes,
        "dumps": dumps,
        "timings": timings,
        **extra,
    }
