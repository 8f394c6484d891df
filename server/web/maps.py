"""Maps of Viet Nam's provincial-level units, drawn as inline SVG on the server.

The shapes are ``graph/gazetteer/shapes.json``: Natural Earth's admin-1 boundaries (public
domain) for the 63 units of 2019, simplified, and the 34 units of 2025 dissolved from the 2019
units each was formed from (``extract_shapes.py``; sources in ``graph/gazetteer/SOURCES.md``).
No tiles, no script, no request leaves the page. A map is one ``<figure>``: an SVG with a title
and a description (a group, so that assistive technology can list its links), every unit a link
to its page named by its ``<title>`` (out of the tab order, so that a keyboard need not pass 63
links: the caption holds the same links for the units the map highlights), and a caption naming
the highlighted units, the era and the source. The path data is built once per era; a page only
changes which units carry the ``on`` class.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache

from markupsafe import Markup, escape

from ctkg.graph import gazetteer as gz
from ctkg.queries.label_index import sort_key

from ..http.context import state
from .paths import local_path
from .summary import format_date

SHAPES = gz.GAZETTEER_DIR / "shapes.json"
PROVINCE_PATH = "id/province/"
SOURCE_URL = "https://www.naturalearthdata.com/"
XMLNS = ' xmlns="http://www.w3.org/2000/svg"'

TEXT = {
    "2019": ("2019 · 63 đơn vị hành chính cấp tỉnh", "2019 · 63 provincial-level units"),
    "2025": (
        "Từ {} · 34 đơn vị hành chính cấp tỉnh",
        "From {} · 34 provincial-level units",
    ),
    "title": ("Bản đồ các đơn vị hành chính cấp tỉnh của Việt Nam", "Map of Viet Nam's provinces"),
    "shown": ("Tô đậm: {}", "Highlighted: {}"),
    "none": ("Chọn một tỉnh trên bản đồ để mở trang của tỉnh đó.", "Select a province to open it."),
    "detail": ("Chi tiết", "Detail"),
    "detail_2025": (
        "Chi tiết · đơn vị năm 2019, viền đậm: đơn vị năm 2025",
        "Detail · units of 2019, bold outline: the unit of 2025",
    ),
    "source": (
        "Ranh giới: Natural Earth (phạm vi công cộng), giản lược; đơn vị năm 2025 ghép từ các đơn "
        "vị năm 2019. Bản đồ không thể hiện quần đảo Hoàng Sa và Trường Sa ở tỉ lệ này.",
        "Boundaries: Natural Earth (public domain), simplified; 2025 units dissolved from the 2019 "
        "units they were formed from. The Hoàng Sa (Paracel) and Trường Sa (Spratly) archipelagos "
        "are not drawn at this scale.",
    ),
}


def _t(key: str, lang: str) -> str:
    vi, en = TEXT[key]
    return en if lang == "en" else vi


@lru_cache(maxsize=1)
def shapes() -> dict:
    return json.loads(SHAPES.read_text("utf-8"))


@lru_cache(maxsize=1)
def _gazetteer() -> gz.Gazetteer:
    return gz.gazetteer()


def switch_day() -> dt.date:
    """The day from which the 34 units of 2025 all exist (the arrangement's act in force; Huế
    was formed earlier, on 2025-01-01)."""
    return max(u.valid_from for u in _gazetteer().units_2025 if u.valid_from)


def unit_of(iri: str) -> gz.Unit | None:
    """The gazetteer unit an entity IRI names (whatever the served base), or None."""
    if PROVINCE_PATH not in iri:
        return None
    return _gazetteer().units.get(iri.rsplit(PROVINCE_PATH, 1)[1])


def _era_units(era: str) -> tuple[gz.Unit, ...]:
    g = _gazetteer()
    return g.units_2019 if era == "2019" else g.units_2025


def _code(u: gz.Unit) -> str:
    """The key of ``u`` in ``shapes.json``: its GSO code (a unit no act changed has the same
    code in both tables; the tests check it)."""
    return u.gso_code


def in_era(units: list[gz.Unit], era: str) -> list[gz.Unit]:
    """``units`` as the map of ``era`` can show them: a 2019 unit on the 2025 map is the unit it
    became, a 2025 unit on the 2019 map the units it was formed from."""
    g = _gazetteer()
    out: list[gz.Unit] = []
    for u in units:
        if era in u.tables:
            found = [u]
        elif era == "2025":
            found = [g.units[k] for k in u.successors]
        else:
            found = [g.units[k] for k in u.predecessors]
        out += [x for x in found if x not in out]
    return out


def _href(u: gz.Unit) -> str:
    iri = state().settings.base_iri + PROVINCE_PATH + u.slug
    return local_path(iri) or iri


def _name(u: gz.Unit, lang: str) -> str:
    return u.name_en if lang == "en" else u.name_vi


def era_label(era: str, lang: str) -> str:
    if era == "2019":
        return _t("2019", lang)
    return _t("2025", lang).format(format_date(switch_day().isoformat(), lang))


def svg_map(
    era: str, highlight: list[gz.Unit], map_id: str, lang: str, standalone: bool = False
) -> Markup:
    """One map of ``era`` ('2019' or '2025') with ``highlight`` drawn in the accent colour
    (``standalone``: with its namespace, as a file of its own)."""
    data = shapes()
    table = data[era]
    on = {u.slug for u in highlight}
    title_id, desc_id = f"{map_id}-t", f"{map_id}-d"
    names = ", ".join(_name(u, lang) for u in highlight)
    desc = _t("shown", lang).format(names) if highlight else _t("none", lang)
    parts = [
        f'<svg{XMLNS if standalone else ""} class="vn-map" '
        f'viewBox="0 0 {data["width"]} {data["height"]}" role="group" '
        f'aria-labelledby="{title_id} {desc_id}" data-era="{era}">',
        f'<title id="{title_id}">{escape(_t("title", lang) + " — " + era_label(era, lang))}'
        "</title>",
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
    ]
    units = sorted(_era_units(era), key=lambda u: u.slug in on)  # highlighted last
    for u in units:
        shape = table[_code(u)]
        cls = "u on" if u.slug in on else "u"
        parts.append(
            f'<a href="{escape(_href(u))}" class="{cls}" tabindex="-1" '
            f'data-unit="{escape(u.slug)}"><title>{escape(_name(u, lang))}</title>'
            f'<path d="{shape["d"]}"/></a>'
        )
    if 0 < len(highlight) <= 3:  # a ring around small units, so that they can be seen
        for u in highlight:
            x, y = table[_code(u)]["label"]
            parts.append(f'<circle class="pin" cx="{x}" cy="{y}" r="14"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def rings(d: str) -> list[list[tuple[int, int]]]:
    """The rings of path data as ``extract_shapes.path_d`` writes it (M/m, L/l, Z/z; integers).
    Public: the map tests read the shapes' geometry with it."""
    out: list[list[tuple[int, int]]] = []
    x = y = 0
    start = (0, 0)
    for cmd, args in re.findall(r"([MmLlZz])([^MmLlZz]*)", d):
        nums = [int(n) for n in re.findall(r"-?\d+", args)]
        pairs = list(zip(nums[::2], nums[1::2], strict=True))
        if cmd in "Mm":
            x, y = pairs[0] if cmd == "M" else (x + pairs[0][0], y + pairs[0][1])
            start = (x, y)
            out.append([start])
            pairs = pairs[1:]
        for dx, dy in pairs:
            x, y = (dx, dy) if cmd == "L" else (x + dx, y + dy)
            out[-1].append((x, y))
        if cmd in "Zz":
            x, y = start
    return out


