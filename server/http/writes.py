"""Running one write through the backend: counted, timed, and turned into an answer on failure."""

from __future__ import annotations

from flask import g

from ..engine.backend import Busy, Timeout
from ..engine.jobs import Outcome, Status, WriteJob
from .answers import budget_left, raise_for
from .context import state
from .errors import ServiceUnavailable


def run_write(job: WriteJob, timeout: float) -> Outcome:
    """Apply ``job``; a timeout or a held write lock becomes a 503, other failures their error."""
    counters = state().counters
    g.log_note = f" write={job.operation}"
    try:
        outcome = state().backend.write(job, budget_left(timeout))
    except Timeout:
        g.pop("data_version", None)
        counters.add("update_failures_total")
        raise ServiceUnavailable(
            f"The write did not finish within {timeout:g} s and was stopped; it was applied "
            "completely or not at all (re-read to see which)."
        ) from None
    except Busy:
        g.pop("data_version", None)
        counters.add("update_failures_total")
        raise ServiceUnavailable(
            "Another write holds the store; try again shortly.", headers={"Retry-After": "1"}
        ) from None
    g.pop("data_version", None)  # the write changed it
    if outcome.status != Status.OK:
        counters.add("update_failures_total")
        raise_for(outcome)
    counters.add("updates_total")
    return outcome
