"""``ctkg review`` and ``ctkg ingest`` (registered on ``ctkg.cli`` when ``commands`` is imported).

``ctkg review ID`` asks about each fact still proposed, on the terminal or from standard input
(one answer per line, so it can be scripted); the options decide without asking.
"""

from __future__ import annotations

import sys

from ctkg.cli import UsageError, command, option
from ctkg.config import Settings

from .layout import Curated

HELP = (
    "answers: a = accept, r = reject, e = edit (then YAML lines, ended by an empty line), "
    "c N [PATH] = choose candidate N, n [PATH] = new entity, u = undo, s = skip, q = quit"
)


def _split(value: str, sep: str, what: str) -> tuple[str, str]:
    left, found, right = value.partition(sep)
    if not found or not left or not right:
        raise UsageError(f"{what} {value!r}: expected FACT{sep}…")
    return left, right


@command("review", "review a proposal's facts: accept, reject, edit, choose a candidate, undo")
@option("article_id", nargs="?", metavar="ID", help="the proposal (article id)")
@option("--list", dest="show", action="store_true", help="list the facts and their status")
@option("--accept-all", action="store_true", help="accept every fact still proposed")
@option("--decide", action="append", default=[], metavar="FACT=accept|reject")
@option("--edit", action="append", default=[], metavar="FACT=YAML", help="replace fields")
@option("--choose", action="append", default=[], metavar="FACT:PATH=REF|N")
@option("--new", action="append", default=[], metavar="FACT:PATH", help="a new entity")
@option("--undo", action="store_true", help="undo the last decision on this proposal")
@option("--stats", action="store_true", help="per-rule precision in use, from decisions.jsonl")
@option("--by", default="cli", help="who decides (recorded in the log)")
def cmd_review(args, settings: Settings) -> int:
    """Review a proposal; every decision is saved in it and appended to decisions.jsonl."""
    from .review import Review, stats, stats_table

    curated = Curated.of(settings.data_path)
    if args.stats:
        rows = stats(curated)
        if not rows:
            print(f"no decisions yet in {curated.decisions}")
            return 0
        print(stats_table(rows))
        return 0
    if not args.article_id:
        ids = curated.proposal_ids()
        print("proposals: " + (", ".join(ids) if ids else f"none in {curated.proposals}"))
        return 0
    review = Review(curated, args.article_id, by=args.by)
    scripted = False
    if args.undo:
        done = review.undo()
        print(f"undone: {done.detail}" if done else "nothing to undo")
        scripted = True
    for item in args.decide:
        fact, verdict = _split(item, "=", "--decide")
        if verdict not in ("accept", "reject"):
            raise UsageError(f"--decide {item!r}: accept or reject")
        getattr(review, verdict)(fact)
        scripted = True
    for item in args.edit:
        fact, yaml_text = _split(item, "=", "--edit")
        review.edit(fact, yaml_text)
        scripted = True
    for item in args.choose:
        target, choice = _split(item, "=", "--choose")
        fact, path = _split(target, ":", "--choose")
        review.choose(fact, path, choice)
        scripted = True
    for item in args.new:
        fact, path = _split(item, ":", "--new")
        review.new_entity(fact, path)
        scripted = True
    if args.accept_all:
        n = review.accept_all()
        print(f"accepted {n} facts")
        scripted = True
    if args.show or scripted:
        if args.show:
            for f in review.proposal.facts:
                print(f"{f.status:9} {f.id:40} [{f.slot}] {f.rule}")
        _summary(review)
        return 0
    return _interactive(review)


def _summary(review) -> None:
    from collections import Counter

    c = Counter(f.status for f in review.proposal.facts)
    print(
        f"{review.id}: {c['accepted']} accepted, {c['rejected']} rejected, "
        f"{c['proposed']} still proposed; next: ctkg ingest {review.id}"
    )


def _show(fact) -> None:
    print(f"\n── {fact.id}  [{fact.slot}]  rule {fact.rule}  confidence {fact.confidence:.2f}")
    print(f"   «{fact.quote}»  [{fact.start}:{fact.end}]")
    print(f"   subject: {fact.subject}" + (f"  type: {fact.type}" if fact.type else ""))
    for k, v in fact.props.items():
        print(f"   {k}: {v}")
    for path, res in fact.resolution.items():
        if res.outcome == "exact":
            continue
        print(f"   {path}: '{res.surface}' is {res.outcome} -> {res.ref}")
        for n, c in enumerate(res.candidates, 1):
            extra = f" — {c.context}" if c.context else ""
            print(f"      {n}. {c.ref} ({c.label}, {c.score:.0f}){extra}")


