"""Sixty years of Soyuz as tables for students: plain-language column names, times and
durations as text, no row-index numbers, no ``NaT`` or ``True``/``False``, and few enough columns
(with wrapping text) to fit a phone. Each function takes the flight table of
:func:`explainer.data.flights.load_flights` (or a frame derived from it, as said) and returns a
``DataFrame`` to pass to :func:`for_students`, or a styled table."""

from __future__ import annotations

import re

import pandas as pd
from pandas.io.formats.style import Styler

from explainer.data.flight_schema import OUTCOMES
from explainer.stories.soyuz.analyses import PROFILES, losses_and_aborts, source_sites
from explainer.stories.soyuz.text import fmt_hours

CELL_STYLE = [
    {"selector": "th, td", "props": "text-align: left; white-space: normal; vertical-align: top;"
                                    " padding: 0.4em 0.8em 0.4em 0;"},
]
"""Left-aligned cells whose text wraps (a long cell takes more lines, not more width), with room
between columns only (JupyterLab pads both sides: four columns did not fit a phone)."""


def for_students(frame: pd.DataFrame) -> Styler:
    """``frame`` as a table shown to students: its column names as they are, no index column,
    left-aligned wrapping text."""
    return frame.style.hide(axis="index").set_table_styles(CELL_STYLE)


def launch_text(t: pd.Timestamp, has_time: bool = True) -> str:
    """A launch time as "2025-11-27 09:27" (UTC, to the minute), or the date alone when the
    time of day is not known."""
    return f"{t:%Y-%m-%d %H:%M}" if has_time else f"{t:%Y-%m-%d}"


def latest_flights(df: pd.DataFrame, n: int = 5) -> Styler:
    """The last ``n`` rows of the flight table: flight, launch time (UTC), number of people
    aboard, destination."""
    last = df.tail(n)
    return for_students(pd.DataFrame({
        "Flight": last.flight.to_numpy(),
        "Launch (UTC)": [launch_text(r.launch_utc, r.launch_utc_has_time)
                         for r in last.itertuples()],
        "Crew": last.crew_size.to_numpy(),
        "Going to": last.destination.to_numpy(),
    }))


def sources_table(df: pd.DataFrame, n: int = 12) -> Styler:
    """The ``n`` web sites the most rows cite (:func:`~explainer.stories.soyuz.analyses.source_sites`)
    and how many rows cite each."""
    sites = source_sites(df, n)
    return for_students(pd.DataFrame({"Web site": sites.index.to_numpy(),
                                      "Rows citing it": sites.to_numpy()}))


def losses_table(df: pd.DataFrame) -> Styler:
    """The programme's losses and aborts
    (:func:`~explainer.stories.soyuz.analyses.losses_and_aborts`): flight, year, what
    happened."""
    la = losses_and_aborts(df)
    return for_students(pd.DataFrame({
        "Flight": la.flight.to_numpy(),
        "Year": la.year.to_numpy(),
        "What happened": [f"{r.kind.capitalize()}: {r.summary}." for r in la.itertuples()],
    }))


def profiles_table(r: pd.DataFrame) -> Styler:
    """For each rendezvous profile flown in ``r`` (a frame of
    :func:`~explainer.stories.soyuz.analyses.rendezvous_hours`): how many flights, their
    typical (median) time from launch to docking."""
    rows = [(p, r.hours[r.profile == p]) for p in PROFILES if (r.profile == p).any()]
    return for_students(pd.DataFrame({
        "Rendezvous": [p for p, _ in rows],
        "Flights": [len(h) for _, h in rows],
        "Typical time to dock": [fmt_hours(h.median()) for _, h in rows],
    }))


def rendezvous_table(r: pd.DataFrame) -> Styler:
    """The flights of ``r`` (rows of
    :func:`~explainer.stories.soyuz.analyses.rendezvous_hours`): flight, launch date (UTC) and
    the time from launch to docking."""
    return for_students(pd.DataFrame({
        "Flight": r.flight.to_numpy(),
        "Launch date (UTC)": [f"{t:%Y-%m-%d}" for t in r.launch_utc],
        "Launch to docking": [fmt_hours(h) for h in r.hours],
    }))


def outcomes_table(df: pd.DataFrame) -> Styler:
    """How the flights of ``df`` ended: for each outcome that occurs, the number of crewed and
    uncrewed flights, then the totals."""
    crewed = df.crewed.to_numpy()
    rows = [(o, int(((df.outcome == o).to_numpy() & crewed).sum()),
             int(((df.outcome == o).to_numpy() & ~crewed).sum()))
            for o in OUTCOMES if (df.outcome == o).any()]
    rows.append(("all flights", int(crewed.sum()), int((~crewed).sum())))
    return for_students(pd.DataFrame(rows, columns=["Outcome", "Crewed", "Uncrewed"]))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def quoted(text: str) -> str:
    """``text`` as a Markdown block quote, its Markdown characters escaped so that it shows as
    written (and wraps, unlike printed text)."""
    return "> " + _MARKDOWN.sub(r"\\\1", text).replace("\n", "\n> ")
