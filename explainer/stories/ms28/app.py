"""The interactive map of the ISS during Soyuz MS-28's launch and approach (ipywidgets + plotly).

Everything heavy is computed once by :func:`explainer.stories.ms28.approach.approach`; moving the time control
only slices those arrays and sends a few hundred points to the browser.
"""

from __future__ import annotations

import html
import math
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from explainer import data
from explainer.astro.geo import bearing_deg, compass
from explainer.astro.orbit import footprint, ground_distance_km
from explainer.astro.sun import is_sunlit, night_polygons
from explainer.astro.timeutil import iso
from explainer.data.natural_earth import over_land
from explainer.stories.ms28.approach import KM_PER_MILE, Approach, approach
from explainer.ui.basemap import OFFLINE_GEO, base_traces
from explainer.ui.controls import play_controls
from explainer.ui.plotly_widget import figure_widget
from explainer.ui.screen import WidthProbe

# Okabe-Ito colour-blind-safe palette
BLUE, VERMILLION, ORANGE, SKY, GREEN, PURPLE = (
    "#0072B2", "#D55E00", "#E69F00", "#56B4E9", "#009E73", "#CC79A7"
)
MED_BOUNDS = (-12.0, 28.0, 72.0, 56.0)  # lon_min, lat_min, lon_max, lat_max: Spain to Baikonur
LAND_BOUNDS = (-12.0, 18.0, 72.0, 62.5)
"""Land drawn on the region map (deg, as MED_BOUNDS): every layout's view (:data:`MAP_SHAPE`)."""
TRACK_STEP_S = 20
FOOTPRINT = "visible from the ground (0° elevation)"
LEGEND_NAMES = {"wide": FOOTPRINT, "narrow": "visible from<br>the ground<br>(0° elevation)"}
"""The footprint's legend entry: on three lines on a phone, so the legend's two columns fit a map
256 px wide (a 360 px phone in JupyterLab)."""
MOVING = ("night", "track flown", "track ahead", FOOTPRINT, "places", "ISS")
"""The traces drawn over the base map, in order: the last ones of each figure."""
PLAY_RATE_S = 100
"""Seconds of flight per second of real time while playing."""
TIME_ZONES = {"Barcelona": "Europe/Madrid", "Baikonur": "Asia/Qyzylorda"}
"""IANA time zones (tz database) of the places the readout gives local times for: Barcelona keeps
Spain's CET (UTC+1 in November); Baikonur keeps Kazakhstan's Kyzylorda time (UTC+5)."""
TITLE_PX, LEGEND_PX = 36, {"wide": 28, "narrow": 104}
"""Height of the figure's title and of its legend (one row on a wide screen; on a phone three, one of
them three lines tall)."""
MAP_SHAPE = {"wide": dict(lon=(-12.0, 72.0), mid_lat=43.0, aspect=2.2, screen=0.62),
             "narrow": dict(lon=(-4.0, 66.0), mid_lat=44.0, aspect=1.15, screen=0.6)}
"""Region map per layout: longitudes shown and the latitude at its middle (deg), the smallest
width/height of the map, and the largest share of the window's height it may take. The
latitudes shown follow from the box (:func:`map_geometry`) and stay within LAND_BOUNDS."""


def mercator_lat_range(lon_range: tuple[float, float], aspect: float, mid_lat: float) -> tuple[float, float]:
    """Latitudes (deg) that make a Mercator map of ``lon_range`` (deg) ``aspect`` times as wide
    as it is tall, centred (in Mercator y) on ``mid_lat`` (deg)."""
    half = math.radians(lon_range[1] - lon_range[0]) / aspect / 2
    y_mid = math.log(math.tan(math.pi / 4 + math.radians(mid_lat) / 2))
    return tuple(round(math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2), 2)
                 for y in (y_mid - half, y_mid + half))


