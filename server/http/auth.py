"""Writes need a bearer token from ``CTKG_UPDATE_TOKENS``; with none configured, writes are off."""

from __future__ import annotations

import hmac

from flask import request

from .context import state
from .errors import Forbidden, Unauthorized
from .middleware import mark_write

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="ctkg"'}


def require_write_token() -> None:
    """Raise 403 if writes are off, 401 unless the request carries a configured token."""
    mark_write()
    tokens = state().settings.tokens
    if not tokens:
        raise Forbidden("This server is read-only: writes are disabled (no update tokens).")
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        raise Unauthorized(
            "Writes need an 'Authorization: Bearer <token>' header.", headers=_CHALLENGE
        )
    # compare against every token, without an early exit, in constant time per token
    matched = False
    for token in tokens:
        matched |= hmac.compare_digest(presented.encode(), token.encode())
    if not matched:
        raise Unauthorized("The bearer token is not valid for writes.", headers=_CHALLENGE)
