"""Where curation keeps its files under the data directory (never in the repository).

```
$CTKG_DATA_DIR/curated/
    facts/{article-id}.yaml          accepted facts, the curated facts format (graph/FACTS.md)
    sources/article-{article-id}.txt the article's canonical text (UTF-8, NFC)
    proposals/{article-id}.yaml      what `ctkg extract` proposed, with review statuses
    proposals/{article-id}.txt       the text the proposal's offsets refer to
    decisions.jsonl                  every review decision, appended, never rewritten
```

``ctkg build`` reads ``facts/`` and ``sources/`` as a layer over the repository's seed
(``graph/inputs.py``); ``ctkg ingest`` is the only writer of that layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Curated:
    root: Path

    @classmethod
    def of(cls, data_dir: Path) -> Curated:
        return cls(Path(data_dir) / "curated")

    @property
    def facts(self) -> Path:
        return self.root / "facts"

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def proposals(self) -> Path:
        return self.root / "proposals"

    @property
    def decisions(self) -> Path:
        return self.root / "decisions.jsonl"

    def proposal(self, article_id: str) -> Path:
        return self.proposals / f"{article_id}.yaml"

    def facts_file(self, article_id: str) -> Path:
        return self.facts / f"{article_id}.yaml"

    def proposal_ids(self) -> list[str]:
        if not self.proposals.is_dir():
            return []
        return sorted(p.stem for p in self.proposals.glob("*.yaml"))

    def ingested_ids(self) -> list[str]:
        if not self.facts.is_dir():
            return []
        return sorted(p.stem for p in self.facts.glob("*.yaml"))


__all__ = ["Curated"]
