"""``ctkg extract`` and ``ctkg eval-extract`` (registered on ``ctkg.cli`` on import)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

from ctkg.cli import UsageError, command, option
from ctkg.config import Settings
from ctkg.graph.inputs import PACKAGE_ROOT

DEFAULT_MANIFEST = PACKAGE_ROOT / "tests" / "resources" / "curation" / "articles.yaml"


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--published must be a date YYYY-MM-DD, not {value!r}") from None


def resolver_for(settings: Settings):
    """The resolver over the repository's curated sources and the data directory's curated facts."""
    from .resolver import Resolver

    curated = settings.data_path / "curated" / "facts"
    return Resolver.from_sources([curated] if curated.is_dir() else [])


@command("extract", "propose facts (with quotes and offsets) for an article: text or saved HTML")
@option("article", help="the article: a UTF-8 text file or a saved HTML page")
@option("--id", dest="article_id", metavar="ID", help="article id (default: DATE-PLACE)")
@option("--published", metavar="YYYY-MM-DD", help="publication date, when the text lacks it")
@option("--url", help="the article's URL, when the file does not say it")
@option("--out", metavar="DIR", help="where to write (default: $CTKG_DATA_DIR/curated/proposals)")
@option("--force", action="store_true", help="replace an existing proposal for this article")
def cmd_extract(args, settings: Settings) -> int:
    """Propose facts for an article; nothing enters the graph until reviewed and ingested."""
    from .pipeline import propose, write
    from .proposal import proposals_dir

    proposed = propose(
        Path(args.article),
        resolver_for(settings),
        article_id=args.article_id,
        published=_date(args.published),
        url=args.url,
    )
    out = Path(args.out) if args.out else proposals_dir(settings.data_path)
    path = write(proposed, out, force=args.force)
    p = proposed.proposal
    slots = Counter(f.slot for f in p.facts)
    outcomes = Counter(r.outcome for f in p.facts for r in f.resolution.values())
    print(f"proposed {len(p.facts)} facts for article {p.id} -> {path}")
    print("  by slot: " + ", ".join(f"{k} {v}" for k, v in sorted(slots.items())))
    print("  entities: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    for w in p.warnings:
        print(f"  note: {w}")
    print(f"  next: ctkg review {p.id}")
    return 0


@command("eval-extract", "score the extraction rules against gold facts, by slot")
@option("manifest", nargs="?", help="articles.yaml listing articles and gold (default: the tests')")
@option("--set", dest="which", choices=["dev", "heldout"], help="only these articles")
@option(
    "--thresholds",
    metavar="FILE",
    help="YAML of minimum strict precision/recall per set and slot; a miss fails with exit 1",
)
@option("--format", choices=["table", "json"], default="table")
@option("--details", action="store_true", help="list missed and spurious claims")
def cmd_eval_extract(args, settings: Settings) -> int:
    """Precision, recall and F1 per slot group, strict and by quote overlap; resolution errors."""
    import yaml

    from . import evaluate as ev
    from .resolver import Resolver

    manifest = Path(args.manifest) if args.manifest else DEFAULT_MANIFEST
    if not manifest.is_file():
        raise UsageError(f"no manifest at {manifest}: give the path of an articles.yaml")
    resolver = Resolver.from_sources()  # the repository's graph only: reproducible scores
    items = [i for i in ev.load_manifest(manifest) if not args.which or i.get("set") == args.which]
    results = []
    for item in items:
        print(f"scoring {item['id']} ({item.get('set', 'dev')})", file=sys.stderr)
        results.append(ev.evaluate_article(item, resolver))
        if results[-1].refused:
            print(f"  refused, scored as proposing nothing: {results[-1].refused}", file=sys.stderr)
    if args.format == "json":
        out = {
            which: {
                slot: {
                    "gold": sc.gold,
                    "proposed": sc.pred,
                    "strict": dict(
                        zip(("precision", "recall", "f1"), sc.strict_prf(), strict=True)
                    ),
                    "overlap": dict(
                        zip(("precision", "recall", "f1"), sc.overlap_prf(), strict=True)
                    ),
                    "resolution_errors": sc.resolution_errors,
                }
                for slot, sc in ev.totals(results, which).items()
                if slot in ev.SCORED
            }
            for which in ("dev", "heldout")
        }
        print(json.dumps(out, indent=2, sort_keys=True))
    else:
        print(ev.table(results))
    if args.details:
        for r in results:
            for c in r.missed:
                print(f"missed   {r.id}: [{c.slot}] {c.s} {c.p} {c.v}")
            for c in r.spurious:
                print(f"spurious {r.id}: [{c.slot}] {c.s} {c.p} {c.v}")
            for sc in r.scores.values():
                for e in sc.errors:
                    print(f"resolution {e}")
    if args.thresholds:
        try:
            thresholds = yaml.safe_load(Path(args.thresholds).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise UsageError(f"cannot read thresholds {args.thresholds}: {exc}") from None
        failures = ev.check_thresholds(results, thresholds)
        for f in failures:
            print(f"below threshold: {f}", file=sys.stderr)
        if failures:
            return 1
    return 0


from . import review_commands  # noqa: E402,F401  (registers review, ingest, reconcile)
