"""The ctkg web server: a Flask app factory, one blueprint per job.

Layout (one module per job):

- ``sparql.py``          ``/sparql`` — SPARQL 1.1 Protocol query + update, service description,
                         ``/context.jsonld``
- ``graph_store.py``     ``/graph-store`` — SPARQL 1.1 Graph Store HTTP Protocol
- ``health.py``          ``/healthz``, ``/stats``, ``/metrics``
- ``named_queries.py``   ``/api/queries`` (the named queries; written with ``queries/``)
- ``formats.py``         content negotiation tables (data) and the choice (werkzeug's Accept)
- ``answers.py``/``writes.py``  job -> HTTP answer: budgets, ETags, caps, errors
- ``backend.py``         the execution layer behind one interface (``LocalBackend`` today)
- ``executor.py``        the child processes that run queries and writes
- ``zygote.py``          the per-worker fork server that starts them
- ``guard.py``           SERVICE/LOAD refusal; ``auth.py`` bearer tokens for writes
- ``store_access.py``    where the store is, its data version; ``metrics.py`` shared counters
- ``middleware.py``      request id, CORS, access log; ``errors.py`` errors as answers;
                         ``bodies.py`` bodies read whole within the limit, or 413/400
- ``run.py``             ``serve()``: the production server (granian)

How a query flows: the web worker parses the protocol request, negotiates the answer format
(before running anything: a 406 costs nothing), computes the ETag from the data version (a 304
costs nothing), and sends a job to one of its executor processes. The executor checks the
query for SERVICE/LOAD, runs it on pyoxigraph, writes the answer with pyoxigraph's serializers
into a spool and reports back; the web worker then streams the spool. If the budget runs out
first, the executor is killed and replaced and the client gets a 503 with a message — never a
truncated 200 — while the other workers and executors keep serving.

All settings come from ``ctkg.config.Settings`` (``CTKG_*`` variables).
"""

from __future__ import annotations

import logging

from flask import Flask

from ctkg.config import Settings

from .engine.answer_cache import AnswerCache
from .engine.backend import Backend, LocalBackend
from .http import bodies, compression, errors, middleware
from .http.context import ServerState
from .http.fast_path import FAST_PATH, FastPath
from .http.metrics import SharedCounters

log = logging.getLogger("ctkg.server")


def create_app(settings: Settings | None = None, *, pool_size: int = 1) -> Flask:
    """Build the app for ``settings`` (default: from the environment).

    Nothing is opened or forked here: executors start on first use in each worker process
    (or at worker start under ``serve()``), so the app can be created before workers fork.
    ``pool_size`` is the number of executors per process (one per request thread).
    """
    settings = settings or Settings.from_env()
    if settings.store != "oxigraph" and not settings.store.startswith(("http://", "https://")):
        raise ValueError(
            f"CTKG_STORE={settings.store!r}: use 'oxigraph' (embedded) or a SPARQL endpoint URL"
        )
    _configure_logging(settings)
    app = Flask(__name__, template_folder="web/templates", static_folder=None)
    app.config.from_mapping(
        CTKG_SETTINGS=settings,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_FORM_MEMORY_SIZE=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["ctkg"] = ServerState(
        settings=settings,
        backend=_backend(settings, pool_size),
        counters=SharedCounters(),
        answers=_answer_cache(settings),
    )
    middleware.register(app)
    errors.register(app)
    app.wsgi_app = bodies.BufferedBodies(app.wsgi_app, settings.max_body_bytes)

    from .sparql import graph_store, health, named_queries
    from .sparql import protocol as sparql

    app.register_blueprint(sparql.bp)
    app.register_blueprint(graph_store.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(named_queries.bp)

    from .web import assets, curation, linked_data, pages, reconcile, search, void

    for blueprint in (pages.bp, linked_data.bp, void.bp, search.bp, reconcile.bp, curation.bp):
        app.register_blueprint(blueprint)
    assets.register(app)
    compression.register(app)
    app.extensions[FAST_PATH] = _fast_path(app.extensions["ctkg"])
    return app


def _fast_path(server: ServerState) -> FastPath:
    """The routes whose answer-cache hits the ASGI front serves without a thread (``Front``):
    each keyer is the view's own job builder, so the key is the view's key."""
    from .sparql import named_queries
    from .sparql import protocol as sparql

    fast = FastPath(server)
    fast.route("/sparql", sparql.fast_key, direct=True)  # its misses: http/direct.py
    fast.route_prefix("/api/queries/", named_queries.fast_key, direct=True)
    return fast


def _backend(settings: Settings, pool_size: int) -> Backend:
    """The embedded store's executors, or a remote SPARQL store (``CTKG_STORE`` = URL)."""
    if settings.store == "oxigraph":
        return LocalBackend(settings, pool_size=pool_size)
    from .engine.remote_backend import RemoteBackend

    return RemoteBackend(settings)


def _answer_cache(settings: Settings) -> AnswerCache | None:
    """The exact answer cache of the embedded store (remote stores change behind our back)."""
    if settings.store != "oxigraph" or settings.answer_cache_bytes <= 0:
        return None
    return AnswerCache(settings.data_path / "answer-cache", settings.answer_cache_bytes)


def _configure_logging(settings: Settings) -> None:
    logger = logging.getLogger("ctkg")
    logger.setLevel(settings.log_level.upper())
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
        )
        logger.addHandler(handler)
