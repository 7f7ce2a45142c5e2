"""Convert the npm package world-atlas (Natural Earth v4.1.0, TopoJSON) into the shapefile
layout cartopy reads, under data/natural_earth/.

Usage::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_natural_earth.py package/

Writes, for the 110m and 50m scales, ``shapefiles/natural_earth/physical/ne_<s>_land`` and
``ne_<s>_coastline`` and ``shapefiles/natural_earth/cultural/ne_<s>_admin_0_boundary_lines_land``.

world-atlas merges land with spherical topology, so some polygons cross the antimeridian and
Antarctica is a ring around the South Pole. Each polygon is unwrapped in longitude, closed through
the pole where its ring encircles one, repaired, and cut back into [-180, 180].
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import shapefile
from shapely import make_valid
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box

OUT = Path(__file__).resolve().parents[1] / "data" / "natural_earth" / "shapefiles" / "natural_earth"
SCALES = ("110m", "50m")


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Absolute lon/lat arcs from a quantised, delta-encoded TopoJSON topology."""
    scale = np.asarray(topology["transform"]["scale"])
    offset = np.asarray(topology["transform"]["translate"])
    return [np.cumsum(np.asarray(a, float), axis=0) * scale + offset for a in topology["arcs"]]


def ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    """Join arcs into one ring; a negative index ~i means arc i reversed."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
    return np.vstack([parts[0]] + [p[1:] for p in parts[1:]])


def polygons(arcs, geometry) -> list[list[np.ndarray]]:
    """Each polygon of a (Multi)Polygon geometry as [exterior, *holes]."""
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in poly] for poly in geometry["arcs"]]
    return []


def unwrap(coords: np.ndarray, reference: float | None = None) -> np.ndarray:
    lon = np.degrees(np.unwrap(np.radians(coords[:, 0])))
    if reference is not None:
        lon += 360 * np.round((reference - lon[0]) / 360)
    out = np.column_stack([lon, coords[:, 1]])
    if abs(lon[-1] - lon[0]) > 180:  # the ring goes round a pole: close it through the pole
        pole = -90.0 if coords[:, 1].mean() < 0 else 90.0
        out = np.vstack([out, [[lon[-1], pole], [lon[0], pole]], out[:1]])
    return out


def split_antimeridian(rings: list[np.ndarray]) -> list[Polygon]:
    exterior = unwrap(rings[0])
    holes = [unwrap(h, exterior[0, 0]) for h in rings[1:]]
    shape = make_valid(Polygon(exterior, holes))
    pieces = []
    for shift in (-360, 0, 360):
        piece = shape.intersection(box(-180 + shift, -90, 180 + shift, 90))
        if piece.is_empty:
            continue
        piece = translate(piece, -shift)
        for g in getattr(piece, "geoms", [piece]):
            if isinstance(g, Polygon) and g.area > 0:
                pieces.append(g)
            elif isinstance(g, MultiPolygon):
                pieces.extend(g.geoms)
    return pieces


def write_polygons(path: Path, polys: list[Polygon]) -> None:
    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON) as w:
        w.field("featurecla", "C", 20)
        w.field("scalerank", "N", 4)
        for p in polys:
            # shapefile rings: exterior clockwise, holes counter-clockwise
            ext = list(p.exterior.coords)
            if Polygon(ext).exterior.is_ccw:
                ext = ext[::-1]
            holes = [list(h.coords) for h in p.interiors]
            holes = [h if Polygon(h).exterior.is_ccw else h[::-1] for h in holes]
            w.poly([ext, *holes])
            w.record("Land", 0)


def write_lines(path: Path, lines: list[np.ndarray], featurecla: str) -> None:
    with shapefile.Writer(str(path), shapeType=shapefile.POLYLINE) as w:
        w.field("featurecla", "C", 40)
        w.field("scalerank", "N", 4)
        for line in lines:
            w.line([line.tolist()])
            w.record(featurecla, 0)


def split_line_at_antimeridian(line: np.ndarray) -> list[np.ndarray]:
    jumps = np.nonzero(np.abs(np.diff(line[:, 0])) > 180)[0] + 1
    return [seg for seg in np.split(line, jumps) if len(seg) > 1]


def build(world_atlas: Path) -> None:
    (OUT / "physical").mkdir(parents=True, exist_ok=True)
    (OUT / "cultural").mkdir(parents=True, exist_ok=True)
    for scale in SCALES:
        land = json.loads((world_atlas / f"land-{scale}.json").read_text())
        arcs = decode_arcs(land)
        land_polys = [
            piece
            for g in land["objects"]["land"]["geometries"]
            for rings in polygons(arcs, g)
            for piece in split_antimeridian(rings)
        ]
        write_polygons(OUT / "physical" / f"ne_{scale}_land", land_polys)
        coast = [np.asarray(r.coords) for p in land_polys for r in (p.exterior, *p.interiors)]
        # drop the artificial edges along the antimeridian and the poles that the split added
        coast_segments = []
        for c in coast:
            artificial = (np.abs(np.abs(c[:, 0]) - 180) < 1e-9) | (np.abs(c[:, 1]) > 89.999)
            edge = artificial[:-1] & artificial[1:]
            start = 0
            for i in np.nonzero(edge)[0]:
                if i + 1 - start > 1:
                    coast_segments.append(c[start : i + 1])
                start = i + 1
            if len(c) - start > 1:
                coast_segments.append(c[start:])
        write_lines(OUT / "physical" / f"ne_{scale}_coastline", coast_segments, "Coastline")

        countries = json.loads((world_atlas / f"countries-{scale}.json").read_text())
        carcs = decode_arcs(countries)
        uses = Counter()
        for g in countries["objects"]["countries"]["geometries"]:
            rings = g["arcs"] if g["type"] == "Polygon" else [r for p in g.get("arcs", []) for r in p]
            uses.update(i if i >= 0 else ~i for r in rings for i in r)
        borders = [
            seg for i, n in sorted(uses.items()) if n > 1 for seg in split_line_at_antimeridian(carcs[i])
        ]
        write_lines(
            OUT / "cultural" / f"ne_{scale}_admin_0_boundary_lines_land",
            borders,
            "International boundary (verify)",
        )
        print(f"{scale}: {len(land_polys)} land polygons, {len(coast_segments)} coast lines, "
              f"{len(borders)} border lines")


if __name__ == "__main__":
    build(Path(sys.argv[1]))
