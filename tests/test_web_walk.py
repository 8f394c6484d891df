"""Every kind of page, as people use it, in headless Chromium at 1280 px and 390 px, in
Vietnamese and English: axe-core finds no accessibility violation, nothing is wider than a
phone, the search box and "cite this" are there, and a screenshot of each is saved in
``test-artifacts/walk-<kind>-<lang>-<width>.png``. Then the tasks of issue 13: find Hải Phòng by
typing "hai phong" without diacritics; the 2019 edition's date and place on a phone's first
screen; incoming links read as inverses; a syntax error marked in the query editor; and the
bytes a page costs over the wire (``/query`` under 400 KB, an entity page under 30 KB).

The four variants of a page load side by side (one browser, four contexts, Playwright's async
API), so the walk costs about one page load per kind. axe-core is vendored in
``tests/vendor/axe-core`` (npm ``axe-core``; ``package.json`` pins it).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from helpers import ARTIFACTS, EDITION, ServerProcess, chromium_launch

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PERSON = "/id/person/dang-hoang-an"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
VARIANTS = [(lang, width) for lang in ("vi", "en") for width in WIDTHS]

# page kind -> path (every kind the site serves to people)
KINDS = {
    "landing": "/",
    "edition": EDITION,
    "person": PERSON,
    "province": "/id/province/hai-phong",
    "region": "/id/region/red-river-delta",
    "indicator": "/id/indicator/export-turnover",
    "organization": "/id/organization/bo-cong-thuong",
    "article": "/id/article/2019-05-29-hai-phong",
    "search": "/search?q=hai+phong",
    "browse": "/browse/provinces",
    "query": "/query?example=series-editions&run=1",
    "sparql": "/sparql",
    "graph": "/graph/meta",
    "ontology": "/ontology",
    "void": "/.well-known/void",
    "dumps": "/dumps/",
    "not-found": "/id/person/nobody",
}


@pytest.fixture(scope="module")
def server(real_data_dir):
    process = ServerProcess(real_data_dir, {"CTKG_WORKERS": "2"}).start()
    yield process
    process.stop()


class Browser:
    """One Chromium for the module, driven from one event loop."""

    def __init__(self):
        from playwright.async_api import async_playwright

        options = chromium_launch()  # before the loop starts: a missing Chromium fails or skips
        self.loop = asyncio.new_event_loop()
        self.playwright = self.run(async_playwright().start())
        self.browser = self.run(self.playwright.chromium.launch(**options))

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    def close(self):
        self.run(self.browser.close())
        self.run(self.playwright.stop())
        self.loop.close()

    async def context(self, server, lang: str, width: str):
        w, h = WIDTHS[width]
        phone = width == "phone"
        context = await self.browser.new_context(
            viewport={"width": w, "height": h},
            device_scale_factor=2 if phone else 1,
            is_mobile=phone,
            has_touch=phone,
            locale="vi-VN" if lang == "vi" else "en-GB",
        )
        await context.add_cookies([{"name": "ctkg_lang", "value": lang, "url": server.url}])
        left: list[str] = []

        def on_request(request):
            if not request.url.startswith((server.url, "data:", "blob:")):
                left.append(request.url)

        context.on("request", on_request)
        context.left = left
        return context


@pytest.fixture(scope="module")
def chromium():
    browser = Browser()
    yield browser
    browser.close()


async def axe_violations(tab) -> list[dict]:
    await tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = await tab.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ["violations"]});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }"""
    )
    return result


