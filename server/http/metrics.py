"""Counters shared by all web workers, for ``/stats`` and ``/metrics``.

The counters live in an anonymous shared memory map created with the app; ``serve()`` creates the
app before forking workers, so every worker increments the same slots (a
process-shared lock guards them). An app created in a single process simply counts alone.
"""

from __future__ import annotations

import bisect
import mmap
import multiprocessing
import time

COUNTERS = {
    "requests_total": "HTTP requests answered",
    "queries_total": "SPARQL queries received (protocol and graph store reads)",
    "queries_not_modified_total": "queries answered 304 from the ETag, without running",
    "answer_cache_hits_total": "reads answered from the answer cache, without running",
    "answer_cache_misses_total": "cacheable reads that had to run (then stored if small enough)",
    "query_timeouts_total": "queries stopped at their time budget (answered 503)",
    "query_errors_total": "queries answered with a 4xx/5xx error other than a timeout",
    "results_truncated_total": "answers cut at the result limit",
    "refused_remote_total": "requests refused for SERVICE/LOAD",
    "queue_timeouts_total": "requests whose budget ran out while queued (answered 503)",
    "updates_total": "writes applied (SPARQL Update and graph store)",
    "update_failures_total": "writes refused or failed",
}
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx")
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class SharedCounters:
    """Integer counters and a request-duration histogram in memory shared across forks."""

    def __init__(self):
        self._names = list(COUNTERS)
        self._names += [f"responses_{c}" for c in STATUS_CLASSES]
        self._names += [f"duration_bucket_{i}" for i in range(len(DURATION_BUCKETS) + 1)]
        self._names += ["duration_sum_us"]
        self._index = {name: i for i, name in enumerate(self._names)}
        assert self._index["duration_sum_us"] == len(self._names) - 1  # ``answered``'s view[-1]
        self._map = mmap.mmap(-1, 8 * len(self._names))
        # the slots as 64-bit integers: ``view[i] += 1`` instead of an unpack and a pack
        self._view = memoryview(self._map).cast("q")
        self._lock = multiprocessing.Lock()
        self.started = time.time()
        # (names, status class, bucket) -> the slots an answer moves (the fast path's)
        self._slots: dict[tuple, tuple[int, ...]] = {}

    def add(self, name: str, amount: int = 1) -> None:
        offset = self._index[name]
        with self._lock:
            self._view[offset] += amount

    def get(self, name: str) -> int:
        return self._view[self._index[name]]

    def observe(self, status: int, seconds: float) -> None:
        """Count one answered request: its status class and duration."""
        self.answered((), status, seconds)

    def answered(self, names: tuple[str, ...], status: int, seconds: float) -> None:
        """``add`` each of ``names`` and ``observe`` one answer, under one lock (the fast path's
        hits: one lock round trip instead of three)."""
        bucket = bisect.bisect_left(DURATION_BUCKETS, seconds)
        slots = self._slots.get((names, status, bucket))
        if slots is None:
            index = self._index
            slots = (
                *(index[name] for name in names),
                index["requests_total"],
                index[f"responses_{min(status // 100, 5)}xx"],
                index[f"duration_bucket_{bucket}"],
            )
            if len(self._slots) < 1024:
                self._slots[(names, status, bucket)] = slots
        micros = int(seconds * 1_000_000)
        view = self._view
        with self._lock:
            for slot in slots:
                view[slot] += 1
            view[-1] += micros  # duration_sum_us, the last slot

    def snapshot(self) -> dict[str, int]:
        return {name: self.get(name) for name in COUNTERS}

    def prometheus(self, gauges: dict[str, tuple[str, float]]) -> str:
        """The Prometheus text exposition (format 0.0.4) of every counter and ``gauges``."""
        lines = []
        for name, help_text in COUNTERS.items():
            lines += [
                f"# HELP ctkg_{name} {help_text}.",
                f"# TYPE ctkg_{name} counter",
                f"ctkg_{name} {self.get(name)}",
            ]
        lines += [
            "# HELP ctkg_responses_total HTTP responses by status class.",
            "# TYPE ctkg_responses_total counter",
        ]
        for c in STATUS_CLASSES:
            lines.append(f'ctkg_responses_total{{class="{c}"}} {self.get(f"responses_{c}")}')
        lines += [
            "# HELP ctkg_request_duration_seconds Time to the start of the response.",
            "# TYPE ctkg_request_duration_seconds histogram",
        ]
        cumulative = 0
        for i, bound in enumerate(DURATION_BUCKETS):
            cumulative += self.get(f"duration_bucket_{i}")
            lines.append(f'ctkg_request_duration_seconds_bucket{{le="{bound}"}} {cumulative}')
        cumulative += self.get(f"duration_bucket_{len(DURATION_BUCKETS)}")
        lines.append(f'ctkg_request_duration_seconds_bucket{{le="+Inf"}} {cumulative}')
        lines.append(f"ctkg_request_duration_seconds_sum {self.get('duration_sum_us') / 1e6}")
        lines.append(f"ctkg_request_duration_seconds_count {cumulative}")
        for name, (help_text, value) in gauges.items():
            lines += [f"# HELP ctkg_{name} {help_text}.", f"# TYPE ctkg_{name} gauge"]
            lines.append(f"ctkg_{name} {value}")
        lines.append("# HELP ctkg_uptime_seconds Seconds since the server started.")
        lines.append("# TYPE ctkg_uptime_seconds gauge")
        lines.append(f"ctkg_uptime_seconds {round(time.time() - self.started, 3)}")
        return "\n".join(lines) + "\n"
