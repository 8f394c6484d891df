"""End to end in headless Chromium (Debian's ``chromium``, driven by Playwright's Python API)
against the real server process (granian, ``helpers.ServerProcess``) on the real graph: the
landing page, the "who hosted which edition" example on the query page (Hải Phòng in the
results, the URL a permalink), an entity page's provenance link to the highlighted quote, and
phone-width pages. Screenshots go to ``test-artifacts/`` (gitignored)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ARTIFACTS, EDITION, ServerProcess


@pytest.fixture(scope="module")
def server(real_data_dir):
    process = ServerProcess(real_data_dir, {"CTKG_WORKERS": "1"}).start()
    yield process
    process.stop()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on(
        "requestfailed",
        lambda request: problems.append(f"request failed: {request.url}"),
    )
    tab.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((server.url, "data:", "blob:"))
            else problems.append(f"left the server: {request.url}")
        ),
    )
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
    assert not problems, problems


def shot(tab, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"web-{name}.png"
    tab.screenshot(path=str(path), full_page=full_page)
    return path


def test_landing_page(page, server):
    page.goto(server.url + "/")
    assert "Đồ thị tri thức Công Thương" in page.locator("h1").inner_text()
    assert page.locator('a[href="/query"]').first.is_visible()
    assert page.locator('a[href="/id/province/hai-phong"]').count() >= 1
    shot(page, "landing")
    page.click("text=EN")
    assert "Công Thương Knowledge Graph" in page.locator("h1").inner_text()


def test_who_hosted_which_edition_on_the_query_page(page, server):
    page.goto(server.url + "/query?lang=vi")
    assert page.locator("#examples").input_value() == "series-editions"
    assert "Hải Phòng" not in page.locator("#yasr").inner_text()
    page.click("#run")
    results = page.locator("#yasr")
    results.get_by_text("Hải Phòng").first.wait_for()
    assert "timeline" in page.url and "example=series-editions" in page.url
    shot(page, "query-timeline")
    # the table view, and the URL follows it
    page.locator(".yasr .select_table").click()
    page.locator(".yasr table").get_by_text("Hải Phòng").first.wait_for()
    assert "view=table" in page.url
    shot(page, "query-table")
    # the address is a permalink: opening it shows the same results in the same view
    permalink = page.url
    page.goto(permalink)
    page.locator(".yasr table").get_by_text("Hải Phòng").first.wait_for()
    # entity links in results open on this server
    link = page.locator('.yasr table a[href^="/id/province/hai-phong"]').first
    assert link.get_attribute("href") == "/id/province/hai-phong"


def test_indicator_chart(page, server):
    page.goto(server.url + "/query?example=indicator-observations&run=1&lang=vi")
    page.locator(".bars .bar-row").first.wait_for()
    assert page.locator(".bars .bar-row").count() == 5
    assert "14.9" in page.locator(".bars").inner_text()
    shot(page, "query-chart")


def test_provenance_link_leads_to_the_highlighted_quote(page, server):
    page.goto(server.url + EDITION + "?lang=vi")
    assert page.url.endswith("/page" + EDITION + "?lang=vi")  # the 303 from the IRI
    assert "lần thứ VI" in page.locator("h1").inner_text()
    # the header card's place carries the numbers of its sources; a number leads to its quote
    heldin = page.locator(".card-facts .fact", has=page.locator('a[href="/ontology#heldIn"]'))
    numbers = [a.get_attribute("href") for a in heldin.locator("sup.refs a").all()]
    note = next(page.locator(n) for n in numbers if page.locator(n + " a.prov-link").count())
    link = note.locator("a.prov-link")
    quote = note.locator(".quote").inner_text()
    target = link.get_attribute("href")
    assert "#ev-" in target
    shot(page, "entity")
    link.click()
    page.wait_for_url("**/page/id/article/**")
    anchor = target.split("#", 1)[1]
    assert page.url.endswith("#" + anchor)
    hits = page.locator(f'.q.hit[data-ev~="{anchor}"]')
    hits.first.wait_for()
    highlighted = "".join(hits.all_inner_texts())
    assert highlighted == quote
    assert hits.first.is_visible()
    box = hits.first.bounding_box()
    assert box and 0 <= box["y"] <= page.viewport_size["height"]  # scrolled to it
    assert page.locator(f"#card-{anchor}.hit").count() == 1
    shot(page, "article-quote")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("phone-landing", "/?lang=vi"),
        ("phone-entity", EDITION + "?lang=vi"),
        ("phone-article", "/id/article/2019-05-29-hai-phong?lang=vi#ev-edition-2019-held"),
        ("phone-query", "/query?example=series-editions&run=1&lang=vi"),
    ],
)
def test_phone_width(browser, server, name, path):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    tab = context.new_page()
    try:
        tab.goto(server.url + path)
        if "query" in name:
            tab.locator("#yasr").get_by_text("Hải Phòng").first.wait_for(timeout=10_000)
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name}: the page is {width}px wide on a 390px phone"
        shot(tab, name, full_page=name != "phone-article")
    finally:
        context.close()
