"""``/healthz``, ``/stats`` (JSON) and ``/metrics`` (Prometheus text).

Triple counts come from ``http/stats.py`` (computed by an executor, cached per data version).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..http.context import state
from ..http.stats import store_stats

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 while a graph is being served, 503 before the first build."""
    if state().backend.available():
        return jsonify(status="ok")
    response = jsonify(status="unavailable", reason="no graph has been built yet")
    response.status_code = 503
    return response


@bp.get("/stats")
def stats():
    """Triples, graphs, and the request counters of all workers."""
    server = state()
    data = store_stats()
    counters = server.counters.snapshot()
    document = {
        "store": "available" if data is not None else "unavailable",
        "triples": data["triples"] if data else None,
        "quads": data["quads"] if data else None,
        "graphs": len(data["graphs"]) if data else None,
        "named_graphs": data["graphs"] if data else {},
        "writes_since_build": server.backend.write_count() if data else 0,
        "queries": counters["queries_total"],
        "timeouts": counters["query_timeouts_total"],
        "counters": counters,
        "limits": {
            "query_timeout_s": server.settings.query_timeout_s,
            "max_query_timeout_s": server.settings.max_query_timeout_s,
            "result_limit": server.settings.result_limit,
            "max_body_bytes": server.settings.max_body_bytes,
        },
        "writes_enabled": bool(server.settings.tokens),
        "answer_cache": _answer_cache_stats(server, counters),
    }
    response = jsonify(document)
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer_cache_stats(server, counters: dict) -> dict:
    hits, misses = counters["answer_cache_hits_total"], counters["answer_cache_misses_total"]
    cache = server.answers
    return {
        "enabled": cache is not None,
        "hits": hits,
        "misses": misses,
        "hit_ratio": round(hits / (hits + misses), 4) if hits + misses else None,
        "disk_bytes": cache.disk_bytes if cache else 0,
        "max_bytes": cache.max_bytes if cache else 0,
        # in memory, over the workers, as charged against each one's bound (bench.load --soak
        # shows it beside the workers' RSS)
        "memory_bytes": cache.memory_bytes_all if cache else 0,
        "memory_max_bytes_per_worker": cache.memory_max if cache else 0,
    }


@bp.get("/metrics")
def metrics():
    """Prometheus text exposition."""
    server = state()
    data = store_stats()
    gauges = {"store_available": ("1 if a graph is being served", 1 if data else 0)}
    if data:
        gauges["triples"] = ("Triples in the default graph (the merge)", data["triples"])
        gauges["named_graphs"] = ("Named graphs in the store", len(data["graphs"]))
    if server.answers is not None:
        gauges["answer_cache_disk_bytes"] = (
            "Bytes of answers in the answer cache on disk",
            server.answers.disk_bytes,
        )
        gauges["answer_cache_memory_bytes"] = (
            "Bytes of answers the workers hold in memory, as charged against their bounds",
            server.answers.memory_bytes_all,
        )
    body = server.counters.prometheus(gauges)
    return Response(body, content_type="text/plain; version=0.0.4; charset=utf-8")
