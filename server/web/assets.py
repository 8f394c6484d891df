"""Static files (``web/static``) versioned, cached for a year and sent compressed.

- ``asset_url("site.css")`` is ``/static/site.css?v=<first 12 hex of its SHA-256>``: pages
  link static files by content, so a file served at its current version is
  ``Cache-Control: public, max-age=31536000, immutable`` (a new version is a new URL), and any
  other request for it ``no-cache`` with a strong ETag.
- Static files are compressed once per process and kept (brotli quality 9, else gzip): the
  YASGUI bundle is 1,012 KB raw, about 250 KB as brotli, and is compressed once, not per request.

Pages and JSON answers are compressed by ``http/compression.py``.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from pathlib import Path

import brotli
from flask import Blueprint, Flask, Response, abort, request

STATIC_DIR = Path(__file__).resolve().parent / "static"
YEAR = 365 * 24 * 3600
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")

bp = Blueprint("assets", __name__)
_lock = threading.Lock()
_files: dict[str, tuple[int, bytes, str]] = {}  # name -> (mtime_ns, bytes, sha256 hex)
_encoded: dict[tuple[str, str, str], bytes] = {}  # (name, sha, encoding) -> bytes


def _resolve(name: str) -> Path | None:
    path = (STATIC_DIR / name).resolve()
    if STATIC_DIR not in path.parents or not path.is_file():
        return None
    return path


def _load(name: str) -> tuple[bytes, str] | None:
    path = _resolve(name)
    if path is None:
        return None
    mtime = path.stat().st_mtime_ns
    with _lock:
        found = _files.get(name)
    if found and found[0] == mtime:
        return found[1], found[2]
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    with _lock:
        _files[name] = (mtime, data, digest)
    return data, digest


def version(name: str) -> str:
    found = _load(name)
    return found[1][:12] if found else ""


def asset_url(name: str) -> str:
    """The versioned URL of a static file (for templates)."""
    return f"/static/{name}?v={version(name)}"


def _encoding() -> str:
    accepted = request.accept_encodings
    for name in ("br", "gzip"):
        if accepted[name]:
            return name
    return ""


def _encode(name: str, digest: str, data: bytes, encoding: str) -> bytes:
    key = (name, digest, encoding)
    with _lock:
        found = _encoded.get(key)
    if found is None:
        found = brotli.compress(data, quality=9) if encoding == "br" else gzip.compress(data, 9)
        with _lock:
            _encoded[key] = found
    return found


@bp.route("/static/<path:name>", methods=["GET", "HEAD"])
def static_file(name: str):
    found = _load(name)
    if found is None:
        abort(404)
    data, digest = found
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type == "application/javascript":
        media_type += "; charset=utf-8"
    encoding = _encoding() if media_type.startswith(COMPRESSIBLE) and len(data) > 500 else ""
    body = _encode(name, digest, data, encoding) if encoding else data
    response = Response(body, content_type=media_type)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Vary"] = "Accept-Encoding"
    response.set_etag(digest[:32] + (f"-{encoding}" if encoding else ""))
    if request.args.get("v") == digest[:12]:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def register(app: Flask) -> None:
    """Serve ``/static/``; templates link files with ``asset(name)``."""
    app.register_blueprint(bp)
    app.jinja_env.globals["asset"] = asset_url
