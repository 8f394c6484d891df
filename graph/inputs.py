"""The files a build reads, in one place, so a build can run on a copy (tests, curators' drafts)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Inputs:
    """Ontology file, fact files, source texts/tables and gazetteer directory."""

    ontology: Path
    facts: Path
    sources: Path
    gazetteer: Path

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
        return out

    def digest(self) -> str:
        """A hash of every input file (recorded in the manifest)."""
        digest = hashlib.sha256()
        for path in self.files():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()
