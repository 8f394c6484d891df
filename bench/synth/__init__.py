"""Synthetic data in ctkg's own ontology, for measuring speed at scale (``ctkg synth``).

The generator writes N-Quads with the shapes of the real graph: the real ontology and gazetteer
graphs; conference series with numbered yearly editions, host provinces and organisers (UBND,
Sở Công Thương, Bộ Công Thương and its units); officials whose posts change over time
(``org:Membership`` + ``ctkg:attestedAt``); indicator observations shaped like the seed's
(``qb:Observation``); and one named graph per news article in which every fact is one
``ctkg:Fact`` node with ``prov:wasDerivedFrom`` and ``ctkg:evidence`` -> a quote whose code-point
offsets locate it in the article body, naming each of its triples by an ``rdf:Statement``
(``ctkg:statement``). A series table like ``source/series-editions`` cites web
pages with a confidence, the ``meta`` graph describes every graph, and the ``inferred`` graph
holds the standard-vocabulary triples the build would materialise (same closure, same rules).

Provinces, officials, series and outlets are drawn with Zipf-like skew, so a few big cities,
deputy ministers and series dominate as they do in the news. The real series, its editions
(``series-editions.csv``), its officials and the seed's IRIs are anchors of the synthetic world,
so the named queries' default parameters (``edition/hoi-nghi-cong-thuong-phia-bac/2019``,
``province/hai-phong`` …) find data at every size. Everything else is random: never load a
synthetic graph next to the real one.

Output is streamed (memory stays flat at 10^7 quads), deterministic for a seed (same seed, same
bytes), and stops at the target quad count (±2 %: the last article is trimmed to fit).

The package's modules: ``terms`` (N-Triples text helpers and the vocabulary), ``writer`` (the
N-Quads writer, inference and per-graph writers), ``world`` (the synthetic world), ``articles``
(article text and the per-edition builder) and ``pipeline`` (generating, loading, the manifest).
"""

import importlib

__all__ = [
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "SynthResult",
    "blank_node_merge",
    "default_graph_path",
    "fixed_quads",
    "generate",
    "load",
    "merge_blank_node_triples",
    "parse_size",
    "synth",
]

# What loading needs is in ``loading`` (pyoxigraph and the store module alone); the generator's
# modules (rdflib among them) load only when a name from ``pipeline`` is asked for, so the
# process that bulk-loads does not carry them (see ``loading``).
_LOADING = {"blank_node_merge", "load", "merge_blank_node_triples"}


def __getattr__(name: str):
    if name in __all__:
        module = "loading" if name in _LOADING else "pipeline"
        return getattr(importlib.import_module(f".{module}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
