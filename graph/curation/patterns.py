"""The genre's small grammars: dates, periods, numbers, ordinals and names, over folded text.

Every function takes the folded text (``fold.fold``: one character per character of the original)
and returns spans into it, which are spans into the original too; names need the original text,
because folding loses the capital letters that mark them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal

from .fold import fold

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
# ordinals in words, folded: "lần thứ nhất / hai / ba / tư / năm … mười hai"
_UNITS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "bon": 4,
    "nam": 5,
    "lam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
}
WORD_ORDINALS = {
    "nhat": 1,
    "muoi": 10,
    **{k: v for k, v in _UNITS.items() if k not in ("mot", "bon", "lam")},
}
WORD_ORDINALS |= {f"muoi {k}": 10 + v for k, v in _UNITS.items() if k not in ("nam",)}
WORD_ORDINALS |= {"hai muoi": 20}
_WORDS = "|".join(sorted(WORD_ORDINALS, key=len, reverse=True)).replace("nam", "nam(?! \\d{4})")
ORDINAL = rf"(?:(?:{_WORDS})\b|[ivxlc]+\b|\d{{1,3}}\b)"

# "ngày 24 tháng 5 năm 2019"
DATE_WORDS = re.compile(r"\b(\d{1,2}) thang (\d{1,2}) nam (\d{4})\b")
# "24/5/2019", "24⁄5⁄2019" (folded to "/"), "24-5-2019", "24.5.2019"
DATE_DMY = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/])")
# "sáng 17/5", "ngày 17/5", "ngày 26-11", "ngày 26.11", "hôm nay (25/11)": a day without its year
DATE_DM = re.compile(
    r"\b(?:ngay|sang|chieu|toi|trua|hom)(?: nay| qua| mai)?(?: ngay)? "
    r"\(?(\d{1,2})([/.-])(\d{1,2})\)?"
    r"(?![/\d-]|\.\d)"
    r"|\bngay (\d{1,2}) thang (\d{1,2})\b(?! nam \d)"  # "ngày 24 tháng 5", the year elsewhere
)
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# a meeting over days: "Trong hai ngày 8 và 9/4/2026", "ngày 8-9/4/2026", "từ ngày 8 đến ngày
# 9/4", "trong 2 ngày (8 - 9/4)", "ngày 8, 9/4/2026", "ngày 30/3 - 1/4/2026": it begins on the
# first day, in the month (and year) written once, after the last
DATE_SPAN = re.compile(
    r"\b(?:(?:trong|suot) (?:hai|ba|2|3) ngay,? \(?(?:ngay )?|(?:tu )?ngay |(?:sang|chieu) )"
    r"(?P<d1>\d{1,2})(?:(?P<sep0>[/.-])(?P<m1>\d{1,2}))?"
    r" ?(?:-|va|den(?: het)?(?: ngay)?|,) ?"
    r"(?P<d2>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?:(?P=sep)(?P<y>\d{4}))?\)?(?![\d/])"
)

# periods of figures: "năm 2018", "4 tháng đầu năm 2019", "9 tháng năm 2020", "quý I/2024",
# "quý I năm 2024", "6 tháng đầu năm" (year from context), "kim ngạch xuất khẩu 8 tháng ước đạt",
# "trong 8 tháng, …" ("N tháng" right before a figure's verb or a comma: the year from context),
# "9 tháng qua", "quý I năm nay" (the year from context)
PERIOD = re.compile(
    r"\b(?:(?P<months>\d{1,2}) thang(?: dau)?"
    r"(?: nam(?: (?P<myear>\d{4}))?|(?= (?:uoc|dat|tang|giam)\b|,| \(theo gia)| qua\b)"
    r"|(?P<half>nua dau) nam(?: (?P<hyear>\d{4}))?"
    r"|quy (?P<q>iv|iii|ii|i|[1-4])"
    r"(?:(?:/| nam )(?P<qyear>\d{4})| nam nay|(?= (?:uoc|dat|tang|giam)\b|,))"
    r"|nam (?P<year>\d{4}))\b"
)

# numbers: thousands dots, decimal comma ("1.919", "14,9", "1.240,5")
# a dot before one or two digits is a decimal point ("14.9%", English-style or a typo): never a
# thousands dot, which groups three
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+\.\d{1,2}(?![\d.])|\d+(?:,\d+)?"


def roman_or_arabic(token: str) -> int | None:
    """'VI' -> 6, 'vii' -> 7, '10' -> 10; None if it is not an ordinal."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if fold(token) in WORD_ORDINALS:
        return WORD_ORDINALS[fold(token)]
    if not token or any(c not in ROMAN for c in token):
        return None
    total = 0
    for i, c in enumerate(token):
        v = ROMAN[c]
        total += -v if i + 1 < len(token) and ROMAN[token[i + 1]] > v else v
    return total if 0 < total < 200 else None


