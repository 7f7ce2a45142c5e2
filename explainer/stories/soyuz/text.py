"""Sixty years of Soyuz in words: number formats, text alternatives of the charts, and the
statements notebook 03 and the dashboard make, each built from the data."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from explainer.data.flight_schema import DESTINATIONS, GENERATIONS, OUTCOMES, STATION_NAMES
from explainer.stories.soyuz.analyses import (
    EVENTS,
    PROFILES,
    crew_sizes,
    durations_days,
    flights_per_year,
    rendezvous_eras,
)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _counts(values, order) -> str:
    c = Counter(values)
    return ", ".join(f"{k}: {c[k]}" for k in order if c[k])


def fmt_duration(days: float) -> str:
    """A duration given in days as the chart shows it: minutes, hours to 0.1 h, or days."""
    if np.isnan(days):
        return "in flight"
    if days < 1 / 24:
        return f"{days * 1440:.0f} min"
    if days < 2:
        return f"{days * 24:.1f} h"
    return f"{days:.1f} days"


def fmt_hours(hours: float) -> str:
    """Hours as "3 h 07 min" (to the nearest minute)."""
    m = int(round(hours * 60))
    return f"{m // 60} h {m % 60:02d} min"


def join_names(names: list[str]) -> str:
    """``["A", "B", "C"]`` as "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def describe_timeline(shown: pd.DataFrame, total: int | None = None,
                      years: tuple[int, int] | None = None, narrow: bool = False) -> str:
    """Text alternative for the timeline: what the chart shows for the flights in ``shown``
    (``narrow``: the vertical timeline, dates down the page)."""
    total = len(shown) if total is None else total
    if years is None and len(shown):
        years = (int(shown.year.min()), int(shown.year.max()))
    span = f" from {years[0]} to {years[1]}" if years else ""
    if shown.empty:
        return (f"Timeline of Soyuz flights{span}: no flights match the filters "
                f"(0 of {total} flights shown).")
    n_crewed = int(shown.crewed.sum())
    dates, generations = ("vertical", "horizontal") if narrow else ("horizontal", "vertical")
    events = [f for f in shown.flight if f in EVENTS]
    bands = [s for s in STATION_NAMES if s in set(shown.destination)]
    text = (
        f"Timeline of {_plural(len(shown), 'flight')}{span} ({n_crewed} crewed, "
        f"{len(shown) - n_crewed} uncrewed; {len(shown)} of {total} flights shown). "
        f"Each marker is one launch, placed by date ({dates}) and spacecraft generation "
        f"({generations}, one colour per generation); the marker shape gives the outcome and hollow "
        f"markers are uncrewed flights. By generation: "
        f"{_counts(shown.generation, GENERATIONS)}. By destination: "
        f"{_counts(shown.destination, DESTINATIONS)}. Outcomes: "
        f"{_counts(shown.outcome, OUTCOMES)}."
    )
    if events:
        text += f" Marked losses and aborts: {', '.join(events)}."
    if bands:
        text += (" Shaded bands show when Soyuz crews flew to " + ", ".join(bands) + ".")
    return text

def describe_per_year(shown: pd.DataFrame, years: tuple[int, int] | None = None) -> str:
    """Text alternative for the flights-per-year chart."""
    if shown.empty:
        return "Bar chart of Soyuz launches per year: no flights match the filters."
    per = flights_per_year(shown)
    if years is not None:
        per = per.reindex(pd.RangeIndex(years[0], years[1] + 1, name="year"), fill_value=0)
    busiest = per.total.max()
    top = [str(y) for y in per.index[per.total == busiest]]
    empty = [str(y) for y in per.index[per.total == 0]]
    if not empty:
        none = "every year had at least one"
    elif len(empty) <= 5:
        none = f"no launch in {', '.join(empty)}"
    else:
        none = f"{len(empty)} years without a launch"
    return (
        f"Bar chart of Soyuz launches per year, {per.index[0]} to {per.index[-1]}: "
        f"{_plural(int(per.total.sum()), 'launch', 'launches')} ({int(per.crewed.sum())} "
        f"crewed, of which {_plural(int(per.aborts.sum()), 'launch abort')}, and "
        f"{int(per.uncrewed.sum())} uncrewed). "
        f"The busiest year{'s' if len(top) > 1 else ''} ({', '.join(top)}) had "
        f"{_plural(int(busiest), 'launch', 'launches')}; {none}."
    )

