"""Compressed answers for pages and JSON: brotli or gzip by ``Accept-Encoding`` (flask-compress),
with ``Vary: Accept-Encoding``.

Only answers built in memory are compressed — HTML pages, JSON (``/api/…``, errors), plain text.
Streamed answers (SPARQL results and graphs spooled by pyoxigraph, dumps) pass untouched
(``COMPRESS_STREAMS = False``): their size is the engine's concern, and compressing a large
stream per request costs the CPU that queries need. Static files are compressed once per
process by ``web/assets.py``, which sets ``Content-Encoding`` itself (flask-compress then leaves
them alone).
"""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

MIMETYPES = ["text/html", "application/json", "application/ld+json", "text/plain", "image/svg+xml"]


def register(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1000)
    Compress(app)
