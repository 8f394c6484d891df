"""The curation workflow end to end: extract -> review -> ingest -> the graph grows.

From a private copy of the real build (the session's), a curator extracts the
Bình Dương 2019 test article (tests/resources/curation/articles/, an edition of a series the
seed does not hold), reviews it with the CLI (a rejection undone, a scripted accept-all), and
ingests it while a server runs. Checked: the new edition is in the `series-editions` named query
(CLI and the running server's API, with no restart), on its entity page, and in the notebooks'
API (`ctkg.KnowledgeGraph`); the decisions log gives per-rule precision; re-ingesting replaces
the article's graph (a fact rejected on the second review is gone); what cannot be ingested —
invalid YAML, a quote moved off its offsets, a changed text, nothing accepted, facts the build
rejects (a reference nothing describes) — gets one message, a non-zero exit, and leaves the
served build and the curated layer as they were.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from helpers import ServerProcess, make_app, wait_until

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "resources" / "curation" / "articles"
BINH_DUONG = ARTICLES / "2019-09-21-binh-duong.txt"
AID = "2019-09-21-binh-duong"
SERIES = "series/hoi-nghi-nganh-cong-thuong-cac-tinh-dong-nam-bo"
EDITION = "edition/hoi-nghi-nganh-cong-thuong-cac-tinh-dong-nam-bo/2019"
BASE = "https://w3id.org/ctkg/id/"


def ctkg(*args: str, data_dir: Path, stdin: str | None = None, timeout: float = 300):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTKG_")}
    env["CTKG_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "ctkg.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=timeout,
        cwd=ROOT,
    )


def _ok(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 0, run.stderr + run.stdout
    return run.stdout


def _current(data_dir: Path) -> str:
    return os.readlink(data_dir / "current")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, copy_real_graph) -> Path:
    """A private copy of the session's real graph (it is written to). ``ctkg build`` itself is
    tested in test_build.py and test_hardening_crash.py; every ingest below builds again."""
    return copy_real_graph(tmp_path_factory.mktemp("curation") / "data")


def _edition_years(data_dir: Path) -> list[str]:
    out = _ok(
        ctkg(
            "run",
            "series-editions",
            "--series",
            f"id:{SERIES}",
            "--format",
            "json",
            data_dir=data_dir,
        )
    )
    return [b["year"]["value"] for b in json.loads(out)["results"]["bindings"]]


def test_extract_review_ingest_with_the_cli_while_a_server_runs(data_dir, tmp_path):
    assert _edition_years(data_dir) == []  # the seed does not know this series
    out = _ok(ctkg("extract", str(BINH_DUONG), "--published", "2019-09-21", data_dir=data_dir))
    assert f"ctkg review {AID}" in out
    proposal = data_dir / "curated" / "proposals" / f"{AID}.yaml"
    assert proposal.is_file()

    # terminal review from standard input: reject, undo it, accept, then quit
    run = ctkg("review", AID, data_dir=data_dir, stdin="r\nu\na\nq\n")
    out = _ok(run)
    assert "undone: reject of" in out and "1 accepted" in out
    # scripted: one rejection, then everything else
    rejected = "edition-participants"  # the edition's attendeeGroup: nothing else needs it
    _ok(ctkg("review", AID, "--decide", f"{rejected}=reject", data_dir=data_dir))
    out = _ok(ctkg("review", AID, "--accept-all", data_dir=data_dir))
    assert "1 rejected, 0 still proposed" in out

    stats = _ok(ctkg("review", "--stats", data_dir=data_dir))
    assert "| participants." in stats and "| **all** |" in stats
    log = [json.loads(line) for line in (data_dir / "curated" / "decisions.jsonl").open()]
    assert [r["action"] for r in log[:3]] == ["reject", "undo", "accept"]
    assert log[1]["undoes"] == log[0]["seq"]

    server = ServerProcess(data_dir, log_path=tmp_path / "server.log").start()
    try:
        api = f"{server.url}/api/queries/series-editions"
        params = {"series": f"{BASE}{SERIES}"}
        before = requests.get(api, params=params, headers={"Accept": "application/json"})
        assert before.status_code == 200, before.text
        assert before.json()["results"]["bindings"] == []

        out = _ok(ctkg("ingest", AID, data_dir=data_dir))
        assert out.startswith(f"ingested {AID}")

        def served() -> list:
            r = requests.get(api, params=params, headers={"Accept": "application/json"})
            return r.json()["results"]["bindings"]

        rows = wait_until(served, timeout=30)  # the running server, no restart
        assert rows[0]["year"]["value"] == "2019"
        assert rows[0]["hostProvince"]["value"] == f"{BASE}province/binh-duong"
    finally:
        server.stop()

    assert _edition_years(data_dir) == ["2019", "2020"]  # 2020: the hand-over designates it
    facts = data_dir / "curated" / "facts" / f"{AID}.yaml"
    assert facts.is_file() and (data_dir / "curated" / "sources" / f"article-{AID}.txt").is_file()
    assert f"id: {rejected}\n" not in facts.read_text(encoding="utf-8")  # the rejected fact

    from ctkg import KnowledgeGraph

    kg = KnowledgeGraph(str(data_dir))
    frame = kg.run("series-editions", series=f"id:{SERIES}")
    assert list(frame["year"].astype(str)) == ["2019", "2020"]

    app = make_app(data_dir)
    page = app.test_client().get(
        f"/id/{EDITION}", headers={"Accept": "text/html"}, follow_redirects=True
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Bình Dương" in html and "2019" in html


def _first_fact(proposal: Path, slot: str, subject: str = "") -> str:
    import yaml

    data = yaml.safe_load(proposal.read_text(encoding="utf-8"))
    return next(
        f["id"] for f in data["facts"] if f["slot"] == slot and f["subject"].startswith(subject)
    )


def test_reingest_replaces_the_articles_graph(data_dir):
    if not (data_dir / "curated" / "facts" / f"{AID}.yaml").is_file():
        pytest.fail("runs after the CLI workflow test (module order)")
    proposal = data_dir / "curated" / "proposals" / f"{AID}.yaml"
    obs = _first_fact(proposal, "indicator", "observation/")
    _ok(ctkg("review", AID, "--decide", f"{obs}=reject", data_dir=data_dir))
    out = _ok(ctkg("ingest", AID, "--no-reason", "-q", data_dir=data_dir))
    assert out.startswith(f"re-ingested {AID}")
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/ctkg/graph/article/"
        f"{AID}> {{ ?s ?p ?o }} }}"
    )
    n = json.loads(_ok(ctkg("query", query, "--format", "json", data_dir=data_dir)))
    assert int(n["results"]["bindings"][0]["n"]["value"]) > 0
    text = (data_dir / "curated" / "facts" / f"{AID}.yaml").read_text(encoding="utf-8")
    assert f"id: {obs}\n" not in text
    assert len(list((data_dir / "curated" / "facts").glob("*.yaml"))) == 1


# ------------------------------------------------------------------------------ refusals


def _refused(data_dir: Path, aid: str, message: str) -> None:
    current = _current(data_dir)
    layer = sorted(p.name for p in (data_dir / "curated").rglob("*") if "facts" in p.parts)
    run = ctkg("ingest", aid, "--no-reason", "-q", data_dir=data_dir)
    assert run.returncode != 0
    # one error: its first line says what; a build's refusal lists the problems under it
    assert run.stderr.count("ctkg ingest: error:") == 1 and message in run.stderr, run.stderr
    assert run.stderr.startswith("ctkg ingest: error:") and "Traceback" not in run.stderr
    assert _current(data_dir) == current  # the served build is untouched
    assert sorted(p.name for p in (data_dir / "curated").rglob("*") if "facts" in p.parts) == layer
    assert not list((data_dir / "curated").glob(".staging-*"))


OTHER = "2021-11-13-can-tho"


@pytest.fixture(scope="module")
def other_proposal_files(data_dir) -> dict[str, bytes]:
    """The Cần Thơ article's proposal, every fact accepted, as ``ctkg extract`` and ``ctkg
    review --accept-all`` leave it (run once: each test gets a fresh copy of the same files)."""
    _ok(ctkg("extract", str(ARTICLES / f"{OTHER}.txt"), "--force", data_dir=data_dir))
    _ok(ctkg("review", OTHER, "--accept-all", data_dir=data_dir))
    path = data_dir / "curated" / "proposals" / f"{OTHER}.yaml"
    files = {p.name: p.read_bytes() for p in (path, path.with_suffix(".txt"))}
    for name in files:
        (path.parent / name).unlink()
    return files


@pytest.fixture
def other_proposal(data_dir, other_proposal_files):
    """A fresh proposal of the Cần Thơ article, every fact accepted."""
    proposals = data_dir / "curated" / "proposals"
    for name, content in other_proposal_files.items():
        (proposals / name).write_bytes(content)
    path = proposals / f"{OTHER}.yaml"
    yield OTHER, path
    for p in (path, path.with_suffix(".txt")):
        p.unlink(missing_ok=True)


def test_invalid_yaml_is_refused_with_its_line(data_dir, other_proposal):
    aid, path = other_proposal
    path.write_text(path.read_text(encoding="utf-8") + "  note: [unclosed\n", encoding="utf-8")
    _refused(data_dir, aid, "invalid YAML")


def test_a_quote_off_its_offsets_is_refused(data_dir, other_proposal):
    aid, path = other_proposal
    text = path.read_text(encoding="utf-8")
    m = re.search(r"\n  start: (\d+)\n  end: (\d+)", text)
    moved = f"\n  start: {int(m[1]) + 1}\n  end: {int(m[2]) + 1}"
    path.write_text(text[: m.start()] + moved + text[m.end() :], encoding="utf-8")
    _refused(data_dir, aid, "the quote is not at")


def test_a_changed_text_is_refused(data_dir, other_proposal):
    aid, path = other_proposal
    txt = path.with_suffix(".txt")
    txt.write_text(txt.read_text(encoding="utf-8") + "\nthêm một dòng\n", encoding="utf-8")
    _refused(data_dir, aid, "changed since extraction")


def test_nothing_accepted_is_refused(data_dir, other_proposal):
    aid, path = other_proposal
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: accepted", "status: proposed")
    )
    _refused(data_dir, aid, "no accepted fact")


def test_facts_the_build_rejects_change_nothing(data_dir, other_proposal):
    aid, path = other_proposal
    text = path.read_text(encoding="utf-8")
    # an observation of an area nothing describes: the build's reference check refuses it
    path.write_text(text.replace("refArea: region/", "refArea: region/nowhere-", 1))
    _refused(data_dir, aid, "not ingested, nothing changed")


def test_an_unknown_proposal_is_one_message(data_dir):
    _refused(data_dir, "no-such-article", "no proposal")


def test_binary_and_empty_articles_propose_nothing(data_dir, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin1.txt").write_bytes(
        BINH_DUONG.read_text(encoding="utf-8").encode("cp1258", "replace")
    )
    before = sorted(p.name for p in (data_dir / "curated").glob("proposals/*"))
    for name, message in (("empty", "empty"), ("binary", "binary"), ("latin1", "UTF-8")):
        run = ctkg("extract", str(tmp_path / f"{name}.txt"), data_dir=data_dir)
        assert run.returncode != 0 and message in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1
    run = ctkg("extract", str(ARTICLES / "2021-03-12-gia-lua-gao.txt"), data_dir=data_dir)
    assert run.returncode != 0 and "not a report of a conference" in run.stderr
    assert sorted(p.name for p in (data_dir / "curated").glob("proposals/*")) == before


def test_review_refuses_bad_decisions_without_changing_the_proposal(data_dir, other_proposal):
    aid, path = other_proposal
    before = path.read_bytes()
    for args, message in (
        (["--decide", "no-such-fact=accept"], "no fact"),
        (["--decide", "series=maybe"], "accept or reject"),
        (["--edit", "series=props: [unclosed"], "not valid YAML"),
        (["--edit", "series=quote: not in the article at all"], "not verbatim"),
        (["--choose", "series:subject=organization/nobody"], "not a candidate"),
    ):
        run = ctkg("review", aid, *args, data_dir=data_dir)
        assert run.returncode != 0 and message in run.stderr, (args, run.stderr)
        assert len(run.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before
