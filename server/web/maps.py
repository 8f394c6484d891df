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
from functools import lru_cache

from markupsafe import Markup, escape

from ctkg.graph import gazetteer as gz

from . import pages

SHAPES = gz.GAZETTEER_DIR / "shapes.json"
PROVINCE_PATH = "id/province/"
SOURCE_URL = "https://www.naturalearthdata.com/"

TEXT = {
    "2019": ("2019 · 63 đơn vị hành chính cấp tỉnh", "2019 · 63 provincial-level units"),
    "2025": (
        "Từ {} · 34 đơn vị hành chính cấp tỉnh",
        "From {} · 34 provincial-level units",
    ),
    "title": ("Bản đồ các đơn vị hành chính cấp tỉnh của Việt Nam", "Map of Viet Nam's provinces"),
    "shown": ("Tô đậm: {}", "Highlighted: {}"),
    "none": ("Chọn một tỉnh trên bản đồ để mở trang của tỉnh đó.", "Select a province to open it."),
    "source": (
        "Ranh giới: Natural Earth (phạm vi công cộng), giản lược; đơn vị năm 2025 ghép từ các đơn "
        "vị năm 2019. Bản đồ không thể hiện quần đảo Hoàng Sa và Trường Sa ở tỉ lệ này.",
        "Boundaries: Natural Earth (public domain), simplified; 2025 units dissolved from the 2019 "
        "units they were formed from. The Hoàng Sa (Paracel) and Trường Sa (Spratly) archipelagos "
        "are not drawn at this scale.",
    ),
}


def _t(key: str) -> str:
    vi, en = TEXT[key]
    return en if pages.current_lang() == "en" else vi


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
    return pages.href(pages.state().settings.base_iri + PROVINCE_PATH + u.slug)


def _name(u: gz.Unit) -> str:
    return u.name_en if pages.current_lang() == "en" else u.name_vi


def era_label(era: str) -> str:
    if era == "2019":
        return _t("2019")
    from .summary import format_date

    return _t("2025").format(format_date(switch_day().isoformat(), pages.current_lang()))


def svg_map(era: str, highlight: list[gz.Unit], map_id: str) -> Markup:
    """One map of ``era`` ('2019' or '2025') with ``highlight`` drawn in the accent colour."""
    data = shapes()
    table = data[era]
    on = {u.slug for u in highlight}
    title_id, desc_id = f"{map_id}-t", f"{map_id}-d"
    names = ", ".join(_name(u) for u in highlight)
    desc = _t("shown").format(names) if highlight else _t("none")
    parts = [
        f'<svg class="vn-map" viewBox="0 0 {data["width"]} {data["height"]}" role="group" '
        f'aria-labelledby="{title_id} {desc_id}" data-era="{era}">',
        f'<title id="{title_id}">{escape(_t("title"))} — {escape(era_label(era))}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
    ]
    units = sorted(_era_units(era), key=lambda u: u.slug in on)  # highlighted last
    for u in units:
        shape = table[_code(u)]
        cls = "u on" if u.slug in on else "u"
        parts.append(
            f'<a href="{escape(_href(u))}" class="{cls}" tabindex="-1" '
            f'data-unit="{escape(u.slug)}"><title>{escape(_name(u))}</title>'
            f'<path d="{shape["d"]}"/></a>'
        )
    if 0 < len(highlight) <= 3:  # a ring around small units, so that they can be seen
        for u in highlight:
            x, y = table[_code(u)]["label"]
            parts.append(f'<circle class="pin" cx="{x}" cy="{y}" r="14"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def figure(era: str, highlight: list[gz.Unit], map_id: str) -> dict:
    """What the template draws: the SVG, the era's label, the highlighted units as links."""
    highlight = in_era(highlight, era)
    return {
        "id": map_id,
        "era": era,
        "era_label": era_label(era),
        "svg": svg_map(era, highlight, map_id),
        "shown": [{"label": _name(u), "href": _href(u)} for u in highlight],
        "shown_text": _t("shown").format("").rstrip() if highlight else _t("none"),
        "source": _t("source"),
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


def for_entity(desc, kind: str) -> list[dict]:
    """The maps an entity page shows: a unit in 2019 and in 2025 (what it was formed from or
    became); an edition's host on the map of its date; a region's members."""
    if kind == "province":
        u = unit_of(desc.iri)
        if u is None:
            return []
        return [figure("2019", [u], "map-2019"), figure("2025", [u], "map-2025")]
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
        return [figure(era, hosts, "map-host")]
    if kind == "region":
        members = [u for iri in _objects(desc, "memberProvince") if (u := unit_of(iri))]
        if not members:
            return []
        era = "2025" if any("2019" not in u.tables for u in members) else "2019"
        return [figure(era, members, "map-members")]
    return []


def for_index() -> list[dict]:
    """The provinces index: both maps, nothing highlighted, every unit a link."""
    return [figure("2019", [], "map-2019"), figure("2025", [], "map-2025")]
