"""``serve()``: the production server — gunicorn gthread workers in front of the Flask app.

Measured on this 2-core machine (trivial ``ASK {}`` through the whole stack: protocol,
negotiation, ETag, executor round trip; 4 client processes x 2 threads on the same cores,
3 runs of 5 s each; clients reuse connections where the server allows):

    gunicorn gthread, 2 workers x 4 threads   1,560-1,735 req/s   p50 4.3-4.6 ms
    gunicorn sync, 2 workers                  1,418-1,538 req/s   p50 4.9-5.0 ms
    waitress, 4 threads                         927-1,185 req/s   p50 6.0-8.3 ms

gthread wins slightly on throughput (keep-alive) and clearly on robustness: a slow query holds
one thread, not a whole worker, so with 2 workers it takes 8 slow queries at once, not 2, to
stall the server. Each thread gets its own executor (started on demand), and executors are
started by a fork server, never forked from the threaded worker (``zygote.py``).

gunicorn's own worker timeout is set well above the longest query budget so it never fires
first: budgets are enforced by killing executors and answering 503 on time.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ctkg.config import Settings

log = logging.getLogger("ctkg.server")

THREADS_PER_WORKER = 4


def gunicorn_options(settings: Settings, host: str, port: int, workers: int) -> dict:
    """The gunicorn configuration ``serve()`` uses."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        "timeout": int(settings.max_query_timeout_s + 30),
        "graceful_timeout": 10,
        "limit_request_line": 8190,  # longer queries go by POST
        "accesslog": None,  # the app logs one line per request itself
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "proc_name": "ctkg-serve",
        # gunicorn's control socket has one default path per user: several servers on a
        # machine would take it from each other
        "control_socket_disable": True,
    }


def serve(
    settings: Settings | None = None,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
) -> None:
    """Serve the graph over HTTP until interrupted (gunicorn; blocks).

    ``host``, ``port`` and ``workers`` default to ``CTKG_HOST`` (127.0.0.1), ``CTKG_PORT``
    (8080) and ``CTKG_WORKERS`` (2).
    """
    from gunicorn.app.base import BaseApplication

    from .app import create_app

    settings = settings or Settings.from_env()
    host = host or settings.host
    port = settings.port if port is None else port
    workers = workers or settings.workers
    # created before the fork, so all workers share its counters
    app = create_app(settings, pool_size=THREADS_PER_WORKER)
    options = gunicorn_options(settings, host, port, workers)

    def post_fork(server, worker):
        # start this worker's fork server and first executor before it takes requests
        try:
            app.extensions["ctkg"].backend.warm()
        except Exception:
            log.exception("could not start an executor at worker start")

    def worker_exit(server, worker):
        app.extensions["ctkg"].backend.close()

    options.update(post_fork=post_fork, worker_exit=worker_exit)

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    log.info(
        "serving %s on http://%s with %d workers", settings.data_path, options["bind"], workers
    )
    Server().run()


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
