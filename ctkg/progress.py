"""Progress of long work on stderr: numbered steps with their durations."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Announces each step of a job of known length; silent when ``quiet``."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None):
        self.total = total
        self.done = 0
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, title: str):
        self.done += 1
        self._say(f"[{self.done}/{self.total}] {title} …")
        t0 = time.perf_counter()
        yield self
        elapsed = time.perf_counter() - t0
        self.timings[title] = elapsed
        self._say(f"[{self.done}/{self.total}] {title}: done in {elapsed:.2f} s")

    def note(self, message: str) -> None:
        self._say(f"      {message}")

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def _say(self, line: str) -> None:
        if not self.quiet:
            print(line, file=self.stream, flush=True)
