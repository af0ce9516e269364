"""Build the victories page's world map from Natural Earth shapes (run by `make world-map`).

Reads the TopoJSON of npm's `world-atlas` (Natural Earth, public domain), projects it with
the Equal Earth projection, simplifies each shared border once (Douglas-Peucker on the
arcs, so neighbours still meet), drops islets too small to see, and writes one SVG path per
country, keyed by ISO 3166-1 alpha-2 code, to `cases/data/world_map.json`, and a point per
country (the centre of its largest shape), where the map puts a dot when the country has a
victory: countries too small for the 1:110m shapes take theirs from the 1:50m shapes. The output is committed: `make run` needs no npm.

Usage: .venv/bin/python scripts/build_world_map.py /path/to/world-atlas
"""

import json
import math
import sys
from itertools import pairwise
from pathlib import Path

from django_countries.data import ALT_CODES

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "cases" / "data" / "world_map.json"
WIDTH = 1000  # viewBox units; the map is shown at most about this wide
TOLERANCE = 0.9  # Douglas-Peucker tolerance in viewBox units
MIN_RING_AREA = 6.0  # islets smaller than this (square units) are dropped
SOUTH_LIMIT = -58.0  # Antarctica is left out: no victory there, and it takes a third of the height
LEFT_OUT = {"010"}  # Antarctica

# Equal Earth (Šavrič, Patterson, Jenny 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX = equal_earth(180, 0)[0]
Y_TOP = equal_earth(0, 84)[1]
Y_BOTTOM = equal_earth(0, SOUTH_LIMIT)[1]
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = math.ceil((Y_TOP - Y_BOTTOM) * SCALE)


def to_view(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, max(lat, SOUTH_LIMIT))
    return (x + X_MAX) * SCALE, (Y_TOP - y) * SCALE


def unwrap(lon: float, previous: float) -> float:
    """The longitude, moved by whole turns to within half a turn of the previous one."""
    while lon - previous > 180:
        lon -= 360
    while lon - previous < -180:
        lon += 360
    return lon


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc in longitude and latitude, continuous across the antimeridian."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * sx + tx, y * sy + ty
            points.append((unwrap(lon, points[-1][0]) if points else lon, lat))
        arcs.append(points)
    return arcs


def clip(ring: list[tuple[float, float]], limit: float, keep_below: bool) -> list:
    """Sutherland-Hodgman against one meridian."""

    def inside(point):
        return point[0] <= limit if keep_below else point[0] >= limit

    out = []
    for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(current):
            out.append(current)
        if inside(current) != inside(following):
            (x1, y1), (x2, y2) = current, following
            out.append((limit, y1 + (y2 - y1) * (limit - x1) / (x2 - x1)))
    return out


