"""Executables ctkg's tests and benchmark start (the ``oxigraph`` server, for one).

Tools installed into the virtual environment live next to its ``python``, which is not on
``PATH`` unless the venv is activated; so look there first, then on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def executable(name: str) -> str | None:
    """The path of ``name`` next to ``sys.executable``, else on ``PATH``, else None."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)