@lru_cache(maxsize=2)
def _boxes(era: str) -> dict[str, tuple[int, int, int, int]]:
    out = {}
    for code, shape in shapes()[era].items():
        pts = [p for ring in rings(shape["d"]) for p in ring]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        out[code] = (min(xs), min(ys), max(xs), max(ys))
    return out


DETAIL_MIN = 150  # the detail view spans at least this many map units (~250 km)
DETAIL_PAD = 20


def detail_box(era: str, units: list[gz.Unit]) -> tuple[int, int, int, int] | None:
    """A square around ``units`` (padded, at least DETAIL_MIN wide), or None when they are
    spread over so much of the country that the country map already shows them."""
    boxes = [_boxes(era)[_code(u)] for u in units]
    if not boxes:
        return None
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    side = max(x1 - x0, y1 - y0) + 2 * DETAIL_PAD
    if side > shapes()["height"] * 0.45:
        return None
    side = max(side, DETAIL_MIN)
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    return (cx - side // 2, cy - side // 2, side, side)


FONT_PARTS = 30  # a name's height is this part of the detail view's width


def _overlap(a, b) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def _meets(box, other) -> bool:
    x, y, w, h = box
    return not (other[2] < x or other[0] > x + w or other[3] < y or other[1] > y + h)


def svg_detail(
    era: str,
    box: tuple[int, int, int, int],
    highlight: list[gz.Unit],
    map_id: str,
    lang: str,
    context: tuple[gz.Unit, ...] | list[gz.Unit] = (),
    outlines: tuple[gz.Unit, ...] | list[gz.Unit] = (),
) -> Markup:
    """The units of ``era`` around ``box``, named, with ``highlight`` in the accent colour,
    ``context`` lighter and the 2025 ``outlines`` drawn bold over them."""
    data = shapes()
    table = data[era]
    on = {u.slug for u in highlight}
    ctx = {u.slug for u in context} - on
    x, y, w, h = box
    title_id, desc_id = f"{map_id}-t", f"{map_id}-d"
    names = ", ".join(_name(u, lang) for u in highlight)
    parts = [
        f'<svg class="vn-map vn-detail" viewBox="{x} {y} {w} {h}" role="group" '
        f'aria-labelledby="{title_id} {desc_id}" data-era="{era}" '
        f'style="--fs:{w / FONT_PARTS:.1f}px">',
        f'<title id="{title_id}">{escape(_t("title", lang) + " — " + _t("detail", lang))}</title>',
        f'<desc id="{desc_id}">{escape(_t("shown", lang).format(names))}</desc>',
    ]
    shown = [u for u in _era_units(era) if _meets(box, _boxes(era)[_code(u)])]
    shown.sort(key=lambda u: (u.slug in on, u.slug in ctx))
    labels = []
    for u in shown:
        cls = "u on" if u.slug in on else ("u ctx" if u.slug in ctx else "u")
        parts.append(
            f'<a href="{escape(_href(u))}" class="{cls}" tabindex="-1" '
            f'data-unit="{escape(u.slug)}"><title>{escape(_name(u, lang))}</title>'
            f'<path d="{table[_code(u)]["d"]}"/></a>'
        )
    size = w / FONT_PARTS
    placed: list[tuple[float, float, float, float]] = []
    for u in sorted(shown, key=lambda u: (u.slug not in on, u.slug not in ctx, u.slug)):
        lx, ly = table[_code(u)]["label"]
        half = len(_name(u, lang)) * size * 0.29  # about half the width of the name
        box_ = (lx - half, ly - size * 0.6, lx + half, ly + size * 0.6)
        inside = x <= box_[0] and box_[2] <= x + w and y <= box_[1] and box_[3] <= y + h
        if inside and not any(_overlap(box_, b) for b in placed):
            placed.append(box_)
            labels.append(f'<text x="{lx}" y="{ly}">{escape(_name(u, lang))}</text>')
    for u in outlines:
        parts.append(f'<path class="outline" d="{data["2025"][_code(u)]["d"]}"/>')
    parts.append('<g class="labels" aria-hidden="true">' + "".join(labels) + "</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def detail_figure(
    era: str, highlight: list[gz.Unit], map_id: str, lang: str, context=(), outlines=()
) -> dict | None:
    """The detail view as a figure, or None when the country map says enough."""
    box = detail_box(era, [*highlight, *context, *outlines_in(era, outlines)])
    if box is None:
        return None
    return {
        "id": map_id,
        "era": era,
        "detail": True,
        "era_label": _t("detail_2025", lang) if outlines else _t("detail", lang),
        "svg": svg_detail(era, box, highlight, map_id, lang, context, outlines),
        "shown": [],  # the country map's caption names them
        "shown_text": "",
        "source": _t("source", lang),
        "source_url": SOURCE_URL,
    }


def outlines_in(era: str, outlines) -> list[gz.Unit]:
    """The units of ``era`` that cover ``outlines`` (2025 units shown on a 2019 detail)."""
    return in_era(list(outlines), era)


def figure(era: str, highlight: list[gz.Unit], map_id: str, lang: str) -> dict:
    """What the template draws: the SVG, the era's label, the highlighted units as links."""
    highlight = sorted(in_era(highlight, era), key=lambda u: sort_key(_name(u, lang)))
    return {
        "id": map_id,
        "era": era,
        "era_label": era_label(era, lang),
        "svg": svg_map(era, highlight, map_id, lang),
        "shown": [{"label": _name(u, lang), "href": _href(u)} for u in highlight],
        "shown_text": _t("shown", lang).format("").rstrip() if highlight else _t("none", lang),
        "source": _t("source", lang),
        "source_url": SOURCE_URL,
    }


def _iris(values: list[dict]) -> list[str]:
    return [v["iri"] for v in values if v.get("iri")]


def _date_of(desc) -> dt.date | None:
    for predicate in ("startDate", "year"):
        for literal in desc.literals(_vocab(predicate)):
            try:
                if predicate == "year":
                    return dt.date(int(literal.value[:4]), 12, 31)
                return dt.date.fromisoformat(literal.value[:10])
            except ValueError:
                continue
    return None


def _vocab(name: str) -> str:
    from . import describe

    return describe.vocab(name)


def _objects(desc, name: str) -> list[str]:
    return [v.term.value for v in desc.values.get(_vocab(name), []) if hasattr(v.term, "value")]


def for_entity(desc, kind: str, lang: str) -> list[dict]:
    """The maps an entity page shows: a unit in 2019 and in 2025 (what it was formed from or
    became); an edition's host on the map of its date; a region's members."""
    if kind == "province":
        u = unit_of(desc.iri)
        if u is None:
            return []
        after = in_era([u], "2025")  # the unit of 2025 it is or became
        before = in_era([u], "2019")  # the units of 2019 it is or was formed from
        siblings = in_era(after, "2019")  # all the 2019 units of those 2025 units
        detail = detail_figure("2019", before, "map-detail", lang, siblings, after)
        return [
            figure("2019", [u], "map-2019", lang),
            figure("2025", [u], "map-2025", lang),
            *([detail] if detail else []),
        ]
    if kind == "edition":
        hosts = [
            u
            for iri in _objects(desc, "hostProvince") + _objects(desc, "heldIn")
            if (u := unit_of(iri)) is not None
        ]
        hosts = list(dict.fromkeys(hosts))
        if not hosts:
            return []
        day = _date_of(desc)
        if day is None:
            era = "2025" if all("2019" not in u.tables for u in hosts) else "2019"
        else:
            era = "2025" if day >= switch_day() else "2019"
        detail = detail_figure(era, in_era(hosts, era), "map-detail", lang)
        return [figure(era, hosts, "map-host", lang), *([detail] if detail else [])]
    if kind == "region":
        members = [u for iri in _objects(desc, "memberProvince") if (u := unit_of(iri))]
        if not members:
            return []
        era = "2025" if any("2019" not in u.tables for u in members) else "2019"
        detail = detail_figure(era, in_era(members, era), "map-detail", lang)
        return [figure(era, members, "map-members", lang), *([detail] if detail else [])]
    return []


def for_index(lang: str) -> list[dict]:
    """The provinces index: both maps, nothing highlighted, every unit a link."""
    return [figure("2019", [], "map-2019", lang), figure("2025", [], "map-2025", lang)]
