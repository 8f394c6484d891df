"""The proposal: what ``ctkg extract`` proposes for one article, in the curated facts format.

A proposal is a YAML file ``$CTKG_DATA_DIR/curated/proposals/{article-id}.yaml``, next to the
article's canonical text ``{article-id}.txt`` (and the saved page ``{article-id}.html``). Its
``article`` and ``facts`` are the curated facts format of ``graph/FACTS.md`` (so an accepted fact
is written to a facts file as it stands, minus the curation keys); each fact adds where its quote
is (``start``/``end``: code points of the NFC canonical text, end exclusive), the rule that made
it, a confidence, the slot it fills, the resolution of every entity it names (candidates with
scores) and a review status. See ``graph/curation/README.md``.

Loading checks the file as a whole and says what is wrong with the file and the line, so a
proposal edited into invalid YAML or into an invalid shape is refused before anything reads it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import facts

FORMAT_VERSION = 1
PROPOSALS_DIR = ("curated", "proposals")  # under the data directory
STATUSES = ("proposed", "accepted", "rejected")
OUTCOMES = ("exact", "candidates", "new")
# slot groups scored by ``ctkg eval-extract`` (README.md says what each holds)
SLOTS = (
    "article",
    "series",
    "edition",
    "date",
    "place",
    "organiser",
    "official",
    "attendance",
    "participants",
    "indicator",
    "locality",
    "handover",
    "entity",
)
# keys of the curated facts format, from the module that reads it, so the two cannot drift; a
# proposal's "confidence" is the rule's score (a number, CURATION_KEYS), not the facts format's
# high/medium, which a fact with an interpretation gets when it is written out (facts_document)
FACT_KEYS = frozenset(facts.FACT_KEYS - {"confidence"})
ARTICLE_KEYS = facts.ARTICLE_KEYS
CURATION_KEYS = ("start", "end", "rule", "confidence", "slot", "status", "resolution", "inferred")


class CurationError(Exception):
    """A proposal, article or gold file that cannot be used; the message says where and why."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = source or ""
        if line is not None:
            where = f"{where}, line {line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Candidate:
    """An entity the graph holds that a surface form may name, with a score in 0–100."""

    ref: str  # kind/slug, as in the facts format
    label: str
    score: float
    # what the graph says of it that helps tell two near names apart (a person's posts)
    context: str = ""

    def to_dict(self) -> dict:
        out = {"ref": self.ref, "label": self.label, "score": round(float(self.score), 1)}
        if self.context:
            out["context"] = self.context
        return out


@dataclass(frozen=True)
class Resolution:
    """How one surface form was resolved.

    ``exact``: a unique folded match of a label valid at the date; ``ref`` is that entity.
    ``candidates``: fuzzy or ambiguous matches only; ``ref`` is a *new* entity (nothing is merged
    silently) and ``candidates`` are what the curator may choose instead.
    ``new``: nothing like it in the graph; ``ref`` is a new, stable IRI.
    """

    kind: str
    surface: str
    outcome: str
    ref: str
    candidates: tuple[Candidate, ...] = ()
    at_date: str | None = None

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "surface": self.surface, "outcome": self.outcome, "ref": self.ref}
        if self.at_date:
            out["at_date"] = self.at_date
        if self.candidates:
            out["candidates"] = [c.to_dict() for c in self.candidates]
        return out


