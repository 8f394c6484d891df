"""What the extraction rules share: a located mention and the small text helpers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

NORTHERN_SERIES = "series/hoi-nghi-cong-thuong-phia-bac"
NORTHERN_REGION = "region/northern-28"
# the 28 became 18 units with the mergers (NQ 202/2025/QH15, in force 2025-06-12)
NORTHERN_SUCCESSORS = "region/northern-28-successors-2025"
MERGERS_IN_FORCE = dt.date(2025, 6, 12)


@dataclass
class Mention:
    """A span of the text (start/end in code points) and what it names."""

    start: int
    end: int
    ref: str = ""
    kind: str = ""
    data: dict = field(default_factory=dict)


def strip_span(f: str, a: int, b: int) -> tuple[int, int]:
    while a < b and f[a] in " \t":
        a += 1
    while b > a and f[b - 1] in " \t":
        b -= 1
    return a, b


def has(f: str, span, pattern: str) -> bool:
    return re.search(pattern, f[span[0] : span[1]]) is not None


def tail(ref: str) -> str:
    return ref.split("/", 1)[1]


def ascii_name(text: str) -> str:
    """'Đặng Hoàng An' -> 'Dang Hoang An' (the English label of a Vietnamese name)."""
    return "".join(
        c2
        for c in text.replace("Đ", "D").replace("đ", "d")
        for c2 in unicodedata.normalize("NFD", c)
        if not unicodedata.combining(c2)
    )


def series_en(vi: str) -> str:
    return f"Industry and Trade Conference: {ascii_name(vi)}"


def group_en(vi: str) -> str:
    return f"Participants: {ascii_name(vi)}"


def nth(n: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n % 100 not in (11, 12, 13) else 0, "th")
    return f"{n}{suffix}"
