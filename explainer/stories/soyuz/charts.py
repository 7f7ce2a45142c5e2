"""Charts that lay themselves out for the box they are shown in: a figure, its text alternative
and a :class:`~explainer.ui.screen.WidthProbe`; when the browser reports the box's width, the
figure takes it and the layout made for it (a phone gets its own layout, not a squeezed desktop
one). Notebook 03 shows its charts this way."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from explainer.stories.soyuz.figures import (
    crew_size_figure,
    crew_size_layout,
    durations_figure,
    durations_layout,
    rendezvous_figure,
    rendezvous_flights,
    rendezvous_layout,
)
from explainer.stories.soyuz.text import (
    describe_crew_sizes,
    describe_durations,
    describe_rendezvous,
)
from explainer.ui.screen import WidthProbe


class FittedChart:
    """A figure above its text alternative (an HTML paragraph), laid out for its box.

    Parameters
    ----------
    fig : plotly.graph_objects.FigureWidget
        The chart.
    text : str
        Its text alternative (plain text).
    layout : callable, optional
        ``layout(width)``: the layout properties (plotly's names, ``"title_text"`` style or nested
        dicts) for a box ``width`` CSS px wide. Without it the figure only takes the box's width.
    css_class : str
        CSS class of the text alternative.

    ``widget`` is what a notebook displays (the object displays as it too). ``probe.width`` is
    the box's width as the browser reports it (0 until then); :meth:`fit` follows it.
    """

    def __init__(self, fig: go.FigureWidget, text: str,
                 layout: Callable[[int], dict] | None = None,
                 css_class: str = "soyuz-description"):
        self.figure = fig
        self.layout = layout
        self.width = 0
        self.text = widgets.HTML(f"<p>{html.escape(text)}</p>")
        self.text.add_class(css_class)
        self.probe = WidthProbe()
        self.widget = widgets.VBox([self.probe, fig, self.text])
        self.probe.observe(lambda change: self.fit(change["new"]), names="width")

    def fit(self, width: int) -> None:
        """Lay the figure out for a box ``width`` CSS px wide (0: unknown, leave it): that width
        (set here, not left to plotly's autosize, which can keep its default 700 px) and the
        layout made for it, in one message."""
        if width <= 0 or width == self.width:
            return
        self.width = width
        changes = dict(self.layout(width) if self.layout else {}, width=width)
        with self.figure.batch_update():
            for key, value in changes.items():
                self.figure.layout[key] = value

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def figure_with_text(fig: go.FigureWidget, text: str, layout: Callable[[int], dict] | None = None,
                     css_class: str = "soyuz-description") -> widgets.VBox:
    """A chart with its text alternative underneath, laid out for its box (:class:`FittedChart`;
    ``layout(width)`` gives the layout for a box ``width`` CSS px wide)."""
    return FittedChart(fig, text, layout, css_class).widget


def durations_chart(df: pd.DataFrame) -> FittedChart:
    """How long each flight of ``df`` flew (:func:`~explainer.stories.soyuz.figures.durations_figure`),
    with its text alternative, laid out for its box."""
    return FittedChart(durations_figure(df), describe_durations(df), durations_layout)


def crew_size_chart(df: pd.DataFrame) -> FittedChart:
    """Crew sizes at launch by generation
    (:func:`~explainer.stories.soyuz.figures.crew_size_figure`), with its text alternative, laid
    out for its box."""
    return FittedChart(crew_size_figure(df), describe_crew_sizes(df), crew_size_layout)


def rendezvous_chart(df: pd.DataFrame) -> FittedChart:
    """Launch to docking of the crewed flights of ``df`` to the ISS
    (:func:`~explainer.stories.soyuz.figures.rendezvous_figure`), with its text alternative,
    laid out for its box."""
    r = rendezvous_flights(df)
    return FittedChart(rendezvous_figure(df), describe_rendezvous(r), partial(rendezvous_layout, r))