def shot_path(kind: str, lang: str, width: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"walk-{kind}-{lang}-{width}.png"


@pytest.fixture(scope="module")
def tabs(chromium, server):
    """One tab per (language, width), kept for the whole walk."""

    async def open_all():
        found = {}
        for lang, width in VARIANTS:
            context = await chromium.context(server, lang, width)
            tab = await context.new_page()
            tab.errors = []
            tab.on("pageerror", lambda error, tab=tab: tab.errors.append(str(error)))
            found[(lang, width)] = (context, tab)
        return found

    found = chromium.run(open_all())
    yield found

    async def close_all():
        for context, _ in found.values():
            await context.close()

    chromium.run(close_all())


async def _visit(server, context, tab, kind: str, path: str, lang: str, width: str) -> dict:
    tab.errors.clear()
    context.left.clear()
    response = await tab.goto(server.url + path)
    status = response.status if response else 0
    if kind == "query":
        name = "Hải Phòng" if lang == "vi" else "Hai Phong"
        await tab.locator("#yasr").get_by_text(name).first.wait_for(timeout=15_000)
    overflow = await tab.evaluate("document.documentElement.scrollWidth")
    facts = await tab.evaluate(
        """() => ({
          search: !!document.querySelector('header form[role=search] input[type=search]'),
          cite: !!document.querySelector('details.cite'),
          lang: document.documentElement.lang
        })"""
    )
    await tab.screenshot(path=str(shot_path(kind, lang, width)))
    violations = await axe_violations(tab)
    return {
        "status": status,
        "overflow": overflow,
        "violations": violations,
        "errors": list(tab.errors),
        "left": list(context.left),
        **facts,
    }


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_page_kind_in_both_languages_at_both_widths(chromium, server, tabs, kind):
    async def walk():
        return await asyncio.gather(
            *(
                _visit(server, *tabs[(lang, width)], kind, KINDS[kind], lang, width)
                for lang, width in VARIANTS
            )
        )

    results = chromium.run(walk())
    for (lang, width), found in zip(VARIANTS, results, strict=True):
        where = f"{kind} {lang} {width}"
        wanted = 404 if kind == "not-found" else 200
        assert found["status"] == wanted, where
        assert found["lang"] == lang, where
        assert found["search"] and found["cite"], where
        assert not found["errors"], (where, found["errors"])
        assert not found["left"], (where, found["left"])
        if width == "phone":
            assert found["overflow"] <= 390, f"{where}: {found['overflow']}px wide"
        assert not found["violations"], (where, json.dumps(found["violations"], indent=1))


# --- the tasks ------------------------------------------------------------------------------


def _each_variant(chromium, server, job):
    """Run ``job(tab, lang, width)`` in a fresh context per variant, side by side."""

    async def one(lang, width):
        context = await chromium.context(server, lang, width)
        try:
            tab = await context.new_page()
            tab.set_default_timeout(15_000)
            return await job(tab, lang, width)
        finally:
            await context.close()

    async def every():
        return await asyncio.gather(*(one(lang, width) for lang, width in VARIANTS))

    return chromium.run(every())


def test_search_finds_hai_phong_typed_without_diacritics(chromium, server):
    async def job(tab, lang, width):
        await tab.goto(server.url + "/browse/editions")
        box = tab.locator("header input[type=search]")
        await box.click()
        async with tab.expect_response(lambda r: "q=hai%20phong" in r.url) as answer:
            await box.press_sequentially("hai phong", delay=20)
        await (await answer.value).finished()
        option = tab.locator("ul.suggestions [role=option]").first
        await option.wait_for()
        await tab.wait_for_timeout(50)  # the list is drawn from that answer
        first = await option.locator(".s-label").inner_text()
        assert await box.get_attribute("aria-expanded") == "true"
        await tab.screenshot(path=str(shot_path("search-suggest", lang, width)))
        await box.press("ArrowDown")
        assert await option.get_attribute("aria-selected") == "true"
        await box.press("Enter")
        await tab.wait_for_url("**/page/id/province/hai-phong**")
        return first, await tab.locator("h1").inner_text()

    for (lang, width), (first, title) in zip(
        VARIANTS, _each_variant(chromium, server, job), strict=True
    ):
        wanted = "Hải Phòng" if lang == "vi" else "Hai Phong"
        assert first == wanted and title == wanted, (lang, width, first, title)


def test_the_2019_edition_date_and_place_are_on_the_first_screen(chromium, server):
    async def job(tab, lang, width):
        await tab.goto(server.url + EDITION)
        height = WIDTHS[width][1]
        found = {}
        card = tab.locator(".card-facts")
        date = card.locator("time[datetime='2019-05-24']")
        place = card.locator("a[href='/id/province/hai-phong']").first
        for name, node in (("date", date), ("place", place)):
            box = await node.bounding_box()
            found[name] = (await node.inner_text(), box and box["y"] + box["height"] <= height)
        return found

    for (lang, width), found in zip(VARIANTS, _each_variant(chromium, server, job), strict=True):
        date, date_seen = found["date"]
        place, place_seen = found["place"]
        assert date == ("24 tháng 5 năm 2019" if lang == "vi" else "24 May 2019"), (lang, date)
        assert place == ("Hải Phòng" if lang == "vi" else "Hai Phong"), (lang, place)
        assert date_seen and place_seen, (lang, width, found)


def test_incoming_links_read_as_inverses(chromium, server):
    async def job(tab, lang, width):
        await tab.goto(server.url + PERSON)
        rows = tab.locator(".prop.incoming")
        directed = rows.filter(has=tab.locator('a[href="/ontology#directedBy"]'))
        label = await directed.locator("dt a").first.inner_text()
        editions = await directed.locator("dd a").all_inner_texts()
        await tab.goto(server.url + "/id/province/hai-phong")
        region = tab.locator(".card-facts .fact").filter(
            has=tab.locator('a[href="/id/region/red-river-delta"]')
        )
        return label, editions, await region.locator("dt").inner_text()

    for (lang, width), (label, editions, region) in zip(
        VARIANTS, _each_variant(chromium, server, job), strict=True
    ):
        assert label == ("đã chỉ đạo" if lang == "vi" else "directed"), (lang, width, label)
        assert any("2019" in e for e in editions), editions
        assert region == ("Vùng" if lang == "vi" else "Region"), (lang, region)


BUDGETS = {  # page -> most bytes transferred, the page and everything it loads (fresh cache)
    "/query": 400_000,
    EDITION: 30_000,
    "/id/province/hai-phong": 30_000,
    "/": 30_000,
}


def test_transfer_budgets(chromium, server):
    async def cost(lang, width, path):
        context = await chromium.context(server, lang, width)  # a fresh cache
        try:
            tab = await context.new_page()
            await tab.goto(server.url + path, wait_until="networkidle")
            return await tab.evaluate(
                """() => performance.getEntriesByType('navigation')
                   .concat(performance.getEntriesByType('resource'))
                   .reduce((sum, e) => sum + e.transferSize, 0)"""
            )
        finally:
            await context.close()

    async def every():
        # the bytes do not depend on the width: each language once, one at each width
        variants = [("vi", "desktop"), ("en", "phone")]
        jobs = [(lang, width, path) for lang, width in variants for path in BUDGETS]
        spent = await asyncio.gather(*(cost(*job) for job in jobs))
        return dict(zip(jobs, spent, strict=True))

    spent = chromium.run(every())
    report = {f"{lang}-{width} {path}": n for (lang, width, path), n in spent.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "transfer-budgets.json").write_text(json.dumps(report, indent=1))
    for (lang, width, path), n in spent.items():
        assert 0 < n <= BUDGETS[path], (lang, width, path, n, BUDGETS[path])


# --- the query page explains itself (issue 13) ----------------------------------------------

BAD_QUERY = "SELECT * WHERE {\n  ?s ?p ?o\n} LIMT 3"


def _editor_text(tab):
    return tab.evaluate("document.querySelector('#yasqe .CodeMirror').CodeMirror.getValue()")


def test_a_syntax_error_is_said_in_the_language_and_marked_in_the_editor(chromium, server):
    from urllib.parse import quote

    async def job(tab, lang, width):
        await tab.goto(server.url + "/query?run=1&query=" + quote(BAD_QUERY))
        box = tab.locator("#query-error")
        await box.wait_for(state="visible")
        head = await box.locator(".error-head").inner_text()
        mark = tab.locator("#yasqe .CodeMirror .error-mark").first
        await mark.wait_for()
        found = {
            "head": head,
            "marked": await mark.inner_text(),
            "line": await mark.get_attribute("data-line"),
            "error_lines": await tab.locator("#yasqe .CodeMirror .error-line").count(),
            "raw_json_shown": await tab.locator("#yasr").is_visible(),
        }
        await tab.screenshot(path=str(shot_path("query-syntax-error", lang, width)))
        return found

    for (lang, width), found in zip(VARIANTS, _each_variant(chromium, server, job), strict=True):
        start = "Lỗi cú pháp ở dòng 3, cột" if lang == "vi" else "Syntax error at line 3, column"
        assert found["head"].startswith(start), (lang, width, found)
        assert ("LIMIT" in found["head"]) or ("OFFSET" in found["head"]), found
        assert found["line"] == "3" and found["error_lines"] == 1, found
        assert found["marked"].strip() in ("LIMT", "3", "LIMT 3"), found
        assert not found["raw_json_shown"], found


def test_parameter_fields_bind_the_named_query_and_the_url_carries_them(chromium, server):
    async def job(tab, lang, width):
        await tab.goto(server.url + "/query?example=province-editions&run=1")
        field = tab.locator("#param-province")
        await field.fill("id:province/thanh-hoa")
        await tab.locator("#params button[type=submit]").click()
        await tab.wait_for_url("**province=id%3Aprovince%2Fthanh-hoa**")
        name = "Thanh Hóa" if lang == "vi" else "Thanh Hoa"
        await tab.locator("#yasr").get_by_text(name).first.wait_for()
        text = await _editor_text(tab)
        others = await tab.locator("#yasr").get_by_text("Hải Phòng", exact=True).count()
        await tab.screenshot(path=str(shot_path("query-params", lang, width)))
        await tab.goto(server.url + "/query?example=province-editions&province=not+an+iri")
        error = await tab.locator("#param-error").inner_text()
        return text, others, error, tab.url

    for (lang, width), (text, others, error, _url) in zip(
        VARIANTS, _each_variant(chromium, server, job), strict=True
    ):
        assert "<https://w3id.org/ctkg/id/province/thanh-hoa>" in text, (lang, width)
        assert "?province ctkg" not in text  # the variable is bound, not free
        assert others == 0, (lang, width, others)
        assert "province" in error and "not an IRI" in error, error


def test_the_edited_query_survives_a_language_switch(chromium, server):
    edited = (
        "# mine\nSELECT ?edition WHERE {\n"
        "  ?edition a <https://w3id.org/ctkg/ontology#ConferenceEdition>\n}"
    )

    async def job(tab, lang, width):
        await tab.goto(server.url + "/query?example=series-editions")
        await tab.evaluate(
            "t => document.querySelector('#yasqe .CodeMirror').CodeMirror.setValue(t)", edited
        )
        other = "en" if lang == "vi" else "vi"
        await tab.locator(f".lang-switch a[hreflang={other}]").click()
        await tab.wait_for_url(f"**lang={other}**")
        await tab.locator("#yasqe .CodeMirror").wait_for()
        return await _editor_text(tab), await tab.evaluate("document.documentElement.lang")

    for (lang, width), (text, now) in zip(
        VARIANTS, _each_variant(chromium, server, job), strict=True
    ):
        assert now != lang and text == edited, (lang, width, now, text)


def test_editor_keys_esc_leaves_and_ctrl_space_completes_from_this_graph(chromium, server):
    async def job(tab, lang, width):
        await tab.goto(server.url + "/query?example=series-editions")
        hint = await tab.locator("#editor-hint").inner_text()
        await tab.evaluate(
            """() => { const cm = document.querySelector('#yasqe .CodeMirror').CodeMirror;
                       cm.setValue('PREFIX ctkg: <https://w3id.org/ctkg/ontology#>\\n' +
                                   'SELECT * WHERE { ?e ctkg:hostP');
                       cm.focus(); cm.setCursor(cm.lineCount(), 0); }"""
        )
        await tab.keyboard.press("Control+Space")
        hints = tab.locator(".CodeMirror-hints li")
        await hints.first.wait_for()
        offered = await hints.all_inner_texts()
        await tab.keyboard.press("Escape")  # closes the list
        await tab.keyboard.press("Escape")  # leaves the editor
        focused = await tab.evaluate("document.activeElement.id")
        run_label = await tab.locator(".yasqe_queryButton").get_attribute("aria-label")
        await tab.screenshot(path=str(shot_path("query-complete", lang, width)))
        return hint, offered, focused, run_label

    results = _each_variant(chromium, server, job)
    for (lang, width), (hint, offered, focused, run_label) in zip(VARIANTS, results, strict=True):
        assert "Esc" in hint and "Ctrl+Space" in hint, hint
        assert "ctkg:hostProvince" in offered, (lang, width, offered)
        assert focused == "run", (lang, width, focused)
        assert run_label == ("Chạy truy vấn" if lang == "vi" else "Run query"), run_label


def test_no_chart_for_ordinals_a_chart_for_measures(chromium, server):
    async def views(path):
        context = await chromium.context(server, "en", "desktop")
        try:
            tab = await context.new_page()
            await tab.goto(server.url + path)
            await tab.locator("#yasr .yasr_btnGroup").wait_for()
            await tab.wait_for_timeout(300)
            return await tab.evaluate(
                """() => [...document.querySelectorAll('#yasr .yasr_btnGroup button')]
                   .map(b => b.className)"""
            )
        finally:
            await context.close()

    async def both():
        return await asyncio.gather(
            views("/query?example=series-editions&run=1"),
            views("/query?example=indicator-observations&run=1"),
        )

    editions, indicators = chromium.run(both())
    # ordinals and years: no chart offered (YASR disables the button; the site's style hides it)
    offered = [c for c in editions if "disabled" not in c]
    assert not any("select_chart" in c for c in offered), editions
    assert any("select_timeline" in c for c in offered), editions
    assert any("select_chart" in c and "disabled" not in c for c in indicators), indicators


def test_the_query_page_draws_provinces_on_a_map(chromium, server):
    """region-provinces suggests the map view: its 28 provinces are highlighted on the map of
    63; units-as-of (2025-10-17) on the map of 34; the map is this server's, axe finds nothing."""

    async def drawn(name, path, lang, width):
        context = await chromium.context(server, lang, width)
        try:
            tab = await context.new_page()
            errors: list[str] = []
            tab.on("pageerror", lambda e: errors.append(str(e)))
            await tab.goto(server.url + path)
            await tab.locator("#yasr svg.vn-map a.u.on").first.wait_for(timeout=15_000)
            found = await tab.evaluate(
                """() => ({
                  on: [...document.querySelectorAll('#yasr svg.vn-map a.u.on')]
                        .map(a => a.getAttribute('data-unit')),
                  all: document.querySelectorAll('#yasr svg.vn-map a.u').length,
                  era: document.querySelector('#yasr svg.vn-map').getAttribute('data-era'),
                  overflow: document.documentElement.scrollWidth,
                })"""
            )
            await tab.screenshot(path=str(shot_path(f"query-map-{name}", lang, width)))
            found["violations"] = await axe_violations(tab)
            found["errors"] = errors
            found["left"] = list(context.left)
            return found
        finally:
            await context.close()

    async def both():
        return await asyncio.gather(
            drawn("region", "/query?example=region-provinces&run=1", "vi", "phone"),
            drawn("units", "/query?example=units-as-of&run=1&view=map", "en", "desktop"),
        )

    region, units = chromium.run(both())
    assert region["era"] == "2019" and region["all"] == 63, region
    assert len(set(region["on"])) == 28 and "hai-phong" in region["on"], region
    assert units["era"] == "2025" and units["all"] == 34, units
    assert len(set(units["on"])) == 34 and "hai-phong-2025" in units["on"], units
    for found in (region, units):
        assert not found["violations"] and not found["errors"] and not found["left"], found
    assert region["overflow"] <= 390
