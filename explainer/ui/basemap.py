"""Land, coastlines and borders for plotly maps, drawn from the shipped Natural Earth files.

plotly.js would otherwise fetch its base map from a CDN (``cdn.plot.ly``), which breaks offline;
here every geo figure turns those layers off and draws these traces instead. Lines use NaN
breaks, polygons are ``fill="toself"`` rings; both are rounded to 0.01 deg (about 1 km) to keep
figures light.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import plotly.graph_objects as go
from shapely import segmentize
from shapely.geometry import Polygon, box

from explainer.data.natural_earth import coast_and_border_lines, land_polygons

LAND_COLOUR = "#d9d4c7"
SEA_COLOUR = "#eef4f8"
COAST_COLOUR = "#6b6b6b"
Bounds = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max (deg)


def _join(pieces: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate (N, 2) lon/lat pieces with NaN rows between them, rounded to 0.01 deg."""
    if not pieces:
        return np.array([]), np.array([])
    gap = np.array([[np.nan, np.nan]])
    joined = np.vstack([row for p in pieces for row in (p, gap)][:-1]).round(2)
    return joined[:, 0], joined[:, 1]


def _in_bounds(points: np.ndarray, bounds: Bounds | None, margin: float = 2.0) -> list[np.ndarray]:
    """The runs of a polyline whose points lie inside ``bounds`` widened by ``margin`` deg."""
    if bounds is None:
        return [points]
    x0, y0, x1, y1 = bounds
    inside = (
        (points[:, 0] >= x0 - margin) & (points[:, 0] <= x1 + margin)
        & (points[:, 1] >= y0 - margin) & (points[:, 1] <= y1 + margin)
    )
    cuts = np.flatnonzero(np.diff(inside.astype(np.int8))) + 1
    runs = zip(np.split(points, cuts), np.split(inside, cuts), strict=True)
    return [run for run, flags in runs if flags[0] and len(run) > 1]


@cache
def land_outline(scale: str = "110m", bounds: Bounds | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Land polygons as one NaN-separated lon/lat ring list, clipped to ``bounds`` if given."""
    # a generous, densified clip box: its edges must lie outside the view and follow parallels,
    # because plotly draws polygon edges as great circles
    clip = segmentize(box(*bounds).buffer(6.0, join_style="mitre"), 0.5) if bounds else None
    pieces = []
    for poly in land_polygons(scale):
        if clip is not None:
            if not poly.intersects(clip):
                continue
            poly = poly.intersection(clip)
        for p in getattr(poly, "geoms", [poly]):
            if isinstance(p, Polygon) and not p.is_empty:
                pieces.append(np.asarray(p.exterior.coords))
    return _join(pieces)


@cache
def line_layer(kind: str, scale: str = "110m", bounds: Bounds | None = None):
    """Coastlines (``kind="coast"``) or land borders (``kind="borders"``) as NaN-separated lines."""
    category, name = {
        "coast": ("physical", "coastline"),
        "borders": ("cultural", "admin_0_boundary_lines_land"),
    }[kind]
    pieces = [seg for line in coast_and_border_lines(category, name, scale) for seg in _in_bounds(line, bounds)]
    return _join(pieces)


def base_traces(scale: str = "110m", bounds: Bounds | None = None, borders: bool = True) -> list[go.Scattergeo]:
    """Plotly traces drawing land (filled), coastlines and optionally borders."""
    lon, lat = land_outline(scale, bounds)
    traces = [
        go.Scattergeo(
            lon=lon, lat=lat, mode="lines", fill="toself", fillcolor=LAND_COLOUR,
            line=dict(width=0), hoverinfo="skip", name="land", showlegend=False,
        )
    ]
    clon, clat = line_layer("coast", scale, bounds)
    traces.append(go.Scattergeo(
        lon=clon, lat=clat, mode="lines", line=dict(width=0.7, color=COAST_COLOUR),
        hoverinfo="skip", name="coast", showlegend=False,
    ))
    if borders:
        blon, blat = line_layer("borders", scale, bounds)
        traces.append(go.Scattergeo(
            lon=blon, lat=blat, mode="lines", line=dict(width=0.5, color="#a0a0a0", dash="dot"),
            hoverinfo="skip", name="borders", showlegend=False,
        ))
    return traces


OFFLINE_GEO = dict(
    showland=False, showocean=False, showcoastlines=False, showcountries=False,
    showlakes=False, showrivers=False, showsubunits=False, showframe=True,
    bgcolor=SEA_COLOUR,
)
"""Geo layout settings that keep plotly.js from fetching its CDN base map."""