def project_ring(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The ring on the map; a ring across the antimeridian becomes one part on each side."""
    if all(-180 <= lon <= 180 for lon, _lat in ring):
        return [[to_view(lon, lat) for lon, lat in ring]]
    parts = []
    for turn in (-360, 0, 360):
        shifted = [(lon + turn, lat) for lon, lat in ring]
        part = clip(clip(shifted, 180, keep_below=True), -180, keep_below=False)
        if len(part) >= 3:
            parts.append([to_view(lon, lat) for lon, lat in part])
    return parts


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on the projected arc, iterative; the two ends are kept.

    Returns the kept points in longitude and latitude, so that a border two countries
    share is simplified once, the same for both."""
    if len(points) < 3:
        return points
    xy = [to_view(lon, lat) for lon, lat in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = xy[first], xy[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            px, py = xy[i]
            if length == 0:
                distance = math.hypot(px - x1, py - y1)
            else:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def ring_points(ring: list[int], arcs: list) -> list[tuple[float, float]]:
    """The ring's points in longitude and latitude, continuous from arc to arc."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        if points:
            turn = unwrap(arc[0][0], points[-1][0]) - arc[0][0]
            points.extend((lon + turn, lat) for lon, lat in arc[1:])
        else:
            points.extend(arc)
    return points


def area(points: list[tuple[float, float]]) -> float:
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def centroid(points: list[tuple[float, float]]) -> list[float]:
    """The ring's centre of mass (its vertices' mean if it has no area)."""
    twice_area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        twice_area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(twice_area) < 1e-9:
        cx = sum(p[0] for p in points) / len(points)
        cy = sum(p[1] for p in points) / len(points)
    else:
        cx, cy = cx / (3 * twice_area), cy / (3 * twice_area)
    return [round(cx, 1), round(cy, 1)]


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    """Integer coordinates, relative moves: the shortest text a browser draws the same."""
    parts = []
    for ring in rings:
        rounded = []
        for x, y in ring:
            point = (round(x), round(y))
            if not rounded or point != rounded[-1]:
                rounded.append(point)
        if len(rounded) > 1 and rounded[0] == rounded[-1]:
            rounded.pop()
        if len(rounded) < 3:
            continue
        (x0, y0), text = rounded[0], []
        text.append(f"M{x0} {y0}")
        for (xa, ya), (xb, yb) in pairwise(rounded):
            dx, dy = xb - xa, yb - ya
            text.append(f"{dx}{'' if dy < 0 else ' '}{dy}")
        parts.append(text[0] + "l" + " ".join(text[1:]).replace(" -", "-") + "z")
    return "".join(parts)


def polygons(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def alpha2_by_numeric() -> dict[str, str]:
    return {f"{numeric:03d}": code for code, (_alpha3, numeric) in ALT_CODES.items() if numeric}


def shapes(topology: dict, codes: dict[str, str]) -> tuple[dict, list[str], dict]:
    arcs = [simplify(arc, TOLERANCE) for arc in decode_arcs(topology)]
    countries, unnamed, points = {}, [], {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric in LEFT_OUT:
            continue
        rings = []
        for polygon in polygons(geometry):
            for position, ring in enumerate(polygon):
                for ring_xy in project_ring(ring_points(ring, arcs)):
                    rings.append((position == 0, area(ring_xy), ring_xy))
        if not rings:
            continue
        biggest = max(a for _outer, a, _p in rings)
        kept = [p for outer, a, p in rings if a >= MIN_RING_AREA or (outer and a == biggest)]
        d = path_data(kept)
        if not d:
            continue
        code = codes.get(numeric or "")
        if code:
            countries[code] = countries.get(code, "") + d
            points[code] = centroid(max(((a, p) for _o, a, p in rings), key=lambda r: r[0])[1])
        else:
            unnamed.append(d)  # Kosovo, Somaliland, northern Cyprus: land, never a link
    return countries, unnamed, points


def centroids(topology: dict, codes: dict[str, str], known: set[str]) -> dict:
    """A point for each country the 1:110m shapes lack (the centre of its largest ring)."""
    arcs = decode_arcs(topology)
    points = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = codes.get(geometry.get("id") or "")
        if not code or code in known or geometry.get("id") in LEFT_OUT:
            continue
        rings = [
            part
            for polygon in polygons(geometry)
            for part in project_ring(ring_points(polygon[0], arcs))
        ]
        if not rings:
            continue
        x, y = centroid(max(rings, key=area))
        if 0 <= y <= HEIGHT:
            points[code] = [x, y]
    return points


def build(package: Path) -> dict:
    codes = alpha2_by_numeric()
    coarse = json.loads((package / "countries-110m.json").read_text())
    countries, unnamed, points = shapes(coarse, codes)
    finer = json.loads((package / "countries-50m.json").read_text())
    points.update(centroids(finer, codes, set(countries)))
    return {
        "source": "Natural Earth 1:110m (npm world-atlas 2.0.2), Equal Earth projection",
        "width": WIDTH,
        "height": HEIGHT,
        "countries": dict(sorted(countries.items())),
        "land": "".join(unnamed),
        "points": dict(sorted(points.items())),
    }


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = build(Path(sys.argv[1]))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n")
    size = sum(len(d) for d in data["countries"].values()) + len(data["land"])
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(data['countries'])} countries, "
        f"{len(data['points'])} points, {size} bytes of path data, "
        f"viewBox 0 0 {data['width']} {data['height']}"
    )


if __name__ == "__main__":
    main()
