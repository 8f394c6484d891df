"""``ctkg synth``: a synthetic graph of a chosen size, for measuring speed at scale.

Registers itself with ``ctkg.cli`` on import (the CLI imports this module when present).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ctkg.cli import UsageError, command, option
from ctkg.config import Settings


def size(text: str) -> int:
    from ctkg.bench.synth import parse_size

    return parse_size(text)


@command("synth", "generate a synthetic graph of about N quads and load it (for benchmarks)")
@option(
    "--triples",
    required=True,
    type=size,
    metavar="N",
    help="target size in quads of the named graphs: 1e4, 1e5, 1e6, 1e7 (or 100k, 1M)",
)
@option("--seed", type=int, default=None, help="random seed (default 2019); same seed, same file")
@option(
    "--out",
    metavar="FILE.nq",
    help="keep the N-Quads here (and FILE.default.nt, the default graph's triples); "
    "default: the new build's dumps/ctkg.nq",
)
@option(
    "--data-dir",
    dest="synth_data_dir",
    metavar="D",
    help="data directory to build into (required: never the real graph's)",
)
@option("--no-load", action="store_true", help="only write --out; build no store")
@option("-q", "--quiet", action="store_true", help="no progress output")
def cmd_synth(args, settings: Settings) -> int:
    """Generate a synthetic graph in ctkg's ontology and load it as a new build (atomic)."""
    from ctkg.bench.synth import DEFAULT_SEED, synth
    from ctkg.progress import Progress

    if not args.no_load and not args.synth_data_dir:
        # never by default into CTKG_DATA_DIR: the synthetic build would replace the real graph
        raise UsageError(
            "ctkg synth builds a store of made-up data: give it its own --data-dir "
            "(not the real graph's), or --no-load --out FILE.nq"
        )
    if args.synth_data_dir:
        settings = dataclasses.replace(settings, data_dir=args.synth_data_dir)
    if args.no_load and not args.out:
        raise UsageError("--no-load needs --out FILE.nq (where to keep the data)")
    seed = DEFAULT_SEED if args.seed is None else args.seed
    out = Path(args.out).resolve() if args.out else None
    progress = Progress(1, quiet=args.quiet)
    with progress.step(
        f"synthesising {args.triples:,} quads (seed {seed})"
        + ("" if args.no_load else f" into {settings.data_path}")
    ):
        result = synth(
            settings,
            args.triples,
            seed,
            out=out,
            load_store=not args.no_load,
            progress=progress.note,
        )
    info = result["synthetic"]
    if args.no_load:
        print(f"wrote {info['quads_written']:,} quads -> {result['file']}")
        return 0
    graphs = len(result["graphs"]) + result["article_graphs"]["count"]
    print(
        f"built {result['quads']:,} quads in {graphs:,} graphs "
        f"({result['default_graph_triples']:,} triples in the default graph) -> {result['path']}"
    )
    timings = result["timings"]
    print(
        f"generate {info['generate_s']} s, bulk load {timings['bulk_load_s']} s, "
        f"default graph {timings['default_graph_s']} s ({progress.elapsed:.1f} s in all)"
    )
    return 0
