"""OpenRefine (Debian's `openrefine`, a real Reconciliation API client) reconciles a small CSV of
provinces against a running `ctkg serve`, driven headless through OpenRefine's own HTTP API:
create a project from the CSV, reconcile its column against the service's `/reconcile` with type
`province`, wait for the job, read the rows. Exact names (with a prefix, without diacritics)
come back matched to the units valid today; a misspelling gets candidates and no match.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess

import requests
from helpers import free_port, tool, wait_until

CSV = "tinh\nTP. Hải Phòng\nthai nguyen\nHà Nội\nHai Phongg\n"


def _start_openrefine(workspace, log):
    port = free_port()
    process = subprocess.Popen(
        [
            tool("openrefine"),
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-d",
            str(workspace),
            "-x",
            "refine.headless=true",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"

    def up():
        if process.poll() is not None:
            raise RuntimeError("openrefine exited")
        try:
            return requests.get(url + "/command/core/get-csrf-token", timeout=2).ok
        except requests.RequestException:
            return False

    try:
        wait_until(up, timeout=180, interval=0.5)
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    return process, url


def test_openrefine_reconciles_provinces(real_data_dir, server_factory, tmp_path):
    server = server_factory(real_data_dir)
    log = open(tmp_path / "openrefine.log", "wb")  # noqa: SIM115 - the child's
    process, refine = _start_openrefine(tmp_path / "workspace", log)
    try:
        s = requests.Session()

        def token() -> str:
            return s.get(refine + "/command/core/get-csrf-token").json()["token"]

        options = {"separator": ",", "headerLines": 1, "encoding": "UTF-8"}
        r = s.post(
            refine + "/command/core/create-project-from-upload",
            params={"csrf_token": token()},
            files={"project-file": ("provinces.csv", CSV.encode(), "text/csv")},
            data={
                "project-name": "provinces",
                "format": "text/line-based/*sv",
                "options": json.dumps(options),
            },
            allow_redirects=False,
        )
        assert r.status_code == 302, r.text
        project = r.headers["Location"].split("project=")[1]
        manifest = requests.get(server.url + "/reconcile").json()
        config = {
            "mode": "standard-service",
            "service": server.url + "/reconcile",
            "identifierSpace": manifest["identifierSpace"],
            "schemaSpace": manifest["schemaSpace"],
            "type": {"id": "province", "name": "Province"},
            "autoMatch": True,
            "columnDetails": [],
            "limit": 0,
        }
        r = s.post(
            refine + "/command/core/reconcile",
            params={"project": project, "csrf_token": token()},
            data={
                "columnName": "tinh",
                "config": json.dumps(config),
                "engine": json.dumps({"facets": [], "mode": "row-based"}),
            },
        )
        assert r.status_code == 200 and "error" not in r.text, r.text

        def done():
            p = s.get(refine + "/command/core/get-processes", params={"project": project})
            return not p.json().get("processes")

        wait_until(done, timeout=120, interval=0.5)
        rows = s.post(
            refine + "/command/core/get-rows",
            params={"project": project, "start": 0, "limit": 50},
        ).json()
        recons = rows["pool"]["recons"]
        got = {}
        for row in rows["rows"]:
            cell = row["cells"][0]
            rec = recons[str(cell["r"])]
            got[cell["v"]] = (
                rec["j"],
                (rec.get("m") or {}).get("id"),
                [c["id"] for c in rec.get("c", [])],
            )
        assert got["TP. Hải Phòng"][:2] == ("matched", "province/hai-phong-2025")
        assert got["thai nguyen"][:2] == ("matched", "province/thai-nguyen-2025")
        assert got["Hà Nội"][:2] == ("matched", "province/ha-noi")
        assert got["Hai Phongg"][0] == "none" and "province/hai-phong-2025" in got["Hai Phongg"][2]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        log.close()
