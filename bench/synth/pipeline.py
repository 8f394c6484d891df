"""Generating and loading: the fixed quads, the generator, the build and the manifest."""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ctkg.config import Settings
from ctkg.graph.dumps import sha256
from ctkg.graph.gazetteer import gazetteer_facts
from ctkg.graph.inputs import Inputs
from ctkg.graph.provenance import fact_quads, graph_description, in_meta
from ctkg.graph.terms import ontology_index
from ctkg.iris import CANONICAL, CANONICAL_BASE

from .articles import ArticleWriter, _described_graph, _labels
from .loading import load
from .terms import G_META, GRAPH, SERIES_DATASET, SERIES_TABLE, A, c, lit, nt
from .world import World
from .writer import Inference, QuadWriter

log = logging.getLogger(__name__)

GENERATOR_VERSION = 2  # 2: one ctkg:Fact provenance node per fact
DEFAULT_SEED = 2019


@dataclass
class SynthResult:
    """What ``generate`` wrote: the N-Quads file and the default graph's N-Triples beside it."""

    path: Path
    default_graph_path: Path | None
    quads: int
    articles: int
    editions: int
    observations: int
    per_graph: dict[str, int]
    seconds: float
    sha256: str

    def info(self, seed: int, target: int) -> dict:
        return {
            "generator_version": GENERATOR_VERSION,
            "seed": seed,
            "target_quads": target,
            "quads_written": self.quads,
            "articles": self.articles,
            "editions": self.editions,
            "observations": self.observations,
            "generate_s": round(self.seconds, 3),
            "sha256": self.sha256,
        }


def default_graph_path(nq_path: Path) -> Path:
    """``x.nq`` -> ``x.default.nt``: every triple of the named graphs (repeats included),
    except those with blank nodes (see ``blank_node_merge``)."""
    return nq_path.with_name(nq_path.name.removesuffix(".nq") + ".default.nt")


def fixed_quads(inputs: Inputs) -> tuple[list[tuple[str, str, str, str]], object]:
    """The real ontology and gazetteer graphs and their descriptions, as N-Quads text terms."""
    index = ontology_index(inputs.ontology)
    # the ontology's blank nodes get canonical labels, so the output is the same every run
    onto = ox.Dataset(
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(GRAPH + "ontology"))
        for q in ox.parse(path=str(inputs.ontology), format=ox.RdfFormat.TURTLE)
    )
    onto.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    quads = [
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in sorted(onto, key=str)
    ]
    rdflib_quads = graph_description(
        "ontology", {"vi": "Bản thể học ctkg", "en": "The ctkg ontology"}, [CANONICAL.ontology_iri]
    )
    gaz_facts, gaz_meta = gazetteer_facts(inputs.gazetteer)
    rdflib_quads += in_meta(gaz_meta)
    rdflib_quads += graph_description(
        "gazetteer",
        {"vi": "Danh mục đơn vị hành chính cấp tỉnh 2019", "en": "Gazetteer of provinces, 2019"},
        [CANONICAL.entity("source/provinces-2019")],
    )
    rdflib_quads += fact_quads(gaz_facts)
    quads += [tuple(nt(t) for t in q) for q in rdflib_quads]
    table = [
        (SERIES_DATASET, A, c("SourceDataset")),
        *_labels(
            SERIES_DATASET,
            "Các kỳ hội nghị (dữ liệu tổng hợp)",
            "Conference editions (synthetic data)",
        ),
        (SERIES_DATASET, c("articleFile"), lit("synthetic/series-editions.csv")),
        *_described_graph(
            SERIES_TABLE,
            "Các kỳ hội nghị (dữ liệu tổng hợp)",
            "Conference editions (synthetic)",
            [SERIES_DATASET],
        ),
    ]
    quads += [(*t, G_META) for t in table]
    return quads, index


