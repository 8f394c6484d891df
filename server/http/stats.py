"""The store's triple counts, for ``/stats``, ``/metrics``, the service description and the
landing page: computed by an executor (counting can take a while on a large store) and cached
per data version, so they are computed once per build or write."""

from __future__ import annotations

import logging

from ..engine.backend import Busy, Timeout
from ..engine.jobs import StatsJob, Status
from .context import state

log = logging.getLogger(__name__)


def store_stats(timeout: float | None = None) -> dict | None:
    """Triple counts of the served data (cached per data version), or None if unavailable."""
    server = state()
    version = server.backend.data_version()
    cached = server.stats_cache.get(version)
    if cached is not None:
        return cached
    if not server.backend.available():
        return None
    budget = timeout if timeout is not None else server.settings.query_timeout_s
    with server.stats_lock:
        try:
            outcome = server.backend.run(StatsJob(), budget)
        except (Timeout, Busy):
            return None
        if outcome.status != Status.OK:
            log.warning("stats unavailable: %s %s", outcome.status, outcome.message)
            return None
        server.stats_cache.clear()
        server.stats_cache[version] = outcome.data
        return outcome.data
