"""Reconciliation: the W3C Reconciliation API v0.2 at /reconcile and `ctkg reconcile` offline.

On the real graph: the manifest (versions, spaces, default types, view and preview templates);
a batch of queries with the resolver's exact unique matches (`match: true`, score 100: "TP. Hải
Phòng", "thai nguyen" without diacritics) and candidates only for a misspelling (never a match);
provinces by date (2019 names vs the 2025 units); types; the preview card; CORS on GET, POST and
the preflight; bad batches are a 400 with a message. Offline, `ctkg reconcile CSV --column` adds
the match columns, and a missing column is one message and a non-zero exit.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_app

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/ctkg/"


@pytest.fixture(scope="module")
def client(real_data_dir):
    return make_app(real_data_dir).test_client()


def _batch(client, queries: dict, method: str = "post") -> dict:
    payload = {"queries": json.dumps(queries)}
    if method == "post":
        r = client.post("/reconcile", data=payload, headers={"Origin": "http://refine.example"})
    else:
        r = client.get("/reconcile", query_string=payload)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    return r.get_json()


def test_manifest(client):
    r = client.get("/reconcile")
    m = r.get_json()
    assert r.status_code == 200 and m["versions"] == ["0.2"]
    assert m["identifierSpace"] == BASE + "id/" and m["schemaSpace"] == BASE + "ontology#"
    assert {t["id"] for t in m["defaultTypes"]} == {"province", "organization", "person"}
    assert m["view"]["url"].endswith("/id/{{id}}") and "{{id}}" in m["preview"]["url"]


def test_batch_matches_and_candidates(client):
    out = _batch(
        client,
        {
            "q0": {
                "query": "TP. Hải Phòng",
                "type": "province",
                "properties": [{"pid": "date", "v": "2019-05-24"}],
            },
            "q1": {
                "query": "thai nguyen",
                "type": "province",
                "limit": 2,
                "properties": [{"pid": "date", "v": "2019-05-24"}],
            },
            "q2": {"query": "Hai Phongg", "type": "province"},
            "q3": {"query": "Bộ Công Thương", "type": "organization"},
            "q4": {"query": "Đặng Hoàn An", "type": "person"},
            "q5": {"query": "Hải Phòng", "type": "province"},
        },
    )
    top = {q: (v["result"][0] if v["result"] else None) for q, v in out.items()}
    assert top["q0"]["id"] == "province/hai-phong" and top["q0"]["match"] is True
    assert top["q0"]["score"] == 100 and top["q0"]["type"][0]["id"] == "province"
    assert top["q1"]["id"] == "province/thai-nguyen" and top["q1"]["match"] is True
    assert len(out["q1"]["result"]) <= 2
    assert top["q2"]["match"] is False and top["q2"]["id"].startswith("province/hai-phong")
    assert top["q3"]["id"] == "organization/bo-cong-thuong" and top["q3"]["match"] is True
    # one letter from a known official: a candidate, not a link
    assert top["q4"]["id"] == "person/dang-hoang-an" and top["q4"]["match"] is False
    assert top["q5"]["id"] == "province/hai-phong-2025"  # today: the 2025 unit


def test_get_batch_preview_and_preflight(client):
    out = _batch(client, {"q0": {"query": "Nghệ An"}}, method="get")
    assert out["q0"]["result"][0]["id"].startswith("province/nghe-an")
    page = client.get("/reconcile/preview?id=province/hai-phong")
    assert page.status_code == 200 and "Hải Phòng" in page.get_data(as_text=True)
    pre = client.options(
        "/reconcile",
        headers={"Origin": "http://refine.example", "Access-Control-Request-Method": "POST"},
    )
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        ("{not json", "not JSON"),
        ("[]", "must be an object"),
        ('{"q0": {"type": "province"}}', "needs a 'query'"),
        ('{"q0": {"query": "x", "type": "planet"}}', "unknown type"),
    ],
)
def test_bad_batches_are_400(client, queries, message):
    r = client.post("/reconcile", data={"queries": queries})
    assert r.status_code == 400 and message in r.get_data(as_text=True)


def _ctkg(*args, data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTKG_")}
    env["CTKG_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "ctkg.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_offline_csv(real_data_dir, tmp_path):
    src = tmp_path / "provinces.csv"
    src.write_text("tinh,note\nTP. Hải Phòng,a\nthai nguyen,b\nHai Phongg,c\nNowhere,d\n")
    run = _ctkg(
        "reconcile",
        str(src),
        "--column",
        "tinh",
        "--type",
        "province",
        "--date",
        "2019-05-24",
        data_dir=real_data_dir,
    )
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [r["tinh_match"] for r in rows] == [
        BASE + "id/province/hai-phong",
        BASE + "id/province/thai-nguyen",
        "",
        "",
    ]
    assert [r["tinh_status"].split(":")[0] for r in rows] == [
        "matched",
        "matched",
        "candidates",
        "none",
    ]
    assert rows[0]["note"] == "a"
    assert "2 matched, 1 with candidates only, 1 without" in run.stderr
    bad = _ctkg("reconcile", str(src), "--column", "nope", data_dir=real_data_dir)
    assert bad.returncode != 0 and "no column 'nope'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
