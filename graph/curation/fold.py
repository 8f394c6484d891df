"""Folding Vietnamese text for matching, one output character per input character.

``fold("Hải Phòng") == "hai phong"``: marks removed (NFD, drop combining marks), đ/Đ -> d,
lower case, U+2044 FRACTION SLASH -> "/", no-break and other spaces -> " ". Each character folds to
exactly one character, so a match found in ``fold(text)`` is at the same offsets in ``text``
(CURATION.md §2.2): the extractor matches folded text and quotes the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPECIAL = {"đ": "d", "Đ": "d", "\u2044": "/", "\u2215": "/", "–": "-", "—": "-", "‐": "-"}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _SPECIAL:
        return _SPECIAL[c]
    if c.isspace():
        return " "
    base = "".join(ch for ch in unicodedata.normalize("NFD", c) if not unicodedata.combining(ch))
    if len(base) != 1:
        base = c
    low = base.lower()
    return low if len(low) == 1 else base


def fold(text: str) -> str:
    """The folded form of ``text``; ``len(fold(t)) == len(t)`` always."""
    return "".join(_fold_char(c) for c in text)


_PROVINCE_PREFIX = re.compile(r"^(?:tinh|thanh pho|tp\.?|t\.p\.?|thu do)\s*", re.I)
_SPACES = re.compile(r"\s+")


def key(text: str) -> str:
    """A matching key: folded, spaces collapsed (none around a hyphen), outer punctuation
    stripped: "Bà Rịa - Vũng Tàu" == "Bà Rịa-Vũng Tàu"."""
    k = _SPACES.sub(" ", fold(unicodedata.normalize("NFC", text)))
    return re.sub(r" ?- ?", "-", k).strip(" .,;:-")


def place_key(text: str) -> str:
    """A province's key without its 'tỉnh' / 'thành phố' / 'TP.' prefix."""
    return _PROVINCE_PREFIX.sub("", key(text)).strip()


def series_key(text: str) -> str:
    """A series' key: the genre writes "Hội nghị (ngành) Công Thương … (khu vực) phía Bắc" both
    ways, so 'ngành' after 'Hội nghị' and 'khu vực' do not tell series apart (matching only; a new
    series' IRI is made from its name as written)."""
    k = re.sub(r"^hoi nghi nganh ", "hoi nghi ", key(text))
    return _SPACES.sub(" ", re.sub(r"\bkhu vuc ", "", k)).strip()


def org_key(text: str) -> str:
    """An organisation's key: 'Sở Công Thương tỉnh Thái Nguyên' == 'Sở Công Thương Thái Nguyên'."""
    k = key(text)
    k = re.sub(r"^(tinh|thanh) uy\b", r"\1-uy", k)  # "Tỉnh ủy X": the body's name, not a prefix
    k = re.sub(r"\b(?:tinh|thanh pho|tp\.?)\s+", "", k)
    k = re.sub(r"\buy ban nhan dan\b", "ubnd", k)
    k = re.sub(r"\bhoi dong nhan dan\b", "hdnd", k)
    return _SPACES.sub(" ", k).strip()
