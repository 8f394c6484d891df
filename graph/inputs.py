"""The files a build reads, in one place, so a build can run on a copy (tests, curators' drafts).

Besides the repository's seed (``graph/facts`` + ``graph/sources``) a build reads the *curated
layers*: directories laid out as ``facts/*.yaml`` + ``sources/*.txt`` — the data directory's
``curated/`` that ``ctkg ingest`` writes (``graph/curation/layout.py``). A user's articles live
there, never in the repository.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Inputs:
    """Ontology file, fact files, source texts/tables and gazetteer directory."""

    ontology: Path
    facts: Path
    sources: Path
    gazetteer: Path
    # curated layers: directories holding facts/*.yaml and sources/ (``ctkg ingest`` writes one)
    curated: tuple[Path, ...] = ()

    @classmethod
    def packaged(cls) -> Inputs:
        """The inputs shipped in this repository."""
        return cls.under(PACKAGE_ROOT)

    @classmethod
    def under(cls, root: Path) -> Inputs:
        """Inputs laid out like the repository: ontology/, graph/facts, graph/sources, …"""
        root = Path(root)
        return cls(
            ontology=root / "ontology" / "ctkg.ttl",
            facts=root / "graph" / "facts",
            sources=root / "graph" / "sources",
            gazetteer=root / "graph" / "gazetteer",
        )

    def with_curated(self, *layers: Path) -> Inputs:
        """These inputs plus the curated layers among ``layers`` that hold a ``facts/`` dir."""
        found = tuple(Path(d) for d in layers if (Path(d) / "facts").is_dir())
        return replace(self, curated=self.curated + found) if found else self

    def fact_layers(self) -> list[tuple[Path, Path]]:
        """(facts directory, sources directory): the seed's first, then each curated layer."""
        return [(self.facts, self.sources)] + [(d / "facts", d / "sources") for d in self.curated]

    def copy_to(self, root: Path) -> Inputs:
        """A writable copy under ``root`` (same layout)."""
        target = Inputs.under(root)
        target.ontology.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.ontology, target.ontology)
        for src, dst in (
            (self.facts, target.facts),
            (self.sources, target.sources),
            (self.gazetteer, target.gazetteer),
        ):
            shutil.copytree(src, dst, dirs_exist_ok=True)
        return target

    def files(self) -> list[Path]:
        out = [self.ontology]
        for directory in (self.facts, self.sources, self.gazetteer):
            out += sorted(p for p in directory.rglob("*") if p.is_file())
        for layer in self.curated:
            for sub in ("facts", "sources"):
                if (layer / sub).is_dir():
                    out += sorted(p for p in (layer / sub).rglob("*") if p.is_file())
        return out

    def digest(self) -> str:
        """A hash of every input file (recorded in the manifest)."""
        digest = hashlib.sha256()
        for path in self.files():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()
