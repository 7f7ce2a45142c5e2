"""'Your own place': closest approach and passes of the ISS over a place typed by the reader.

Any bad input (a date that does not exist, a place that does not parse, a day with no element set
near it) becomes a message in the page, never a traceback.
"""

from __future__ import annotations

import html
import warnings

import ipywidgets as widgets
import numpy as np

from explainer import data
from explainer.astro.observer import closest_approach, parse_place, passes
from explainer.astro.timeutil import iso, parse_time
from explainer.astro.tle import nearest


def place_report(place: str, day: str) -> str:
    """HTML: where the ISS came nearest ``place`` (``LAT,LON``) on ``day`` (UTC date) and its
    passes that day. Raises ValueError with a readable message on bad input."""
    lat, lon = parse_place(place)
    try:
        start = parse_time(day.strip()).astype("datetime64[D]").astype("datetime64[ns]")
    except ValueError:
        raise ValueError(f"cannot read the day {day.strip()!r}: use YYYY-MM-DD, e.g. 2025-11-27") from None
    end = start + np.timedelta64(1, "D")
    elset = nearest(list(data.tles()), start + np.timedelta64(12, "h"))
    c = closest_approach(elset, lat, lon, start, end, step_s=2.0)
    found = passes(elset, lat, lon, start, days=1.0, min_elevation_deg=10.0)
    rows = "".join(
        f"<tr><td>{p.rise_utc[11:19]}</td><td>{p.culmination_utc[11:19]}</td>"
        f"<td>{p.set_utc[11:19]}</td><td>{p.max_elevation_deg:.0f}°</td>"
        f"<td>{'yes' if p.visible else 'no'}</td></tr>"
        for p in found
    )
    table = (
        "<table class='readout place-passes'><tr><th scope='col'>Rises above 10° (UTC)</th>"
        "<th scope='col'>Highest (UTC)</th><th scope='col'>Sinks below 10° (UTC)</th>"
        "<th scope='col'>Highest angle above the horizon</th>"
        f"<th scope='col'>Can you see it? (ISS sunlit, sky dark)</th></tr>{rows}</table>"
        if found else "<p>No pass higher than 10° that day.</p>"
    )
    return (
        f"<p>On {iso(start)[:10]} the ISS came nearest {lat:.2f}°, {lon:.2f}° at "
        f"<b>{c.time_utc[11:19]} UTC</b>: {c.distance_km:,.0f} km away, "
        f"{c.elevation_deg:.0f}° above the horizon. Its passes higher than 10° above the horizon "
        f"that day:</p>{table}"
        f"<p><small>Computed from the ISS's orbit data (element set) published for "
        f"{iso(elset.epoch)[:16].replace('T', ' ')} UTC.</small></p>"
    )


class PlaceFinder:
    """Text boxes for a place and a day, a button, and the answer (or a clear message)."""

    def __init__(self, place: str = "41.3851,2.1734", day: str = "2025-11-27"):
        # no wider than their box: a text box is 300 px, and a 360 px phone leaves JupyterLab's
        # output 275 px
        fits = dict(layout=widgets.Layout(max_width="calc(100% - 4px)"))  # less its 2 px margins
        self.place = widgets.Text(value=place, description="Place", placeholder="LAT,LON",
                                  tooltip="Latitude,longitude in degrees (north and east positive)", **fits)
        self.day = widgets.Text(value=day, description="Day (UTC)", placeholder="YYYY-MM-DD", **fits)
        self.button = widgets.Button(description="Find the ISS", button_style="primary")
        self.result = widgets.HTML()
        for w, cls in ((self.place, "place-input"), (self.day, "day-input"),
                       (self.button, "place-go"), (self.result, "place-result")):
            w.add_class(cls)
        self.button.on_click(lambda _b: self.update())
        intro = widgets.HTML("<h3>Your own place</h3><p>When did the ISS pass nearest you? Type a "
                             "latitude,longitude and a day in November 2025.</p>")
        intro.add_class("place-intro")
        self.widget = widgets.VBox([
            intro,
            widgets.HBox([self.place, self.day, self.button],
                         layout=widgets.Layout(flex_flow="row wrap", max_width="100%")),
            self.result,
        ])

    def update(self) -> None:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                report = place_report(self.place.value, self.day.value)
            notes = "".join(f"<p class='oe-note'>Note: {html.escape(m)}</p>"
                            for m in dict.fromkeys(str(w.message) for w in caught))
            self.result.value = report + notes
        except (ValueError, RuntimeError) as exc:
            self.result.value = (f"<div class='oe-error' role='alert'>"
                                 f"{html.escape(str(exc))}</div>")
