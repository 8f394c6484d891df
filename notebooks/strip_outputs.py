"""Strip outputs and execution counts from the notebooks before committing them.

    python notebooks/strip_outputs.py            # every notebook in this folder
    python notebooks/strip_outputs.py a.ipynb    # the ones named

The notebooks live in git without outputs (``tests/test_notebooks.py`` checks it); the tests run
them against a real server instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def strip(path: Path) -> bool:
    """Clear ``path``'s outputs in place; True if anything changed."""
    notebook = nbformat.read(path, as_version=4)
    changed = False
    for cell in notebook.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count = [], None
            changed = True
        if cell.metadata.get("execution"):  # timings added by some front ends
            del cell.metadata["execution"]
            changed = True
    if changed:
        nbformat.write(notebook, path)
    return changed


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(Path(__file__).parent.glob("*.ipynb"))
    for path in paths:
        if strip(path):
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
