"""A chart over time for a notebook that lays itself out for the box it is shown in, from a phone
(a 256 px box in JupyterLab on a 360 px screen) to a projector.

A plotly figure shown with ``fig.show()`` keeps the layout it was made with: its title does not
wrap and runs off a phone, a legend placed at a fixed share of the plot's height lands on the
tick labels when the plot is short, crowded date labels turn on their side and overlap, and the
first date label sits on the value axis's ``0``. :class:`FittedChart` shows the figure as a widget
(:func:`explainer.ui.plotly_widget.figure_widget`) under its title in HTML, which wraps, and the
kernel, told the box's width by a :class:`~explainer.ui.screen.WidthProbe`, sets the tick count,
the legend's place below the tick labels and the margins in pixels for that width. On a narrow
box, annotations named in ``short_texts`` take their short text.
"""

from __future__ import annotations

import html
import json
import math

import ipywidgets as widgets
import plotly.graph_objects as go
import plotly.io as pio

from explainer.ui.plotly_widget import figure_widget
from explainer.ui.screen import WidthProbe

TICK_LABELS_PX = 30
"""Height below the plot taken by the date labels and their standoff (CSS px); an axis title
below them takes AXIS_TITLE_PX more."""
LEGEND_ROW_PX = 20
ANNOTATION_ROW_PX = 18
AXIS_TITLE_PX = 22
LEGEND_SHARE = 0.8
"""The share of the box's width the legend is taken to wrap in (the plot's width: the value
axis's labels take the rest, up to 140 px for the ports' names)."""
TICK_SPACING_PX = 80
"""At most one date label per 80 px of plot width: "Sep 2025" at 12 px is about 55 px."""


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


class FittedChart:
    """``widget`` shows ``figure`` (its layout's height is the plot's height plus its margins)
    with its title above it as text, laid out for the width of the box it is shown in.
    ``short_texts`` maps annotation names to the text they show in a box narrower than
    :data:`explainer.ui.screen.NARROW_PX`."""

    def __init__(self, figure: go.Figure, short_texts: dict[str, str] | None = None):
        # through JSON: a widget would send numpy datetimes as nanosecond integers
        spec = json.loads(pio.to_json(figure))
        layout = spec["layout"]
        title = (layout.pop("title", None) or {}).get("text", "")
        margin = layout.get("margin", {})
        self.plot_px = layout.get("height", 450) - margin.get("t", 100) - margin.get("b", 80)
        self.short_texts = short_texts or {}
        self.long_texts = {a.get("name"): a.get("text") for a in layout.get("annotations", [])}
        above = {a.get("yshift", 0) for a in layout.get("annotations", [])
                 if a.get("yref") == "paper" and a.get("y", 0) >= 1}
        self.top_px = 12 + ANNOTATION_ROW_PX * len(above)
        x_title = (layout.get("xaxis", {}).get("title") or {}).get("text")
        self.labels_px = TICK_LABELS_PX + (AXIS_TITLE_PX if x_title else 0)
        self.legend_names = [t["name"] for t in spec["data"] if t.get("showlegend", True) and t.get("name")]
        self.probe = WidthProbe()
        self.figure = figure_widget(data=spec["data"], layout=layout)
        self.figure.update_layout(self.layout_for(0))
        self.probe.observe(self._fit, names="width")
        heading = widgets.HTML(f"<h4 class='oe-chart-title'>{html.escape(title)}</h4>") if title else None
        self.widget = widgets.VBox([w for w in (heading, self.probe, self.figure) if w is not None],
                                   layout=widgets.Layout(width="100%"))

    def layout_for(self, width_px: int) -> dict:
        """Layout settings for a box ``width_px`` wide (CSS px; 0 before a browser said). The legend
        hangs from a line ``labels_px`` below the plot's planned bottom, measured from the figure's
        bottom: plotly may still push the plot up to make room for long labels, and the labels go
        up with it, away from the legend."""
        width = width_px or 900
        # the legend wraps within the plot's width: the box less the value labels' margin
        rows = legend_rows(self.legend_names, LEGEND_SHARE * width) if self.legend_names else 0
        legend_px = rows * LEGEND_ROW_PX + 8
        bottom = self.labels_px + legend_px
        height = self.plot_px + self.top_px + bottom
        return dict(
            # explicit: plotly keeps the width it last drew when only the height changes
            width=width_px or None,
            height=height,
            margin=dict(t=self.top_px, b=bottom),
            xaxis=dict(nticks=max(2, math.floor(width / TICK_SPACING_PX)), tickangle=0, ticklabelstandoff=6),
            legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=legend_px / height,
                        yanchor="top"),
        )

    def _fit(self, change=None) -> None:
        narrow = self.probe.narrow
        with self.figure.batch_update():
            self.figure.update_layout(self.layout_for(self.probe.width))
            for note in self.figure.layout.annotations:
                if note.name in self.short_texts:
                    note.text = self.short_texts[note.name] if narrow else self.long_texts[note.name]
