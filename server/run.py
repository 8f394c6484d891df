"""``serve()``: the production server — granian (Rust HTTP, WSGI) in front of the Flask app.

Measured on this 2-core machine, 2026-12-02 (wrk, 8 keep-alive connections, 4 s, shared with
other work; a bare WSGI app that answers ``ok``, so the figure is the front's own ceiling):

    gunicorn gthread, 2 workers x 4 threads   5,050-8,822 req/s
    gunicorn sync, 4 workers                  3,211 req/s
    granian WSGI, 2 workers x 4 threads      31,490-39,354 req/s

and with the real app on a 10^5-quad store (trivial ``LIMIT 10`` / a cheap named query, 8
clients): gthread 1,350 / 696, sync 956 / 620, granian 1,530 / 997 req/s. Once the app's own
cost per request is small (answer cache, lean hot path) the front's ceiling is what is left,
so granian it is. Its HTTP parsing and keep-alive run in Rust; each worker process runs the
app in ``THREADS_PER_WORKER`` Python threads (a slow query holds one thread, not a worker).

Workers are forked (never spawned) from this process after the app is created, so all workers
share the app's counters and answer cache index (``metrics.py``); each worker starts its own
fork server and first executor before it takes requests (``_worker_app``). Query budgets are
enforced by the app (executors are killed and the client gets a 503 on time), not by granian.
"""

from __future__ import annotations

import argparse
import gc
import logging
import multiprocessing
import sys

from ctkg.config import Settings

log = logging.getLogger("ctkg.server")

THREADS_PER_WORKER = 4
# How long a Python thread may hold the GIL while another waits for it (CPython's default is
# 5 ms). The worker's event loop (admission, shedding, /healthz, sending every answer) and
# granian's I/O thread both need the GIL for a moment per request, and wait for it behind the
# app's threads; at 128 clients under slow queries /healthz's p99 was 400-500 ms with 5 ms and
# 185-215 ms with 0.5 ms (back-to-back runs on the shared machine, noisy).
SWITCH_INTERVAL_S = 0.0005


def granian_options(settings: Settings, host: str, port: int, workers: int) -> dict:
    """The keyword arguments of the ``granian.server.Server`` that ``serve()`` runs."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings

    return {
        "address": host,
        "port": port,
        "interface": Interfaces.ASGI,
        "workers": workers,
        "http": HTTPModes.http1,
        "websockets": False,
        "http1_settings": HTTP1Settings(
            header_read_timeout=int(settings.header_read_timeout_s * 1000)
        ),
        "log_level": _granian_level(settings.log_level),
        "log_access": False,  # the app logs one line per request itself
        "workers_kill_timeout": 10,
        "respawn_failed_workers": True,
    }


def _granian_level(level: str):
    from granian.log import LogLevels

    try:
        return LogLevels(level.lower())
    except ValueError:
        return LogLevels.info


def serve(
    settings: Settings | None = None,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
) -> None:
    """Serve the graph over HTTP until interrupted (granian; blocks).

    ``host``, ``port`` and ``workers`` default to ``CTKG_HOST`` (127.0.0.1), ``CTKG_PORT``
    (8080) and ``CTKG_WORKERS`` (2).
    """
    from granian.server import Server

    from .app import create_app
    from .http.front import LONG_LANE_THREADS, SLOW_LANE_THREADS, Front

    settings = settings or Settings.from_env()
    host = host or settings.host
    port = settings.port if port is None else port
    workers = workers or settings.workers
    # created before the workers fork, so all of them share its counters
    # one executor per thread, in both of the front's lanes (the main one's extra slow threads too)
    app = create_app(settings, pool_size=THREADS_PER_WORKER + SLOW_LANE_THREADS + LONG_LANE_THREADS)
    if multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        raise RuntimeError("ctkg serve needs the 'fork' start method (workers share counters)")
    multiprocessing.set_start_method("fork", force=True)

    def _worker_app():
        # runs in each worker after the fork: its fork server and first executor start now
        prepare_worker(app)
        raise_priority(settings)
        # slow clients and overload are held in the event loop, not in the app's threads
        return Front(app, settings, THREADS_PER_WORKER)

    _recover(settings)
    server = Server("ctkg.server.app:create_app", **granian_options(settings, host, port, workers))
    log.info("serving %s on http://%s:%s with %d workers", settings.data_path, host, port, workers)
    server.serve(target_loader=_worker_app, wrap_loader=False)


def prepare_worker(app) -> None:
    """In each worker, after the fork and before it takes requests: the GIL's switch interval
    (``SWITCH_INTERVAL_S``), the first executor, and the collector told to leave alone what
    was built so far."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    try:
        app.extensions["ctkg"].backend.warm()
    except Exception:
        log.exception("could not start an executor at worker start")
    # Everything built so far (the app, its imports, the executor pool) lives as long as the
    # worker: out of the collector's sight, a full collection has only what requests left
    # behind to scan. Measured under load (32 clients + slow queries, shared machine): full
    # collections of 47 and 185 ms in a worker, every thread stopped, the event loop with
    # them; 5 ms once frozen.
    gc.freeze()


def raise_priority(settings: Settings) -> bool:
    """In each worker's event-loop thread, after ``prepare_worker`` (its fork server has
    started, at normal priority): real-time priority for this thread and the lanes' threads,
    if ``CTKG_REALTIME`` and the process may (``http/priority.py``). True if it took."""
    from .http.priority import REALTIME

    if not settings.realtime:
        return False
    taken = REALTIME.enter_loop()
    log.info("worker event loop at %s priority", "real-time" if taken else "normal")
    return taken


def _recover(settings: Settings) -> None:
    """Before listening: fold a write-ahead log a crash left into the store, once (in a writer
    process, as every write), so the first queries are fast and ``/healthz`` answers only
    when they are (nothing listens until this is done)."""
    if settings.store != "oxigraph":
        return
    import time

    from .engine.backend import LocalBackend
    from .engine.store_access import log_pending

    if not log_pending(settings):  # nothing to replay: no writer process, no reopen (~1 s)
        return

    started = time.monotonic()
    backend = LocalBackend(settings)
    try:
        # bounded: if another process holds the write lock (a writer, another server on the
        # same data), start anyway; readers then replay the log themselves, as before
        outcome = backend.recover(timeout=10.0)
    finally:
        backend.close()
    if outcome is not None:
        log.info("store checked in %.1f s (%s)", time.monotonic() - started, outcome.status)


def main(argv: list[str] | None = None) -> int:
    """``python -m ctkg.server.run [--host H] [--port P] [--workers N]``."""
    parser = argparse.ArgumentParser(prog="python -m ctkg.server.run", description=serve.__doc__)
    parser.add_argument("--host", help="address to bind (default CTKG_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default CTKG_PORT, 8080)")
    parser.add_argument("--workers", type=int, help="worker processes (default CTKG_WORKERS, 2)")
    args = parser.parse_args(argv)
    serve(Settings.from_env(), host=args.host, port=args.port, workers=args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