@dataclass
class ProposedFact:
    """One fact of the curated format plus where it came from and how sure the rule is."""

    id: str
    quote: str
    start: int
    end: int
    subject: str
    rule: str
    confidence: float
    slot: str
    type: object = None
    label: dict | None = None
    altLabel: dict | None = None  # the facts format spells it so
    props: dict = field(default_factory=dict)
    occurrence: int = 1
    note: str | None = None
    # the reading a fact makes beyond its words ({en: …, vi: …}); the facts file gets it with
    # confidence: medium (graph/FACTS.md). A fact with inferred fields gets one made for it.
    interpretation: dict | None = None
    status: str = "proposed"
    # field path ("subject", "props.heldIn", "props.attendee[1]") -> its resolution
    resolution: dict[str, Resolution] = field(default_factory=dict)
    # field paths whose value was inferred from context, not read in the quote ("props.year")
    inferred: list[str] = field(default_factory=list)

    def facts_entry(self) -> dict:
        """This fact in the curated facts format (what ``ctkg ingest`` writes)."""
        out: dict = {"id": self.id, "quote": self.quote}
        if self.occurrence != 1:
            out["occurrence"] = self.occurrence
        out["subject"] = self.subject
        for key in ("type", "label", "altLabel"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.props:
            out["props"] = self.props
        if self.note:
            out["note"] = self.note
        return out

    def reading(self) -> dict | None:
        """The interpretation the facts file states: the curator's, or one naming the fields
        taken from context rather than read in the quote (so no one takes them for the
        source's words)."""
        if self.interpretation:
            return self.interpretation
        if self.inferred:
            fields = ", ".join(p.removeprefix("props.") for p in self.inferred)
            return {
                "en": f"Not in the quoted words but read from the article's context: {fields}.",
                "vi": f"Không có trong câu trích mà suy ra từ ngữ cảnh bài báo: {fields}.",
            }
        return None

    def to_dict(self) -> dict:
        out = self.facts_entry()
        if self.interpretation:
            out["interpretation"] = self.interpretation
        out |= {
            "start": self.start,
            "end": self.end,
            "slot": self.slot,
            "rule": self.rule,
            "confidence": round(float(self.confidence), 2),
            "status": self.status,
        }
        if self.resolution:
            out["resolution"] = {k: r.to_dict() for k, r in self.resolution.items()}
        if self.inferred:
            out["inferred"] = list(self.inferred)
        return out


@dataclass
class SourceInfo:
    """Where the canonical text came from: the offsets of every fact refer to ``text``."""

    text: str  # file name of the canonical text, next to the proposal
    text_sha256: str
    original: str | None = None  # the path the curator gave
    html: str | None = None  # file name of the saved HTML, next to the proposal
    html_sha256: str | None = None
    extractor: str | None = None  # e.g. "trafilatura 2.3.1"
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Proposal:
    """Everything ``ctkg extract`` proposes for one article."""

    id: str
    article: dict  # the facts format's article mapping (ARTICLE_KEYS)
    source: SourceInfo
    facts: list[ProposedFact]
    created: str = ""
    extractor_version: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "proposal": {
                "format": FORMAT_VERSION,
                "id": self.id,
                "created": self.created,
                "extractor": self.extractor_version,
                **({"warnings": list(self.warnings)} if self.warnings else {}),
            },
            "source": self.source.to_dict(),
            "article": dict(self.article),
            "facts": [f.to_dict() for f in self.facts],
        }

    def facts_document(self, statuses: tuple[str, ...] = ("accepted",)) -> dict:
        """The curated facts file of the facts with one of ``statuses`` (``ingest`` writes it):
        each fact with its reading (``interpretation`` + ``confidence: medium``) when it has
        one, and the bookkeeping the cube needs (``complete.py``: the report observations are
        ``reportedIn``)."""
        from .complete import complete_facts

        facts = []
        for f in self.facts:
            if f.status not in statuses:
                continue
            entry = f.facts_entry()
            reading = f.reading()
            if reading:
                entry["confidence"] = "medium"
                entry["interpretation"] = reading
            facts.append(entry)
        return {
            "article": {k: v for k, v in self.article.items() if k in ARTICLE_KEYS},
            "facts": complete_facts(facts),
        }

    def fact(self, fact_id: str) -> ProposedFact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


# ------------------------------------------------------------------------------------ YAML


class _Dumper(yaml.SafeDumper):
    """Block style, Unicode kept, multi-line strings as they are; keys in insertion order."""


