"""Slow queries that keep the default budget do not hold every thread of the front's main lane
(issue 14, item 3): once a query turns out slow, its place goes to the next request, so a
cheap query is answered while as many slow ones as the lane has threads run on; and with
every place taken, ``/healthz`` still answers and the next request is refused with 503 and
``Retry-After`` on a connection that stays open, all before any slow query is done. One
worker, so where a request lands is known."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
import requests
from helpers import ServerProcess

from ctkg.server.http.front import SLOW_LANE_THREADS
from ctkg.server.run import THREADS_PER_WORKER

BUDGET = 4.0
SLOW = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
PENDING = THREADS_PER_WORKER + SLOW_LANE_THREADS + 2


@pytest.fixture(scope="module")
def server(sample_store_template, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("slow-lane") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    env = {
        "CTKG_WORKERS": "1",
        "CTKG_QUERY_TIMEOUT": str(BUDGET),
        "CTKG_MAX_PENDING": str(PENDING),
        "CTKG_ANSWER_CACHE_BYTES": "0",
    }
    process = ServerProcess(data_dir, env).start()
    yield process
    process.stop()


def _slow_queries(server, n: int):
    """``n`` slow default-budget queries in threads; each appends (status, finished at)."""
    done: list[tuple[int, float]] = []

    def one():
        response = requests.get(
            server.url + "/sparql",
            params={"query": SLOW},
            headers={"Accept": "application/json"},
            timeout=60,
        )
        done.append((response.status_code, time.monotonic()))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    return done, threads


def _head(stream) -> tuple[int, dict[str, str]]:
    status = int(stream.readline().split()[1])
    headers = {}
    while (line := stream.readline().strip()) != b"":
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def _cheap(server, n: int) -> requests.Response:
    return requests.get(
        server.url + "/sparql",
        params={"query": f"ASK {{ FILTER({n} = {n}) }}"},
        headers={"Accept": "application/json"},
        timeout=60,
    )


def test_a_cheap_query_is_answered_while_slow_ones_hold_every_thread(server):
    assert _cheap(server, 0).status_code == 200  # the executors are up
    done, threads = _slow_queries(server, THREADS_PER_WORKER)
    try:
        time.sleep(1.0)  # all of them running, and found slow
        answer = _cheap(server, 1)
        answered = time.monotonic()
        assert answer.status_code == 200, answer.text
        assert answer.json()["boolean"] is True
        assert not done, done  # answered before any slow query was done
    finally:
        for thread in threads:
            thread.join(60)
    # the slow ones ran on to their budget: a 503 each, none cut short
    assert [status for status, _ in done] == [503] * THREADS_PER_WORKER
    assert min(at for _, at in done) > answered


def test_with_every_place_taken_healthz_answers_and_the_next_is_refused_at_once(server):
    done, threads = _slow_queries(server, PENDING)
    try:
        time.sleep(1.5)  # every place, every extra thread and the queue full of slow queries
        health = requests.get(server.url + "/healthz", timeout=30)
        assert health.status_code == 200
        refused = _cheap(server, 2)
        assert refused.status_code == 503
        assert refused.headers.get("Retry-After") == "1"
        # the refusal keeps the connection (its request was read whole): the next one on it is
        # answered, so refused clients do not flood the server with new connections
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            stream = sock.makefile("rb")
            for target in (b"/sparql?query=ASK%7B%7D", b"/healthz"):
                sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n\r\n")
                status, headers = _head(stream)
                stream.read(int(headers["content-length"]))
                assert status == (503 if target != b"/healthz" else 200), (target, headers)
                assert headers.get("connection") != "close", headers
        assert not done, done  # all before any slow query was done
    finally:
        for thread in threads:
            thread.join(60)
    assert [status for status, _ in done] == [503] * PENDING
