"""Whether a process still lives: for the shared slots and lock files that name one by its pid."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """True if process ``pid`` exists (one of another user counts: it exists, so what it holds is
    not free); False for a pid that is not positive."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
