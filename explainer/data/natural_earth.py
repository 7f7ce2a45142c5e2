"""The shipped Natural Earth files (1:110m and 1:50m, public domain): land polygons, coastlines and
borders read with pyshp, and a vectorised land-or-sea test. Longitudes and latitudes in degrees."""

from __future__ import annotations

from functools import cache

import numpy as np
import shapefile
import shapely
from shapely.geometry import Polygon
from shapely.strtree import STRtree

from explainer.paths import natural_earth_dir


def _shapefile(category: str, name: str, scale: str) -> shapefile.Reader:
    path = natural_earth_dir() / "shapefiles" / "natural_earth" / category / f"ne_{scale}_{name}.shp"
    if not path.is_file():
        raise FileNotFoundError(f"Natural Earth file {path.name} is not shipped (scales: 110m, 50m)")
    return shapefile.Reader(str(path))


@cache
def land_polygons(scale: str = "110m") -> tuple[Polygon, ...]:
    """Natural Earth land polygons at ``scale`` ("110m" or "50m"), lon/lat degrees."""
    polys = []
    with _shapefile("physical", "land", scale) as reader:
        for shape in reader.iterShapes():
            parts = list(shape.parts) + [len(shape.points)]
            rings = [shape.points[a:b] for a, b in zip(parts[:-1], parts[1:], strict=True)]
            polys.append(Polygon(rings[0], rings[1:]))
    return tuple(polys)


@cache
def coast_and_border_lines(category: str, name: str, scale: str) -> tuple[np.ndarray, ...]:
    """Natural Earth polylines (e.g. ``("physical", "coastline")``) at ``scale``, each an (N, 2)
    lon/lat array in degrees."""
    out = []
    with _shapefile(category, name, scale) as reader:
        for shape in reader.iterShapes():
            parts = list(shape.parts) + [len(shape.points)]
            out += [np.asarray(shape.points[a:b]) for a, b in zip(parts[:-1], parts[1:], strict=True)]
    return tuple(out)


@cache
def _land_index() -> STRtree:
    return STRtree(land_polygons("50m"))


def over_land(lat_deg, lon_deg) -> np.ndarray:
    """Whether points are over land (Natural Earth 1:50m), vectorised."""
    points = shapely.points(np.asarray(lon_deg, float), np.asarray(lat_deg, float))
    hits = _land_index().query(np.atleast_1d(points), predicate="within")
    out = np.zeros(np.size(points), bool)
    out[hits[0]] = True
    return out


