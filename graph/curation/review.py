"""Reviewing a proposal: per-fact decisions, kept in the proposal and logged, append-only.

The terminal (``ctkg review``) and the web page (``/curate``) both call ``Review``:

- ``accept`` / ``reject`` set a fact's status;
- ``edit`` replaces some of a fact's fields (``props`` are merged, a ``null`` removes one) and
  accepts it; an edited quote is found again in the text (it must be verbatim there);
- ``choose`` links a resolved field to one of its candidates: every use of the new reference
  the rules had made for that surface, in every fact of the proposal, becomes the chosen one;
- ``new`` makes a field name a new entity where the rules had linked it (two people can share a
  name); the entity gets a fresh reference and a typing fact quoted at its surface;
- ``undo`` restores what the last decision on this proposal changed.

Every decision appends one line to ``curated/decisions.jsonl`` (time, proposal, fact, rule,
slot, action, the fact before): nothing is ever rewritten there, so ``stats`` knows how often
each rule's proposals were accepted as they stood — its precision in use.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from ctkg.iris import slugify

from .fold import key
from .layout import Curated
from .proposal import (
    FACT_KEYS,
    CurationError,
    Proposal,
    ProposedFact,
    _fact,
    load_proposal,
    read_canonical_text,
    write_proposal,
)
from .spans import ascii_name

ACTIONS = ("accept", "reject", "edit", "choose", "new", "undo")
EDITABLE = set(FACT_KEYS) - {"id"} | {"inferred"}
_PATH = re.compile(r"^(subject|props\.([^\[\]]+))(?:\[(\d+)\])?$")
NEW_CLASS = {"person": "Person", "organization": "Organization"}
# the parts of a membership's reference (membership/{person}--{role}--{organisation}) by kind
MEMBERSHIP_PARTS = {"person": 0, "role": 1, "organization": 2}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Decision:
    action: str
    fact: str
    detail: str = ""


class Review:
    """One proposal under review; every method saves the proposal and logs the decision."""

    def __init__(self, curated: Curated, article_id: str, *, by: str = "cli"):
        self.curated = curated
        self.id = article_id
        self.by = by
        self.path = curated.proposal(article_id)
        if not self.path.is_file():
            known = ", ".join(curated.proposal_ids()) or "none"
            raise CurationError(
                f"no proposal {article_id!r} in {curated.proposals} (proposals: {known}); "
                "run `ctkg extract ARTICLE` first"
            )
        self.proposal: Proposal = load_proposal(self.path)
        self.text = read_canonical_text(self.path.parent / self.proposal.source.text)

    # ---------------------------------------------------------------------------- decisions

    def accept(self, fact_id: str) -> ProposedFact:
        return self._apply("accept", fact_id, lambda f: setattr(f, "status", "accepted"))

    def reject(self, fact_id: str) -> ProposedFact:
        return self._apply("reject", fact_id, lambda f: setattr(f, "status", "rejected"))

    def accept_all(self, *, only_proposed: bool = True) -> int:
        n = 0
        for f in list(self.proposal.facts):
            if f.status == "proposed" or not only_proposed:
                self.accept(f.id)
                n += 1
        return n

    def edit(self, fact_id: str, changes: dict | str) -> ProposedFact:
        """Replace fields of a fact (YAML or a mapping); the result must still be a valid fact."""
        if isinstance(changes, str):
            try:
                changes = yaml.safe_load(changes)
            except yaml.YAMLError as exc:
                raise CurationError(f"the edit is not valid YAML: {exc}".splitlines()[0]) from None
        if not isinstance(changes, dict) or not changes:
            raise CurationError("an edit is a mapping of fields, e.g. {props: {heldIn: …}}")
        unknown = set(changes) - EDITABLE
        if unknown:
            raise CurationError(
                f"cannot edit {', '.join(sorted(unknown))} "
                f"(editable: {', '.join(sorted(EDITABLE))})"
            )
        fact = self._fact(fact_id)
        raw = fact.to_dict()
        for k, v in changes.items():
            if k == "props" and isinstance(v, dict):
                props = dict(raw.get("props") or {})
                for pk, pv in v.items():
                    if pv is None:
                        props.pop(pk, None)
                    else:
                        props[pk] = pv
                raw["props"] = props
            elif v is None:
                raw.pop(k, None)
            else:
                raw[k] = v
        if "quote" in changes:
            quote = str(changes["quote"])
            start = self.text.find(quote)
            if not quote.strip() or start < 0:
                raise CurationError(f"the edited quote is not verbatim in the article: {quote!r}")
            raw["start"], raw["end"] = start, start + len(quote)
            raw["occurrence"] = self.text.count(quote, 0, start) + 1
        raw["status"] = "accepted"
        new = _fact(raw, 0, str(self.path), None)  # the same checks as loading a proposal
        return self._apply("edit", fact_id, lambda f: f.__dict__.update(new.__dict__), changes)

    def choose(self, fact_id: str, path: str, choice: str) -> ProposedFact:
        """Link ``path`` of the fact to a candidate (its ref, or its number from 1)."""
        fact = self._fact(fact_id)
        res = fact.resolution.get(path)
        if res is None:
            raise CurationError(
                f"fact {fact_id!r} has no resolution at {path!r} "
                f"(it has: {', '.join(fact.resolution) or 'none'})"
            )
        refs = [c.ref for c in res.candidates]
        if choice.isdigit() and 1 <= int(choice) <= len(refs):
            choice = refs[int(choice) - 1]
        if choice not in refs:
            raise CurationError(
                f"{choice!r} is not a candidate for {path!r} of {fact_id!r} "
                f"(candidates: {', '.join(refs) or 'none'})"
            )
        old = str(self._value(fact, path))
        label = next(c.label for c in res.candidates if c.ref == choice)

        def change():
            renamed = self._replace_ref(old, choice, kind=res.kind)
            self._relabel(renamed, choice, res.surface, label)

        return self._apply_all("choose", fact_id, change, f"{path}={choice}")

    def new_entity(self, fact_id: str, path: str) -> ProposedFact:
        """Make ``path`` name a new entity (not the one it was linked to)."""
        fact = self._fact(fact_id)
        res = fact.resolution.get(path)
        if res is None:
            raise CurationError(f"fact {fact_id!r} has no resolution at {path!r}")
        if res.kind == "province":
            raise CurationError("a province is never new: choose a unit of the gazetteer")
        old = str(self._value(fact, path))
        if res.outcome != "exact" and old == res.ref:
            new = res.ref  # the rules' new reference already: accept it as new
        else:
            digest = hashlib.sha1(f"{self.id}:{res.surface}".encode()).hexdigest()[:6]
            new = f"{res.kind}/{slugify(key(res.surface)) or 'unnamed'}-{digest}"

        def change():
            self._replace_ref(old, new, only=fact_id if res.outcome == "exact" else None)
            if not any(f.subject == new for f in self.proposal.facts):
                self._add_entity_fact(fact, res.kind, res.surface, new)

        return self._apply_all("new", fact_id, change, f"{path}={new}")

    def undo(self) -> Decision | None:
        """Restore the facts the last decision on this proposal changed."""
        records = _read_log(self.curated.decisions)
        undone = {r["undoes"] for r in records if r.get("action") == "undo"}
        last = next(
            (
                r
                for r in reversed(records)
                if r.get("proposal") == self.id
                and r.get("action") != "undo"
                and r["seq"] not in undone
            ),
            None,
        )
        if last is None:
            return None
        before = last["before"]
        facts = []
        for f in self.proposal.facts:
            if f.id in before:
                if before[f.id] is not None:
                    facts.append(_fact(before[f.id], 0, str(self.path), None))
            else:
                facts.append(f)
        self.proposal.facts = facts
        self._save()
        self._log("undo", last["fact"], undoes=last["seq"], before={})
        return Decision("undo", last["fact"], f"{last['action']} of {last['fact']}")

    # ---------------------------------------------------------------------------- internals

    def _fact(self, fact_id: str) -> ProposedFact:
        try:
            return self.proposal.fact(fact_id)
        except KeyError:
            raise CurationError(f"proposal {self.id} has no fact {fact_id!r}") from None

    def _value(self, fact: ProposedFact, path: str):
        m = _PATH.match(path)
        if not m:
            raise CurationError(f"bad field path {path!r} (subject, props.NAME or props.NAME[i])")
        if m[1] == "subject":
            return fact.subject
        value = fact.props.get(m[2])
        if m[3] is not None and isinstance(value, list):
            return value[int(m[3])]
        return value

    def _replace_ref(
        self, old: str, new: str, only: str | None = None, kind: str | None = None
    ) -> dict[str, str]:
        """Every use of ``old`` becomes ``new``: the reference itself, the IRIs under it
        (``old/…``) and the IRIs made from it — a membership ``membership/{person}--{role}--
        {organisation}`` names its person, role and organisation. Returns the subjects renamed
        (old -> new)."""
        slot = MEMBERSHIP_PARTS.get(kind or old.split("/", 1)[0])
        old_tail, new_tail = old.split("/", 1)[-1], new.split("/", 1)[-1]

        def swap(v):
            if isinstance(v, list):
                return [swap(x) for x in v]
            if not isinstance(v, str):
                return v
            if v == old or v.startswith(old + "/"):
                return new + v[len(old) :]
            if slot is not None and v.startswith("membership/"):
                parts = v[len("membership/") :].split("--")
                if len(parts) == 3 and parts[slot] == old_tail:
                    parts[slot] = new_tail
                    return "membership/" + "--".join(parts)
            return v

        renamed: dict[str, str] = {}
        for f in self.proposal.facts:
            if only and f.id != only:
                continue
            subject = swap(f.subject)
            if subject != f.subject:
                renamed[f.subject] = subject
            f.subject = subject
            f.props = {k: swap(v) for k, v in f.props.items()}
            for p, r in list(f.resolution.items()):
                ref = swap(r.ref)
                if ref != r.ref:
                    f.resolution[p] = type(r)(
                        r.kind, r.surface, r.outcome, ref, r.candidates, r.at_date
                    )
        return renamed

    def _relabel(self, renamed: dict[str, str], chosen: str, surface: str, label: str) -> None:
        """After a choice, no fact labels an entity the graph has with the rules' new name: the
        chosen entity keeps its own labels; a membership made from it is named after it, or keeps
        the graph's labels if the graph has it."""
        known = self._known()
        for f in self.proposal.facts:
            if f.subject not in renamed.values() or not f.label:
                continue
            if f.subject == chosen or f.subject in known:
                f.label = None
            elif f.subject.startswith("membership/") and surface:
                f.label = {
                    lang: text.replace(
                        surface, label if lang == "vi" else ascii_name(label)
                    ).replace(ascii_name(surface), ascii_name(label))
                    for lang, text in f.label.items()
                }

    def _known(self) -> set[str]:
        """The references the graph's sources hold (seed and curated facts, series, gazetteer)."""
        from .resolver import Resolver

        dirs = [self.curated.facts] if self.curated.facts.is_dir() else []
        return set(Resolver.from_sources(dirs).entities)

    def _add_entity_fact(self, fact: ProposedFact, kind: str, surface: str, ref: str) -> None:
        at = fact.quote.find(surface)
        start, quote = (fact.start + at, surface) if at >= 0 else (fact.start, fact.quote)
        entry = ProposedFact(
            id=f"entity-{ref.split('/', 1)[1]}",
            quote=quote,
            start=start,
            end=start + len(quote),
            occurrence=self.text.count(quote, 0, start) + 1,
            subject=ref,
            rule="review.new-entity",
            confidence=1.0,
            slot="entity",
            type=NEW_CLASS.get(kind),
            label={"vi": surface, "en": ascii_name(surface)},
            status="accepted",
        )
        self.proposal.facts.append(entry)

    def _apply(self, action: str, fact_id: str, change, detail=None) -> ProposedFact:
        fact = self._fact(fact_id)
        before = {fact_id: fact.to_dict()}
        change(fact)
        self._save()
        self._log(action, fact_id, before=before, detail=detail)
        return fact

    def _apply_all(self, action: str, fact_id: str, change, detail) -> ProposedFact:
        """A decision that may touch several facts (a reference used throughout)."""
        before = {f.id: f.to_dict() for f in self.proposal.facts}
        ids = set(before)
        change()
        after = {f.id: f.to_dict() for f in self.proposal.facts}
        changed = {i: d for i, d in before.items() if after.get(i) != d}
        changed |= {i: None for i in after if i not in ids}  # added: removed again by undo
        self._save()
        self._log(action, fact_id, before=changed, detail=detail)
        return self._fact(fact_id)

    def _save(self) -> None:
        write_proposal(self.proposal, self.path.parent)

    def _log(self, action: str, fact_id: str, *, before: dict, detail=None, **extra) -> None:
        fact = next((f for f in self.proposal.facts if f.id == fact_id), None)
        record = {
            "time": _now(),
            "proposal": self.id,
            "fact": fact_id,
            "rule": fact.rule if fact else "",
            "slot": fact.slot if fact else "",
            "action": action,
            "status": fact.status if fact else "",
            "by": self.by,
            **({"detail": detail} if detail else {}),
            **extra,
            "before": before,
        }
        append_log(self.curated.decisions, record)


