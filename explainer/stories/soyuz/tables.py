"""Sixty years of Soyuz as tables for students: plain-language column names, times and
durations as text, no ``NaT`` or ``True``/``False``, and few columns. Each function takes the
flight table of :func:`explainer.data.flights.load_flights` (or a frame derived from it, as said)
and returns a ``DataFrame`` to show with :func:`explainer.ui.tables.student_table` (no row
numbers, and cards on a phone)."""

from __future__ import annotations

import re

import pandas as pd

from explainer.data.flight_schema import OUTCOMES
from explainer.stories.soyuz.analyses import PROFILES, losses_and_aborts, source_sites
from explainer.stories.soyuz.text import fmt_hours


def launch_text(t: pd.Timestamp, has_time: bool = True) -> str:
    """A launch time as "2025-11-27 09:27" (UTC, to the minute), or the date alone when the
    time of day is not known."""
    return f"{t:%Y-%m-%d %H:%M}" if has_time else f"{t:%Y-%m-%d}"


def latest_flights(df: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The last ``n`` rows of the flight table: flight, launch time (UTC), number of people
    aboard, destination."""
    last = df.tail(n)
    return pd.DataFrame({
        "Flight": last.flight.to_numpy(),
        "Launch (UTC)": [launch_text(r.launch_utc, r.launch_utc_has_time)
                         for r in last.itertuples()],
        "Crew": last.crew_size.to_numpy(),
        "Going to": last.destination.to_numpy(),
    })


def sources_table(df: pd.DataFrame, n: int = 12) -> pd.DataFrame:
    """The ``n`` web sites the most rows cite (:func:`~explainer.stories.soyuz.analyses.source_sites`)
    and how many rows cite each."""
    sites = source_sites(df, n)
    return pd.DataFrame({"Web site": sites.index.to_numpy(), "Rows citing it": sites.to_numpy()})


def losses_table(df: pd.DataFrame) -> pd.DataFrame:
    """The programme's losses and aborts
    (:func:`~explainer.stories.soyuz.analyses.losses_and_aborts`): flight, year, what
    happened."""
    la = losses_and_aborts(df)
    return pd.DataFrame({
        "Flight": la.flight.to_numpy(),
        "Year": la.year.to_numpy(),
        "What happened": [f"{r.kind.capitalize()}: {r.summary}." for r in la.itertuples()],
    })


def profiles_table(r: pd.DataFrame) -> pd.DataFrame:
    """For each rendezvous profile flown in ``r`` (a frame of
    :func:`~explainer.stories.soyuz.analyses.rendezvous_hours`): how many flights, their
    typical (median) time from launch to docking."""
    rows = [(p, r.hours[r.profile == p]) for p in PROFILES if (r.profile == p).any()]
    return pd.DataFrame({
        "Rendezvous": [p for p, _ in rows],
        "Flights": [len(h) for _, h in rows],
        "Typical time to dock": [fmt_hours(h.median()) for _, h in rows],
    })


def rendezvous_table(r: pd.DataFrame) -> pd.DataFrame:
    """The flights of ``r`` (rows of
    :func:`~explainer.stories.soyuz.analyses.rendezvous_hours`): flight, launch date (UTC) and
    the time from launch to docking."""
    return pd.DataFrame({
        "Flight": r.flight.to_numpy(),
        "Launch date (UTC)": [f"{t:%Y-%m-%d}" for t in r.launch_utc],
        "Launch to docking": [fmt_hours(h) for h in r.hours],
    })


def outcomes_table(df: pd.DataFrame) -> pd.DataFrame:
    """How the flights of ``df`` ended: for each outcome that occurs, the number of crewed and
    uncrewed flights, then the totals."""
    crewed = df.crewed.to_numpy()
    rows = [(o, int(((df.outcome == o).to_numpy() & crewed).sum()),
             int(((df.outcome == o).to_numpy() & ~crewed).sum()))
            for o in OUTCOMES if (df.outcome == o).any()]
    rows.append(("all flights", int(crewed.sum()), int((~crewed).sum())))
    return pd.DataFrame(rows, columns=["Outcome", "Crewed", "Uncrewed"])


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def quoted(text: str) -> str:
    """``text`` as a Markdown block quote, its Markdown characters escaped so that it shows as
    written (and wraps, unlike printed text)."""
    return "> " + _MARKDOWN.sub(r"\\\1", text).replace("\n", "\n> ")
