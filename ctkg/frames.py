"""SPARQL JSON results -> pandas DataFrames with typed columns.

One converter for every route (embedded store, our endpoint, any other endpoint), because all
of them can speak the SPARQL 1.1 Query Results JSON format. Numbers become numbers, dates become
datetimes, IRIs stay IRIs (strings), and a ``lang`` keeps the rows whose language-tagged
literals are in that language (or untagged), so a label column is readable.
"""

from __future__ import annotations

import pandas as pd

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}
DATE_TYPES = {XSD + t for t in ("date", "dateTime", "dateTimeStamp")}
YEAR_TYPES = {XSD + "gYear"}
BOOL_TYPES = {XSD + "boolean"}


def frame_from_json(results: dict, lang: str | None = None) -> pd.DataFrame:
    """A DataFrame from a parsed SPARQL JSON results document (SELECT or ASK)."""
    if "boolean" in results:
        return pd.DataFrame({"boolean": [bool(results["boolean"])]})
    variables = results["head"].get("vars", [])
    bindings = results["results"]["bindings"]
    if lang:
        bindings = [b for b in bindings if all(_lang_ok(b.get(v), lang) for v in variables)]
    frame = pd.DataFrame(
        {v: [b[v]["value"] if v in b else None for b in bindings] for v in variables},
        columns=variables,
    )
    for v in variables:
        frame[v] = _typed(frame[v], [b.get(v) for b in bindings])
    return frame


def _lang_ok(term: dict | None, lang: str) -> bool:
    if not term or "xml:lang" not in term:
        return True
    return term["xml:lang"].lower().split("-")[0] == lang.lower()


def _typed(column: pd.Series, terms: list[dict | None]) -> pd.Series:
    """The column in the one dtype all its bound values share, or as strings."""
    datatypes = {
        t.get("datatype") for t in terms if t and t.get("type") in ("literal", "typed-literal")
    }
    kinds = {t["type"] for t in terms if t}
    if not kinds or len(datatypes) != 1 or kinds - {"literal", "typed-literal"}:
        return column.astype("string")
    (datatype,) = datatypes
    if datatype in INTEGER_TYPES or datatype in YEAR_TYPES:
        return pd.to_numeric(column, errors="coerce").astype("Int64")
    if datatype in FLOAT_TYPES:
        return pd.to_numeric(column, errors="coerce").astype("Float64")
    if datatype in DATE_TYPES:
        return pd.to_datetime(column, errors="coerce")
    if datatype in BOOL_TYPES:
        return column.map({"true": True, "false": False, "1": True, "0": False}).astype("boolean")
    return column.astype("string")
