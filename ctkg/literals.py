"""The one parser of typed literal values: text to the checked lexical form of an XSD datatype.

Fact files (``graph/terms.py``) and named-query parameters (``queries/catalog.py``) both write
numbers, dates and years as text; both go through ``lexical`` so that ``14,9``, ``2019-5-29``
or ``20x8`` are refused alike, with the same reason, and what is accepted is written alike
(``+7`` as ``7``, ``.5`` as ``0.5``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"

INTEGER_RE = re.compile(r"[+-]?[0-9]+")
DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YEAR_RE = re.compile(r"[0-9]{4}")

INTEGERS = {XSD + "integer": None, XSD + "positiveInteger": 1, XSD + "nonNegativeInteger": 0}


class LiteralError(ValueError):
    """``text`` is not a value of the datatype; ``reason`` says why, for the caller's message."""

    def __init__(self, text: str, reason: str):
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


def lexical(text: str, datatype: str) -> str:
    """The lexical form of ``text`` as ``datatype`` (an XSD IRI), checked; a datatype this does
    not know is returned as given (its text is the caller's to check)."""
    value = text.strip()
    if datatype in INTEGERS:
        if not INTEGER_RE.fullmatch(value):
            raise LiteralError(text, "not an integer")
        n = int(value)
        least = INTEGERS[datatype]
        if least is not None and n < least:
            raise LiteralError(text, f"out of range for xsd:{datatype[len(XSD) :]}")
        return str(n)
    if datatype == XSD + "decimal":
        if not DECIMAL_RE.fullmatch(value):
            raise LiteralError(text, "not a decimal number (write 14.9, not 14,9)")
        try:
            return format(Decimal(value), "f")
        except InvalidOperation:  # pragma: no cover - the pattern already excludes this
            raise LiteralError(text, "not a decimal number") from None
    if datatype == XSD + "date":
        try:
            if not DATE_RE.fullmatch(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            raise LiteralError(text, "not a date (YYYY-MM-DD)") from None
        return value
    if datatype == XSD + "gYear":
        if not YEAR_RE.fullmatch(value):
            raise LiteralError(text, "not a year (YYYY)")
        return value
    return text