def to_roman(n: int) -> str:
    out = ""
    for value, sym in (
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += sym
            n -= value
    return out


def parse_number(text: str) -> Decimal:
    """'1.919' -> 1919, '14,9' -> 14.9, '1.240,5' -> 1240.5 (Vietnamese notation)."""
    if re.fullmatch(r"\d+\.\d{1,2}", text):
        return Decimal(text)
    return Decimal(text.replace(".", "").replace(",", "."))


def decimal_text(value: Decimal) -> str:
    """A decimal as the facts format writes it: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(folded: str, start: int = 0, end: int | None = None):
    """(span, date, year_given) for every full or year-less date in ``folded[start:end]``."""
    end = len(folded) if end is None else end
    out: list[tuple[tuple[int, int], dt.date | tuple[int, int], bool]] = []
    for m in DATE_WORDS.finditer(folded, start, end):
        d = valid_date(int(m[3]), int(m[2]), int(m[1]))
        if d:
            out.append(((m.start(), m.end()), d, True))
    for m in DATE_DMY.finditer(folded, start, end):
        d = valid_date(int(m[4]), int(m[3]), int(m[1]))
        if d:
            out.append(((m.start(), m.end()), d, True))
    for m in DATE_ISO.finditer(folded, start, end):
        d = valid_date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            out.append(((m.start(), m.end()), d, True))
    for m in DATE_SPAN.finditer(folded, start, end):
        month = int(m["m1"] or m["m"])
        d1, d2 = int(m["d1"]), int(m["d2"])
        if not m["m1"] and d1 >= d2:
            continue  # "ngày 8-9/4" runs forward; "ngày 28-3/4" is not a span of this form
        if m["y"]:
            year = int(m["y"])
            if m["m1"] and month > int(m["m"]):
                year -= 1  # "30/12 - 2/1/2027"
            d = valid_date(year, month, d1)
            if d:
                out = [o for o in out if not (m.start() <= o[0][0] < m.end())]
                out.append(((m.start(), m.end()), d, True))
        else:
            out.append(((m.start(), m.end()), (d1, month), False))
    taken = [s for s, _, _ in out]
    for m in DATE_DM.finditer(folded, start, end):
        if any(a <= m.start(1 if m[1] else 4) < b for a, b in taken):
            continue
        day_s, month_s = (m[1], m[3]) if m[1] else (m[4], m[5])
        out.append(((m.start(), m.end()), (int(day_s), int(month_s)), False))
    return sorted(out, key=lambda item: item[0])


def period_of(m: re.Match, context_year: int | None) -> tuple[str, int | None, bool] | None:
    """A PERIOD match as (period slug, year, year_inferred), e.g. ('2019-01--2019-04', 2019)."""
    if m["year"]:
        return m["year"], int(m["year"]), False
    if m["q"]:
        q = roman_or_arabic(m["q"]) if not m["q"].isdigit() else int(m["q"])
        year = int(m["qyear"]) if m["qyear"] else context_year  # "Quý III, …": the paragraph's
        if year is None or q is None:
            return None
        first, last = 3 * q - 2, 3 * q
        return f"{year}-{first:02d}--{year}-{last:02d}", year, not m["qyear"]
    if m["half"]:  # "nửa đầu năm 2023": the first six months
        year = int(m["hyear"]) if m["hyear"] else context_year
        return (f"{year}-01--{year}-06", year, not m["hyear"]) if year else None
    months = int(m["months"])
    if not 1 <= months <= 12:
        return None
    year = int(m["myear"]) if m["myear"] else context_year
    if year is None:
        return None
    if months == 12:
        return str(year), year, not m["myear"]
    return f"{year}-01--{year}-{months:02d}", year, not m["myear"]


def period_bounds(slug: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period slug ('2018', '2019-01--2019-04')."""
    if "--" not in slug:
        y = int(slug)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    a, b = slug.split("--")
    ya, ma = (int(x) for x in a.split("-"))
    yb, mb = (int(x) for x in b.split("-"))
    return dt.date(ya, ma, 1), dt.date(yb, mb, calendar.monthrange(yb, mb)[1])


WORD = re.compile(r"[^\W\d_]+")


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or not word.isupper() or len(word) <= 2)


# academic titles before a name ("TS. Phạm Văn Minh", "PGS.TS Lê Hoa"): not part of the name
TITLE_BEFORE_NAME = re.compile(r"(?:(?:GS|PGS|TS|ThS|Ths|KS|BS|NCS)\.? ?)+(?=[^\W\d_])")


def name_forward(text: str, pos: int, *, stop=lambda i: False, max_words: int = 5):
    """The span of a personal name (2–5 capitalised words: "Y Thanh Hà Niê Kđăm") starting at
    ``pos`` (after an academic title), or None."""
    words = []
    title = TITLE_BEFORE_NAME.match(text, pos)
    i = title.end() if title and title.end() > pos and text[title.end() - 1] in ". " else pos
    while len(words) < max_words:
        if stop(i):
            break
        m = WORD.match(text, i)
        if not m or not _is_name_word(m.group()):
            break
        words.append(m)
        if text[m.end() : m.end() + 1] != " ":
            break
        i = m.end() + 1
    if len(words) < 2:
        return None
    return words[0].start(), words[-1].end()


def name_backward(text: str, end: int, *, max_words: int = 5, skip=()):
    """The span of a personal name ending at ``end`` (capitalised words before it), or None."""
    words: list[tuple[int, int]] = []
    i = end
    while len(words) < max_words:
        j = i
        while j > 0 and (text[j - 1].isalpha()):
            j -= 1
        if j == i or not _is_name_word(text[j:i]):
            break
        words.insert(0, (j, i))
        if j == 0 or text[j - 1] != " ":
            break
        i = j - 1
    while words and fold(text[words[0][0] : words[0][1]]) in skip:
        words.pop(0)
    if len(words) < 2:
        return None
    return words[0][0], words[-1][1]
