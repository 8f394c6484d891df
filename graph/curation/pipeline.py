"""Article file in, proposal out: read, extract, resolve, package (``ctkg extract``).

Nothing is written until the whole proposal is made and checked; then the canonical text, the
saved page (for HTML) and the proposal are written, the proposal last and atomically, so a
failure leaves no partial proposal behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ctkg.iris import slugify

from .extract import RULES_FILE, extract
from .proposal import CurationError, Proposal, SourceInfo, sha256_text, write_proposal
from .resolver import Resolver
from .source import ArticleSource, read_article

EXTRACTOR = "ctkg-extract 1"


@dataclass
class Proposed:
    proposal: Proposal
    source: ArticleSource


def rules_digest() -> str:
    return hashlib.sha256(RULES_FILE.read_bytes()).hexdigest()[:12]


def propose(
    path: Path,
    resolver: Resolver,
    *,
    article_id: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    require_edition: bool = True,
) -> Proposed:
    """The proposal for the article at ``path`` (nothing written)."""
    src = read_article(path)
    page_date = _date(src.date)
    ex = extract(
        src.text, resolver, published=published or page_date, title=src.title, author=src.author
    )
    if require_edition and ex.edition is None:
        raise CurationError(
            "no conference edition found (no 'Hội nghị …' with a series name and a year): not a "
            "report of a conference; nothing proposed",
            source=str(path),
        )
    if not ex.title.strip():
        raise CurationError("no title line", source=str(path))
    pub = ex.published
    if pub is None:
        # the meeting's date is not the paper's (it is often the day before), and the article's
        # date is a fact of the graph: the curator gives it rather than the rules guessing it
        raise CurationError(
            "no publication date in the text or the page; give it with --published YYYY-MM-DD",
            source=str(path),
        )
    aid = article_id or _article_id(pub, ex)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", aid):
        raise CurationError(f"article id {aid!r}: use lower-case letters, digits and '-'")
    author = next((f.subject for f in ex.facts if f.id == "author"), None)
    if author is None and src.author and src.author.strip():
        # a saved page's author from its metadata (trafilatura drops the byline, so the text has
        # no quote for a Person fact): the article says who wrote it all the same
        author = resolver.resolve("person", src.author.strip()).ref or None
    article = {
        "id": aid,
        "text": f"article-{aid}.txt",
        "headline": ex.title,
        "published": pub.isoformat(),
        **({"author": author} if author else {}),
        "language": "vi",
        **({"url": url or src.url} if (url or src.url) else {}),
    }
    source = SourceInfo(
        text=f"{aid}.txt",
        text_sha256=sha256_text(src.text),
        original=str(Path(path).resolve()),
        html=f"{aid}.html" if src.html is not None else None,
        html_sha256=src.html_sha256,
        extractor=src.extractor,
        title=src.title or ex.title,
        date=(src.date or pub.isoformat()),
        author=src.author or ex.author,
        url=url or src.url,
    )
    proposal = Proposal(
        id=aid,
        article=article,
        source=source,
        # an article with no edition (another genre) proposes no facts, its author's Person
        # neither: the article block keeps who wrote it, but nothing of it is the graph's
        facts=ex.facts if ex.edition else [],
        created=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        extractor_version=f"{EXTRACTOR} (rules {rules_digest()})",
        warnings=ex.warnings,
    )
    for fact in proposal.facts:  # the offsets hold, or nothing is proposed
        if src.text[fact.start : fact.end] != fact.quote:
            raise CurationError(f"internal: fact {fact.id} is not at its offsets", source=str(path))
    return Proposed(proposal, src)


def write(proposed: Proposed, directory: Path, *, force: bool = False) -> Path:
    """Write the canonical text, the saved page and the proposal into ``directory``."""
    p, src = proposed.proposal, proposed.source
    target = directory / f"{p.id}.yaml"
    if target.exists() and not force:
        raise CurationError(
            f"a proposal for {p.id} exists already ({target}); review it, or pass --force to "
            "replace it"
        )
    directory.mkdir(parents=True, exist_ok=True)
    _atomic(directory / p.source.text, src.text.encode("utf-8"))
    if src.html is not None:
        _atomic(directory / p.source.html, src.html)
    return write_proposal(p, directory)


def _atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _article_id(pub: dt.date, ex) -> str:
    place = next((f.props.get("heldIn") for f in ex.facts if f.id == "edition-place"), None)
    tail = place.split("/", 1)[1] if place else "-".join(slugify(ex.title).split("-")[:5])
    return f"{pub.isoformat()}-{tail}"
