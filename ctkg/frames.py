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


def _kind(datatype: str | None) -> str:
    if datatype in INTEGER_TYPES or datatype in YEAR_TYPES:
        return "integer"
    if datatype in FLOAT_TYPES:
        return "float"
    if datatype in DATE_TYPES:
        return "date"
    if datatype in BOOL_TYPES:
        return "boolean"
    return "string"


def _typed(column: pd.Series, terms: list[dict | None]) -> pd.Series:
    """The column in the one dtype all its bound values share, or as strings.

    Integer types (and ``xsd:gYear``) give ``Int64``; a mix of integers and decimals/doubles gives
    ``Float64``; ``xsd:date``/``dateTime`` give datetimes (in UTC when any value has a zone);
    booleans ``boolean``. IRIs, blank nodes, plain and language-tagged text stay strings.
    """
    kinds = {t["type"] for t in terms if t}
    if not kinds or kinds - {"literal", "typed-literal"}:
        return column.astype("string")
    datatypes = {t.get("datatype") for t in terms if t}
    if None in datatypes:  # plain or language-tagged text
        return column.astype("string")
    value_kinds = {_kind(d) for d in datatypes}
    if value_kinds == {"integer"}:
        if YEAR_TYPES & datatypes:  # a gYear may carry a zone: "2019Z", "2019+07:00"
            column = column.str.extract(r"^(-?[0-9]+)", expand=False)
        return pd.to_numeric(column, errors="coerce").astype("Int64")
    if value_kinds <= {"integer", "float"} and not YEAR_TYPES & datatypes:
        return pd.to_numeric(column, errors="coerce").astype("Float64")
    if value_kinds == {"date"}:
        zoned = column.str.contains(r"(?:Z|[+-][0-9]{2}:[0-9]{2})$", na=False).any()
        return pd.to_datetime(column, errors="coerce", utc=bool(zoned), format="ISO8601")
    if value_kinds == {"boolean"}:
        return column.map({"true": True, "false": False, "1": True, "0": False}).astype("boolean")
    return column.astype("string")
