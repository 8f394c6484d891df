"""The per-app state every blueprint reaches through ``state()``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import current_app

from ctkg.config import Settings

from ..engine.answer_cache import AnswerCache
from ..engine.backend import Backend
from .metrics import SharedCounters


@dataclass
class ServerState:
    """Settings, the store backend, shared counters, the answer cache (None: off) and the
    per-version stats cache."""

    settings: Settings
    backend: Backend
    counters: SharedCounters
    answers: AnswerCache | None = None
    stats_cache: dict = field(default_factory=dict)
    stats_lock: threading.Lock = field(default_factory=threading.Lock)


def state() -> ServerState:
    return current_app.extensions["ctkg"]