def generate(
    out: Path,
    target: int,
    seed: int = DEFAULT_SEED,
    *,
    base_iri: str = CANONICAL_BASE,
    inputs: Inputs | None = None,
    default_graph: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> SynthResult:
    """Write about ``target`` quads to ``out`` (N-Quads, named graphs only), streaming.

    With ``default_graph``, ``default_graph_path(out)`` gets every triple once per named graph
    stating it (N-Triples): loaded into the default graph, which is a set, that is the merge.
    """
    inputs = inputs or Inputs.packaged()
    t0 = time.perf_counter()
    fixed, index = fixed_quads(inputs)
    world = World(seed, inputs)
    articles = ArticleWriter(world, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    editions: set[str] = set()
    n_articles = n_obs_total = 0
    triples_path = default_graph_path(out) if default_graph else None
    with contextlib.ExitStack() as stack:
        fh = stack.enter_context(out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20))
        th = None
        if triples_path:
            th = stack.enter_context(
                triples_path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20)
            )
        writer = QuadWriter(fh, Inference(index.graph), base_iri, th)
        writer.write(fixed)
        if writer.count >= target:
            log.warning("target %d is below the fixed part (%d quads)", target, writer.count)
        typical = 3000
        next_report = 0
        for edition, number in world.schedule():
            remaining = target - writer.count
            if remaining <= 0:
                break
            quads, commit, n_obs = articles.render(edition, number)
            if remaining < 3 * typical:
                size = writer.preview(quads)
                if size > remaining:
                    quads, commit, n_obs, size = _fit(
                        articles, writer, edition, number, n_obs, remaining
                    )
                    if size - remaining > remaining:  # closer to the target without it
                        break
            writer.write(quads)
            articles.commit(commit)
            editions.add(edition.path)
            n_articles += 1
            n_obs_total += commit["observations"]
            typical = max(1000, (writer.count - len(fixed)) // n_articles)
            if writer.count >= next_report:
                progress(
                    f"{writer.count:,} quads, {n_articles:,} articles, {len(editions):,} editions"
                )
                next_report = writer.count + max(target // 10, 1)
    return SynthResult(
        out,
        triples_path,
        writer.count,
        n_articles,
        len(editions),
        n_obs_total,
        {k[1:-1]: v for k, v in writer.per_graph.items()},
        time.perf_counter() - t0,
        sha256(out),
    )


def _fit(articles: ArticleWriter, writer: QuadWriter, edition, number, n_obs, remaining):
    """The article with as many observations as fit in ``remaining`` (binary search)."""
    lo, hi = 0, n_obs
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        quads, commit, _ = articles.render(edition, number, max_observations=mid)
        size = writer.preview(quads)
        if size <= remaining or (mid == 0 and best is None):
            best = (quads, commit, mid, size)
        if size <= remaining:
            lo = mid + 1
        else:
            hi = mid - 1
    return best


def synth(
    settings: Settings,
    target: int,
    seed: int = DEFAULT_SEED,
    *,
    out: Path | None = None,
    load_store: bool = True,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict:
    """Generate and load; returns the new build's manifest (or, without loading, the
    generator's report).

    With ``out`` the N-Quads (and ``default_graph_path(out)``) are kept there; without it they
    are written into the data directory, the N-Quads kept as the build's ``dumps/ctkg.nq``.
    """
    keep_as_dump = out is None
    if out is None:
        settings.data_path.mkdir(parents=True, exist_ok=True)
        out = settings.data_path / f".synth-{seed}-{target}.nq"
    result = generate(out, target, seed, base_iri=settings.base_iri, progress=progress)
    progress(
        f"wrote {result.quads:,} quads ({result.articles:,} articles, {result.editions:,} "
        f"editions, {result.observations:,} observations) in {result.seconds:.1f} s"
    )
    info = {"synthetic": result.info(seed, target)}
    if not load_store:
        return {**info, "file": str(out)}
    try:
        path, manifest = load(
            settings,
            out,
            result.default_graph_path,
            progress=progress,
            extra_manifest=info,
            keep_file_as_dump=keep_as_dump,
        )
    finally:
        if keep_as_dump:
            for tmp in (out, result.default_graph_path):
                if tmp is not None and tmp.exists():
                    tmp.unlink()
    manifest["path"] = str(path)
    return manifest


def parse_size(text: str) -> int:
    """``1e6``, ``1000000``, ``1M``, ``100k`` -> an integer."""
    t = text.strip().lower().replace("_", "").replace(",", "")
    mult = {"k": 10**3, "m": 10**6, "g": 10**9}
    try:
        value = float(t[:-1]) * mult[t[-1]] if t and t[-1] in mult else float(t)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (e.g. 1e6, 100k, 1M)") from None
    if not math.isfinite(value) or value < 1:
        raise ValueError(f"not a size: {text!r}")
    return int(value)
