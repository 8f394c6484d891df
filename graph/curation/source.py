"""Reading an article the curator gives: plain text or a saved HTML page, checked before use.

The canonical text is what every offset refers to. For plain text it is the file's text (UTF-8,
NFC, line ends normalised). For HTML it is the main text trafilatura extracts — kept as the
source, because the HTML's own characters (U+00A0, entities, markup) are not what a quote can
point into (CURATION.md §2.6) — with the page's sha256 and the extractor's version recorded.

Bad input (empty, binary, not UTF-8, an HTML page without main text) is a ``CurationError``
with one message; nothing is written.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .proposal import CurationError

MAX_BYTES = 5 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass
class ArticleSource:
    """An article's canonical text and what is known of it before extraction."""

    path: Path
    text: str
    html: bytes | None = None
    extractor: str | None = None
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None

    @property
    def html_sha256(self) -> str | None:
        return hashlib.sha256(self.html).hexdigest() if self.html is not None else None


def read_article(path: Path) -> ArticleSource:
    """The article at ``path`` as canonical text, or a ``CurationError`` saying what is wrong."""
    path = Path(path)
    src = str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise CurationError("is a directory, not an article file", source=src) from None
    except OSError as exc:
        raise CurationError(f"cannot read: {exc.strerror}", source=src) from None
    if len(data) > MAX_BYTES:
        raise CurationError(f"too large for a news article ({len(data)} bytes)", source=src)
    if not data.strip():
        raise CurationError("empty file: no article text", source=src)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CurationError("UTF-16 text: save the article as UTF-8", source=src)
    if b"\x00" in data[:4096] or _control_share(data[:4096]) > 0.1:
        raise CurationError("binary file, not an article (text or saved HTML)", source=src)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the article as UTF-8 (e.g. `iconv -f WINDOWS-1258 -t UTF-8`)",
            source=src,
        ) from None
    if _looks_like_html(path, decoded):
        return _from_html(path, data, decoded)
    text = unicodedata.normalize("NFC", decoded.replace("\r\n", "\n").replace("\r", "\n"))
    return ArticleSource(path=path, text=text)


def _control_share(data: bytes) -> float:
    controls = sum(1 for b in data if b < 32 and b not in (9, 10, 13, 12))
    return controls / max(len(data), 1)


def _looks_like_html(path: Path, text: str) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def extractor_version() -> str:
    return f"trafilatura {metadata.version('trafilatura')}"


# htmldate's defaults drop a date later than the machine's clock and then guess from the rest of
# the page (a footer's copyright year becomes 1 January): a wrong publication date, which would
# date the edition and pick the gazetteer. A page's own date is trusted whatever the clock says,
# and the publication date is preferred over a last-modified one.
PAGE_DATE = {"max_date": "2099-12-31", "original_date": True}


def _from_html(path: Path, data: bytes, decoded: str) -> ArticleSource:
    import trafilatura

    doc = trafilatura.bare_extraction(
        decoded,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        date_extraction_params=PAGE_DATE,
    )
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise CurationError("HTML page without a main text to extract", source=str(path))
    text = unicodedata.normalize("NFC", body.strip() + "\n")
    return ArticleSource(
        path=path,
        text=text,
        html=data,
        extractor=extractor_version(),
        title=_clean(getattr(doc, "title", None)),
        date=_clean(getattr(doc, "date", None)),
        author=_clean(getattr(doc, "author", None)),
        url=_clean(getattr(doc, "url", None)),
    )


def _clean(value) -> str | None:
    if value is None:
        return None
    value = unicodedata.normalize("NFC", str(value)).strip()
    return value or None