def _str_representer(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def dump_proposal(proposal: Proposal) -> str:
    header = (
        f"# ctkg proposal for article {proposal.id}: the curated facts format (graph/FACTS.md)\n"
        "# plus, per fact, start/end offsets, slot, rule, confidence, resolution and status.\n"
        "# Format: graph/curation/README.md. Review with `ctkg review`, then `ctkg ingest`.\n"
    )
    return header + dump_yaml(proposal.to_dict())


def proposals_dir(data_dir: Path) -> Path:
    """Where a user's proposals live: under the data directory, never in the repository."""
    return Path(data_dir).joinpath(*PROPOSALS_DIR)


def write_proposal(proposal: Proposal, directory: Path) -> Path:
    """Write ``{id}.yaml`` into ``directory`` atomically (a reader never sees half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{proposal.id}.yaml"
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(dump_proposal(proposal), encoding="utf-8")
    tmp.replace(path)
    return path


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_with_lines(path: Path) -> tuple[object, yaml.Node | None]:
    """The parsed file and its node tree (for line numbers), or a CurationError with the line."""
    src = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise CurationError(problem, source=src) from None
    except OSError as exc:
        raise CurationError(f"cannot read: {exc.strerror}", source=src) from None
    # one parse (the node tree, then the data built from it), with libyaml where PyYAML has
    # it: the pure-Python parser twice took 0.25 s a read of a 40-fact proposal, and the review
    # page and every decision read the proposal again
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CurationError(
            f"invalid YAML: {problem}"
            + (f" (column {mark.column + 1})" if mark is not None else ""),
            source=src,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    finally:
        loader.dispose()
    return data, node


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def load_proposal(path: Path, *, check_text: bool = True) -> Proposal:
    """Read and check a proposal; with ``check_text`` every quote must sit at its offsets."""
    path = Path(path)
    data, root = read_yaml_with_lines(path)
    src = str(path)
    if not isinstance(data, dict):
        raise CurationError(
            "expected a mapping with 'proposal', 'source', 'article', 'facts'",
            source=src,
            line=_line(root),
        )
    for key in ("proposal", "source", "article", "facts"):
        if not isinstance(data.get(key), dict if key != "facts" else list):
            kind = "a list" if key == "facts" else "a mapping"
            raise CurationError(f"'{key}' must be {kind}", source=src, line=_line(root))
    head = data["proposal"]
    if head.get("format") != FORMAT_VERSION:
        raise CurationError(
            f"unknown proposal format {head.get('format')!r} (this ctkg reads {FORMAT_VERSION})",
            source=src,
            line=_line(_child(root, "proposal")),
        )
    article = data["article"]
    unknown = set(article) - set(ARTICLE_KEYS)
    if unknown:
        raise CurationError(
            f"unknown article keys: {', '.join(sorted(unknown))}",
            source=src,
            line=_line(_child(root, "article")),
        )
    try:
        source = SourceInfo(**data["source"])
    except TypeError as exc:
        raise CurationError(
            f"bad 'source': {exc}", source=src, line=_line(_child(root, "source"))
        ) from None
    facts_node = _child(root, "facts")
    facts = []
    seen: set[str] = set()
    for number, raw in enumerate(data["facts"]):
        node = facts_node.value[number] if isinstance(facts_node, yaml.SequenceNode) else None
        fact = _fact(raw, number + 1, src, _line(node))
        if fact.id in seen:
            raise CurationError(f"duplicate fact id {fact.id!r}", source=src, line=_line(node))
        seen.add(fact.id)
        facts.append(fact)
    proposal = Proposal(
        id=str(head.get("id") or article.get("id")),
        article=article,
        source=source,
        facts=facts,
        created=str(head.get("created", "")),
        extractor_version=str(head.get("extractor", "")),
        warnings=list(head.get("warnings") or []),
    )
    if check_text:
        text_path = path.parent / source.text
        text = read_canonical_text(text_path)
        if sha256_text(text) != source.text_sha256:
            raise CurationError(
                f"{source.text} changed since extraction (sha256 differs)",
                source=src,
                line=_line(_child(root, "source")),
            )
        for number, fact in enumerate(facts):
            node = facts_node.value[number] if isinstance(facts_node, yaml.SequenceNode) else None
            if text[fact.start : fact.end] != fact.quote:
                raise CurationError(
                    f"fact {fact.id!r}: the quote is not at [{fact.start}:{fact.end}] "
                    f"of {source.text}",
                    source=src,
                    line=_line(node),
                )
    return proposal


def _fact(raw: object, number: int, src: str, line: int | None) -> ProposedFact:
    if not isinstance(raw, dict):
        raise CurationError(f"fact #{number} is not a mapping", source=src, line=line)
    fact_id = raw.get("id")
    unknown = set(raw) - set(FACT_KEYS) - set(CURATION_KEYS)
    if unknown:
        raise CurationError(
            f"fact {fact_id or number!r}: unknown keys: {', '.join(sorted(unknown))}",
            source=src,
            line=line,
        )

    def need(key: str, kinds, what: str):
        value = raw.get(key)
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise CurationError(
                f"fact {fact_id or number!r}: '{key}' must be {what}", source=src, line=line
            )
        return value

    need("id", str, "a text")
    need("quote", str, "the quote (text)")
    need("subject", str, "an entity reference (kind/slug)")
    start, end = need("start", int, "an integer"), need("end", int, "an integer")
    if not 0 <= start < end:
        raise CurationError(f"fact {fact_id!r}: needs 0 <= start < end", source=src, line=line)
    status = raw.get("status", "proposed")
    if status not in STATUSES:
        raise CurationError(
            f"fact {fact_id!r}: status must be one of {', '.join(STATUSES)}", source=src, line=line
        )
    slot = raw.get("slot")
    if slot not in SLOTS:
        raise CurationError(
            f"fact {fact_id!r}: slot must be one of {', '.join(SLOTS)}", source=src, line=line
        )
    confidence = need("confidence", (int, float), "a number in [0, 1]")
    props = raw.get("props") or {}
    if not isinstance(props, dict):
        raise CurationError(f"fact {fact_id!r}: 'props' must be a mapping", source=src, line=line)
    resolution = {}
    for key, r in (raw.get("resolution") or {}).items():
        try:
            cands = tuple(
                Candidate(
                    str(c["ref"]), str(c["label"]), float(c["score"]), str(c.get("context", ""))
                )
                for c in r.get("candidates") or ()
            )
            res = Resolution(
                str(r["kind"]),
                str(r["surface"]),
                str(r["outcome"]),
                str(r["ref"]),
                cands,
                r.get("at_date"),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise CurationError(
                f"fact {fact_id!r}: resolution {key!r} needs kind, surface, "
                "outcome, ref (candidates: ref, label, score)",
                source=src,
                line=line,
            ) from None
        if res.outcome not in OUTCOMES:
            raise CurationError(
                f"fact {fact_id!r}: resolution outcome must be one of {', '.join(OUTCOMES)}",
                source=src,
                line=line,
            )
        resolution[str(key)] = res
    return ProposedFact(
        id=fact_id,
        quote=unicodedata.normalize("NFC", raw["quote"]),
        start=start,
        end=end,
        subject=raw["subject"],
        rule=str(raw.get("rule", "")),
        confidence=float(confidence),
        slot=slot,
        type=raw.get("type"),
        label=raw.get("label"),
        altLabel=raw.get("altLabel"),
        props=props,
        occurrence=int(raw.get("occurrence", 1)),
        note=raw.get("note"),
        interpretation=raw.get("interpretation"),
        status=status,
        resolution=resolution,
        inferred=list(raw.get("inferred") or []),
    )


# ------------------------------------------------------------------------------ canonical text


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_canonical_text(path: Path) -> str:
    """A canonical text (UTF-8, NFC), as the build reads it."""
    try:
        return unicodedata.normalize("NFC", Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(f"cannot read the canonical text: {exc}", source=str(path)) from None


__all__ = [
    "FORMAT_VERSION",
    "PROPOSALS_DIR",
    "SLOTS",
    "STATUSES",
    "Candidate",
    "CurationError",
    "Proposal",
    "ProposedFact",
    "Resolution",
    "SourceInfo",
    "dump_proposal",
    "load_proposal",
    "proposals_dir",
    "read_canonical_text",
    "sha256_text",
    "write_proposal",
]
