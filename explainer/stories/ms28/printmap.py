"""A print-quality static map of the Soyuz MS-28 approach (cartopy + matplotlib), for worksheets
and slides. Drawn from the shipped Natural Earth files: nothing is downloaded."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from explainer.astro.orbit import footprint, split_track
from explainer.astro.sun import night_polygon
from explainer.astro.timeutil import iso
from explainer.paths import natural_earth_dir
from explainer.stories.ms28.approach import Approach, approach


def offline_cartopy():
    """cartopy (reading the shipped Natural Earth files, never downloading) and pyplot (Agg),
    imported when a map is first drawn rather than when this module is imported."""
    folder = str(natural_earth_dir())
    os.environ.setdefault("CARTOPY_DATA_DIR", folder)
    import cartopy
    import cartopy.crs as ccrs
    import cartopy.feature as cfeature
    import matplotlib

    cartopy.config["pre_existing_data_dir"] = folder
    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return ccrs, cfeature, plt


BLUE, VERMILLION, ORANGE = "#0072B2", "#D55E00", "#E69F00"
EXTENT = (-12.0, 72.0, 28.0, 56.0)  # lon_min, lon_max, lat_min, lat_max


def _plot_pieces(ax, lon, lat, ccrs, label=None, **style):
    """Plot a NaN-separated line (from :func:`split_track`) piece by piece; cartopy does not
    accept NaN breaks."""
    breaks = np.flatnonzero(np.isnan(lon))
    for k, (x, y) in enumerate(zip(np.split(lon, breaks), np.split(lat, breaks), strict=True)):
        keep = ~np.isnan(x)
        ax.plot(x[keep], y[keep], transform=ccrs.PlateCarree(), label=label if k == 0 else None,
                **style)


def approach_map(story: Approach | None = None):
    """The last orbit before docking over the Mediterranean and Central Asia, as a matplotlib
    Figure: the ground track (solid flown, with 5-minute ticks), the ISS when nearest Barcelona
    and at docking, its visibility circle at docking, night shading, Baikonur and Barcelona."""
    from explainer import data

    ccrs, cfeature, plt = offline_cartopy()
    s = story or approach()
    places = data.places()
    fig = plt.figure(figsize=(12, 5.4), dpi=100)
    ax = fig.add_subplot(1, 1, 1, projection=ccrs.Mercator(central_longitude=30))
    ax.set_extent(EXTENT, crs=ccrs.PlateCarree())
    ax.add_feature(cfeature.LAND.with_scale("50m"), facecolor="#e9e4d8")
    ax.coastlines("50m", linewidth=0.6, color="#555555")
    ax.add_feature(cfeature.BORDERS.with_scale("50m"), linewidth=0.4, edgecolor="#999999",
                   linestyle=":")
    ax.set_facecolor("#eef4f8")
    pc = ccrs.PlateCarree()

    n_lon, n_lat = night_polygon(s.docking, n=361)
    ax.fill(n_lon, n_lat, transform=pc, color="#14204a", alpha=0.18, linewidth=0, label="night")

    last_orbit = (s.track.time >= s.docking - np.timedelta64(95, "m")) & (s.track.time <= s.docking)
    lon, lat = split_track(s.track.lon_deg[last_orbit], s.track.lat_deg[last_orbit])
    _plot_pieces(ax, lon, lat, ccrs, color=BLUE, linewidth=2.2,
                 label="ISS ground track, last orbit before docking")
    ticks = np.flatnonzero(last_orbit)[::300]
    ax.scatter(s.track.lon_deg[ticks], s.track.lat_deg[ticks], transform=pc, s=10, color=BLUE,
               zorder=4)
    d = s.at_docking
    f_lon, f_lat = footprint(d["lat_deg"], d["lon_deg"], d["alt_km"], 0.0)
    _plot_pieces(ax, *split_track(f_lon, f_lat), ccrs, color=ORANGE, linewidth=1.6,
                 label="ISS above the horizon from inside this circle (at docking)")
    b = s.barcelona
    b_i = int(np.argmin(np.abs(s.track.time - b.time)))
    ax.scatter([s.track.lon_deg[b_i]], [s.track.lat_deg[b_i]], transform=pc, s=60, marker="o",
               facecolor="white", edgecolor=VERMILLION, linewidth=2, zorder=5,
               label=f"ISS nearest Barcelona, {b.time_utc[11:19]} UTC ({b.distance_km:.0f} km)")
    ax.scatter([d["lon_deg"]], [d["lat_deg"]], transform=pc, s=80, color=VERMILLION, zorder=5,
               edgecolor="white", label=f"ISS at docking, {d['time_utc'][11:19]} UTC, "
               f"{d['alt_km']:.0f} km up")
    for _, p in places.iterrows():
        ax.scatter([p.lon_deg], [p.lat_deg], transform=pc, marker="D", s=30, color="black", zorder=6)
        ax.text(p.lon_deg + 0.8, p.lat_deg + 0.6, p.short_name, transform=pc, fontsize=10,
                weight="bold")
    ax.gridlines(draw_labels=True, linewidth=0.3, color="#888888", x_inline=False, y_inline=False)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title("Soyuz MS-28 docks to the ISS, 27 November 2025: the station's last orbit "
                 "before docking", fontsize=12)
    fig.text(0.01, 0.01, f"Computed with SGP4 from the ISS element set of {iso(s.elset.epoch)[:16]} "
             "UTC. Coastlines: Natural Earth. Dots on the track every 5 min.", fontsize=7,
             color="#444444")
    return fig


def save_approach_map(stem: str | Path = "ms28_approach", story: Approach | None = None) -> list[Path]:
    """Save the approach map as ``<stem>.png`` (200 dpi) and ``<stem>.pdf``; returns the paths."""
    fig = approach_map(story)
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".pdf")]
    fig.savefig(paths[0], dpi=200, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    offline_cartopy()[2].close(fig)
    return paths
