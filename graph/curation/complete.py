"""What a facts file needs beyond the proposed facts for the cube to hold (SHACL, Data Cube).

The rules propose each observation with ``reportedAt`` (the edition whose report states it,
which is also in its IRI); the cube's ``ctkg:reportedIn`` dimension needs the *report*, a
``ctkg:Report`` node. ``complete_facts`` adds, for every edition that accepted observations are
reported at, the report ``{edition}/report`` (quoted where the first of its figures is) and
``reportedIn`` on each observation — the same claim in the cube's terms, nothing more. A fact
the curator wrote with its own ``reportedIn`` is left as it is.
"""

from __future__ import annotations


def _year(edition: str) -> str:
    return edition.rstrip("/").rsplit("/", 1)[-1]


def complete_facts(facts: list[dict]) -> list[dict]:
    """``facts`` (facts-format entries) with the reports their observations need."""
    out = [dict(f) for f in facts]
    subjects = {str(f.get("subject")) for f in out}
    reports: dict[str, dict] = {}
    for fact in out:
        props = fact.get("props") or {}
        types = fact.get("type")
        types = types if isinstance(types, list) else [types]
        if "Observation" not in types or "reportedIn" in props or not props.get("reportedAt"):
            continue
        edition = str(props["reportedAt"])
        report = f"{edition}/report"
        fact["props"] = {**props, "reportedIn": report}
        if report not in subjects and report not in reports:
            reports[report] = {
                "id": f"report-{_year(edition)}",
                "quote": fact["quote"],
                **({"occurrence": fact["occurrence"]} if "occurrence" in fact else {}),
                "subject": report,
                "type": "Report",
                "label": {
                    "vi": f"Báo cáo tại Hội nghị {_year(edition)}",
                    "en": f"Report at the {_year(edition)} conference",
                },
            }
    taken = {f["id"] for f in out}
    for entry in reports.values():
        while entry["id"] in taken:
            entry["id"] += "-x"
        taken.add(entry["id"])
        out.append(entry)
    return out


__all__ = ["complete_facts"]
