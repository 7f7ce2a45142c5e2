"""Notebook 03's charts, each with its text alternative, laid out for the box they are shown in
(:class:`explainer.ui.fitted_chart.FittedChart`; the layouts per width are in :mod:`.figures`)."""

from __future__ import annotations

from functools import partial

import pandas as pd

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
from explainer.ui.fitted_chart import FittedChart

CSS_CLASS = "soyuz-description"
"""The class of the charts' text alternatives."""


def durations_chart(df: pd.DataFrame) -> FittedChart:
    """How long each flight of ``df`` flew (:func:`~explainer.stories.soyuz.figures.durations_figure`),
    with its text alternative, laid out for its box."""
    return FittedChart(durations_figure(df), durations_layout, describe_durations(df), CSS_CLASS)


def crew_size_chart(df: pd.DataFrame) -> FittedChart:
    """Crew sizes at launch by generation
    (:func:`~explainer.stories.soyuz.figures.crew_size_figure`), with its text alternative, laid
    out for its box."""
    return FittedChart(crew_size_figure(df), crew_size_layout, describe_crew_sizes(df), CSS_CLASS)


def rendezvous_chart(df: pd.DataFrame) -> FittedChart:
    """Launch to docking of the crewed flights of ``df`` to the ISS
    (:func:`~explainer.stories.soyuz.figures.rendezvous_figure`), with its text alternative,
    laid out for its box."""
    r = rendezvous_flights(df)
    return FittedChart(rendezvous_figure(df), partial(rendezvous_layout, r), describe_rendezvous(r), CSS_CLASS)