def _interactive(review) -> int:
    from .proposal import CurationError

    print(HELP)
    pending = [f.id for f in review.proposal.facts if f.status == "proposed"]
    i = 0
    while i < len(pending):
        fact = review.proposal.fact(pending[i])
        _show(fact)
        print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:  # end of input: stop, what was decided is saved
            break
        word, *rest = line.strip().split() or [""]
        try:
            if word == "a":
                review.accept(fact.id)
            elif word == "r":
                review.reject(fact.id)
            elif word == "e":
                lines = []
                for more in sys.stdin:
                    if not more.strip():
                        break
                    lines.append(more)
                review.edit(fact.id, "".join(lines))
            elif word in ("c", "n"):
                paths = [p for p, r in fact.resolution.items() if r.candidates or word == "n"]
                path = rest[1] if len(rest) > 1 else rest[0] if word == "n" and rest else None
                path = path or (paths[0] if len(paths) == 1 else None)
                if path is None:
                    print(f"   which field? one of: {', '.join(paths) or 'none'}")
                    continue
                if word == "c":
                    review.choose(fact.id, path, rest[0] if rest else "1")
                else:
                    review.new_entity(fact.id, path)
            elif word == "u":
                done = review.undo()
                print(f"   undone: {done.detail}" if done else "   nothing to undo")
                if done and done.fact in pending:
                    i = pending.index(done.fact)
                continue
            elif word == "s":
                pass
            elif word == "q":
                break
            else:
                print("   " + HELP)
                continue
        except CurationError as exc:
            print(f"   not done: {exc}")
            continue
        i += 1
    _summary(review)
    return 0


@command("ingest", "write a reviewed proposal's accepted facts into the graph and rebuild")
@option("article_id", metavar="ID", help="the proposal (article id)")
@option("--no-reason", action="store_true", help="skip the OWL reasoner (SHACL still runs)")
@option("-q", "--quiet", action="store_true", help="no progress output")
def cmd_ingest(args, settings: Settings) -> int:
    """Validate and build with the article's accepted facts; all or nothing."""
    from .ingest import ingest

    r = ingest(settings, args.article_id, quiet=args.quiet, reason=not args.no_reason)
    verb = "re-ingested" if r.replaced else "ingested"
    replaced = " (its graph replaced)" if r.replaced else ""
    print(
        f"{verb} {r.article_id}{replaced}: {r.facts} facts ({r.left_out} not accepted, "
        f"left out) -> build {r.build.name}, {r.quads} quads"
    )
    return 0


@command("reconcile", "match a CSV column's names to the graph's entities (offline)")
@option("csv_file", metavar="CSV", help="the spreadsheet (UTF-8 CSV with a header row)")
@option("--column", required=True, metavar="NAME", help="the column of names")
@option("--type", dest="kind", choices=["province", "organization", "person"], help="their kind")
@option("--date", metavar="YYYY-MM-DD", help="provinces valid on this day (default: today)")
@option("--out", metavar="FILE", help="where to write (default: standard output)")
def cmd_reconcile(args, settings: Settings) -> int:
    """Add NAME_match (IRI of an exact unique match), NAME_label, NAME_score, NAME_status."""
    from pathlib import Path

    from .commands import resolver_for
    from .reconcile import Reconciler, reconcile_csv

    try:
        data = Path(args.csv_file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{args.csv_file}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"cannot read {args.csv_file}: {exc.strerror}") from None
    import datetime as dt

    try:
        day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise UsageError(f"--date must be YYYY-MM-DD, not {args.date!r}") from None
    index = _store_index(settings)
    text, counts = reconcile_csv(
        Reconciler(resolver_for(settings), index, settings.base_iri),
        data,
        args.column,
        args.kind,
        settings.base_iri,
        day,
    )
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    print(
        f"reconciled {sum(counts.values())} rows: {counts['matched']} matched, "
        f"{counts['candidates']} with candidates only, {counts['none']} without",
        file=sys.stderr,
    )
    return 0


def _store_index(settings: Settings):
    """The label index of the built graph, if there is one (else the resolver alone)."""
    from ctkg.graph.store import StoreMissing, open_store
    from ctkg.queries.label_index import LabelIndex, index_query

    try:
        store = open_store(settings)
    except (StoreMissing, OSError):
        return None
    rows = store.query(index_query(settings.base_iri))
    return LabelIndex.from_rows(
        (r["x"].value, r["p"].value, r["text"].value, getattr(r["text"], "language", "") or "")
        for r in rows
    )
