"""Reconciliation: names in a spreadsheet -> the graph's entities, with scores.

One matcher for the W3C Reconciliation API on the server (``/reconcile``, v0.2) and for
``ctkg reconcile CSV`` offline. It asks the curation resolver first (``resolver.py``: folded
labels, provinces by date and without their 'tỉnh'/'thành phố'/'TP.' prefix): an exact unique
match is the one ``match: true`` answer, score 100; otherwise the resolver's fuzzy candidates
(rapidfuzz, ≥ 80) and the label index's matches (``queries/label_index.py``, when a built graph
is at hand: the same ranking as the site's search) are merged by entity, best score first, and
none is a match — a person's name that differs by one letter is a candidate, never a link.

Provinces are matched among the units valid at a date (default: today, so the 2025 units;
give the date of the spreadsheet's data for 2019 names): "Hải Phòng" names two unit versions.

Types are the resolver's kinds: ``province``, ``organization``, ``person`` (and the others it
knows: ``series``, ``edition``, ``indicator``, ``role``, ``region``). Identifiers are references
``kind/slug``; the entity's IRI is ``{base}id/{ref}``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .resolver import KINDS, Resolver

TYPES = {
    "province": ("Tỉnh, thành phố", "Province", "AdministrativeUnit"),
    "organization": ("Tổ chức", "Organization", "Organization"),
    "person": ("Người", "Person", "Person"),
    "series": ("Chuỗi hội nghị", "Conference series", "ConferenceSeries"),
    "edition": ("Kỳ hội nghị", "Conference edition", "ConferenceEdition"),
    "indicator": ("Chỉ tiêu", "Indicator", "Indicator"),
    "role": ("Chức vụ", "Role", "Role"),
    "region": ("Vùng", "Region", "Region"),
}
DEFAULT_TYPES = ("province", "organization", "person")
MAX_LIMIT = 25


@dataclass
class Result:
    id: str  # kind/slug
    name: str
    score: float
    match: bool
    kind: str

    def to_dict(self, lang: str = "en") -> dict:
        vi, en, _cls = TYPES.get(self.kind, (self.kind, self.kind, ""))
        return {
            "id": self.id,
            "name": self.name,
            "score": round(self.score, 1),
            "match": self.match,
            "type": [{"id": self.kind, "name": en if lang == "en" else vi}],
        }


class Reconciler:
    def __init__(self, resolver: Resolver, index=None, base: str = ""):
        self.resolver = resolver
        self.index = index  # a LabelIndex, or None
        self.base = base

    def reconcile(
        self, text: str, kind: str | None = None, *, limit: int = 5, at_date=None
    ) -> list[Result]:
        text = " ".join(str(text or "").split())
        if not text:
            return []
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown type {kind!r} (one of {', '.join(KINDS)})")
        limit = max(1, min(int(limit), MAX_LIMIT))
        kinds = [kind] if kind else list(DEFAULT_TYPES)
        found: dict[str, Result] = {}
        exact: list[Result] = []
        for k in kinds:
            res = self.resolver.resolve(k, text, at_date=at_date)
            if res.outcome == "exact":
                exact.append(Result(res.ref, self.resolver.label(res.ref), 100.0, True, k))
            for c in self.resolver.candidates(k, text, at_date=at_date, limit=limit):
                self._keep(found, Result(c.ref, c.label, float(c.score), False, k))
        if self.index is not None:
            prefix = self.base + "id/"
            for m in self.index.search(text, limit=limit * 2):
                ref = m.entry.iri.removeprefix(prefix)
                k = ref.split("/", 1)[0]
                if k in kinds and ref.count("/") == 1:
                    score = min(float(m.score), 99.0)  # only the resolver's exact links are 100
                    self._keep(found, Result(ref, m.entry.label("vi"), score, False, k))
        if len(exact) == 1:
            found.pop(exact[0].id, None)
            ranked = [exact[0], *sorted(found.values(), key=lambda r: (-r.score, r.id))]
        else:  # several exact matches (one name, two kinds): none is a match
            for r in exact:
                self._keep(found, Result(r.id, r.name, 99.0, False, r.kind))
            ranked = sorted(found.values(), key=lambda r: (-r.score, r.id))
        return ranked[:limit]

    @staticmethod
    def _keep(found: dict[str, Result], r: Result) -> None:
        old = found.get(r.id)
        if old is None or r.score > old.score:
            found[r.id] = r


def reconcile_csv(
    reconciler: Reconciler, data: str, column: str, kind: str | None, base: str, at_date=None
) -> tuple[str, dict[str, int]]:
    """The CSV with four columns added after ``column``'s: match IRI, label, score, status."""
    reader = csv.DictReader(io.StringIO(data))
    if reader.fieldnames is None:
        raise ValueError("the CSV is empty (no header row)")
    if column not in reader.fieldnames:
        raise ValueError(f"no column {column!r} (columns: {', '.join(reader.fieldnames)})")
    added = [f"{column}_match", f"{column}_label", f"{column}_score", f"{column}_status"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*reader.fieldnames, *added], lineterminator="\n")
    writer.writeheader()
    counts = {"matched": 0, "candidates": 0, "none": 0}
    for row in reader:
        results = reconciler.reconcile(row.get(column) or "", kind, limit=3, at_date=at_date)
        best = results[0] if results else None
        status = "matched" if best and best.match else "candidates" if best else "none"
        counts[status] += 1
        row.update(
            {
                added[0]: f"{base}id/{best.id}" if best and best.match else "",
                added[1]: best.name if best else "",
                added[2]: f"{best.score:.1f}" if best else "",
                added[3]: status
                + ("" if status != "candidates" else ": " + "; ".join(r.id for r in results)),
            }
        )
        writer.writerow(row)
    return out.getvalue(), counts


__all__ = ["DEFAULT_TYPES", "TYPES", "Reconciler", "Result", "reconcile_csv"]
