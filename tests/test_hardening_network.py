"""SERVICE/LOAD cannot reach the network: the query processes have none (issue 14, item 1).

The SERVICE guard parses with rdflib, the engine with Oxigraph; where their lexers disagree a
query rdflib reads without SERVICE runs in Oxigraph with one. ``DISAGREEMENTS`` are such
queries, found by the differential test below (feeding the same strings to both). Aimed at a
listener on loopback, none of them may make it see a connection: not by GET, not by POST, not
by a token holder's update (LOAD), not by ``ctkg query``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

TOKEN = "s3cret-token"


class Listener:
    """A TCP listener on loopback that counts the connections it is offered."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    item = Listener()
    yield item
    item.close()


def disagreements(port: int) -> dict[str, str]:
    """Queries rdflib's parser reads without SERVICE/LOAD but Oxigraph runs with one."""
    target = f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }}"
    return {
        # SPARQL comments end at CR or LF; rdflib's comment runs to LF only
        "comment-ended-by-cr": "SELECT * WHERE { # a comment\r" + target + "\n}",
        "cr-comment-in-optional": "SELECT * WHERE { OPTIONAL { #\r" + target + "\n} }",
    }


def load_disagreements(port: int) -> dict[str, str]:
    return {
        "load-after-cr-comment": (
            "INSERT DATA { GRAPH <urn:g:x> { <urn:a> <urn:b> <urn:c> } } ;\n"
            f"# note\rLOAD <http://127.0.0.1:{port}/data.ttl> INTO GRAPH <urn:g:loaded>\n"
        ),
    }


# --- the sandbox itself -----------------------------------------------------------------

_CHILD = r"""
import socket, sys
from ctkg import sandbox
sandbox.deny_network()
a, b = socket.socketpair(); a.send(b"x"); assert b.recv(1) == b"x"  # AF_UNIX still works
denied = []
for family, kind in [(socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_STREAM),
                     (socket.AF_INET, socket.SOCK_DGRAM), (socket.AF_PACKET, socket.SOCK_RAW),
                     (socket.AF_NETLINK, socket.SOCK_RAW)]:
    try:
        socket.socket(family, kind)
    except PermissionError:
        denied.append(family)
import threading
def later():  # a thread started after the filter is under it too
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
    except PermissionError:
        denied.append("thread")
t = threading.Thread(target=later); t.start(); t.join()
import pyoxigraph as ox
try:
    list(ox.Store().query("SELECT * { SERVICE <http://127.0.0.1:%s/> { ?s ?p ?o } }" % sys.argv[1]))
except PermissionError:
    denied.append("service")
print(len(denied))
"""


def test_sandbox_denies_every_network_socket_but_keeps_unix_ones(listener):
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(listener.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "7"
    time.sleep(0.3)
    assert listener.connections == 0


# --- through the server -----------------------------------------------------------------


@pytest.fixture
def server(sample_data_dir, server_factory):
    return server_factory(sample_data_dir, CTKG_UPDATE_TOKENS=TOKEN)


def test_guard_bypasses_reach_no_listener(server, listener):
    url = server.url + "/sparql"
    for name, query in disagreements(listener.port).items():
        answers = [
            requests.get(url, params={"query": query}, timeout=30),
            requests.post(
                url,
                data=query.encode(),
                headers={"Content-Type": "application/sparql-query"},
                timeout=30,
            ),
            requests.post(url, data={"query": query}, timeout=30),
        ]
        for response in answers:
            assert response.status_code == 403, (name, response.status_code, response.text)
            assert "no network access" in response.json()["message"]
    for name, update in load_disagreements(listener.port).items():
        response = requests.post(
            url,
            data=update.encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
            timeout=30,
        )
        assert response.status_code == 403, (name, response.text)
        # the update is one transaction: its INSERT DATA did not happen either
        ask = requests.get(
            url, params={"query": "ASK { GRAPH <urn:g:x> { ?s ?p ?o } }"}, timeout=30
        )
        assert ask.json()["boolean"] is False
    time.sleep(0.3)
    assert listener.connections == 0
    assert server.process.poll() is None


def test_cli_query_reaches_no_listener(sample_data_dir, listener, capsys):
    from ctkg import cli

    for query in disagreements(listener.port).values():
        assert cli.main(["--data-dir", str(sample_data_dir), "query", query]) != 0
        err = capsys.readouterr().err
        assert "no network access" in err and "Traceback" not in err
    time.sleep(0.3)
    assert listener.connections == 0


def test_cli_query_still_answers(sample_data_dir):
    from ctkg.config import Settings
    from ctkg.queries.terminal import run_and_print

    class Out:
        text = ""

        def write(self, s):
            self.text += s

    out = Out()
    settings = Settings.from_env({}, data_dir=str(sample_data_dir))
    assert run_and_print(settings, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "table", out) == 0
    assert "(1 row)" in out.text
    out.text = ""
    assert run_and_print(settings, "ASK {}", "table", out) == 0
    assert out.text == "true\n"


# --- with an allow-list -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("iri", "allowed"),
    [
        ("http://data.example.org/allowed/sparql", True),
        ("http://DATA.example.org:80/allowed/sparql", False),  # not in normal form: refused
        ("http://data.example.org/allowed/../admin", False),
        ("http://data.example.org/allowed/%2e%2e/admin", False),
        ("http://data.example.org/allowedx", False),
        ("http://data.example.org@127.0.0.1/allowed/", False),
        ("http://data.example.org.evil.test/allowed/", False),
    ],
)
def test_allow_list_compares_normalised_iris(monkeypatch, iri, allowed):
    from ctkg.server.engine import guard

    monkeypatch.setattr(guard, "_non_global_address", lambda host: None)
    policy = guard.Policy(("http://data.example.org/allowed/",))
    query = f"SELECT * {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}"
    if allowed:
        assert guard.check_query(query, policy) == [iri]
    else:
        with pytest.raises(guard.Refused):
            guard.check_query(query, policy)


def test_allow_listed_service_is_handed_to_a_networked_executor(monkeypatch):
    import pyoxigraph as ox

    from ctkg.server.engine import executor, guard
    from ctkg.server.engine.jobs import QueryJob

    monkeypatch.setattr(guard, "_non_global_address", lambda host: None)
    policy = guard.Policy(("http://data.example.org/",))
    job = QueryJob(
        "SELECT * { SERVICE <http://data.example.org/sparql> { ?s ?p ?o } }",
        "json",
        "turtle",
        0,
        "https://w3id.org/ctkg/",
    )
    # a sandboxed executor never runs it: it hands it back to be run where the network is
    assert executor.run_query(ox.Store(), job, policy).status == "needs_network"
