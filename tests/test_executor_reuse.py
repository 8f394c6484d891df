"""A slow query's executor, demoted while it ran (``backend.DEMOTE_AFTER_S``), goes back to
normal priority and is used again once the query is done, instead of being replaced by a new
process with a cold store cache (where the process may raise priorities, as here)."""

from __future__ import annotations

import os

from ctkg.config import Settings
from ctkg.server.engine import backend as engine
from ctkg.server.engine.jobs import QueryJob

NUMBERS = " ".join(str(i) for i in range(40))
# a few hundred ms: long enough to be demoted at DEMOTE_AFTER_S = 0.05 s
SLOWISH = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ {NUMBERS} }}" for i in range(4))
    + " }"
)


def test_a_demoted_executor_is_restored_and_reused(sample_data_dir, monkeypatch):
    monkeypatch.setattr(engine, "DEMOTE_AFTER_S", 0.05)
    settings = Settings.from_env({}, data_dir=str(sample_data_dir))
    local = engine.LocalBackend(settings)
    demoted = []
    original = engine._Executor.demote

    def demote(self):
        original(self)
        demoted.append((self.child.pid, os.getpriority(os.PRIO_PROCESS, self.child.pid)))

    monkeypatch.setattr(engine._Executor, "demote", demote)
    try:
        outcome = local.run(QueryJob(SLOWISH, "json", "turtle", 0, settings.base_iri), 60)
        assert outcome.status == "ok" and b'"2560000"' in outcome.body
        assert [nice for _, nice in demoted] == [engine.SLOW_NICE]
        (executor,) = local.pool._idle  # kept, not killed
        assert executor.child.pid == demoted[0][0]
        assert os.getpriority(os.PRIO_PROCESS, executor.child.pid) == 0
        job = QueryJob("ASK {}", "json", "turtle", 0, settings.base_iri)
        assert local.run(job, 10).status == "ok"
        assert [item.child.pid for item in local.pool._idle] == [demoted[0][0]]
    finally:
        local.close()
