#!/usr/bin/env python3
"""The type check from a baseline: mypy over the code folders, and the count of its errors may
only fall.

The code was written without a type checker, so it starts with errors; ``.ci/mypy-baseline.txt``
holds their count (one line: ``errors: N``). This script runs mypy (pinned in the ``test``
extra; settings in ``pyproject.toml``), fails if the count rose above the baseline, and says so
when it fell, so the baseline can be lowered with ``--update`` (never raised by hand).

    python .ci/typecheck.py            # check (``make typecheck``)
    python .ci/typecheck.py --update   # write the current count as the new baseline
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / ".ci" / "mypy-baseline.txt"
FOLDERS = ["ctkg", "graph", "server", "queries", "ontology", "bench"]
FORMAT = re.compile(r"errors: (\d+)\n")
SUMMARY = re.compile(r"Found (\d+) errors? in \d+ files? \(checked|Success: no issues found")


def read_baseline(path: Path = BASELINE) -> int:
    """The committed count; the file must be exactly ``errors: N`` and a newline."""
    match = FORMAT.fullmatch(path.read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit(f"{path}: expected one line 'errors: N'")
    return int(match.group(1))


def count_errors() -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", *FOLDERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else ""
    match = SUMMARY.match(summary)
    if match is None:  # mypy itself failed (a crash, a config error): not a count
        raise SystemExit(f"mypy did not finish: {done.stderr.strip() or summary}")
    return int(match.group(1) or 0), done.stdout


def main(argv: list[str]) -> int:
    errors, output = count_errors()
    if "--update" in argv:
        BASELINE.write_text(f"errors: {errors}\n", encoding="utf-8")
        print(f"baseline: {errors} mypy errors")
        return 0
    baseline = read_baseline()
    if errors > baseline:
        print(output, end="")
        print(f"mypy: {errors} errors, more than the baseline's {baseline}: fix the new ones")
        return 1
    if errors < baseline:
        print(f"mypy: {errors} errors, fewer than the baseline's {baseline}: lower it with")
        print("  python .ci/typecheck.py --update")
    else:
        print(f"mypy: {errors} errors, as the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
