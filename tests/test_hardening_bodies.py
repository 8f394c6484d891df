"""Bodies over the limit are refused whole, chunked or not; nothing is written from a cut one
(issue 14, items 5 and 8)."""

from __future__ import annotations

import shutil
import socket

import pytest
import requests
from helpers import ServerProcess

TOKEN = "s3cret-token"
LIMIT = 200_000
GRAPH = "https://w3id.org/ctkg/graph/test/upload"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def server(sample_store_template, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("bodies") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    env = {"CTKG_UPDATE_TOKENS": TOKEN, "CTKG_MAX_BODY_BYTES": str(LIMIT)}
    process = ServerProcess(data_dir, env).start()
    yield process
    process.stop()


def ntriples(n: int) -> bytes:
    return b"".join(b'<urn:s:%d> <urn:p> "%d" .\n' % (i, i) for i in range(n))


def chunks(body: bytes, size: int = 8192):
    for i in range(0, len(body), size):
        yield body[i : i + size]


def count(server, graph=GRAPH) -> int:
    query = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = requests.get(server.url + "/sparql", params={"query": query}, timeout=30)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def put(server, body, graph=GRAPH, content_type="application/n-triples"):
    return requests.put(
        server.url + "/graph-store",
        params={"graph": graph},
        data=body,
        headers={**AUTH, "Content-Type": content_type},
        timeout=60,
    )


def test_a_chunked_body_over_the_limit_is_refused_and_nothing_written(server):
    body = ntriples(20_000)  # about 540 kB, well past the limit
    assert len(body) > LIMIT
    response = put(server, chunks(body))  # a generator: requests sends it chunked
    assert response.status_code == 413, response.text[:300]
    assert "CTKG_MAX_BODY_BYTES" in response.json()["message"]
    assert count(server) == 0


def test_a_sized_body_over_the_limit_is_refused(server):
    response = put(server, ntriples(20_000))
    assert response.status_code == 413
    assert count(server) == 0


def test_a_chunked_body_within_the_limit_is_stored_whole(server):
    body = ntriples(5_000)
    assert len(body) < LIMIT
    response = put(server, chunks(body, 1000))
    assert response.status_code == 201, response.text[:300]
    assert count(server) == 5_000


def test_a_chunked_query_is_read_whole(server):
    query = b"SELECT (COUNT(*) AS ?n) { VALUES ?x { " + b"1 " * 20_000 + b"} }"
    response = requests.post(
        server.url + "/sparql",
        data=chunks(query, 1000),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text[:300]
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "20000"


def raw(server, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while data := sock.recv(65536):
            answer += data
    return answer


def test_a_malformed_chunk_size_is_a_400(server):
    request = (
        b"PUT /graph-store?graph=" + GRAPH.encode() + b" HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
        b"Content-Type: application/n-triples\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"zz\r\n<urn:a> <urn:b> <urn:c> .\r\n0\r\n\r\n"
    )
    status_line = raw(server, request).split(b"\r\n", 1)[0]
    assert b" 400 " in status_line, status_line


def test_rdfxml_with_entity_declarations_is_refused(server):
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "ha">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e:">'
        '<rdf:Description rdf:about="urn:s"><e:p>&b;</e:p></rdf:Description></rdf:RDF>'
    )
    graph = GRAPH + "-xml"
    response = put(server, laughs.encode(), graph, "application/rdf+xml")
    assert response.status_code == 400
    assert "ENTITY" in response.json()["message"]
    plain = laughs.replace("&b;", "ha").split("]>\n", 1)[1]
    assert put(server, plain.encode(), graph, "application/rdf+xml").status_code == 201
    assert count(server, graph) == 1