def describe_rendezvous(r: pd.DataFrame) -> str:
    """Text alternative for the rendezvous chart (``r`` from :func:`rendezvous_hours`)."""
    parts = []
    for profile in PROFILES:
        sub = r[r.profile == profile]
        if len(sub):
            parts.append(f"{profile}: {_plural(len(sub), 'flight')}, {sub.flight.iat[0]} to "
                         f"{sub.flight.iat[-1]} ({sub.launch_utc.iat[0].year}-"
                         f"{sub.launch_utc.iat[-1].year}), median {fmt_hours(sub.hours.median())}")
    last = r.iloc[-1]
    firsts = [f"{e.first_flight} ({e.start.year}), the first "
              f"{e.profile.split(' (')[0].replace(' orbits', '-orbit')} rendezvous"
              for e in rendezvous_eras(r).iloc[1:].itertuples()]
    marked = f" Marked: {'; '.join(firsts)}." if firsts else ""
    return (
        f"Chart of launch-to-docking time (hours, logarithmic scale) against launch date for "
        f"{_plural(len(r), 'flight')} to the ISS with known times. " + "; ".join(parts) + "."
        f"{marked} The latest, {last.flight}, docked {fmt_hours(last.hours)} after launch."
    )

def describe_durations(df: pd.DataFrame) -> str:
    """Text alternative for the durations chart."""
    d = durations_days(df).dropna()
    longest = d.idxmax()
    orbital = d[df.set_index("flight").outcome.reindex(d.index) != "launch abort"]
    shortest = orbital.idxmin()
    by_gen = df.assign(d=df.duration_days).groupby("generation").d.median()
    gens = ", ".join(f"{g} {by_gen[g]:.0f}" for g in GENERATIONS if g in by_gen.index)
    return (
        "Chart of flight duration (days, logarithmic scale) against launch date, one marker per "
        f"flight that has landed ({len(d)}). The longest, {longest}, lasted {d[longest]:.0f} "
        f"days; the shortest flight that reached orbit, {shortest}, {fmt_duration(d[shortest])};"
        f" launch aborts lasted minutes. Median days by generation: {gens}."
    )

def describe_crew_sizes(df: pd.DataFrame) -> str:
    """Text alternative for the crew-size chart."""
    t = crew_sizes(df)
    rows = "; ".join(
        f"{g}: " + ", ".join(f"{t.at[g, s]} with {s}" for s in t.columns if t.at[g, s])
        for g in t.index)
    return ("Stacked bar chart of crewed launches per generation by crew size (1, 2 or 3 "
            f"people aboard at launch). {rows}.")



def _profile_name(profile: str) -> str:
    return {PROFILES[0]: "two days", PROFILES[1]: "about 6 h (four orbits)",
            PROFILES[2]: "about 3 h (two orbits)"}.get(profile, "a delayed docking")


def describe_rendezvous_eras(eras: pd.DataFrame) -> str:
    """Markdown: each era of :func:`~explainer.stories.soyuz.analyses.rendezvous_eras`, when and
    with which flight it began, how many of its flights flew the era's profile, and every
    exception with the time it took."""
    lines = []
    for e in eras.itertuples():
        off = e.exceptions
        kept = e.flights - len(off)
        share = f"all {e.flights}" if kept == e.flights else f"{kept} of {e.flights}"
        line = (f"- From {e.start:%B %Y} ({e.first_flight}): {share} crewed "
                f"flight{'s' if e.flights > 1 else ''} docked in {_profile_name(e.profile)}")
        if len(off):
            line += "; the exceptions: " + ", ".join(
                f"{x.flight} ({fmt_hours(x.hours)})" for x in off.itertuples())
        lines.append(line + ".")
    return "\n".join(lines)


def describe_ordinals(flight: str, ordinals: pd.DataFrame) -> str:
    """Markdown: ``flight``'s number under each way of counting (``ordinals`` from
    :func:`~explainer.stories.soyuz.analyses.crewed_ordinals`), saying how each is counted."""
    lines = []
    for r in ordinals.itertuples():
        what = "every launch with a crew aboard" if r.aborts_counted else (
            "only crewed flights that reached orbit")
        plus = (", plus the flights that launched empty and brought a crew home"
                if r.returns_counted else "")
        number = "not counted" if pd.isna(r.number) else f"number **{r.number}**"
        lines.append(f"- Counting {what}{plus}: {flight} is {number}.")
    return "\n".join(lines)
