"""Writing the whole dataset as downloadable dumps, with checksums.

The dataset dumps hold the named graphs (the store's default graph is their merge, derived).
The N-Quads dump is canonical (RDFC-1.0 blank-node labels, lines sorted), so the same inputs
give a byte-identical file: that is how build reproducibility is checked. Formats without named
graphs (Turtle, N-Triples, RDF/XML) hold the merge of all graphs; the reification in the data
keeps each triple's source even there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ctkg import namespaces

DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    "ctkg.nq": ox.RdfFormat.N_QUADS,
    "ctkg.trig": ox.RdfFormat.TRIG,
    "ctkg.jsonld": ox.RdfFormat.JSON_LD,
    "ctkg.ttl": ox.RdfFormat.TURTLE,
    "ctkg.nt": ox.RdfFormat.N_TRIPLES,
    "ctkg.rdf": ox.RdfFormat.RDF_XML,
}


prefixes = namespaces.prefixes  # the one table for a base (ctkg/namespaces.py)


def canonical_quads(store: ox.Store) -> list[ox.Quad]:
    """All quads with canonical blank-node labels, in a fixed order."""
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def write_dumps(
    store: ox.Store,
    directory: Path,
    base: str,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict[str, dict]:
    """Every dump format, plus SHA256SUMS; returns {file: {bytes, sha256, format}}."""
    quads = [q for q in canonical_quads(store) if not isinstance(q.graph_name, ox.DefaultGraph)]
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    pfx = prefixes(base)
    files = {}
    for name, fmt in DUMP_FORMATS.items():
        progress(name)
        path = directory / name
        data = quads if fmt.supports_datasets else triples
        kwargs = (
            {"prefixes": pfx} if fmt not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES) else {}
        )
        ox.serialize(data, str(path), fmt, **kwargs)
        files[name] = {
            "format": fmt.media_type,
            "bytes": path.stat().st_size,
            "sha256": sha256(path),
        }
    (directory / "SHA256SUMS").write_text(
        "".join(f"{info['sha256']}  {name}\n" for name, info in files.items()), encoding="utf-8"
    )
    return files


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
