"""All of ctkg's configuration, read from ``CTKG_*`` environment variables.

One place, so the README's table and the code cannot drift apart: every setting is a field
here with its default and its environment variable.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_BASE_IRI = "https://w3id.org/ctkg/"


def _default_data_dir() -> str:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(xdg) / "ctkg")


@dataclass(frozen=True)
class Settings:
    """Settings of one ctkg process; ``Settings.from_env()`` reads them from the environment."""

    base_iri: str = field(default=DEFAULT_BASE_IRI, metadata={"env": "CTKG_BASE_IRI"})
    data_dir: str = field(default_factory=_default_data_dir, metadata={"env": "CTKG_DATA_DIR"})
    # "oxigraph" (embedded, on disk under data_dir) or the URL of a SPARQL 1.1 query endpoint
    store: str = field(default="oxigraph", metadata={"env": "CTKG_STORE"})
    store_update_url: str = field(default="", metadata={"env": "CTKG_STORE_UPDATE_URL"})
    # the remote store's account, if its endpoints ask for one (HTTP Digest or Basic)
    store_user: str = field(default="", metadata={"env": "CTKG_STORE_USER"})
    store_password: str = field(default="", repr=False, metadata={"env": "CTKG_STORE_PASSWORD"})
    host: str = field(default="127.0.0.1", metadata={"env": "CTKG_HOST"})
    port: int = field(default=8080, metadata={"env": "CTKG_PORT"})
    workers: int = field(default=2, metadata={"env": "CTKG_WORKERS"})
    query_timeout_s: float = field(default=10.0, metadata={"env": "CTKG_QUERY_TIMEOUT"})
    max_query_timeout_s: float = field(default=60.0, metadata={"env": "CTKG_MAX_QUERY_TIMEOUT"})
    result_limit: int = field(default=100_000, metadata={"env": "CTKG_RESULT_LIMIT"})
    max_body_bytes: int = field(default=10 * 1024 * 1024, metadata={"env": "CTKG_MAX_BODY_BYTES"})
    # comma-separated bearer tokens; empty means the store is read-only over HTTP
    update_tokens: str = field(default="", metadata={"env": "CTKG_UPDATE_TOKENS"})
    # comma-separated IRI prefixes SERVICE may reach; empty means SERVICE is refused
    service_allowlist: str = field(default="", metadata={"env": "CTKG_SERVICE_ALLOWLIST"})
    log_level: str = field(default="INFO", metadata={"env": "CTKG_LOG_LEVEL"})
    # requests one server worker holds at once (being read, queued or running); past it: 503
    max_pending: int = field(default=32, metadata={"env": "CTKG_MAX_PENDING"})
    # seconds a client has to send its request headers, then its body (slow clients: 408)
    header_read_timeout_s: float = field(default=10.0, metadata={"env": "CTKG_HEADER_TIMEOUT"})
    body_read_timeout_s: float = field(default=10.0, metadata={"env": "CTKG_BODY_READ_TIMEOUT"})
    # nesting levels a query or update may have (the engine crashes from ~2,000); 0: no limit
    max_query_nesting: int = field(default=500, metadata={"env": "CTKG_MAX_QUERY_NESTING"})
    # the address space one executor or writer process may use (MiB); 0: no cap
    executor_memory_mb: int = field(default=1536, metadata={"env": "CTKG_EXECUTOR_MEMORY_MB"})
    # 1: a server worker's Python threads run at real-time priority where the process may
    # (root, CAP_SYS_NICE, RLIMIT_RTPRIO; server/http/priority.py); 0: never
    realtime: int = field(default=1, metadata={"env": "CTKG_REALTIME"})
    # bytes of answers the exact answer cache keeps on disk (server/engine/answer_cache.py)
    answer_cache_bytes: int = field(
        default=256 * 1024 * 1024, metadata={"env": "CTKG_ANSWER_CACHE_BYTES"}
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``), then apply ``overrides``."""
        env = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            name = f.metadata["env"]
            if name in env and env[name] != "":
                values[f.name] = _coerce(f.type, env[name], name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        if not settings.base_iri.endswith(("/", "#")):
            raise ValueError(f"CTKG_BASE_IRI must end with '/' or '#': {settings.base_iri!r}")
        return settings

    @functools.cached_property
    def data_path(self) -> Path:
        """``data_dir`` resolved (once: the server asks on every request)."""
        return Path(self.data_dir).expanduser().resolve()

    @property
    def tokens(self) -> list[str]:
        return [t.strip() for t in self.update_tokens.split(",") if t.strip()]

    @property
    def service_prefixes(self) -> list[str]:
        return [p.strip() for p in self.service_allowlist.split(",") if p.strip()]


def _coerce(type_name: str, raw: str, env_name: str):
    try:
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
    except ValueError as exc:
        raise ValueError(f"{env_name}={raw!r} is not a valid {type_name}") from exc
    return raw


def documented_settings() -> list[tuple[str, str, str]]:
    """(variable, default, field) rows, for the README table and ``ctkg config``."""
    rows = []
    for f in fields(Settings):
        default = f.default_factory() if callable(f.default_factory) else f.default
        rows.append((f.metadata["env"], str(default), f.name))
    return rows
