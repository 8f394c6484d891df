"""``/curate``, the web half of the curation workflow (issue 10's done-criterion).

In headless Chromium against a real server (granian) on a private build of the real graph: a
curator signs in with a write token, reviews a held-out test article (heldout-2's Đắk Lắk 2017,
a series the graph does not hold) — a rejection undone, then every fact accepted by clicking —,
ingests it from the page (the pending state, then the result), and sees the new edition on its
entity page and in ``series-editions`` on the query page, with no restart. The curation pages
pass axe-core in Vietnamese and English at 1280 px and 390 px and are no wider than a phone.

Request-level (Flask's test client on the same data): a read-only server refuses (403); no
session, a forged cookie or a wrong token gets 401; a POST with a missing or wrong CSRF token
or another Origin gets 403 and changes nothing; an unknown proposal is 404; decisions through
the page are the CLI's (``review.Review``: the same proposal file and ``decisions.jsonl``); an
ingest the build refuses shows its message and leaves the served build and the curated layer as
they were; the rest of the server stays public and read-only.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import requests
from helpers import ARTIFACTS, ServerProcess, make_app, wait_until

from ctkg.graph.curation.layout import Curated
from ctkg.graph.curation.pipeline import propose, write
from ctkg.graph.curation.resolver import Resolver

ROOT = Path(__file__).resolve().parent.parent
CURATION = ROOT / "tests" / "resources" / "curation"
HELD_OUT = CURATION / "heldout-2" / "articles" / "2017-08-13-dak-lak.txt"
AID = "2017-08-13-dak-lak"
SERIES = "series/hoi-nghi-nganh-cong-thuong-cac-tinh-tay-nguyen"
EDITION = f"edition/{SERIES.split('/', 1)[1]}/2017"
OTHER = CURATION / "articles" / "2021-11-13-can-tho.txt"
TOKEN = "curator-token-for-tests"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, copy_real_graph) -> Path:
    """A private copy of the real graph (written to) with the proposals extracted."""
    d = copy_real_graph(tmp_path_factory.mktemp("curate") / "data")
    resolver = Resolver.from_sources()
    for article in (HELD_OUT, OTHER):
        write(propose(article, resolver), Curated.of(d).proposals)
    return d


@pytest.fixture(scope="module")
def app(data_dir):
    return make_app(data_dir, update_tokens=TOKEN)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def _login(client) -> str:
    page = client.get("/curate/login")
    r = client.post(
        "/curate/login", data={"csrf": _csrf(page.get_data(as_text=True)), "token": TOKEN}
    )
    assert r.status_code == 303, r.get_data(as_text=True)
    return _csrf(client.get("/curate").get_data(as_text=True))


# ------------------------------------------------------------------------------ requests


def test_a_read_only_server_refuses_the_curation_pages(data_dir):
    client = make_app(data_dir).test_client()  # no CTKG_UPDATE_TOKENS
    for path in ("/curate", "/curate/login", f"/curate/{AID}"):
        assert client.get(path).status_code == 403, path
    assert client.post("/curate/login", data={"token": "x"}).status_code == 403


def test_no_session_a_forged_cookie_or_a_wrong_token_is_401(app):
    client = app.test_client()
    for path in ("/curate", f"/curate/{AID}", f"/curate/{AID}/ingest"):
        r = client.get(path, headers={"Accept": "text/html"})
        assert r.status_code == 401 and 'name="token"' in r.get_data(as_text=True), path
    assert client.post(f"/curate/{AID}/decide", data={"action": "undo"}).status_code == 401
    client.set_cookie("ctkg_curate", "eyJmIjoiMSJ9.forged", path="/curate")
    assert client.get("/curate").status_code == 401
    page = client.get("/curate/login")
    r = client.post(
        "/curate/login", data={"csrf": _csrf(page.get_data(as_text=True)), "token": "no"}
    )
    assert r.status_code == 401 and "ctkg_curate=" not in r.headers.get("Set-Cookie", "")


def test_the_session_cookie_is_httponly_strict_and_scoped(app):
    client = app.test_client()
    page = client.get("/curate/login")
    r = client.post(
        "/curate/login", data={"csrf": _csrf(page.get_data(as_text=True)), "token": TOKEN}
    )
    cookie = next(c for c in r.headers.getlist("Set-Cookie") if c.startswith("ctkg_curate="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/curate" in cookie
    assert client.get("/curate").status_code == 200
    # the session ends when its token is withdrawn
    other = make_app(app.config["CTKG_SETTINGS"].data_path, update_tokens="another")
    client2 = other.test_client()
    client2.set_cookie("ctkg_curate", cookie.split(";")[0].split("=", 1)[1], path="/curate")
    assert client2.get("/curate").status_code == 401


def test_bad_csrf_is_403_and_changes_nothing(app, data_dir):
    client = app.test_client()
    csrf = _login(client)
    proposal = Curated.of(data_dir).proposal(AID)
    before = proposal.read_bytes()
    url = f"/curate/{AID}/decide"
    for data, headers in (
        ({"action": "reject", "fact": "series"}, {}),
        ({"action": "reject", "fact": "series", "csrf": "wrong"}, {}),
        ({"action": "reject", "fact": "series", "csrf": csrf}, {"Origin": "https://evil.example"}),
    ):
        assert client.post(url, data=data, headers=headers).status_code == 403, (data, headers)
    assert client.post(f"/curate/{AID}/ingest", data={"csrf": "x"}).status_code == 403
    assert client.post("/curate/login", data={"token": TOKEN, "csrf": "x"}).status_code == 403
    assert proposal.read_bytes() == before


def test_an_unknown_proposal_is_404(app):
    client = app.test_client()
    csrf = _login(client)
    assert client.get("/curate/no-such-article").status_code == 404
    r = client.post("/curate/no-such-article/decide", data={"csrf": csrf, "action": "undo"})
    assert r.status_code == 404
    r = client.post("/curate/no-such-article/ingest", data={"csrf": csrf})
    assert r.status_code == 404


def test_web_decisions_are_the_clis(app, data_dir):
    """Accept, a refused edit (one message, nothing changed), an edit, undo: the same proposal
    file and the same log as ``ctkg review``."""
    aid = "2021-11-13-can-tho"
    client = app.test_client()
    csrf = _login(client)
    curated = Curated.of(data_dir)
    log = curated.decisions
    seen = len(log.read_text().splitlines()) if log.is_file() else 0
    url = f"/curate/{aid}/decide"
    r = client.post(url, data={"csrf": csrf, "action": "accept", "fact": "series"})
    assert r.status_code == 303 and r.headers["Location"].endswith("#fact-series")
    before = curated.proposal(aid).read_bytes()
    bad = {"csrf": csrf, "action": "edit", "fact": "series", "yaml": "quote: not in the text"}
    r = client.post(url, data=bad)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "not verbatim" in html and "Traceback" not in html
    assert curated.proposal(aid).read_bytes() == before
    # the edit box holds the fact's values as YAML: sent back unchanged, they stand
    page = client.get(f"/curate/{aid}").get_data(as_text=True)
    box = re.search(r'<textarea id="yaml-edition"[^>]*>([^<]*)</textarea>', page)[1]
    assert box.startswith("props:\n") and "partOfSeries:" in box
    import html as html_lib

    r = client.post(
        url,
        data={"csrf": csrf, "action": "edit", "fact": "edition", "yaml": html_lib.unescape(box)},
    )
    assert r.status_code == 303
    assert client.post(url, data={"csrf": csrf, "action": "undo"}).status_code == 303
    r = client.post(url, data={"csrf": csrf, "action": "undo"})
    assert r.status_code == 303
    records = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()[seen:]]
    assert [(x["action"], x["fact"], x["by"]) for x in records] == [
        ("accept", "series", "web"),
        ("edit", "edition", "web"),
        ("undo", "edition", "web"),
        ("undo", "series", "web"),
    ]
    assert records[3]["undoes"] == records[0]["seq"]
    page = client.get(f"/curate/{aid}").get_data(as_text=True)
    assert 'id="fact-series" data-status="proposed"' in page


def test_an_ingest_the_build_refuses_is_a_message_and_changes_nothing(app, data_dir):
    aid = "2021-11-13-can-tho"
    curated = Curated.of(data_dir)
    client = app.test_client()
    csrf = _login(client)
    path = curated.proposal(aid)
    original = path.read_text(encoding="utf-8")
    text = original.replace("status: proposed", "status: accepted")
    # an observation of an area nothing describes: the build's reference check refuses it
    path.write_text(text.replace("refArea: region/", "refArea: region/nowhere-", 1))
    current = os.readlink(data_dir / "current")
    layer = sorted(p.name for p in curated.root.rglob("*") if "facts" in p.parts)
    try:
        r = client.post(f"/curate/{aid}/ingest", data={"csrf": csrf, "no_reason": "1"})
        assert r.status_code == 303 and r.headers["Location"].endswith(f"/curate/{aid}/ingest")
        pending = client.get(f"/curate/{aid}/ingest").get_data(as_text=True)
        assert 'data-state="running"' in pending or 'data-state="failed"' in pending

        def finished():
            job = client.get(f"/curate/{aid}/ingest?format=json").get_json()
            return job if job.get("state") != "running" else None

        job = wait_until(finished, timeout=120, interval=0.5)
        assert job["state"] == "failed"
        assert job["message"].startswith("not ingested, nothing changed"), job
        assert "nowhere-" in job["message"] and "Traceback" not in job["message"]
        html = client.get(f"/curate/{aid}/ingest").get_data(as_text=True)
        assert 'id="ingest-error"' in html and "not ingested, nothing changed" in html
        assert os.readlink(data_dir / "current") == current
        assert sorted(p.name for p in curated.root.rglob("*") if "facts" in p.parts) == layer
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_client_that_is_no_browser_gets_the_servers_error_and_may_use_a_bearer_token(
    app, data_dir
):
    """A 401/403/404 is the sign-in page for a browser, the server's JSON (or text) error for a
    client that sends an ``Accept`` without HTML or a bearer header (before: always the page);
    ``Authorization: Bearer`` with a write token is a session, as on the other write endpoints,
    and its POSTs need no CSRF token (a cross-site form cannot send that header)."""
    client = app.test_client()
    r = client.get("/curate", headers={"Accept": "application/json"})
    assert r.status_code == 401 and r.is_json and r.get_json()["status"] == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert 'name="token"' not in r.get_data(as_text=True)
    r = client.get(f"/curate/{AID}", headers={"Accept": "text/plain"})
    assert r.status_code == 401 and r.mimetype == "text/plain"
    r = client.get("/curate", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.is_json and "not valid" in r.get_json()["message"]
    assert client.get("/curate", headers={"Authorization": "Basic x"}).status_code == 401
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/curate", headers=bearer).status_code == 200
    r = client.get("/curate/no-such-article", headers=bearer)
    assert r.status_code == 404 and r.is_json
    read_only = make_app(data_dir).test_client()
    r = read_only.get("/curate", headers=bearer)
    assert r.status_code == 403 and r.is_json
    # a decision and its undo with the bearer header, no CSRF token: the CLI's log, by web
    aid = "2021-11-13-can-tho"
    log = Curated.of(data_dir).decisions
    seen = len(log.read_text().splitlines()) if log.is_file() else 0
    url = f"/curate/{aid}/decide"
    r = client.post(url, data={"action": "accept", "fact": "series"}, headers=bearer)
    assert r.status_code == 303
    assert client.post(url, data={"action": "undo"}, headers=bearer).status_code == 303
    records = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()[seen:]]
    assert [(x["action"], x["fact"]) for x in records] == [("accept", "series"), ("undo", "series")]
    # a cookie session still needs its CSRF token
    _login(client)
    assert client.post(url, data={"action": "undo"}).status_code == 403


def test_the_rest_of_the_server_stays_public_and_read_only(app):
    client = app.test_client()
    assert client.get("/", headers={"Accept": "text/html"}).status_code == 200
    r = client.post(
        "/sparql",
        data="INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 401  # the session cookie is no bearer token (and is never sent here)


# ------------------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def server(data_dir):
    process = ServerProcess(data_dir, {"CTKG_UPDATE_TOKENS": TOKEN, "CTKG_WORKERS": "2"}).start()
    yield process
    process.stop()


def _axe(tab) -> list:
    tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return tab.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(v => ({id: v.id, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )


def _shot(tab, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"curate-{name}.png"))


def _sign_in(tab, server) -> None:
    tab.goto(server.url + "/curate")
    assert tab.locator("#curate-token").count() == 1
    tab.fill("#curate-token", TOKEN)
    tab.locator("form.curate-login button[type=submit]").click()
    tab.wait_for_url(server.url + "/curate")


def test_review_and_ingest_a_held_out_article_in_the_browser(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # before: the series has no edition
        api = f"{server.url}/api/queries/series-editions"
        params = {"series": f"https://w3id.org/ctkg/id/{SERIES}"}
        before = requests.get(api, params=params, headers={"Accept": "application/json"})
        assert before.json()["results"]["bindings"] == []

        _sign_in(tab, server)
        tab.locator(f"#proposal-{AID} a").click()
        tab.wait_for_url(f"**/curate/{AID}")
        # the quote of a fact is highlighted in the source text and in its card
        card = tab.locator("#fact-edition")
        assert card.locator("mark").inner_text() in tab.locator(".curate-text").inner_text()
        assert tab.locator(".curate-text a.q[data-ev~='q-edition']").count() >= 1
        _shot(tab, "proposal")
        # reject, then undo
        tab.locator("#fact-edition-participants button.reject").click()
        tab.wait_for_url("**done=reject**")
        assert tab.locator("#fact-edition-participants").get_attribute("data-status") == "rejected"
        tab.locator("#undo").click()
        tab.wait_for_url("**done=undo**")
        assert tab.locator("#fact-edition-participants").get_attribute("data-status") == "proposed"
        # accept every fact, one click each
        pending = tab.locator(".fact-card[data-status=proposed] button.accept")
        clicks = 0
        while pending.count():
            pending.first.click()
            tab.wait_for_load_state()
            clicks += 1
            assert clicks < 200
        assert tab.locator(".fact-card[data-status=accepted]").count() == clicks
        # ingest (without the reasoner, to keep the test short): pending, then done
        tab.locator("input[name=no_reason]").check()
        tab.locator("#ingest").click()
        tab.wait_for_url(f"**/curate/{AID}/ingest")
        state = tab.locator("#ingest-state").get_attribute("data-state")
        assert state in ("running", "done"), state
        _shot(tab, "ingest-pending")
        tab.locator("#see-edition").wait_for(timeout=180_000)
        assert "ingested" in tab.locator("#ingest-state").inner_text()
        _shot(tab, "ingest-done")
        tab.locator("#see-edition").click()
        tab.wait_for_url(f"**/page/id/{EDITION}**")
        assert "2017" in tab.locator("h1").inner_text()
        assert "Đắk Lắk" in tab.locator("main").inner_text()
        # series-editions, on the query page of the running server (no restart)
        tab.goto(f"{server.url}/query?example=series-editions&series=id:{SERIES}&run=1")
        tab.locator("#yasr").get_by_text("Đắk Lắk").first.wait_for()
        rows = requests.get(api, params=params, headers={"Accept": "application/json"})
        years = [b["year"]["value"] for b in rows.json()["results"]["bindings"]]
        assert "2017" in years, years
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_curation_pages_are_accessible_at_both_widths(browser, server, lang, width):
    context = browser.new_context(
        viewport={"width": width, "height": 844}, locale="vi-VN" if lang == "vi" else "en-GB"
    )
    context.add_cookies([{"name": "ctkg_lang", "value": lang, "url": server.url}])
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    try:
        found = {}
        tab.goto(server.url + "/curate/login")
        found["login"] = (_axe(tab), tab.evaluate("document.documentElement.scrollWidth"))
        _sign_in(tab, server)
        for name, path in (
            ("list", "/curate"),
            ("proposal", "/curate/2021-11-13-can-tho"),
            ("ingest", "/curate/2021-11-13-can-tho/ingest"),
        ):
            tab.goto(server.url + path)
            assert tab.evaluate("document.documentElement.lang") == lang
            found[name] = (_axe(tab), tab.evaluate("document.documentElement.scrollWidth"))
            _shot(tab, f"{name}-{lang}-{width}")
        for name, (violations, scroll) in found.items():
            assert not violations, (name, lang, width, violations)
            assert scroll <= width, (name, lang, width, scroll)
    finally:
        context.close()
