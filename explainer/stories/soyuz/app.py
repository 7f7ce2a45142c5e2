"""The interactive Soyuz history: filters, the timeline and the flights-per-year chart, updated in
place, with a count readout and text alternatives that follow the filters. Narrow boxes (phones)
get the vertical timeline, chosen from the width the browser reports and switched on resize."""

from __future__ import annotations

import html
from collections import Counter

import ipywidgets as widgets
import numpy as np
import pandas as pd

from explainer.data.flight_schema import DESTINATIONS, OUTCOMES
from explainer.data.flights import load_flights
from explainer.stories.soyuz.figures import (
    hover_text,
    iso,
    marker_order,
    per_year_figure,
    per_year_layout,
    symbols,
)
from explainer.stories.soyuz.text import describe_per_year, describe_timeline
from explainer.stories.soyuz.timeline import (
    flight_traces,
    place,
    timeline_figure,
    timeline_layout,
)
from explainer.ui.screen import NARROW_PX, WidthProbe

NO_MATCH = "No flights match the filters"

CSS = """<style>
.soyuz-filter .widget-readout { width: auto; min-width: 6.5em; overflow: visible; }
</style>"""
"""The year slider's readout as wide as "1967 – 2025" (its default box cuts it on a phone)."""


class SoyuzApp:
    """The interactive history: filters (years, destination, outcome, uncrewed flights), the
    timeline and the flights-per-year chart (both updated in place), a count readout and a text
    alternative under each chart that follows the filters. When no flight matches, both charts
    give way to a message (and are left untouched until flights match again).

    ``widget`` is what a notebook displays. ``shown`` is the frame of flights shown. ``narrow``
    tells which timeline is shown: it follows ``box.width``, the width of the app's box as the
    browser reports it (vertical timeline under :data:`NARROW_PX`), and so do the charts' widths.
    CSS classes for browser tests: ``soyuz-timeline`` (the timeline's container),
    ``soyuz-filter`` (each filter widget), ``soyuz-count`` (the readout), ``soyuz-empty`` (the
    message shown when no flight matches).
    """

    _quiet = False  # set while show_all() changes several filters

    def __init__(self, df: pd.DataFrame | None = None):
        self.df = (load_flights() if df is None else df).reset_index(drop=True)
        df = self.df
        self.total = len(df)
        self.narrow = False
        self._drawn = np.ones(len(df), dtype=bool)  # the flights the timeline shows
        self._year = df.year.to_numpy()
        self._dest = df.destination.to_numpy(dtype=object)
        self._outcome = df.outcome.to_numpy(dtype=object)
        self._crewed = df.crewed.to_numpy()
        self._xs = iso(df.launch_utc)
        self._symbols = symbols(df)
        self._hover = np.array([hover_text(r) for r in df.itertuples()], dtype=object)
        self.timeline = timeline_figure(df)
        self.per_year = per_year_figure(df)
        self._traces = {t.name: t for t in flight_traces(self.timeline)}
        self._gen_idx = {g: marker_order(df, g) for g in self._traces}
        self._event_row = {f: int(np.flatnonzero(df.flight.to_numpy() == f)[0])
                           for f in self._event_notes()}
        self._years = np.arange(int(self._year.min()), int(self._year.max()) + 1)
        self._abort = self._outcome == "launch abort"
        self._build_controls()
        self.box.observe(lambda change: self.fit(change["new"]), names="width")
        self.update()

    def _event_notes(self) -> dict:
        """The timeline's event annotations by flight (they change when the layout does)."""
        return {a.name.split(":", 1)[1]: a for a in self.timeline.layout.annotations
                if (a.name or "").startswith("event:")}

    def _build_controls(self):
        lo, hi = int(self._year.min()), int(self._year.max())
        dests = [d for d in DESTINATIONS if d in set(self._dest)]
        outcomes = [o for o in OUTCOMES if o in set(self._outcome)]
        count = Counter(self._dest)
        style = {"description_width": "90px"}
        self.era = widgets.IntRangeSlider(
            value=(lo, hi), min=lo, max=hi, step=1, description="Years",
            continuous_update=False, layout=widgets.Layout(width="auto", max_width="640px"),
            style=style)
        # every option in view (no scrolling), so a selected item is never hidden
        self.destination = widgets.SelectMultiple(
            options=[(f"{d} ({count[d]})", d) for d in dests], value=tuple(dests),
            rows=len(dests), description="Destination", style=style,
            tooltip="Ctrl/Cmd-click to pick several")
        oc = Counter(self._outcome)
        self.outcome = widgets.SelectMultiple(
            options=[(f"{o} ({oc[o]})", o) for o in outcomes], value=tuple(outcomes),
            rows=len(outcomes), description="Outcome", style=style)
        self.uncrewed = widgets.Checkbox(value=True, description="Include uncrewed flights",
                                         indent=False)
        self.reset = widgets.Button(description="Show all", tooltip="Clear every filter",
                                    layout=widgets.Layout(width="auto"))
        self.reset.on_click(lambda _b: self.show_all())
        for w in (self.era, self.destination, self.outcome, self.uncrewed):
            w.add_class("soyuz-filter")
            w.observe(lambda _change: self.update(), names="value")
        self.count = widgets.HTML()
        self.count.add_class("soyuz-count")
        self.empty = widgets.HTML(  # carries the CSS too: a style applies while hidden
            f"{CSS}<p role='status'><b>{NO_MATCH}.</b> Widen the years or pick more destinations or "
            "outcomes, or press <i>Show all</i>.</p>", layout=widgets.Layout(display="none"))
        self.empty.add_class("soyuz-empty")
        self.timeline_text = widgets.HTML()
        self.timeline_text.add_class("soyuz-description")
        self.per_year_text = widgets.HTML()
        self.per_year_text.add_class("soyuz-description")
        self._timeline_box = widgets.Box([self.timeline], layout=widgets.Layout(width="100%"))
        self._timeline_box.add_class("soyuz-timeline")
        self._per_year_box = widgets.Box([self.per_year], layout=widgets.Layout(width="100%"))
        self.box = WidthProbe()
        filters = widgets.VBox([
            self.era,
            widgets.HBox([self.destination, self.outcome],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.uncrewed, self.reset, self.count],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
        ])
        self.widget = widgets.VBox([self.box, filters, self.empty, self._timeline_box,
                                    self.timeline_text, self._per_year_box, self.per_year_text])

    def fit(self, width: int) -> None:
        """Lay the charts out for a box ``width`` CSS px wide (0: unknown, leave them): as wide
        as the box (set here, not left to plotly's autosize, which can lose a race with the
        layout swap and stay at its default 700 px), and the vertical timeline under
        :data:`NARROW_PX`."""
        if width <= 0:
            return
        narrow = width < NARROW_PX
        if narrow == self.narrow:
            for fig in (self.timeline, self.per_year):
                fig.layout.width = width
            return
        self.narrow = narrow
        lo, hi = self.era.value
        layout = dict(timeline_layout(self.df, narrow, (lo, hi)), width=width)
        drawn_on_axes = {key: layout.pop(key) for key in ("annotations", "shapes")}
        # new axes and re-placed markers in one message, so plotly never sees them disagree;
        # then what is placed on the axes (plotly draws new annotations against the axes it has)
        self._draw_timeline(self._drawn, lo, hi, dict(layout, annotations=[], shapes=[]))
        with self.timeline.batch_update():
            for key, value in drawn_on_axes.items():
                self.timeline.layout[key] = value
        with self.per_year.batch_update():
            for key, value in dict(per_year_layout(narrow), width=width).items():
                self.per_year.layout[key] = value
        self.update()

    def show_all(self) -> None:
        """Reset every filter (one update)."""
        self._quiet = True
        try:
            self.era.value = (self.era.min, self.era.max)
            self.destination.value = tuple(v for _, v in self.destination.options)
            self.outcome.value = tuple(v for _, v in self.outcome.options)
            self.uncrewed.value = True
        finally:
            self._quiet = False
        self.update()

    def mask(self) -> np.ndarray:
        """Boolean array over ``df``: the flights the filters let through."""
        lo, hi = self.era.value
        m = (self._year >= lo) & (self._year <= hi)
        m &= np.isin(self._dest, list(self.destination.value))
        m &= np.isin(self._outcome, list(self.outcome.value))
        if not self.uncrewed.value:
            m &= self._crewed
        return m

    @property
    def shown(self) -> pd.DataFrame:
        return self.df[self.mask()]

    def update(self) -> None:
        """Apply the filters: traces, annotations and axes changed in place (one batch per
        figure), then the readout and the text alternatives. With nothing to show, the charts
        are hidden, not emptied."""
        if self._quiet:
            return
        m = self.mask()
        lo, hi = self.era.value
        n_shown = int(m.sum())
        if n_shown:
            self._draw_timeline(m, lo, hi)
            self._draw_per_year(m, lo, hi)
        hidden = "none" if n_shown == 0 else None
        for w in (self._timeline_box, self._per_year_box):
            w.layout.display = hidden
        self.empty.layout.display = None if n_shown == 0 else "none"
        shown = self.df[m]
        readout = f"<b>{n_shown}</b> of {self.total} flights shown"
        if n_shown == 0:
            readout = f"{NO_MATCH}: {readout}"
        self.count.value = f"<span aria-live='polite'>{readout}</span>"
        self.timeline_text.value = (
            f"<p>{html.escape(describe_timeline(shown, self.total, (lo, hi), self.narrow))}</p>")
        self.per_year_text.value = f"<p>{html.escape(describe_per_year(shown, (lo, hi)))}</p>"

    def _draw_timeline(self, m: np.ndarray, lo: int, hi: int, layout: dict | None = None) -> None:
        """Show the flights of mask ``m`` and the years ``lo`` to ``hi``, after applying
        ``layout`` (a whole new timeline layout), all in one batch."""
        fig = self.timeline
        with fig.batch_update():
            for key, value in (layout or {}).items():
                fig.layout[key] = value
            for gen, trace in self._traces.items():
                idx = self._gen_idx[gen]
                idx = idx[m[idx]]
                xy = place(self._xs[idx], [gen] * len(idx), self.narrow)
                trace.x, trace.y = xy["x"], xy["y"]
                trace.hovertext = self._hover[idx]
                trace.marker.symbol = self._symbols[idx]
            for flight, note in self._event_notes().items():
                note.visible = bool(m[self._event_row[flight]])
            dates = [f"{lo - 1}-10-01", f"{hi + 1}-03-31"]
            if self.narrow:
                fig.layout.yaxis.range = dates[::-1]
                fig.layout.height = timeline_layout(self.df, True, (lo, hi))["height"]
            else:
                fig.layout.xaxis.range = dates
        self._drawn = m

    def _draw_per_year(self, m: np.ndarray, lo: int, hi: int) -> None:
        sel = self._year[m] - self._years[0]
        n = len(self._years)
        crewed = np.bincount(sel[self._crewed[m] & ~self._abort[m]], minlength=n)
        aborts = np.bincount(sel[self._abort[m]], minlength=n)
        uncrewed = np.bincount(sel[~self._crewed[m]], minlength=n)
        with self.per_year.batch_update():
            for trace, y in zip(self.per_year.data, (crewed, aborts, uncrewed), strict=True):
                trace.y = y
            self.per_year.layout.xaxis.range = [lo - 0.5, hi + 0.5]
