"""The ``%%sparql`` cell magic, driven through a real IPython InteractiveShell."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

HOSTS = """PREFIX ctkg: <https://w3id.org/ctkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?year ?date ?host WHERE {
  ?e ctkg:partOfSeries ?series ; ctkg:year ?year ; ctkg:hostProvince/rdfs:label ?host .
  OPTIONAL { ?e ctkg:startDate ?date }
} ORDER BY ?year
"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def data_dir(real_data_dir) -> Path:
    return real_data_dir


@pytest.fixture
def shell(data_dir, monkeypatch):
    monkeypatch.setenv("CTKG_DATA_DIR", str(data_dir))
    monkeypatch.delenv("CTKG_ENDPOINT", raising=False)
    shell = InteractiveShell.instance()
    shell.run_line_magic("reload_ext", "ctkg")  # a fresh configuration for every test
    yield shell
    shell.user_ns.pop("hosts", None)


def cell(shell, line: str, body: str):
    return shell.run_cell(f"%%sparql {line}\n{body}".replace("%%sparql \n", "%%sparql\n"))


def test_load_ext_registers_the_magics(shell):
    magics = shell.magics_manager.magics
    assert "sparql" in magics["cell"]
    assert "sparql_config" in magics["line"]


def test_cell_shows_a_typed_dataframe_and_keeps_it(shell, capsys):
    result = cell(shell, "-o hosts", HOSTS)
    assert result.success, result.error_in_exec
    frame = shell.user_ns["hosts"]
    assert isinstance(frame, pd.DataFrame)
    assert result.result is frame, "the DataFrame is the cell's output"
    assert pd.api.types.is_integer_dtype(frame["year"])
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    hosts = frame.set_index("year")["host"]
    assert hosts.loc[2019] == "Hải Phòng"
    assert hosts.loc[2020] == "Thái Nguyên"
    assert "Hải Phòng" in capsys.readouterr().out


def test_lang_option_and_config(shell):
    assert cell(shell, "-l en -o hosts", HOSTS).success
    assert shell.user_ns["hosts"].set_index("year").loc[2019, "host"] == "Hai Phong"
    shell.run_line_magic("sparql_config", "--lang none")
    assert cell(shell, "-o hosts", HOSTS).success
    both = shell.user_ns["hosts"]
    assert set(both[both["year"] == 2019]["host"]) == {"Hải Phòng", "Hai Phong"}
    shell.run_line_magic("sparql_config", "--lang en")
    cell(shell, "-o hosts", HOSTS)
    assert shell.user_ns["hosts"].set_index("year").loc[2020, "host"] == "Thai Nguyen"


def test_quiet_shows_nothing(shell, capsys):
    result = cell(shell, "-q -o hosts", HOSTS)
    assert result.success and result.result is None
    assert "Hải Phòng" not in capsys.readouterr().out
    assert len(shell.user_ns["hosts"]) == 8


def assert_one_line_error(result, capsys, *expected: str) -> str:
    assert not result.success, "a failed query fails the cell"
    out = capsys.readouterr()
    text = out.out + out.err
    assert "SPARQL error:" in text
    assert "Traceback" not in text and "File " not in text
    for part in expected:
        assert part in text, text
    assert len([line for line in text.splitlines() if line.strip()]) == 1, text
    return text


def test_malformed_query_is_one_clear_message(shell, capsys):
    result = cell(shell, "", "SELEC ?s WHERE { ?s ?p ?o }")
    assert_one_line_error(result, capsys, "invalid SPARQL", "expected")


def test_timeout_is_one_clear_message(shell, capsys):
    result = cell(shell, "--timeout 0.5", SLOW)
    assert_one_line_error(result, capsys, "timed out", "0.5 s")
    shell.run_line_magic("sparql_config", "--timeout 0.5")
    capsys.readouterr()
    assert_one_line_error(cell(shell, "", SLOW), capsys, "timed out")


def test_usage_errors(shell, capsys):
    assert_one_line_error(cell(shell, "--bogus", HOSTS), capsys, "usage: %%sparql")
    assert_one_line_error(cell(shell, "-o not-a-name", HOSTS), capsys, "variable name")
    assert_one_line_error(cell(shell, "-t soon", HOSTS), capsys, "seconds")
    assert_one_line_error(shell.run_cell("%%sparql\n   \n"), capsys, "no query")


def test_endpoint_option_and_config(shell, capsys, tmp_path):
    unreachable = "http://127.0.0.1:9/sparql"
    assert_one_line_error(cell(shell, f"-e {unreachable}", HOSTS), capsys, "cannot reach")
    shell.run_line_magic("sparql_config", f"--endpoint {unreachable}")
    assert unreachable in capsys.readouterr().out
    assert_one_line_error(cell(shell, "", HOSTS), capsys, "cannot reach")
    shell.run_line_magic("sparql_config", "--embedded")
    assert "embedded" in capsys.readouterr().out
    assert cell(shell, "-q", HOSTS).success
    assert_one_line_error(cell(shell, f"-d {tmp_path}", HOSTS), capsys, "ctkg build")


def test_endpoint_from_the_environment(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("CTKG_ENDPOINT", "http://127.0.0.1:9/sparql")
    shell = InteractiveShell.instance()
    shell.run_line_magic("reload_ext", "ctkg")
    shell.run_line_magic("sparql_config", "")
    assert "endpoint http://127.0.0.1:9/sparql" in capsys.readouterr().out


def test_capped_results_are_noted(shell, capsys, monkeypatch):
    from ctkg import api

    original = api.KnowledgeGraph.query

    def capped(self, sparql, **kwargs):
        frame = original(self, sparql, **kwargs)
        frame.attrs["capped"] = True
        return frame

    monkeypatch.setattr(api.KnowledgeGraph, "query", capped)
    assert cell(shell, "-q", HOSTS).success
    assert "capped the results at 8 rows" in capsys.readouterr().out
