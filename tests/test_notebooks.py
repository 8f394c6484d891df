"""Every notebook in notebooks/ runs top to bottom against a real ``ctkg serve`` process and a
built data dir (nbclient, a real kernel); a cell error or a changed answer (the cells assert
them) fails the test. The notebooks are stored without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from helpers import ServerProcess
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def data_dir(real_data_dir) -> Path:
    return real_data_dir


@pytest.fixture(scope="module")
def endpoint(data_dir, tmp_path_factory):
    """The real server process (``helpers.ServerProcess``) on the graph; its SPARQL endpoint."""
    log = tmp_path_factory.mktemp("notebook-server") / "serve.log"
    server = ServerProcess(data_dir, {"CTKG_LOG_LEVEL": "WARNING"}, log_path=log).start()
    try:
        yield server.url + "/sparql"
    finally:
        server.stop()


def execute(path: Path, out_dir: Path) -> None:
    """Run the notebook in a fresh kernel; on a failing cell, fail with that cell and its error."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed\n{exc}", pytrace=False)
    finally:
        nbformat.write(
            notebook, out_dir / path.name
        )  # the executed copy, for a look after a failure


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_against_the_server(path, endpoint, data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("CTKG_ENDPOINT", endpoint)
    monkeypatch.setenv("CTKG_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MPLBACKEND", "agg")
    execute(path, tmp_path)


EMBEDDED = [p for p in NOTEBOOKS if "KnowledgeGraph(ENDPOINT)" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", EMBEDDED, ids=[p.stem for p in EMBEDDED])
def test_notebook_runs_on_the_embedded_store(path, data_dir, tmp_path, monkeypatch):
    """The notebooks built on ``ctkg.KnowledgeGraph`` answer the same without a server."""
    monkeypatch.delenv("CTKG_ENDPOINT", raising=False)
    monkeypatch.setenv("CTKG_DATA_DIR", str(data_dir))
    monkeypatch.setenv("MPLBACKEND", "agg")
    execute(path, tmp_path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        cell.get("id", str(i))
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} have outputs; run `python notebooks/strip_outputs.py`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_reads_its_graph_from_the_environment(path):
    """No hard-wired endpoint or data dir: the tests (and readers) point it with CTKG_* vars."""
    text = path.read_text(encoding="utf-8")
    assert "CTKG_ENDPOINT" in text
    assert "/tmp/" not in text and "/work/" not in text
