"""The one error type of the build: it names the file and the fact at fault."""

from __future__ import annotations


class BuildError(Exception):
    """A source cannot be turned into the graph; the message says where and why."""

    def __init__(self, message: str, *, source: str | None = None, fact: str | None = None):
        self.source = source
        self.fact = fact
        where = source or ""
        if fact:
            where = f"{where}: fact '{fact}'" if where else f"fact '{fact}'"
        super().__init__(f"{where}: {message}" if where else message)
