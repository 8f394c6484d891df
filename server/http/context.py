"""The per-app state every blueprint reaches through ``state()``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app

from ctkg.config import Settings

from ..engine.backend import Backend
from .metrics import SharedCounters


@dataclass
class ServerState:
    """Settings, the store backend, shared counters and the per-version stats cache."""

    settings: Settings
    backend: Backend
    counters: SharedCounters
    stats_cache: dict = field(default_factory=dict)
    stats_lock: threading.Lock = field(default_factory=threading.Lock)


def state() -> ServerState:
    return current_app.extensions["ctkg"]