def map_geometry(view: str, width_px: int, screen_height_px: int, narrow: bool) -> dict:
    """Plotly layout settings that make the map fill a box ``width_px`` wide (CSS px) on a window
    ``screen_height_px`` tall: the figure's width and height, and for the region map the
    latitudes that give the Mercator map the box's shape (plotly keeps a map's aspect and would
    leave the rest of the box blank). The width is explicit because plotly pins a figure's width
    to whatever it last drew when its height changes. Before the browser has told the width
    (0 px): the desktop layout, as wide as the box."""
    layout = "narrow" if narrow else "wide"
    shape = MAP_SHAPE[layout]
    if width_px <= 0:
        return dict(height=480, legend={},
                    geo=dict(lonaxis_range=MED_BOUNDS[0::2], lataxis_range=MED_BOUNDS[1::2])
                    if view == "region" else {})
    plot_h = max(200, min(width_px / shape["aspect"], shape["screen"] * screen_height_px))
    if view == "globe":
        plot_h = min(width_px, max(plot_h, 320))
    # on a phone the legend has two columns, whatever its longest entry
    legend = dict(entrywidth=width_px // 2 - 50 if narrow else None, entrywidthmode="pixels")
    size = dict(width=width_px, height=round(plot_h + TITLE_PX + LEGEND_PX[layout]), legend=legend)
    if view != "region":
        return dict(size, geo={})
    return dict(size, geo=dict(
        lonaxis_range=shape["lon"],
        lataxis_range=mercator_lat_range(shape["lon"], width_px / plot_h, shape["mid_lat"])))


def local_time(t: np.datetime64, zone: str) -> str:
    """``t`` (UTC) as a local clock time in the IANA time zone ``zone``: ``"13:34:35 (UTC+1)"``."""
    utc = datetime.fromisoformat(iso(t)[:19]).replace(tzinfo=UTC)
    local = utc.astimezone(ZoneInfo(zone))
    hours = local.utcoffset().total_seconds() / 3600
    return f"{local:%H:%M:%S} (UTC{hours:+g})"


def _fmt_dt(seconds: float) -> str:
    sign = "-" if seconds < 0 else "+"
    s = int(round(abs(seconds)))
    return f"T{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


@cache
def night_rings(start: np.datetime64, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """The night side at the start of every minute of a track of ``samples`` seconds from UTC
    ``start``: lon and lat (deg, rounded to 0.01), one row per minute. Computed once per process
    (the classroom's kernel zygote does it for every visitor) instead of at each step of every
    visitor's time control: a night ring alone costs about 8 ms of CPU."""
    times = start + np.arange(0, samples, 60) * np.timedelta64(1, "s")
    lon, lat = night_polygons(times, n=121)
    return lon.round(2), lat.round(2)


class IssApp:
    """Time control, two map views (region and globe), a readout and a text description.

    ``widget`` is what a notebook displays. ``show(seconds)`` moves to seconds after launch.
    """

    def __init__(self, story: Approach | None = None):
        self.story = story or approach()
        s = self.story
        self.t = s.track.time
        self.seconds = (self.t - s.launch) / np.timedelta64(1, "s")
        self.lit = is_sunlit(s.track.itrs_km, self.t)
        places = data.places()
        self.bcn = places.loc["Barcelona"]
        self.bk = places.loc["Baikonur"]
        self.dist_bcn = ground_distance_km(s.track.lat_deg, s.track.lon_deg,
                                           self.bcn.lat_deg, self.bcn.lon_deg)
        self._coarse = np.arange(0, len(self.t), TRACK_STEP_S)
        self.view = "region"
        start = int(np.argmin(np.abs(self.t - s.docking)))
        self._night_minute = start // 60
        self.period_s = s.elset.period_min * 60.0
        self.probe = WidthProbe()
        # plotly FigureWidget syncs only what it is constructed with: build each figure in its
        # initial state; later changes are sent as messages to the displayed figure. The globe
        # is built the first time it is asked for, so the page loads one figure, not two.
        self.figures = {"region": self._figure("region", start)}
        self._build_controls(start)
        self._write_text(start)

    # --- figures ---------------------------------------------------------------------------
    def _moving_parts(self, i: int) -> dict:
        """Data of the traces that follow the time control, at sample ``i``."""
        s = self.story
        lat, lon = float(s.track.lat_deg[i]), float(s.track.lon_deg[i])
        k = int(np.searchsorted(self._coarse, i))
        done = np.append(self._coarse[:k], i)
        todo = np.insert(self._coarse[k:], 0, i)
        f_lon, f_lat = footprint(lat, lon, float(s.track.alt_km[i]), 0.0, n=91)
        return {
            "track flown": (s.track.lon_deg[done].round(3), s.track.lat_deg[done].round(3)),
            "track ahead": (s.track.lon_deg[todo].round(3), s.track.lat_deg[todo].round(3)),
            FOOTPRINT: (f_lon.round(2), f_lat.round(2)),
            "ISS": ([lon], [lat]),
        }

    def _night(self, i: int):
        lon, lat = night_rings(self.t[0], len(self.t))
        return lon[i // 60], lat[i // 60]

    def _title(self, i: int) -> str:
        return f"ISS at {iso(self.t[i])[:19].replace('T', ' ')} UTC"

    def _figure(self, view: str, i: int) -> go.FigureWidget:
        s = self.story
        lat, lon = float(s.track.lat_deg[i]), float(s.track.lon_deg[i])
        shape = map_geometry(view, self.probe.width, self.probe.screen_height, self.probe.narrow)
        if view == "region":
            traces = base_traces("50m", LAND_BOUNDS)
            geo = dict(projection_type="mercator", **shape["geo"])
        else:
            traces = base_traces("110m", borders=False)
            geo = dict(projection_type="orthographic",
                       projection_rotation=dict(lon=round(lon), lat=round(lat * 0.6)))
        moving = self._moving_parts(i)
        n_lon, n_lat = self._night(i)
        traces += [
            go.Scattergeo(name="night", mode="lines", fill="toself", line=dict(width=0),
                          lon=n_lon, lat=n_lat,
                          fillcolor="rgba(20, 30, 70, 0.16)", hoverinfo="skip"),
            go.Scattergeo(name="track flown", mode="lines", line=dict(color=BLUE, width=2.5),
                          hoverinfo="skip"),
            go.Scattergeo(name="track ahead", mode="lines",
                          line=dict(color=BLUE, width=1.5, dash="dash"), hoverinfo="skip"),
            go.Scattergeo(name=LEGEND_NAMES["narrow" if self.probe.narrow else "wide"], mode="lines",
                          line=dict(color=ORANGE, width=2), hoverinfo="skip"),
            go.Scattergeo(name="places", mode="markers+text",
                          lon=[self.bk.lon_deg, self.bcn.lon_deg],
                          lat=[self.bk.lat_deg, self.bcn.lat_deg],
                          text=["Baikonur", "Barcelona"], textposition=["top left", "top right"],
                          marker=dict(symbol="diamond", size=9, color="black"),
                          hovertemplate="%{text}<extra></extra>"),
            go.Scattergeo(name="ISS", mode="markers", marker=dict(size=13, color=VERMILLION,
                          symbol="circle", line=dict(color="white", width=1.5)),
                          hovertemplate="ISS<br>%{lat:.2f}°, %{lon:.2f}°<extra></extra>"),
        ]
        for name, trace in zip(MOVING, traces[-len(MOVING):], strict=True):
            if name in moving:
                trace.lon, trace.lat = moving[name]
        return figure_widget(data=traces, layout=dict(
            geo=dict(**OFFLINE_GEO, **geo), width=shape.get("width"), height=shape["height"],
            autosize=True, margin=dict(l=0, r=0, t=TITLE_PX, b=0), showlegend=True,
            legend=dict(orientation="h", y=-0.02, x=0, font=dict(size=11), **shape["legend"]),
            title=dict(text=self._title(i), font=dict(size=14), x=0.01),
            uirevision="keep",
        ))

    def _dynamic(self, fig: go.FigureWidget) -> dict:
        return dict(zip(MOVING, fig.data[-len(MOVING):], strict=True))

    # --- controls --------------------------------------------------------------------------
    def _build_controls(self, start: int):
        n = len(self.t)
        self.slider = widgets.IntSlider(
            value=start, min=0, max=n - 1, step=1, description="Time",
            continuous_update=True, readout=False, layout=widgets.Layout(width="100%"),
            style={"description_width": "40px"},
        )
        self.slider.add_class("iss-time")
        self.play, player_box = play_controls(
            self.slider, rate=PLAY_RATE_S, rate_text=f"{PLAY_RATE_S} s of flight per second",
            label="Play the flight", reset_text=f"the start ({_fmt_dt(self.seconds[0])})")
        self.play.add_class("iss-player")
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        s = self.story
        jumps = [
            ("Launch", s.launch),
            ("Nearest Baikonur", s.baikonur_pass.time),
            ("Nearest Barcelona", s.barcelona.time),
            ("Docking", s.docking),
        ]
        buttons = []
        for label, when in jumps:
            b = widgets.Button(description=label, tooltip=f"Jump to {label.lower()} ({iso(when)})",
                               layout=widgets.Layout(width="auto"))
            index = int(np.argmin(np.abs(self.t - when)))
            b.on_click(lambda _b, i=index: setattr(self.slider, "value", i))
            buttons.append(b)
        self.view_toggle = widgets.ToggleButtons(
            options=[("Mediterranean and route", "region"), ("Globe", "globe")], value="region",
            tooltips=["Map from Spain to Baikonur", "Globe centred on the ISS"],
            style={"button_width": "auto"},
        )
        self.view_toggle.observe(self._switch_view, names="value")
        self.stack = widgets.Stack([self.figures["region"]], selected_index=0,
                                   layout=widgets.Layout(width="100%"))
        self.readout = widgets.HTML()
        self.readout.add_class("iss-readout")
        self.description = widgets.HTML()
        self.description.add_class("iss-description")
        controls = widgets.VBox([
            player_box,
            widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap")),
            self.view_toggle,
        ])
        # the map takes the width; on a narrow screen the readout moves below it. The probe
        # measures the map's box, so the figure is laid out for it (map_geometry)
        self.probe.observe(self._resize, names=["width", "screen_height"])
        body = widgets.Box(
            [widgets.VBox([self.stack, self.probe], layout=widgets.Layout(flex="3 1 420px", min_width="0")),
             widgets.Box([self.readout], layout=widgets.Layout(flex="1 1 220px"))],
            layout=widgets.Layout(display="flex", flex_flow="row wrap", width="100%"),
        )
        self.widget = widgets.VBox([controls, body, self.description])
        self.widget.add_class("iss-app")

    def _resize(self, _change=None) -> None:
        """Lay the figures out for the box the probe measured."""
        legend_name = LEGEND_NAMES["narrow" if self.probe.narrow else "wide"]
        for view, fig in self.figures.items():
            shape = map_geometry(view, self.probe.width, self.probe.screen_height, self.probe.narrow)
            with fig.batch_update():
                fig.layout.update(width=shape.get("width"), height=shape["height"], legend=shape["legend"])
                fig.layout.geo.update(shape["geo"])
                self._dynamic(fig)[FOOTPRINT].name = legend_name

    def _switch_view(self, change):
        self.view = change["new"]
        if self.view not in self.figures:
            self.figures[self.view] = self._figure(self.view, self.slider.value)
            self.stack.children = [*self.stack.children, self.figures[self.view]]
        self.stack.selected_index = list(self.figures).index(self.view)
        self._night_minute = None
        self.show(self.slider.value)

    # --- update ----------------------------------------------------------------------------
    def show(self, i: int) -> None:
        """Move everything to sample ``i`` (seconds since the window's start). Cheap: slices and a
        few hundred points; the night side is redrawn once a minute of flight."""
        if self.slider.value != i:
            self.slider.value = i  # the observer calls back into show()
            return
        fig = self.figures[self.view]
        traces = self._dynamic(fig)
        minute = i // 60
        with fig.batch_update():
            for name, (lon, lat) in self._moving_parts(i).items():
                traces[name].lon, traces[name].lat = lon, lat
            if minute != self._night_minute:
                traces["night"].lon, traces["night"].lat = self._night(i)
                self._night_minute = minute
            if self.view == "globe":
                lat, lon = traces["ISS"].lat[0], traces["ISS"].lon[0]
                rot = fig.layout.geo.projection.rotation
                if abs(((rot.lon - lon + 180) % 360) - 180) > 25 or abs(rot.lat - lat) > 20:
                    fig.layout.geo.projection.rotation = dict(lon=round(lon), lat=round(lat * 0.6))
            fig.layout.title.text = self._title(i)
        self._write_text(i)

    def _write_text(self, i: int) -> None:
        self.readout.value = self.readout_html(i)
        self.description.value = f"<p>{html.escape(self.describe(i))}</p>"

    def readout_html(self, i: int) -> str:
        s = self.story
        alt = float(s.track.alt_km[i])
        since = _fmt_dt(self.seconds[i])
        if self.seconds[i] >= 0:
            since += f" = {self.seconds[i] / self.period_s:.2f} orbits"
        rows = [
            ("UTC", iso(self.t[i])[:19].replace("T", " ")),
            *((f"{place} time", local_time(self.t[i], zone)) for place, zone in TIME_ZONES.items()),
            ("Since launch", since),
            ("Orbital period", f"{s.elset.period_min:.2f} min"),
            ("Latitude", f"{s.track.lat_deg[i]:.2f}°"),
            ("Longitude", f"{s.track.lon_deg[i]:.2f}°"),
            ("Altitude", f"{alt:.1f} km ({alt / KM_PER_MILE:.1f} mi)"),
            ("Orbital speed", f"{s.track.orbital_speed_km_s[i]:.2f} km/s"),
            ("Ground speed", f"{s.track.ground_speed_km_s[i]:.2f} km/s"),
            ("Sunlight", "sunlit" if self.lit[i] else "in Earth's shadow"),
            ("To Barcelona", f"{self.dist_bcn[i]:,.0f} km"),
        ]
        cells = "".join(f"<tr><th scope='row'>{k}</th><td>{v}</td></tr>" for k, v in rows)
        return f"<table class='readout' aria-label='ISS readout'>{cells}</table>"

    def describe(self, i: int) -> str:
        """A sentence describing the map at sample ``i`` (text alternative for the figure)."""
        s = self.story
        lat, lon = float(s.track.lat_deg[i]), float(s.track.lon_deg[i])
        where = "land" if over_land(lat, lon)[0] else "sea"
        direction = compass(float(bearing_deg(self.bcn.lat_deg, self.bcn.lon_deg, lat, lon)))
        phase = ("before Soyuz MS-28's launch" if self.seconds[i] < 0 else
                 "after docking" if self.t[i] >= s.docking else
                 f"{_fmt_dt(self.seconds[i])[2:]} after Soyuz MS-28's launch")
        return (
            f"Map: at {iso(self.t[i])[11:19]} UTC on 27 November 2025, {phase}, the ISS is over "
            f"{where} at {abs(lat):.1f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.1f}° "
            f"{'E' if lon >= 0 else 'W'}, {s.track.alt_km[i]:.0f} km up, "
            f"{'in sunlight' if self.lit[i] else 'in the Earth shadow'}, "
            f"{self.dist_bcn[i]:,.0f} km {direction} of Barcelona. The solid blue line is the "
            "track already flown since launch, the dashed line the track ahead, the orange circle "
            "the area from which the ISS is above the horizon, and the shaded area is night."
        )
