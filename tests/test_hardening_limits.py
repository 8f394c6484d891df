"""Requests that would crash or exhaust the engine get a clear answer; the server stays up
(issue 14, items 4 and 6)."""

from __future__ import annotations

import shutil

import pytest
import requests
from helpers import ServerProcess

from ctkg.server.engine.guard import TooComplex, check_nesting, nesting

TOKEN = "s3cret-token"
DEEP_GROUPS = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o " + "} " * 3000
LONG_UNION = "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 8000) + " }"
# property paths are flat to bracket counting; the engine overflows its stack on ~8,190 steps of
# / and ~10,900 of | (pyoxigraph 0.5.13, measured in a child process)
LONG_PATH = "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 10000) + " ?o }"
LONG_ALTERNATIVE = "SELECT * WHERE { ?s " + "|".join(["<urn:p>"] * 12000) + " ?o }"
# an 8-way cross product of the sample's triples, sorted: gigabytes unless stopped
HUNGRY = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY ?a ?o ?m ?c"


def post_query(server, text, **params):
    return requests.post(
        server.url + "/sparql",
        data=text.encode(),
        params=params,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
        timeout=60,
    )


def post_update(server, text):
    return requests.post(
        server.url + "/sparql",
        data=text.encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("SELECT * { ?s ?p ?o }", 1),
        ('SELECT * { ?s ?p "{{{{ ((( [[[" }', 1),
        ("SELECT * { ?s ?p '''{{{'''. ?s ?q 'x{' }", 1),
        ("SELECT * { # {{{{\r{ { } } }", 3),  # a CR ends the comment, as in Oxigraph
        ("SELECT * { <http://x/(((> ?p ?o }", 1),
        ("SELECT * {}" + " UNION {}" * 30, 11),
        ("SELECT * { ?s " + "/".join(["<urn:p>"] * 31) + " ?o }", 11),
        ("SELECT * { ?s " + "|".join(["<urn:p>"] * 31) + " ?o }", 11),
        ("SELECT * { ?s (<urn:p>|^<urn:q>)/<urn:r> ?o . FILTER(?o || ?s) }", 3),
        ('SELECT * { ?s ?p "a/b|c" . ?s <http://x/y/z?a=1&b> ?o }', 1),
    ],
)
def test_nesting_counts_code_not_strings_comments_or_iris(text, level):
    assert nesting(text) == level


def test_nesting_limit():
    check_nesting(DEEP_GROUPS, 0)
    check_nesting("SELECT * WHERE " + "{ " * 500 + "} " * 500, 500)
    with pytest.raises(TooComplex, match="3000 levels"):
        check_nesting(DEEP_GROUPS, 500)
    with pytest.raises(TooComplex):
        check_nesting(LONG_UNION, 500)
    for text in (LONG_PATH, LONG_ALTERNATIVE):
        with pytest.raises(TooComplex, match="property-path steps"):
            check_nesting(text, 500)


@pytest.fixture(scope="module")
def server(sample_store_template, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("limits") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    env = {"CTKG_UPDATE_TOKENS": TOKEN, "CTKG_EXECUTOR_MEMORY_MB": "1024"}
    process = ServerProcess(data_dir, env).start()
    yield process
    process.stop()


def test_deep_requests_are_refused_before_the_engine(server):
    for text in (DEEP_GROUPS, LONG_UNION, LONG_PATH, LONG_ALTERNATIVE):
        response = post_query(server, text)
        assert response.status_code == 400, response.text[:300]
        assert "CTKG_MAX_QUERY_NESTING" in response.json()["message"]
    update = (
        "INSERT { GRAPH <urn:g:deep> { <urn:a> <urn:b> <urn:c> } } WHERE "
        + "{ " * 3000
        + "} " * 3000
    )
    response = post_update(server, update)
    assert response.status_code == 400, response.text[:300]
    assert post_query(server, "ASK {}").json()["boolean"] is True


def test_deep_requests_are_refused_even_when_no_executor_can_start(sample_data_dir):
    """The refusal is the web worker's: with executors capped below what they need to start
    (200 MiB; they need ~300), a deep query or update still gets its 400, and an ordinary
    query the 507 of an executor that could not start. A CI run saw a start-up abort under
    the cap turn the first deep query's 400 into a 507."""
    process = ServerProcess(
        sample_data_dir, {"CTKG_UPDATE_TOKENS": TOKEN, "CTKG_EXECUTOR_MEMORY_MB": "200"}
    ).start()
    try:
        response = post_query(process, DEEP_GROUPS)
        assert response.status_code == 400, response.text[:300]
        assert "CTKG_MAX_QUERY_NESTING" in response.json()["message"]
        update = (
            "INSERT DATA { GRAPH <urn:g:deep> { <urn:a> <urn:b> <urn:c> } }"
            + " ;"
            + (
                " INSERT { GRAPH <urn:g:deep> { <urn:a> <urn:b> <urn:c> } } WHERE "
                + "{ " * 3000
                + "} " * 3000
            )
        )
        response = post_update(process, update)
        assert response.status_code == 400, response.text[:300]
        assert post_query(process, "ASK {}").status_code == 507
    finally:
        process.stop()


def test_a_normal_property_path_still_works(server):
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?label WHERE { ?s a/rdfs:label|rdfs:label ?label } LIMIT 3"
    )
    response = post_query(server, text)
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["results"]["bindings"]) == 3


@pytest.fixture(scope="module")
def unguarded(sample_store_template, tmp_path_factory):
    """A server with the nesting check off (CTKG_MAX_QUERY_NESTING=0): the engine crashes."""
    data_dir = tmp_path_factory.mktemp("unguarded") / "data"
    shutil.copytree(sample_store_template, data_dir, symlinks=True)
    process = ServerProcess(data_dir, {"CTKG_MAX_QUERY_NESTING": "0"}).start()
    yield process
    process.stop()


def test_an_engine_crash_is_a_503_with_a_message(unguarded):
    # with the check off, the 10,000-step property path overflows the engine's stack
    response = post_query(unguarded, LONG_PATH)
    assert response.status_code == 503, response.text[:300]
    assert "engine stopped" in response.json()["message"]
    assert post_query(unguarded, "ASK {}").json()["boolean"] is True


def test_a_query_past_its_memory_cap_is_a_507_and_the_server_lives(server):
    response = post_query(server, HUNGRY, timeout="30")
    assert response.status_code == 507, response.text[:300]
    assert "CTKG_EXECUTOR_MEMORY_MB" in response.json()["message"]
    assert post_query(server, "ASK {}").json()["boolean"] is True
    assert requests.get(server.url + "/healthz", timeout=10).status_code == 200


def test_cli_refuses_deep_queries_with_a_message(sample_data_dir, capsys):
    from ctkg import cli

    for text in (DEEP_GROUPS, LONG_PATH, LONG_ALTERNATIVE):
        assert cli.main(["--data-dir", str(sample_data_dir), "query", text]) == 2
        err = capsys.readouterr().err
        assert "CTKG_MAX_QUERY_NESTING" in err and "Traceback" not in err
    path = "SELECT ?o WHERE { ?s <urn:p>/<urn:q>|<urn:r> ?o }"
    assert cli.main(["--data-dir", str(sample_data_dir), "query", path]) == 0
