"""Charts for notebooks that lay themselves out for the box they are shown in, from a phone (a
256 px box in JupyterLab on a 360 px screen) to a projector.

A plotly figure shown with ``fig.show()`` keeps the layout it was made with: its title does not
wrap and runs off a phone, a legend placed at a fixed share of the plot's height lands on the
tick labels when the plot is short, crowded date labels turn on their side and overlap, and the
first date label sits on the value axis's ``0``. A :class:`FittedChart` shows the figure as a
widget (:func:`explainer.ui.plotly_widget.figure_widget`) with a
:class:`~explainer.ui.screen.WidthProbe`; when the browser reports the box's width the kernel
gives the figure that width and the layout made for it, in one message (a phone gets its own
layout, not a squeezed desktop one). :func:`time_chart` makes that layout for a chart over time.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable

import ipywidgets as widgets
import plotly.graph_objects as go
import plotly.io as pio

from explainer.ui.plotly_widget import figure_widget
from explainer.ui.screen import WidthProbe, is_narrow

TICK_LABELS_PX = 30
"""Height below the plot taken by the date labels and their standoff (CSS px); an axis title
below them takes AXIS_TITLE_PX more."""
AXIS_TITLE_PX = 22
LEGEND_ROW_PX = 20
ANNOTATION_ROW_PX = 18
LEGEND_SHARE = 0.8
"""The share of the box's width the legend is taken to wrap in: plotly wraps it within the plot's
width, and the value axis's labels take the rest (measured: 139 of 934 px for the ports'
names)."""
TICK_SPACING_PX = 80
"""At most one date label per 80 px of plot width: "Sep 2025" at 12 px is about 55 px."""
UNKNOWN_WIDTH_PX = 900
"""The width a time chart is laid out for before a browser has told its box's."""


class FittedChart:
    """A chart laid out for its box: ``widget`` shows the title (with ``title_above``, as text that
    wraps), the figure and its text alternative ``text`` (plain text, an HTML paragraph of class
    ``css_class``); the object displays as its widget.

    ``figure`` is a ``FigureWidget`` or a ``go.Figure`` (made into the kit's widget through its
    JSON, or numpy datetimes would reach the browser as nanosecond integers). ``layout(width)``
    gives the layout properties (plotly's names or paths, e.g. ``"annotations[0].text"``) for a
    box ``width`` CSS px wide, 0 while unknown; the figure is laid out for 0 at once, and for
    the box's width when the browser reports it (``probe.width``), the width itself set too
    (plotly keeps the width it last drew when only the height changes)."""

    def __init__(self, figure: go.Figure | go.FigureWidget, layout: Callable[[int], dict] | None = None,
                 text: str = "", css_class: str = "chart-description", title_above: bool = False):
        if not isinstance(figure, go.FigureWidget):
            spec = json.loads(pio.to_json(figure))
            figure = figure_widget(data=spec["data"], layout=spec["layout"])
        title = figure.layout.title.text if title_above else None
        if title:
            figure.layout.title = None
        self.figure, self.layout, self.width = figure, layout, 0
        self.probe = WidthProbe()
        parts = [widgets.HTML(f"<h4 class='oe-chart-title'>{html.escape(title)}</h4>")] if title else []
        parts += [self.probe, figure]
        if text:
            self.text = widgets.HTML(f"<p>{html.escape(text)}</p>")
            self.text.add_class(css_class)
            parts.append(self.text)
        self.widget = widgets.VBox(parts, layout=widgets.Layout(width="100%"))
        self._apply(self.layout(0) if self.layout else {})
        self.probe.observe(lambda change: self.fit(change["new"]), names="width")

    def fit(self, width: int) -> None:
        """Lay the figure out for a box ``width`` CSS px wide (0: unknown, leave it)."""
        if width <= 0 or width == self.width:
            return
        self.width = width
        self._apply(dict(self.layout(width) if self.layout else {}, width=width))

    def _apply(self, changes: dict) -> None:
        # a dict updates what it names and keeps the rest (a legend keeps its font); a list
        # (annotations) replaces the list, so no property of a wider layout's note lingers
        with self.figure.batch_update():
            for key, value in changes.items():
                if isinstance(value, dict):
                    self.figure.layout[key].update(value)
                else:
                    self.figure.layout[key] = value

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def legend_rows(names: list[str], width_px: float, font_px: float = 11) -> int:
    """Rows a horizontal legend of entries ``names`` takes in ``width_px`` (CSS px), rounded up
    (too few and the legend would run into what follows the chart). plotly puts the entries in
    one row if they fit, else in a grid of equal columns as wide as the widest entry; an entry is
    its symbol and gaps (50 px) and its text, taken as 0.55 em per character (plotly's default
    font measures about 0.5 em)."""
    widths = [50 + 0.55 * font_px * len(name) for name in names]
    if sum(widths) <= width_px:
        return 1
    columns = max(1, math.floor(width_px / max(widths)))
    return math.ceil(len(names) / columns)


def time_chart(figure: go.Figure, short_texts: dict[str, str] | None = None, text: str = "") -> FittedChart:
    """``figure``, a chart over time (its layout's height is its plot's height plus its margins),
    as a :class:`FittedChart` with its title above it as text. For each width: at most one date
    label per :data:`TICK_SPACING_PX`, written level; the legend (if plotly shows one) in rows
    below the labels and the axis title, hung from the figure's bottom, so that when plotly
    pushes the plot up to fit long labels they go up with it, away from the legend; a row of room
    above the plot for each height of the annotations above it. In a box narrower than
    :data:`~explainer.ui.screen.NARROW_PX` the annotations named in ``short_texts`` take their
    short text."""
    layout = figure.layout
    margin_t = layout.margin.t if layout.margin.t is not None else 100
    margin_b = layout.margin.b if layout.margin.b is not None else 80
    plot_px = (layout.height or 450) - margin_t - margin_b
    notes = [(note.name, note.text) for note in layout.annotations]  # as made: the long texts
    above = {n.yshift or 0 for n in layout.annotations if n.yref == "paper" and (n.y or 0) >= 1}
    top_px = 12 + ANNOTATION_ROW_PX * len(above)
    labels_px = TICK_LABELS_PX + (AXIS_TITLE_PX if layout.xaxis.title.text else 0)
    names = [t.name for t in figure.data if t.showlegend is not False and t.name]
    if layout.showlegend is False or (layout.showlegend is None and len(figure.data) < 2):
        names = []  # plotly draws no legend
    short_texts = short_texts or {}

    def layout_for(width_px: int) -> dict:
        width = width_px or UNKNOWN_WIDTH_PX
        legend_px = legend_rows(names, LEGEND_SHARE * width) * LEGEND_ROW_PX + 8 if names else 0
        bottom = labels_px + legend_px
        height = plot_px + top_px + bottom
        changes = {
            "height": height,
            "margin": dict(t=top_px, b=bottom, l=layout.margin.l, r=layout.margin.r),
            "xaxis.nticks": max(2, math.floor(width / TICK_SPACING_PX)),
            "xaxis.tickangle": 0,
            "xaxis.ticklabelstandoff": 6,
            "legend": dict(orientation="h", x=0, xanchor="left", yref="container",
                           y=legend_px / height, yanchor="top"),
        }
        narrow = is_narrow(width_px)
        for i, (name, text) in enumerate(notes):
            if name in short_texts:
                changes[f"annotations[{i}].text"] = short_texts[name] if narrow else text
        return changes

    return FittedChart(figure, layout_for, text=text, title_above=True)
