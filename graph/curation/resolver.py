"""Entity resolution: which entity of the graph a surface form in an article names.

``Resolver.resolve(kind, surface, at_date=D)`` answers with a ``Resolution``:

- ``exact``: the folded surface (no marks, lower case; provinces without 'tỉnh'/'thành phố'/'TP.')
  equals a label or alternative label of exactly one entity of that kind — for provinces, one
  unit of the gazetteer valid at ``D`` — so it links;
- ``candidates``: no unique exact match, but fuzzy matches (rapidfuzz ``ratio`` on folded labels,
  score ≥ ``FUZZY_MIN``) or several exact ones; the answer's ``ref`` is then a *new* entity and the
  candidates wait for the curator, because two officials' names can differ by one letter
  ("Phan Thị Thắm" / "Phan Thị Thắng" score 88.9, the same as a typo of one person);
- ``new``: nothing like it; ``ref`` is a new, stable IRI (``kind/slug`` of the folded surface,
  with a short hash when that slug is taken by another entity).

The index is built from label triples (``from_triples``: the store's, for the server) or from the
curated sources themselves (``from_sources``: no build needed). Provinces always come from the
gazetteer, by date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from ctkg.iris import CANONICAL_BASE, slugify

from .fold import key, org_key, place_key, series_key
from .proposal import Candidate, Resolution

FUZZY_MIN = 80.0
ALIASES_FILE = Path(__file__).resolve().parent / "aliases.yaml"
KINDS = ("province", "organization", "person", "series", "edition", "indicator", "role", "region")


@dataclass(frozen=True)
class Entity:
    """An entity the graph holds, with every label it goes by and when it is valid."""

    ref: str  # kind/slug
    labels: tuple[str, ...]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # exclusive

    @property
    def kind(self) -> str:
        return self.ref.split("/", 1)[0]

    def valid_at(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day >= self.valid_to)


def _key_for(kind: str):
    return {"province": place_key, "organization": org_key, "series": series_key}.get(kind, key)


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class Resolver:
    """Exact unique folded matches link; fuzzy ones only propose; new names get new IRIs."""

    def __init__(self, entities: Iterable[Entity]):
        self.entities: dict[str, Entity] = {}
        for e in map(_body_in_time, entities):
            if e.ref in self.entities:  # the same entity from two sources: union of labels
                old = self.entities[e.ref]
                e = Entity(
                    e.ref,
                    tuple(dict.fromkeys(old.labels + e.labels)),
                    old.valid_from or e.valid_from,
                    old.valid_to or e.valid_to,
                )
            self.entities[e.ref] = e
        self._exact: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._choices: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for e in self.entities.values():
            k = _key_for(e.kind)
            for label in e.labels:
                self._exact[(e.kind, k(label))].add(e.ref)
                self._choices[e.kind].append((k(label), e.ref, label))
        # a person's posts, from the graph's memberships ("Đặng Hoàng An — Thứ trưởng Bộ Công
        # Thương"): shown beside a candidate, because a typo and another person score alike
        self.context: dict[str, list[str]] = defaultdict(list)
        for e in self.entities.values():
            if e.kind == "membership" and "--" in e.ref:
                person = "person/" + e.ref.split("/", 1)[1].split("--", 1)[0]
                for label in e.labels:
                    if label.isascii():  # the English label
                        continue
                    for sep in (" — ", " - "):
                        if sep in label:
                            post = label.split(sep, 1)[1].strip()
                            if post not in self.context[person]:
                                self.context[person].append(post)
                            break

    # ------------------------------------------------------------------------------ loaders

    @classmethod
    def from_sources(cls, facts_dirs: Iterable[Path] = (), *, with_packaged: bool = True):
        """The entities of the curated sources (fact files, series table) and the gazetteer."""
        from ctkg.graph.facts import FACTS_DIR

        dirs = ([FACTS_DIR] if with_packaged else []) + [Path(d) for d in facts_dirs]
        return cls(
            [
                *gazetteer_entities(),
                *region_entities(),
                *_series_entities(),
                *_fact_file_entities(dirs),
            ]
        )._with_aliases()

    @classmethod
    def from_triples(cls, triples: Iterable[tuple], base: str = CANONICAL_BASE):
        """Entities from (subject, predicate, object) label triples (rdfs:label, skos:altLabel).

        Provinces come from the gazetteer (with validity), whatever the triples say of them.
        """
        labels: dict[str, list[str]] = defaultdict(list)
        prefix = base + "id/"
        for s, p, o in triples:
            s, p = str(s), str(p)
            if not s.startswith(prefix) or not p.endswith(("#label", "core#altLabel")):
                continue
            ref = s[len(prefix) :]
            top_level = ref.split("/", 1)[0] in KINDS and ref.count("/") == 1
            if top_level or ref.startswith("edition/"):
                labels[ref].append(str(o))
        entities = [Entity(r, tuple(v)) for r, v in labels.items() if not r.startswith("province/")]
        return cls([*gazetteer_entities(), *entities])._with_aliases()

    def _with_aliases(self) -> Resolver:
        """Add the genre's other names (``aliases.yaml``) to the entities the graph holds."""
        import yaml

        data = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8")) or {}
        extra = []
        for kind, table in data.items():
            for slug, names in (table or {}).items():
                ref = f"{kind}/{slug}"
                ent = self.entities.get(ref)
                if ent is not None:
                    extra.append(Entity(ref, tuple(names), ent.valid_from, ent.valid_to))
        return Resolver([*self.entities.values(), *extra]) if extra else self

    # ------------------------------------------------------------------------------ queries

    def resolve(self, kind: str, surface: str, *, at_date=None) -> Resolution:
        """Link ``surface`` to one entity of ``kind`` valid at ``at_date``, or propose."""
        if kind not in KINDS:
            raise ValueError(f"unknown entity kind {kind!r} (one of {', '.join(KINDS)})")
        day = _as_date(at_date)
        k = _key_for(kind)(surface)
        when = day.isoformat() if day else None
        exact = sorted(r for r in self._exact.get((kind, k), ()) if self.entities[r].valid_at(day))
        if len(exact) == 1:
            ent = self.entities[exact[0]]
            return Resolution(
                kind,
                surface,
                "exact",
                ent.ref,
                (Candidate(ent.ref, self.label(ent.ref), 100.0),),
                when,
            )
        if kind == "province":
            return self._province_out_of_time(surface, k, day, when)
        new = self.new_ref(kind, surface)
        if kind == "organization" and (body := self.body_ref(surface, at_date=day)):
            # a People's Committee or Sở is the body of the unit valid at that date: the graph's
            # (exact) when it has it, else named as the graph names bodies, never a body of a unit
            # that had ended or not yet begun ("UBND tỉnh Lào Cai" in 2026: ubnd-lao-cai-2025)
            known = self.entities.get(body)
            if known is not None and known.valid_at(day) and not exact:
                cand = (Candidate(body, self.label(body), 100.0),)
                return Resolution(kind, surface, "exact", body, cand, when)
            new = body
        cands = self.candidates(kind, surface, at_date=day)
        return Resolution(kind, surface, "candidates" if cands else "new", new, tuple(cands), when)

    def _province_out_of_time(self, surface, k, day, when) -> Resolution:
        """No unit of that name at that date: never a new province. A unit of that name at
        another date ('Hà Giang' in October 2025) is proposed, with what it had become by then;
        else the fuzzy candidates of the date (ref: the best one, for the curator to confirm)."""
        from ctkg.graph import gazetteer

        named = sorted(self._exact.get(("province", k), ()))
        cands: list[Candidate] = []
        for ref in named:
            cands.append(Candidate(ref, self.label(ref), 100.0))
            if day is not None:
                try:
                    unit = gazetteer.unit(ref.split("/", 1)[1])
                except (KeyError, ValueError):
                    continue
                for succ in gazetteer.became(unit, day):
                    cands.append(Candidate(f"province/{succ.slug}", succ.name_vi, 90.0))
        if not cands:
            cands = self.candidates("province", surface, at_date=day)
        if not cands:
            return Resolution(
                "province", surface, "new", self.new_ref("province", surface), (), when
            )
        return Resolution("province", surface, "candidates", cands[0].ref, tuple(cands), when)

    def candidates(
        self, kind: str, surface: str, *, at_date=None, limit: int = 5, min_score: float = FUZZY_MIN
    ) -> list[Candidate]:
        """Entities of ``kind`` whose folded labels score ≥ ``min_score`` against ``surface``."""
        day = _as_date(at_date)
        choices = [c for c in self._choices.get(kind, ()) if self.entities[c[1]].valid_at(day)]
        if not choices:
            return []
        k = _key_for(kind)(surface)
        hits = process.extract(
            k, [c[0] for c in choices], scorer=fuzz.ratio, limit=limit * 4, score_cutoff=min_score
        )
        best: dict[str, float] = {}
        for _label, score, i in hits:
            ref = choices[i][1]
            best[ref] = max(best.get(ref, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [
            Candidate(ref, self.label(ref), score, "; ".join(self.context.get(ref, ())[:3]))
            for ref, score in ranked
        ]

    def body_ref(self, surface: str, *, at_date=None) -> str | None:
        """The IRI of the provincial body ``surface`` names ('UBND tỉnh X', 'Sở Công Thương
        thành phố X', 'Sở Tài chính X') as the graph names it: ``organization/{body}-{unit}``,
        the unit being the one of that name valid at ``at_date`` (no date: the 2019 table, as
        ``ctkg.graph.series.organization``). None when it names no such body or unit."""
        from ctkg.graph import gazetteer

        day = _as_date(at_date)
        words = org_key(surface).split(" ")
        if not words or words[0] not in ("ubnd", "so", *OTHER_BODIES):
            return None
        for i in range(2 if words[0] == "so" else 1, len(words)):
            head, place = " ".join(words[:i]), " ".join(words[i:])
            units = [
                u
                for u in gazetteer.all_units()
                if place in {place_key(n) for n in u.names}
                and (u.valid_on(day) if day else "2019" in u.tables)
            ]
            if len(units) == 1:
                return f"organization/{slugify(head)}-{units[0].slug}"
        return None

    def label(self, ref: str) -> str:
        ent = self.entities.get(ref)
        return ent.labels[0] if ent and ent.labels else ref

    def new_ref(self, kind: str, surface: str) -> str:
        """A stable IRI for a new entity: the same surface always gives the same reference."""
        base = {"province": place_key, "organization": org_key}.get(kind, key)(surface)
        slug = slugify(base) or "unnamed"
        ref = f"{kind}/{slug}"
        if ref in self.entities:  # taken by an entity this surface did not match exactly
            digest = hashlib.sha1(key(surface).encode("utf-8")).hexdigest()[:6]
            ref = f"{kind}/{slug}-{digest}"
        return ref


# ---------------------------------------------------------------------------------- sources


def _body_in_time(e: Entity) -> Entity:
    """A People's Committee or Sở (``organization/ubnd-{unit}``, ``organization/so-…-{unit}``)
    is valid while its unit is: a body of a unit merged in 2025 is no candidate after it ended."""
    if e.kind != "organization" or e.valid_from or e.valid_to:
        return e
    unit = _body_unit(e.ref.split("/", 1)[1])
    if unit is None:
        return e
    return Entity(e.ref, e.labels, unit.valid_from, unit.valid_until)


# the province's other bodies the genre names with their province: the People's Council and
# the Party Committee ("HĐND tỉnh X" -> hdnd-x, "Tỉnh ủy X" -> tinh-uy-x, "Thành ủy Y")
OTHER_BODIES = ("hdnd", "tinh-uy", "thanh-uy")


def _body_unit(slug: str):
    from ctkg.graph import gazetteer

    if not slug.startswith(("ubnd-", "so-", *(f"{b}-" for b in OTHER_BODIES))):
        return None
    best = None
    for u in gazetteer.all_units():
        head = slug[: -len(u.slug) - 1] if slug.endswith("-" + u.slug) else ""
        if (head in ("ubnd", *OTHER_BODIES) or head.startswith("so-")) and (
            best is None or len(u.slug) > len(best.slug)
        ):
            best = u
    return best


def gazetteer_entities() -> list[Entity]:
    """Every unit of the 2019 and 2025 tables with its names and its validity (``valid_to``
    exclusive): a 2019 unit merged in 2025 ends on 2025-06-12, the unit formed begins then."""
    from ctkg.graph import gazetteer

    out = []
    for unit in gazetteer.all_units():
        names = (*unit.names, f"Tỉnh {unit.name_vi}", f"Thành phố {unit.name_vi}")
        out.append(
            Entity(
                f"province/{unit.slug}",
                tuple(dict.fromkeys(names)),
                unit.valid_from,
                unit.valid_until,
            )
        )
    return out


def region_entities() -> list[Entity]:
    """The gazetteer's regions with their labels and alternative labels."""
    from ctkg.graph.facts import read_yaml
    from ctkg.graph.gazetteer import GAZETTEER_DIR

    out = []
    for spec in read_yaml(GAZETTEER_DIR / "regions.yaml")["regions"]:
        names: list[str] = []
        for field_name in ("label", "altLabel"):
            for texts in (spec.get(field_name) or {}).values():
                names += texts if isinstance(texts, list) else [texts]
        out.append(Entity(f"region/{spec['id']}", tuple(names)))
    return out


def _series_entities() -> list[Entity]:
    from rdflib import URIRef

    from ctkg.graph.facts import SOURCES_DIR
    from ctkg.graph.series import series_facts

    articles = {
        p.name: URIRef(f"{CANONICAL_BASE}id/article/{p.stem}") for p in SOURCES_DIR.glob("*.txt")
    }
    facts, _meta = series_facts(articles, set())
    return _entities_from_triples(t for f in facts for t in f.triples)


def _entities_from_triples(triples) -> list[Entity]:
    labels: dict[str, list[str]] = defaultdict(list)
    prefix = CANONICAL_BASE + "id/"
    for s, p, o in triples:
        if str(p).endswith(("#label", "core#altLabel")) and str(s).startswith(prefix):
            ref = str(s)[len(prefix) :]
            if not ref.startswith("province/"):
                labels[ref].append(str(o))
    return [Entity(r, tuple(v)) for r, v in labels.items()]


def _fact_file_entities(dirs: list[Path]) -> list[Entity]:
    """Labels of the subjects of curated fact files (read as YAML; no ontology needed)."""
    import yaml

    labels: dict[str, list[str]] = defaultdict(list)
    for directory in dirs:
        for path in sorted(Path(directory).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for fact in data.get("facts") or []:
                subject = str(fact.get("subject", ""))
                if subject.startswith("province/") or "/" not in subject:
                    continue
                for field_name in ("label", "altLabel"):
                    for texts in (fact.get(field_name) or {}).values():
                        labels[subject] += texts if isinstance(texts, list) else [texts]
    return [Entity(r, tuple(dict.fromkeys(v))) for r, v in labels.items()]


__all__ = ["FUZZY_MIN", "KINDS", "Entity", "Resolver", "gazetteer_entities"]
