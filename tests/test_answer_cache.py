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
        cache.wait_for_prune(30)  # a put past the budget starts it; it runs beside the request
        on_disk = sum(f.stat().st_size for f in (tmp_path / "cache").rglob("*") if f.is_file())
        assert on_disk <= 64 * 1024 + 4096
    assert cache.get(version, key).body == body
    big = Outcome("ok", kind="results", format="json", body=b"y" * 9000, size=9000)
    assert not cache.put(version, "k", big)  # over an eighth of the budget: not kept
    assert cache.get("build|2", cache.key("build|2", job)) is None  # another version: a miss
    assert not cacheable(QueryJob("SELECT (NOW() AS ?t) {}", "json", None, 0, ""))
    assert not cacheable(QueryJob("SELECT * { SERVICE <x:y> { ?s ?p ?o } }", "json", None, 0, ""))


def test_the_prune_does_not_hold_the_request_that_crossed_the_budget(tmp_path, monkeypatch):
    """At the default budget a prune takes seconds (~65,000 entries); the ``put`` that crosses
    the budget returns at once and the prune runs in a thread of its own, one at a time."""
    import threading

    cache = AnswerCache(tmp_path / "cache", max_bytes=16 * 1024)
    release, started = threading.Event(), []
    real_prune = cache.prune

    def slow_prune(version):
        started.append(threading.current_thread().name)
        release.wait(30)
        real_prune(version)

    monkeypatch.setattr(cache, "prune", slow_prune)
    version, body = "build|1", b"x" * 1000  # under an eighth of the budget, one 4 KiB block
    returned = threading.Event()

    def put_many():
        for i in range(12):  # 12 blocks of 4 KiB: three times the budget
            key = cache.key(version, ask(i))
            kept = cache.put(version, key, Outcome("ok", kind="results", format="json", body=body))
            assert kept
        returned.set()

    threading.Thread(target=put_many, daemon=True).start()
    assert returned.wait(10), "put waited for the prune"
    release.set()
    cache.wait_for_prune(30)
    assert started and started[0] == "ctkg-cache-prune"
    assert len(started) <= 3  # one prune at a time (again only while still over the budget)
    files = [f for f in (tmp_path / "cache").rglob("*") if f.is_file() and f.name != ".prune-lock"]
    assert len(files) * 4096 <= cache.max_bytes


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
            key = cache.key(version, job)
            assert cache.put(version, key, Outcome("ok", kind="results", format="json", body=body))
            assert cache.get(version, key).body == body  # asked again: now held in memory too
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
    cache.wait_for_prune(30)
    files = [f for f in (tmp_path / "cache").rglob("*") if f.is_file() and f.name != ".prune-lock"]
    assert len(files) * 4096 <= cache.max_bytes + 4096  # a file takes a block, however small


def ask(i: int) -> QueryJob:
    return QueryJob(f"ASK {{ FILTER({i} = {i}) }}", "json", None, 10, "https://w3id.org/ctkg/")


def test_only_answers_asked_for_again_are_held_in_memory(tmp_path):
    """One-off answers stay on disk: a stream of distinct queries neither fills a worker's
    memory nor pushes the repeated answers out of it (the soak's workers grew for 10 minutes
    while distinct ASKs filled their LRU)."""
    cache = AnswerCache(tmp_path / "cache", max_bytes=1024 * 1024)
    version = "build|1"
    body = b'{"head":{},"boolean":true}'
    keys = [cache.key(version, ask(i)) for i in range(200)]
    for key in keys:
        assert cache.put(version, key, Outcome("ok", kind="results", format="json", body=body))
    assert cache.memory_bytes == 0 and len(cache._memory) == 0
    assert cache.get(version, keys[7]).body == body  # a repeat: read back from disk, then held
    assert list(cache._memory) == [keys[7]]
    assert cache.memory_bytes == len(body) + answer_cache.MEMORY_ENTRY_OVERHEAD
    for path in cache._dir(version).iterdir():
        path.unlink()
    assert cache.get(version, keys[7]).body == body  # from memory
    assert cache.get(version, keys[8]) is None


def test_the_prune_removes_the_oldest_in_fixed_memory(tmp_path):
    """The prune reads the directory twice instead of listing it whole: its memory does not
    grow with the number of entries (a list of 65,536 entries peaked at 19 MiB and left the
    worker's memory a step higher for good), and it still removes the oldest first."""
    import tracemalloc

    n = 12000
    cache = AnswerCache(tmp_path / "cache", max_bytes=n * 4096)
    version = "build|1"
    directory = cache._dir(version)
    directory.mkdir(parents=True)
    base = 1_700_000_000_000_000_000
    for i in range(n):  # entry i is i ms old-to-new (a distinct age each)
        path = directory / f"{i:08d}"
        path.write_bytes(b"x" * 40)
        os.utime(path, ns=(base + i * 1_000_000, base + i * 1_000_000))
    old_version = cache._dir("build|0")
    old_version.mkdir()
    for i in range(500):
        (old_version / f"{i}").write_bytes(b"y")
    tracemalloc.start()
    try:
        cache.prune(version)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, peak  # listing 12,000 entries whole took ~3.5 MiB
    assert not old_version.exists()
    left = sorted(p.name for p in directory.iterdir())
    assert len(left) * 4096 <= cache.max_bytes // 2
    assert len(left) >= 0.45 * n  # down to about half, not much further
    assert left == [f"{i:08d}" for i in range(n - len(left), n)]  # the newest are kept
    assert cache.disk_bytes == len(left) * 4096


def test_the_memory_of_every_worker_is_shown(tmp_path):
    """``memory_bytes_all`` (``/stats``, ``/metrics``) sums what each forked process holds in
    memory, and forgets a process that has exited."""
    cache = AnswerCache(tmp_path / "cache", max_bytes=1024 * 1024)
    version = "build|1"
    body = b"z" * 1000
    ready_r, ready_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # a worker: answers once, is asked again, holds it in memory
        try:
            key = cache.key(version, ask(1))
            cache.put(version, key, Outcome("ok", kind="results", format="json", body=body))
            cache.get(version, key)
            os.write(ready_w, b"x")
            os.read(done_r, 1)
        finally:
            os._exit(0)
    try:
        assert os.read(ready_r, 1) == b"x"
        assert cache.memory_bytes == 0  # this process holds nothing
        assert cache.memory_bytes_all == len(body) + answer_cache.MEMORY_ENTRY_OVERHEAD
    finally:
        os.write(done_w, b"x")
        os.waitpid(pid, 0)
    assert cache.memory_bytes_all == 0
