"""``ctkg ingest ID``: a reviewed proposal's accepted facts into the graph, all or nothing.

1. the proposal is read and checked (``load_proposal``: YAML, shape, every quote at its
   offsets in a text whose sha256 is the one extracted);
2. the accepted facts become a facts file (``Proposal.facts_document``), written with the
   canonical text into a *staging* copy of the curated layer (``curated/.staging-…``) in which
   this article's earlier files, if any, are replaced — re-ingesting replaces its graph;
3. the real build runs on the repository's sources plus that staging layer, with every check
   (quotes verbatim, references, SHACL, Data Cube ICs) and the OWL reasoner, into a new build
   directory that becomes ``current`` only if all pass (``graph/build.py``);
4. only then do the staged files replace the curated layer's.

Any failure leaves the curated layer and the served graph as they were, with one message. A
running server serves the new build at its next request: its data version is the ``current``
link's target, so readers reopen and the answer cache's keys change (``server/engine``).
Ingests are serialised by a lock on ``curated/.ingest.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ctkg.config import Settings
from ctkg.graph.errors import BuildError
from ctkg.graph.facts import FACTS_DIR

from .layout import Curated
from .proposal import CurationError, dump_yaml, load_proposal, read_canonical_text


@dataclass
class IngestResult:
    article_id: str
    facts: int  # accepted facts written (plus the bookkeeping complete.py adds)
    left_out: int  # facts still proposed or rejected
    replaced: bool  # the article had been ingested before
    build: Path
    quads: int


def ingest(
    settings: Settings, article_id: str, *, quiet: bool = True, reason: bool = True
) -> IngestResult:
    from ctkg.graph.build import build
    from ctkg.graph.inputs import Inputs

    curated = Curated.of(settings.data_path)
    path = curated.proposal(article_id)
    if not path.is_file():
        known = ", ".join(curated.proposal_ids()) or "none"
        raise CurationError(f"no proposal {article_id!r} in {curated.proposals} (have: {known})")
    if (FACTS_DIR / f"{article_id}.yaml").exists():
        raise CurationError(f"article {article_id} is part of the repository's seed; not ingested")
    proposal = load_proposal(path)
    accepted = [f for f in proposal.facts if f.status == "accepted"]
    if not accepted:
        raise CurationError(
            f"proposal {article_id} has no accepted fact: review it first "
            f"(`ctkg review {article_id}`)"
        )
    text = read_canonical_text(path.parent / proposal.source.text)
    doc = proposal.facts_document()
    text_name = str(proposal.article["text"])
    if "/" in text_name or not text_name.endswith(".txt"):
        raise CurationError(f"article text name {text_name!r}: a plain file name ending .txt")

    curated.root.mkdir(parents=True, exist_ok=True)
    with _lock(curated.root / ".ingest.lock"):
        replaced = curated.facts_file(article_id).exists()
        staging = curated.root / f".staging-{article_id}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            _stage(curated, staging, article_id, doc, text_name, text)
            inputs = Inputs.packaged().with_curated(staging)
            try:
                result = build(settings, inputs=inputs, quiet=quiet, reason=reason)
            except BuildError as exc:
                message = str(exc).replace(str(staging), str(curated.root))
                raise CurationError(f"not ingested, nothing changed: {message}") from None
            _publish(curated, staging, article_id)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return IngestResult(
        article_id,
        len(doc["facts"]),
        len(proposal.facts) - len(accepted),
        replaced,
        result.path,
        int(result.manifest.get("quads", 0)),
    )


def _stage(curated: Curated, staging: Path, aid: str, doc: dict, text_name: str, text: str):
    """The curated layer as it would be: every other article's files, and this one's new."""
    (staging / "facts").mkdir(parents=True)
    (staging / "sources").mkdir()
    old_text = _text_name(curated.facts_file(aid))
    for src in sorted(curated.facts.glob("*.yaml")) if curated.facts.is_dir() else []:
        if src.stem != aid:
            shutil.copy2(src, staging / "facts" / src.name)
    for src in sorted(curated.sources.iterdir()) if curated.sources.is_dir() else []:
        if src.is_file() and src.name not in (old_text, text_name):
            shutil.copy2(src, staging / "sources" / src.name)
    (staging / "sources" / text_name).write_text(text, encoding="utf-8")
    header = (
        f"# Accepted facts of article {aid}, written by `ctkg ingest` from the reviewed\n"
        f"# proposal (curated/proposals/{aid}.yaml). Format: graph/FACTS.md.\n"
    )
    (staging / "facts" / f"{aid}.yaml").write_text(header + dump_yaml(doc), encoding="utf-8")


def _publish(curated: Curated, staging: Path, aid: str) -> None:
    """Move this article's staged files into the curated layer (each an atomic rename)."""
    curated.facts.mkdir(parents=True, exist_ok=True)
    curated.sources.mkdir(parents=True, exist_ok=True)
    old_text = _text_name(curated.facts_file(aid))
    staged_fact = staging / "facts" / f"{aid}.yaml"
    new_text = _text_name(staged_fact)
    os.replace(staging / "sources" / new_text, curated.sources / new_text)
    os.replace(staged_fact, curated.facts_file(aid))
    if old_text and old_text != new_text:
        with contextlib.suppress(FileNotFoundError):
            (curated.sources / old_text).unlink()


def _text_name(facts_file: Path) -> str | None:
    import yaml

    try:
        data = yaml.safe_load(facts_file.read_text(encoding="utf-8")) or {}
        return str((data.get("article") or {}).get("text") or "") or None
    except (OSError, yaml.YAMLError):
        return None


@contextlib.contextmanager
def _lock(path: Path):
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


__all__ = ["IngestResult", "ingest"]