# ------------------------------------------------------------------------------ the log


def append_log(path: Path, record: dict) -> dict:
    """Append one decision (numbered) under an exclusive lock; the file is never rewritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        seq = sum(1 for line in f if line.strip()) + 1
        record = {"seq": seq, **record}
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
    return record


def _read_log(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                raise CurationError("not a JSON line", source=str(path), line=number) from None
    return out


@dataclass
class RuleStats:
    rule: str
    accepted: int = 0  # as proposed
    corrected: int = 0  # accepted after an edit, a choice or a new entity
    rejected: int = 0

    @property
    def decided(self) -> int:
        return self.accepted + self.corrected + self.rejected

    @property
    def precision(self) -> float:
        """Share of decided proposals accepted as they stood."""
        return self.accepted / self.decided if self.decided else 0.0


def stats(curated: Curated) -> list[RuleStats]:
    """Per rule, the latest decision on each fact (undos honoured)."""
    records = _read_log(curated.decisions)
    undone = {r["undoes"] for r in records if r.get("action") == "undo"}
    per_fact: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in records:
        if r.get("action") != "undo" and r["seq"] not in undone:
            per_fact[(r["proposal"], r["fact"])].append(r)
    out: dict[str, RuleStats] = {}
    for decisions in per_fact.values():
        rule = decisions[0].get("rule") or "?"
        s = out.setdefault(rule, RuleStats(rule))
        last = decisions[-1]
        if last["status"] == "rejected":
            s.rejected += 1
        elif last["status"] == "accepted":
            if any(d["action"] in ("edit", "choose", "new") for d in decisions):
                s.corrected += 1
            else:
                s.accepted += 1
    return sorted(out.values(), key=lambda s: s.rule)


def stats_table(rows: list[RuleStats]) -> str:
    lines = ["| rule | decided | accepted | corrected | rejected | precision |", "|---" * 6 + "|"]
    for s in rows:
        lines.append(
            f"| {s.rule} | {s.decided} | {s.accepted} | {s.corrected} | {s.rejected} | "
            f"{s.precision:.2f} |"
        )
    total = RuleStats(
        "all",
        sum(s.accepted for s in rows),
        sum(s.corrected for s in rows),
        sum(s.rejected for s in rows),
    )
    lines.append(
        f"| **all** | {total.decided} | {total.accepted} | {total.corrected} | "
        f"{total.rejected} | {total.precision:.2f} |"
    )
    return "\n".join(lines)


__all__ = ["ACTIONS", "Review", "RuleStats", "append_log", "stats", "stats_table"]
