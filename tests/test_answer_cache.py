"""The exact answer cache, through the real server: hits are the same answers, and no answer
from before a write or a new build is ever served after it (``server/answer_cache.py``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import requests
from helpers import SAMPLE_TRIG, ServerProcess, build_store

from ctkg.server.engine import answer_cache
from ctkg.server.engine.answer_cache import AnswerCache, cacheable
from ctkg.server.engine.jobs import Outcome, QueryJob

TOKEN = "cache-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
G = "https://w3id.org/ctkg/graph/"
ID = "https://w3id.org/ctkg/id/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LABELS = f"SELECT ?l WHERE {{ <{ID}province/hai-phong> <{LABEL}> ?l }} ORDER BY ?l"


@pytest.fixture(scope="module")
def server(sample_store_template, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cache") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    process = ServerProcess(data_dir, {"CTKG_UPDATE_TOKENS": TOKEN}).start()
    yield process
    process.stop()


def cache_counts(server) -> tuple[int, int]:
    stats = requests.get(server.url + "/stats", timeout=10).json()["answer_cache"]
    assert stats["enabled"] is True
    return stats["hits"], stats["misses"]


def labels(server, query: str = LABELS) -> set[str]:
    response = requests.get(server.url + "/sparql", params={"query": query}, timeout=10)
    assert response.status_code == 200, response.text
    return {row["l"]["value"] for row in response.json()["results"]["bindings"]}


def test_a_repeated_query_is_answered_from_the_cache_byte_for_byte(server):
    query = LABELS + " LIMIT 5"
    first = requests.get(server.url + "/sparql", params={"query": query}, timeout=10)
    hits, misses = cache_counts(server)
    # two workers: each may miss once before the shared entry is on disk
    again = [
        requests.get(server.url + "/sparql", params={"query": query}, timeout=10) for _ in range(6)
    ]
    hits_after, misses_after = cache_counts(server)
    assert hits_after - hits >= 5 and misses_after - misses <= 1
    for response in again:
        assert response.status_code == 200
        assert response.content == first.content
        assert response.headers["ETag"] == first.headers["ETag"]
        assert response.headers["Content-Type"] == first.headers["Content-Type"]
    not_modified = requests.get(
        server.url + "/sparql",
        params={"query": query},
        headers={"If-None-Match": first.headers["ETag"]},
        timeout=10,
    )
    assert not_modified.status_code == 304
    text = requests.get(server.url + "/metrics", timeout=10).text
    assert f"ctkg_answer_cache_hits_total {hits_after}" in text


def test_a_write_is_seen_by_the_next_read_on_every_worker(server):
    named = server.url + "/api/queries/province-editions"
    for _ in range(8):  # both workers hold the answers in memory and on disk
        assert labels(server) == {"Hai Phong", "Hải Phòng"}
        requests.get(named, timeout=10)
    triple = f'<{ID}province/hai-phong> <{LABEL}> "Thành phố Cảng"@vi'
    response = requests.post(
        server.url + "/sparql",
        data={"update": f"INSERT DATA {{ GRAPH <{G}edits> {{ {triple} }} }}"},
        headers=AUTH,
        timeout=30,
    )
    assert response.status_code == 204, response.text
    for _ in range(8):
        assert labels(server) == {"Hai Phong", "Hải Phòng", "Thành phố Cảng"}
    put = requests.put(
        server.url + "/graph-store",
        params={"graph": f"{G}edits"},
        data=f'<{ID}province/hai-phong> <{LABEL}> "Cảng"@vi .'.encode(),
        headers={**AUTH, "Content-Type": "application/n-triples"},
        timeout=30,
    )
    assert put.status_code in (200, 201, 204), put.text
    for _ in range(8):
        assert labels(server) == {"Hai Phong", "Hải Phòng", "Cảng"}
        graph = requests.get(
            server.url + "/graph-store",
            params={"graph": f"{G}edits"},
            headers={"Accept": "application/n-triples"},
            timeout=10,
        )
        assert '"Cảng"@vi' in graph.text and "Thành phố Cảng" not in graph.text


def test_a_new_build_is_never_answered_from_the_old_builds_cache(sample_data_dir, tmp_path):
    server = ServerProcess(sample_data_dir).start()
    try:
        for _ in range(4):
            assert labels(server) == {"Hai Phong", "Hải Phòng"}
        extra = tmp_path / "extra.trig"
        extra.write_text(
            f'<{G}more> {{ <{ID}province/hai-phong> <{LABEL}> "HP"@en }}', encoding="utf-8"
        )
        new = tmp_path / "new"
        build_store(new, SAMPLE_TRIG, extra)
        os.rename(new / "builds" / "test", sample_data_dir / "builds" / "second")
        link = sample_data_dir / ".current-new"
        link.symlink_to(Path("builds") / "second")
        os.replace(link, sample_data_dir / "current")
        for _ in range(4):
            assert labels(server) == {"Hai Phong", "Hải Phòng", "HP"}
    finally:
        server.stop()


def test_caps_are_replayed_and_volatile_queries_run_each_time(sample_data_dir):
    server = ServerProcess(sample_data_dir, {"CTKG_RESULT_LIMIT": "2"}).start()
    try:
        query = "SELECT ?s WHERE { ?s ?p ?o }"
        for _ in range(4):
            response = requests.get(server.url + "/sparql", params={"query": query}, timeout=10)
            assert response.headers["X-CTKG-Results-Truncated"] == "true"
            assert len(response.json()["results"]["bindings"]) == 2
        hits, _ = cache_counts(server)
        assert hits >= 2
        values = set()
        for _ in range(3):
            response = requests.get(
                server.url + "/sparql", params={"query": "SELECT (RAND() AS ?r) {}"}, timeout=10
            )
            values.add(response.json()["results"]["bindings"][0]["r"]["value"])
        assert len(values) == 3  # each ran: RAND() is not cached
        assert cache_counts(server)[0] == hits
    finally:
        server.stop()


def test_the_cache_is_off_when_its_budget_is_zero(sample_data_dir):
    server = ServerProcess(sample_data_dir, {"CTKG_ANSWER_CACHE_BYTES": "0"}).start()
    try:
        for _ in range(3):
            assert labels(server) == {"Hai Phong", "Hải Phòng"}
        stats = requests.get(server.url + "/stats", timeout=10).json()["answer_cache"]
        assert stats == {**stats, "enabled": False, "hits": 0}
    finally:
        server.stop()


def test_the_disk_budget_holds(tmp_path):
    cache = AnswerCache(tmp_path / "cache", max_bytes=64 * 1024)
    version = "build|1"
    body = b"x" * 3000
    for i in range(200):
        job = QueryJob(f"SELECT * {{ ?s ?p {i} }}", "json", None, 10, "https://w3id.org/ctkg/")
        key = cache.key(version, job)
        assert cache.put(version, key, Outcome("ok", kind="results", format="json", body=body))
        on_disk = sum(f.stat().st_size for f in (tmp_path / "cache").rglob("*") if f.is_file())
        assert on_disk <= 64 * 1024 + 4096
    assert cache.get(version, key).body == body
    big = Outcome("ok", kind="results", format="json", body=b"y" * 9000, size=9000)
    assert not cache.put(version, "k", big)  # over an eighth of the budget: not kept
    assert cache.get("build|2", cache.key("build|2", job)) is None  # another version: a miss
    assert not cacheable(QueryJob("SELECT (NOW() AS ?t) {}", "json", None, 0, ""))
    assert not cacheable(QueryJob("SELECT * { SERVICE <x:y> { ?s ?p ?o } }", "json", None, 0, ""))


def test_distinct_tiny_answers_stay_within_the_budgets(tmp_path):
    """An ASK's answer is ~26 bytes; what holds it (key, metadata, LRU link, a file) is far more.
    Counting bodies only, 10 minutes of distinct ASKs grew each worker by ~45 MiB while the
    cache thought it held ~3 MiB (bench.load --soak 600); the overhead counts now."""
    import tracemalloc

    cache = AnswerCache(tmp_path / "cache", max_bytes=1024 * 1024)  # 256 KiB of it in memory
    version = "build|1"
    body = b'{"head":{},"boolean":true}'
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for i in range(3000):
            job = QueryJob(
                f"ASK {{ FILTER({i} = {i}) }}", "json", None, 10, "https://w3id.org/ctkg/"
            )
            assert cache.put(
                version,
                cache.key(version, job),
                Outcome("ok", kind="results", format="json", body=body),
            )
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    # what the cache's own code holds (other tests' leftovers in this process are not counted)
    mine = [tracemalloc.Filter(True, answer_cache.__file__)]
    held = sum(
        stat.size_diff
        for stat in after.filter_traces(mine).compare_to(before.filter_traces(mine), "filename")
    )
    assert held <= 2 * cache.memory_max, held  # the memory budget, with slack for the allocator
    assert len(cache._memory) <= cache.memory_max // 512
    files = [f for f in (tmp_path / "cache").rglob("*") if f.is_file() and f.name != ".prune-lock"]
    assert len(files) * 4096 <= cache.max_bytes + 4096  # a file takes a block, however small
