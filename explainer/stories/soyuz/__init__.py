"""Sixty years of Soyuz: the sourced flight history, its checks, its analyses and its charts.

``data/soyuz_flights.csv`` holds every crewed Soyuz launch from Soyuz 1 (1967) to Soyuz MS-28
(2025), the three launch aborts included, plus the uncrewed flights of crew vehicles that matter
(flagged ``crewed = false``). Each row cites the pages its facts were read from; where sources
disagree, the row's ``notes`` give both values and the choice.

Loading (:func:`load_flights`) validates the file and raises :class:`~explainer.data.DataError`
naming the file, the row (as a spreadsheet numbers it: header = row 1) and the problem. The
analyses are plain functions of the loaded frame; the figure builders return plotly
``FigureWidget`` objects; :class:`SoyuzApp` is the interactive timeline with filters.

``STATIONS`` (module attribute, computed on first use from the shipped file) is the table of
station bands returned by :func:`station_bands`: for Salyut 1-7, Mir and the ISS, the interval
from the first Soyuz launch to that station to the last landing of a Soyuz sent there.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explainer.data import DataError, read_table
from explainer.paths import data_dir
from explainer.ui.plotly_widget import figure_widget

FILE = "soyuz_flights.csv"

SCHEMA = {
    "flight": "required",
    "launch_utc": "utc!",
    "landing_utc": "utc",
    "crewed": "bool",
    "crew": "text",
    "crew_size": "int",
    "generation": "required",
    "destination": "required",
    "docking_utc": "utc",
    "outcome": "required",
    "notes": "text",
    "source": "url",
}

# --- vocabularies ------------------------------------------------------------------------------

GENERATIONS = (
    "7K-OK", "7K-OKS", "7K-T", "7K-TM", "Soyuz-T", "Soyuz-TM", "Soyuz-TMA", "Soyuz-TMA-M",
    "Soyuz MS",
)
"""The spacecraft generations in canonical order (by first launch)."""

GENERATION_YEARS: dict[str, tuple[int, int | None]] = {
    "7K-OK": (1967, 1970),
    "7K-OKS": (1971, 1971),
    "7K-T": (1973, 1981),
    "7K-TM": (1974, 1976),
    "Soyuz-T": (1979, 1986),
    "Soyuz-TM": (1986, 2002),
    "Soyuz-TMA": (2002, 2011),
    "Soyuz-TMA-M": (2010, 2016),
    "Soyuz MS": (2016, None),
}
"""Years in which each generation launched (inclusive; ``None`` = still flying). These are the
first and last launch years of the flights in ``data/soyuz_flights.csv`` (7K-OK: Soyuz 1 to 9;
7K-OKS: Soyuz 10 and 11; 7K-T: Soyuz 12 to 40 except the ASTP craft; 7K-TM: Soyuz 16, 19, 22;
Soyuz-T: T-1 to T-15; Soyuz-TM: TM-1 to TM-34; Soyuz-TMA: TMA-1 to TMA-22; Soyuz-TMA-M: TMA-01M
to TMA-20M; Soyuz MS: MS-01 onwards). A row whose launch falls outside its generation's years is
mislabelled (or the table needs a documented change)."""

MAX_CONCURRENT_YEARS = 3.0
"""No two generations were launched side by side for longer than this (the data's longest
overlaps: 7K-T with 7K-TM 1.8 years, 7K-T with Soyuz-T 1.4 years, TMA with TMA-M 1.1 years)."""

IN_FLIGHT_DAYS = 400
"""A landing may be left empty only for a flight still in space: launched less than this many
days before the newest launch in the file (the longest flight in the data, MS-27, lasted 245
days) and with "in flight" in its notes."""

DESTINATIONS = (
    "none", "Salyut 1", "Salyut 3", "Salyut 4", "Salyut 5", "Salyut 6", "Salyut 7", "Mir", "ISS",
    "Apollo",
)
STATION_NAMES = ("Salyut 1", "Salyut 3", "Salyut 4", "Salyut 5", "Salyut 6", "Salyut 7", "Mir",
                 "ISS")
OUTCOMES = ("nominal", "anomaly", "docking failure", "launch abort", "fatal")

# the flight's name fixes its family of generations (the naming styles of data/raw/SCHEMAS.md)
_NAME_FAMILIES = (
    (re.compile(r"Soyuz \d{1,2}a?"), ("7K-OK", "7K-OKS", "7K-T", "7K-TM")),
    (re.compile(r"Soyuz T-\d{1,2}(-1)?"), ("Soyuz-T",)),
    (re.compile(r"Soyuz TM-\d{1,2}"), ("Soyuz-TM",)),
    (re.compile(r"Soyuz TMA-\d{1,2}"), ("Soyuz-TMA",)),
    (re.compile(r"Soyuz TMA-\d\dM"), ("Soyuz-TMA-M",)),
    (re.compile(r"Soyuz MS-\d\d"), ("Soyuz MS",)),
)

EVENTS = {
    "Soyuz 1": ("loss of crew", "parachute failure at landing; Vladimir Komarov killed"),
    "Soyuz 11": ("loss of crew", "cabin depressurised before re-entry; crew of three killed"),
    "Soyuz 18a": ("launch abort", "staging failure; suborbital escape, crew survived"),
    "Soyuz T-10-1": ("launch abort", "fire on the pad; escape tower pulled the crew clear"),
    "Soyuz MS-10": ("launch abort", "booster failure during ascent; crew unhurt"),
    "Soyuz MS-22": ("spacecraft damaged", "coolant leak in orbit; came home uncrewed, its crew "
                    "returned on MS-23"),
}
"""The programme's losses and aborts that the charts annotate: kind and a one-line summary of
the row's notes (the notes, with their sources, have the detail)."""

# Okabe-Ito colour-blind-safe palette (plus its grey); every marker also gets a dark outline
BLACK, ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, GREY = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    "#999999",
)
GENERATION_COLOURS = {
    "7K-OK": BLACK, "7K-OKS": GREY, "7K-T": SKY, "7K-TM": YELLOW, "Soyuz-T": GREEN,
    "Soyuz-TM": BLUE, "Soyuz-TMA": ORANGE, "Soyuz-TMA-M": PURPLE, "Soyuz MS": VERMILLION,
}
OUTCOME_SYMBOLS = {
    "nominal": "circle", "anomaly": "square", "docking failure": "diamond",
    "launch abort": "triangle-up", "fatal": "x",
}
_OUTLINE = dict(color="#333333", width=0.8)


# --- loading and validation ----------------------------------------------------------------------

def _record_numbers(path: Path) -> list[int]:
    """Row numbers (header = 1) of the non-blank records, counted as ``read_table`` counts them."""
    reader = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return [n for n, row in enumerate(reader, start=1)
            if n > 1 and any(cell.strip() for cell in row)]


def load_flights(folder: Path | None = None) -> pd.DataFrame:
    """``data/soyuz_flights.csv`` (or ``<folder>/soyuz_flights.csv``), validated.

    One row per flight, in launch order: the file's columns (times as UTC ``datetime64``, naive;
    date-only values at midnight with ``<col>_has_time`` False) plus ``row`` (row number in the
    file, header = 1), ``year`` (launch year) and ``duration_days`` (launch to landing of this
    spacecraft, days; NaN while in flight). Raises :class:`DataError` on the first problem.
    The default folder's table is read once and cached; each call returns a copy.
    """
    if folder is None:
        return _default_flights().copy()
    return _load(Path(folder))


@cache
def _default_flights() -> pd.DataFrame:
    return _load(data_dir())


def _load(folder: Path) -> pd.DataFrame:
    frame = read_table(FILE, SCHEMA, folder)
    rows = _record_numbers(folder / FILE)
    validate(frame, FILE, rows)
    frame.insert(0, "row", rows)
    frame["year"] = frame.launch_utc.dt.year.astype(int)
    frame["duration_days"] = (frame.landing_utc - frame.launch_utc) / pd.Timedelta(days=1)
    return frame


def _names(crew: str) -> list[str]:
    return [n.strip() for n in crew.split(";") if n.strip()]


def _not_after(a: pd.Timestamp, a_timed: bool, b: pd.Timestamp, b_timed: bool) -> bool:
    """``a`` is at or before ``b``; compared by date when either lacks a time of day."""
    if a_timed and b_timed:
        return a <= b
    return a.normalize() <= b.normalize()


def validate(frame: pd.DataFrame, name: str = FILE, rows: list[int] | None = None) -> None:
    """Check a flights table as read by ``read_table``; raise :class:`DataError` naming ``name``,
    the row (``rows[i]`` for the i-th record, default ``i + 2``), the flight and the problem.

    Per row, in file order: the flight's naming style; a unique name; generation, destination
    and outcome from their vocabularies; the generation fits the name (``Soyuz TM-5`` is a
    Soyuz-TM) and the launch year lies in :data:`GENERATION_YEARS`; a crewed flight lists its
    crew with ``crew_size`` equal to the number of names, an uncrewed one has no crew and size 0
    (and cannot be fatal or a launch abort); landing after launch (empty only while in flight,
    see :data:`IN_FLIGHT_DAYS`); docking between launch and landing (none after a launch
    abort); rows in launch order. Then for the whole table: generations appear in canonical
    order by first launch, and no two generations launched side by side for more than
    :data:`MAX_CONCURRENT_YEARS`. Times without a time of day are compared by date.
    """
    frame = frame.reset_index(drop=True)
    rows = rows if rows is not None else [i + 2 for i in range(len(frame))]
    if len(rows) != len(frame):
        raise ValueError("rows must number every record of the frame")

    def fail(i: int, problem: str, column: str | None = None):
        col = f", column {column}" if column else ""
        raise DataError(f"{name}: row {rows[i]} ({frame.flight.iat[i]}){col}: {problem}")

    newest_launch = frame.launch_utc.max()
    seen: dict[str, int] = {}
    for i, r in enumerate(frame.itertuples(index=False)):
        family = next((gens for pattern, gens in _NAME_FAMILIES if pattern.fullmatch(r.flight)),
                      None)
        if family is None:
            fail(i, f"name {r.flight!r} does not follow the naming styles ('Soyuz 18a', "
                    "'Soyuz T-10-1', 'Soyuz TMA-01M', 'Soyuz MS-28')", "flight")
        if r.flight in seen:
            fail(i, f"duplicate flight name (also row {rows[seen[r.flight]]})", "flight")
        seen[r.flight] = i
        for column, allowed in (("generation", GENERATIONS), ("destination", DESTINATIONS),
                                ("outcome", OUTCOMES)):
            value = getattr(r, column)
            if value not in allowed:
                fail(i, f"{value!r} is not one of {', '.join(allowed)}", column)
        if r.generation not in family:
            fail(i, f"a flight named {r.flight!r} cannot be generation {r.generation!r} "
                    f"(expected {' or '.join(family)})", "generation")
        first, last = GENERATION_YEARS[r.generation]
        year = r.launch_utc.year
        if year < first or (last is not None and year > last):
            span = f"{first}-{last}" if last else f"{first} onwards"
            fail(i, f"launched in {year}, outside the {r.generation} years ({span})",
                 "generation")
        names = _names(r.crew)
        if r.crewed:
            if not names:
                fail(i, "a crewed flight must list its crew", "crew")
            if len(set(names)) != len(names):
                fail(i, "a crew member is listed twice", "crew")
            if r.crew_size != len(names):
                fail(i, f"crew_size is {r.crew_size} but {len(names)} name(s) are listed",
                     "crew_size")
        else:
            if names or r.crew_size != 0:
                fail(i, "an uncrewed flight must have no crew and crew_size 0", "crew_size")
            if r.outcome in ("fatal", "launch abort"):
                fail(i, f"outcome {r.outcome!r} needs a crewed flight", "outcome")
        if pd.isna(r.landing_utc):
            in_flight = (newest_launch - r.launch_utc) < pd.Timedelta(days=IN_FLIGHT_DAYS)
            if not (in_flight and "in flight" in r.notes.lower()):
                fail(i, "landing is empty but the flight is not marked as in flight",
                     "landing_utc")
        elif not _not_after(r.launch_utc, r.launch_utc_has_time, r.landing_utc,
                            r.landing_utc_has_time) or r.landing_utc == r.launch_utc:
            fail(i, f"landing {r.landing_utc} is not after launch {r.launch_utc}", "landing_utc")
        if not pd.isna(r.docking_utc):
            if r.outcome == "launch abort":
                fail(i, "a launch abort cannot have a docking time", "docking_utc")
            if not _not_after(r.launch_utc, r.launch_utc_has_time, r.docking_utc,
                              r.docking_utc_has_time):
                fail(i, f"docking {r.docking_utc} is before launch {r.launch_utc}",
                     "docking_utc")
            if not pd.isna(r.landing_utc) and not _not_after(
                r.docking_utc, r.docking_utc_has_time, r.landing_utc, r.landing_utc_has_time
            ):
                fail(i, f"docking {r.docking_utc} is after landing {r.landing_utc}",
                     "docking_utc")
        if i and r.launch_utc < frame.launch_utc.iat[i - 1]:
            fail(i, "rows are not in launch order (launched before the row above)",
                 "launch_utc")

    # whole-table checks of the generations' eras
    firsts = frame.groupby("generation").launch_utc.agg(["min", "max", "idxmin"])
    order = [g for g in GENERATIONS if g in firsts.index]
    for earlier, later in zip(order, order[1:], strict=False):
        if firsts.at[later, "min"] <= firsts.at[earlier, "min"]:
            fail(int(firsts.at[later, "idxmin"]),
                 f"{later} first flies before {earlier}; generations must appear in the order "
                 f"{' < '.join(GENERATIONS)}", "generation")
    year = pd.Timedelta(days=365.25)
    for a_i, a in enumerate(order):
        for b in order[a_i + 1:]:
            overlap = (min(firsts.at[a, "max"], firsts.at[b, "max"])
                       - max(firsts.at[a, "min"], firsts.at[b, "min"]))
            if overlap > MAX_CONCURRENT_YEARS * year:
                # blame the launch lying farthest from its own generation's median launch
                sub = frame[frame.generation.isin([a, b])]
                med = sub.groupby("generation").launch_utc.transform("median")
                worst = int((sub.launch_utc - med).abs().idxmax())
                fail(worst, f"{a} and {b} would have flown side by side for "
                            f"{overlap / year:.1f} years (at most {MAX_CONCURRENT_YEARS:g})",
                     "generation")


# --- analyses ----------------------------------------------------------------------------------

def flights_per_year(df: pd.DataFrame) -> pd.DataFrame:
    """Launches per calendar year (UTC), every year from the first to the last launch.

    Columns (counts of flights): ``crewed`` (launch aborts included), ``aborts`` (crewed launch
    aborts, a subset of ``crewed``), ``uncrewed``, ``total``. Index: ``year``.
    """
    years = pd.RangeIndex(int(df.year.min()), int(df.year.max()) + 1, name="year")
    crewed = df[df.crewed].groupby("year").size()
    aborts = df[df.outcome == "launch abort"].groupby("year").size()
    uncrewed = df[~df.crewed].groupby("year").size()
    out = pd.DataFrame({"crewed": crewed, "aborts": aborts, "uncrewed": uncrewed})
    out = out.reindex(years).fillna(0).astype(int)
    out["total"] = out.crewed + out.uncrewed
    return out


def durations_days(df: pd.DataFrame) -> pd.Series:
    """Flight duration of each spacecraft, launch to landing, in days (float), indexed by flight.

    This is the spacecraft's time, not necessarily its launch crew's: crews often swapped
    vehicles (see the notes). NaN for a flight still in space. A launch abort lasts minutes.
    """
    days = (df.landing_utc - df.launch_utc) / pd.Timedelta(days=1)
    return pd.Series(days.to_numpy(), index=pd.Index(df.flight, name="flight"),
                     name="duration_days")


def crew_sizes(df: pd.DataFrame) -> pd.DataFrame:
    """Crewed launches per generation (rows, canonical order) and crew size (columns 1, 2, 3;
    counts of flights). Launch aborts count with the crew they carried."""
    crewed = df[df.crewed]
    table = pd.crosstab(crewed.generation, crewed.crew_size)
    gens = [g for g in GENERATIONS if g in table.index]
    return table.reindex(index=gens, columns=[1, 2, 3], fill_value=0).rename_axis(
        index="generation", columns="crew_size")


def _profile(hours: float) -> str:
    if hours < 4.5:
        return "2 orbits (about 3 h)"
    if hours < 12:
        return "4 orbits (about 6 h)"
    if hours < 60:
        return "about 34 orbits (2 days)"
    return "other (delayed docking)"


PROFILES = ("about 34 orbits (2 days)", "4 orbits (about 6 h)", "2 orbits (about 3 h)",
            "other (delayed docking)")


def rendezvous_hours(df: pd.DataFrame, destination: str | None = "ISS") -> pd.DataFrame:
    """Launch-to-docking time, in hours, of every flight to ``destination`` (``None``: any) whose
    launch and docking times of day are both known.

    Columns: ``flight, launch_utc, docking_utc, hours`` (float, h), ``crewed``, ``profile``
    (rendezvous profile from the time taken: under 4.5 h two orbits, under 12 h four orbits,
    under 60 h the two-day profile, else a delayed docking such as uncrewed MS-14's).
    """
    sel = df.docking_utc.notna() & df.docking_utc_has_time & df.launch_utc_has_time
    if destination is not None:
        sel &= df.destination == destination
    out = df.loc[sel, ["flight", "launch_utc", "docking_utc", "crewed"]].copy()
    out.insert(3, "hours", (out.docking_utc - out.launch_utc) / pd.Timedelta(hours=1))
    out["profile"] = [_profile(h) for h in out.hours]
    return out.reset_index(drop=True)


def losses_and_aborts(df: pd.DataFrame) -> pd.DataFrame:
    """The programme's losses and aborts: every fatal flight and launch abort, plus the flights
    in :data:`EVENTS` (Soyuz MS-22, whose coolant leak cost the spacecraft its crew return).

    Columns: ``flight, launch_utc, year, outcome, kind, summary, crew``; launch order.
    """
    sel = df.outcome.isin(["fatal", "launch abort"]) | df.flight.isin(list(EVENTS))
    out = df.loc[sel, ["flight", "launch_utc", "year", "outcome", "crew", "notes"]].copy()
    kinds, summaries = [], []
    for r in out.itertuples():
        default = ("loss of crew" if r.outcome == "fatal" else r.outcome,
                   r.notes.split(". ")[0])
        kind, summary = EVENTS.get(r.flight, default)
        kinds.append(kind)
        summaries.append(summary)
    out["kind"], out["summary"] = kinds, summaries
    return out[["flight", "launch_utc", "year", "outcome", "kind", "summary", "crew"]].reset_index(
        drop=True)


def crewed_number(df: pd.DataFrame, flight: str, count_aborts: bool = True) -> int:
    """The ordinal of ``flight`` among crewed Soyuz launches, in launch order (1 = Soyuz 1).

    With ``count_aborts=True`` every launch with a crew aboard counts, including the three
    launch aborts (Soyuz 18a, Soyuz T-10-1 - which never left the pad - and MS-10): this is
    the number of times a crew was committed to a Soyuz launch. With ``count_aborts=False``
    only flights that reached orbit count (outcome other than "launch abort"). Uncrewed flights
    never count. Raises ``ValueError`` if ``flight`` is not counted under the chosen rule.
    """
    crewed = df[df.crewed]
    if not count_aborts:
        crewed = crewed[crewed.outcome != "launch abort"]
    order = list(crewed.sort_values("launch_utc", kind="stable").flight)
    if flight not in order:
        rule = "crewed launches" if count_aborts else "crewed flights that reached orbit"
        raise ValueError(f"{flight!r} is not among the {rule}")
    return order.index(flight) + 1


def station_bands(df: pd.DataFrame) -> pd.DataFrame:
    """When Soyuz crews served each station, from the data (no outside dates).

    One row per station in :data:`STATION_NAMES` that appears as a destination: ``station``,
    ``start`` (first launch to it), ``end`` (last landing of a Soyuz sent to it; if one is
    still in space, the later of that and its launch), ``ongoing`` (a Soyuz sent there is still
    in space), ``first_flight``, ``last_flight``, ``flights`` (count). A flight has a single
    destination, so Soyuz T-15's 1986 visit to Salyut 7 counts under Mir.
    """
    out = []
    for station in STATION_NAMES:
        sub = df[df.destination == station]
        if sub.empty:
            continue
        ongoing = bool(sub.landing_utc.isna().any())
        end = sub.landing_utc.max()
        if ongoing:
            end = max(end, sub.launch_utc.max()) if pd.notna(end) else sub.launch_utc.max()
        out.append(dict(station=station, start=sub.launch_utc.min(), end=end, ongoing=ongoing,
                        first_flight=sub.flight.iat[0], last_flight=sub.flight.iat[-1],
                        flights=len(sub)))
    return pd.DataFrame(out)


def __getattr__(name: str):
    if name == "STATIONS":
        return _stations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _stations() -> pd.DataFrame:
    return station_bands(_default_flights())


def source_sites(df: pd.DataFrame, n: int = 12) -> pd.Series:
    """How many rows cite each web site (host name without ``www.``), the ``n`` most cited."""
    hosts = Counter()
    for cell in df.source:
        for url in {urlsplit(u.strip()).netloc.lower().removeprefix("www.")
                    for u in cell.split("|")}:
            hosts[url] += 1
    top = hosts.most_common(n)
    return pd.Series(dict(top), name="rows citing").rename_axis("site")


# --- text alternatives -------------------------------------------------------------------------

def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _counts(values, order) -> str:
    c = Counter(values)
    return ", ".join(f"{k}: {c[k]}" for k in order if c[k])


def _fmt_duration(days: float) -> str:
    if np.isnan(days):
        return "in flight"
    if days < 1 / 24:
        return f"{days * 1440:.0f} min"
    if days < 2:
        return f"{days * 24:.1f} h"
    return f"{days:.1f} days"


def _fmt_hours(hours: float) -> str:
    m = int(round(hours * 60))
    return f"{m // 60} h {m % 60:02d} min"


def describe_timeline(shown: pd.DataFrame, total: int | None = None,
                      years: tuple[int, int] | None = None) -> str:
    """Text alternative for the timeline: what the chart shows for the flights in ``shown``."""
    total = len(shown) if total is None else total
    if years is None and len(shown):
        years = (int(shown.year.min()), int(shown.year.max()))
    span = f" from {years[0]} to {years[1]}" if years else ""
    if shown.empty:
        return (f"Timeline of Soyuz flights{span}: no flight matches the filters "
                f"(0 of {total} flights shown).")
    n_crewed = int(shown.crewed.sum())
    events = [f for f in shown.flight if f in EVENTS]
    bands = [s for s in STATION_NAMES if s in set(shown.destination)]
    text = (
        f"Timeline of {_plural(len(shown), 'flight')}{span} ({n_crewed} crewed, "
        f"{len(shown) - n_crewed} uncrewed; {len(shown)} of {total} flights shown). "
        "Each marker is one launch, placed by date (horizontal) and spacecraft generation "
        "(vertical, one colour per generation); the marker shape gives the outcome and hollow "
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
        return "Bar chart of Soyuz launches per year: no flight matches the filters."
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
                         f"{sub.launch_utc.iat[-1].year}), median {_fmt_hours(sub.hours.median())}")
    last = r.iloc[-1]
    return (
        f"Chart of launch-to-docking time (hours, logarithmic scale) against launch date for "
        f"{_plural(len(r), 'flight')} to the ISS with known times. " + "; ".join(parts) + ". "
        f"The latest, {last.flight}, docked {_fmt_hours(last.hours)} after launch."
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
        f"days; the shortest flight that reached orbit, {shortest}, {_fmt_duration(d[shortest])};"
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


# --- figures -----------------------------------------------------------------------------------

def _hover(r) -> str:
    crew = html.escape(r.crew.replace("; ", ", ")) if r.crew else "uncrewed"
    when = f"{r.launch_utc:%Y-%m-%d %H:%M}" if r.launch_utc_has_time else f"{r.launch_utc:%Y-%m-%d}"
    return (f"<b>{html.escape(r.flight)}</b> ({r.generation})<br>Launch {when} UTC<br>"
            f"Crew: {crew}<br>Destination: {r.destination}<br>Outcome: {r.outcome}<br>"
            f"Duration: {_fmt_duration(r.duration_days)}")


def _symbols(df: pd.DataFrame) -> np.ndarray:
    base = df.outcome.map(OUTCOME_SYMBOLS).to_numpy(dtype=object)
    return np.where(df.crewed.to_numpy(), base, base + "-open")


def _marker_order(df: pd.DataFrame, gen: str) -> np.ndarray:
    """Positions of ``gen``'s flights with a crewed nominal flight first (plotly draws a
    trace's legend key with its first point's symbol), otherwise in launch order."""
    idx = np.flatnonzero(df.generation.to_numpy() == gen)
    typical = (df.crewed.to_numpy() & (df.outcome.to_numpy() == "nominal"))[idx]
    return idx[np.argsort(~typical, kind="stable")]


def _iso(times: pd.Series) -> np.ndarray:
    return times.dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(dtype=object)


def flight_traces(fig: go.Figure) -> list:
    """The timeline's traces that carry flights (one per generation), not the legend keys."""
    return [t for t in fig.data if t.meta == "flights"]


def timeline_figure(df: pd.DataFrame) -> go.FigureWidget:
    """Every flight as a marker: x = launch date (UTC), y = generation (canonical order), colour
    by generation (Okabe-Ito), shape by outcome, hollow if uncrewed; hover gives flight, crew,
    destination, outcome and duration. Shaded bands: when Soyuz crews flew to each station
    (:func:`station_bands`). Arrows mark the losses and aborts of :data:`EVENTS`."""
    symbols, hover, xs = _symbols(df), [_hover(r) for r in df.itertuples()], _iso(df.launch_utc)
    traces = []
    for gen in GENERATIONS:
        idx = _marker_order(df, gen)
        traces.append(go.Scatter(
            name=gen, x=xs[idx], y=[gen] * len(idx), mode="markers", meta="flights",
            legendgroup="generation", legendgrouptitle_text="Generation (colour)",
            marker=dict(color=GENERATION_COLOURS[gen], size=10, symbol=symbols[idx],
                        line=_OUTLINE),
            hovertext=[hover[i] for i in idx], hovertemplate="%{hovertext}<extra></extra>",
        ))
    for outcome, symbol in OUTCOME_SYMBOLS.items():  # legend keys for the shapes
        traces.append(go.Scatter(
            name=outcome, x=[None], y=[None], mode="markers", legendgroup="outcome",
            legendgrouptitle_text="Outcome (shape)", hoverinfo="skip",
            marker=dict(color="#777777", size=10, symbol=symbol, line=_OUTLINE)))
    traces.append(go.Scatter(
        name="uncrewed (hollow)", x=[None], y=[None], mode="markers", legendgroup="outcome",
        hoverinfo="skip", marker=dict(color="#777777", size=10, symbol="circle-open")))
    fig = figure_widget(data=traces)
    shapes, notes = [], []
    bands = station_bands(df)
    right = df.launch_utc.max() + pd.Timedelta(days=200)
    for k, b in enumerate(bands.itertuples()):
        end = right if b.ongoing else b.end
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=b.start, x1=end, y0=0, y1=1,
                           fillcolor="rgba(0, 114, 178, 0.09)", line=dict(width=0),
                           layer="below"))
        short = b.station.replace("Salyut ", "S") if b.station in STATION_NAMES[:4] else b.station
        notes.append(dict(
            x=b.start + (end - b.start) / 2, y=1.0 + 0.055 * (k % 2), xref="x", yref="paper",
            text=short, showarrow=False, yanchor="bottom", font=dict(size=11, color="#333333"),
            hovertext=(f"{b.station}: Soyuz flights {b.start:%b %Y} to "
                       f"{'today' if b.ongoing else f'{b.end:%b %Y}'} ({b.flights} flights)"),
            name=f"band:{b.station}"))
    offsets = {"Soyuz 1": (35, -30), "Soyuz 11": (40, -28), "Soyuz 18a": (45, 32),
               "Soyuz T-10-1": (-45, -32), "Soyuz MS-10": (-70, 28), "Soyuz MS-22": (-10, 45)}
    for r in losses_and_aborts(df).itertuples():
        row = df[df.flight == r.flight].iloc[0]
        ax, ay = offsets.get(r.flight, (30, -30))
        notes.append(dict(
            x=row.launch_utc, y=row.generation, xref="x", yref="y", text=r.flight,
            showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=1, ax=ax, ay=ay,
            font=dict(size=11), bgcolor="rgba(255,255,255,0.85)", bordercolor="#333333",
            borderwidth=0.5, hovertext=f"{r.flight} ({r.year}), {r.kind}: {r.summary}",
            name=f"event:{r.flight}"))
    fig.update_layout(
        height=500, margin=dict(l=10, r=10, t=80, b=40), shapes=shapes, annotations=notes,
        title=dict(text="Every Soyuz launch, 1967-2025, by spacecraft generation",
                   font=dict(size=15), x=0.01, y=0.98),
        xaxis=dict(type="date", title="Launch date (UTC)"),
        yaxis=dict(type="category", categoryorder="array", categoryarray=list(GENERATIONS),
                   range=[-0.6, len(GENERATIONS) - 0.4], title=None),
        legend=dict(font=dict(size=11), groupclick="toggleitem"),
        plot_bgcolor="white", hoverlabel=dict(align="left"), uirevision="keep",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e5e5e5")
    fig.update_yaxes(showgrid=True, gridcolor="#e5e5e5")
    return fig


def per_year_figure(df: pd.DataFrame) -> go.FigureWidget:
    """Stacked bars of launches per year: crewed that reached orbit, crewed launch aborts,
    uncrewed (counts of flights; years from the first to the last launch)."""
    per = flights_per_year(df)
    years = per.index.to_numpy()
    fig = figure_widget(data=[
        go.Bar(name="crewed", x=years, y=(per.crewed - per.aborts).to_numpy(), marker_color=BLUE,
               hovertemplate="%{x}: %{y} crewed<extra></extra>"),
        go.Bar(name="crewed, launch abort", x=years, y=per.aborts.to_numpy(),
               marker_color=VERMILLION, marker_pattern_shape="x",
               hovertemplate="%{x}: %{y} launch abort<extra></extra>"),
        go.Bar(name="uncrewed", x=years, y=per.uncrewed.to_numpy(), marker_color=ORANGE,
               marker_pattern_shape="/", hovertemplate="%{x}: %{y} uncrewed<extra></extra>"),
    ])
    fig.update_layout(
        barmode="stack", height=300, margin=dict(l=10, r=10, t=40, b=40), plot_bgcolor="white",
        title=dict(text="Soyuz launches per year", font=dict(size=15), x=0.01),
        xaxis=dict(title="Year", range=[years[0] - 0.5, years[-1] + 0.5]),
        yaxis=dict(title="Launches", dtick=1, gridcolor="#e5e5e5"),
        legend=dict(orientation="h", y=1.12, x=0.35, traceorder="normal"), uirevision="keep",
    )
    return fig


def rendezvous_figure(df: pd.DataFrame, crewed_only: bool = True) -> go.FigureWidget:
    """Launch-to-docking hours of ISS flights against launch date (log scale), coloured by
    rendezvous profile, with the first four-orbit (TMA-08M) and two-orbit (MS-17) flights and
    the latest flight (MS-28 in the shipped data) marked. ``crewed_only`` leaves out uncrewed
    MS-14 (docked after five days) and MS-23."""
    r = rendezvous_hours(df)
    if crewed_only:
        r = r[r.crewed].reset_index(drop=True)
    colours = dict(zip(PROFILES, (BLUE, ORANGE, VERMILLION, GREY), strict=True))
    symbols = dict(zip(PROFILES, ("circle", "square", "diamond", "x"), strict=True))
    traces = []
    for profile in PROFILES:
        sub = r[r.profile == profile]
        if sub.empty:
            continue
        traces.append(go.Scatter(
            name=profile, x=_iso(sub.launch_utc), y=sub.hours.round(3), mode="markers",
            marker=dict(color=colours[profile], size=9, symbol=symbols[profile], line=_OUTLINE),
            customdata=np.stack([sub.flight, [_fmt_hours(h) for h in sub.hours]], axis=1),
            hovertemplate="<b>%{customdata[0]}</b><br>docked %{customdata[1]} after launch"
                          "<extra></extra>"))
    last = r.iloc[-1]
    traces.append(go.Scatter(
        name=f"{last.flight} (latest)", x=[f"{last.launch_utc:%Y-%m-%dT%H:%M:%S}"],
        y=[round(last.hours, 3)], mode="markers",
        marker=dict(symbol="star", size=18, color=YELLOW, line=dict(color="black", width=1.5)),
        hovertemplate=f"<b>{last.flight}</b><br>docked {_fmt_hours(last.hours)} after launch"
                      "<extra></extra>"))
    fig = figure_widget(data=traces)
    marks = []
    for flight, text, ax, ay in (
        ("Soyuz TMA-08M", "TMA-08M (2013): first 6-hour rendezvous", -90, 45),
        ("Soyuz MS-17", "MS-17 (2020): first 2-orbit, 3-hour rendezvous", -170, 30),
        (last.flight, f"{last.flight}: {_fmt_hours(last.hours)}", -30, -55),
    ):
        hit = r[r.flight == flight]
        if len(hit):
            marks.append(dict(x=f"{hit.launch_utc.iat[0]:%Y-%m-%dT%H:%M:%S}",
                              y=np.log10(hit.hours.iat[0]), text=text, showarrow=True,
                              arrowhead=2, ax=ax, ay=ay, font=dict(size=11),
                              bgcolor="rgba(255,255,255,0.85)"))
    fig.update_layout(
        height=420, margin=dict(l=10, r=10, t=50, b=40), plot_bgcolor="white",
        title=dict(text="How long from launch to docking at the ISS?", font=dict(size=15),
                   x=0.01),
        xaxis=dict(type="date", title="Launch date (UTC)", gridcolor="#e5e5e5"),
        yaxis=dict(type="log", title="Hours, launch to docking (log scale)",
                   gridcolor="#e5e5e5", tickvals=[2, 3, 6, 12, 24, 48],
                   range=[np.log10(1.6), np.log10(90)]),
        annotations=marks, legend=dict(font=dict(size=11)), uirevision="keep",
    )
    return fig


def durations_figure(df: pd.DataFrame) -> go.FigureWidget:
    """Flight duration (days, log scale) against launch date, one marker per landed flight,
    coloured by generation, shaped by outcome."""
    d = df[df.duration_days.notna()].reset_index(drop=True)
    traces = []
    for gen in GENERATIONS:
        sub = d.iloc[_marker_order(d, gen)]
        if sub.empty:
            continue
        traces.append(go.Scatter(
            name=gen, x=_iso(sub.launch_utc), y=sub.duration_days.round(4), mode="markers",
            marker=dict(color=GENERATION_COLOURS[gen], size=8, symbol=_symbols(sub),
                        line=_OUTLINE),
            hovertext=[f"<b>{html.escape(r.flight)}</b>: {_fmt_duration(r.duration_days)}"
                       for r in sub.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig = figure_widget(data=traces)
    fig.update_layout(
        height=380, margin=dict(l=10, r=10, t=50, b=40), plot_bgcolor="white",
        title=dict(text="How long each Soyuz flew (launch to landing)", font=dict(size=15),
                   x=0.01),
        xaxis=dict(type="date", title="Launch date (UTC)", gridcolor="#e5e5e5"),
        yaxis=dict(type="log", title="Days (log scale)", gridcolor="#e5e5e5",
                   tickvals=[0.01, 0.1, 1, 10, 100, 365],
                   ticktext=["15 min", "2.4 h", "1", "10", "100", "365"]),
    )
    return fig


def crew_size_figure(df: pd.DataFrame) -> go.FigureWidget:
    """Crewed launches per generation, stacked by crew size at launch (1, 2 or 3)."""
    t = crew_sizes(df)
    patterns = {1: "", 2: "/", 3: "."}
    fig = figure_widget(data=[
        go.Bar(name=f"{s} aboard", x=list(t.index), y=t[s].to_numpy(), marker_color=c,
               marker_pattern_shape=patterns[s],
               hovertemplate=f"%{{x}}: %{{y}} launches with {s} aboard<extra></extra>")
        for s, c in zip(t.columns, (ORANGE, SKY, BLUE), strict=True)
    ])
    fig.update_layout(
        barmode="stack", height=320, margin=dict(l=10, r=10, t=50, b=40), plot_bgcolor="white",
        title=dict(text="Crew size at launch, by generation", font=dict(size=15), x=0.01),
        yaxis=dict(title="Crewed launches", gridcolor="#e5e5e5"),
    )
    return fig


def figure_with_text(fig, text: str, css_class: str = "soyuz-description") -> widgets.VBox:
    """A chart with its text alternative underneath (an HTML paragraph)."""
    alt = widgets.HTML(f"<p>{html.escape(text)}</p>")
    alt.add_class(css_class)
    return widgets.VBox([fig, alt])


# --- the app -------------------------------------------------------------------------------------

class SoyuzApp:
    """The interactive history: filters (years, destination, outcome, uncrewed flights), the
    timeline and the flights-per-year chart (both updated in place), a count readout and a text
    alternative under each chart that follows the filters.

    ``widget`` is what a notebook displays. ``shown`` is the frame of flights shown.
    CSS classes for browser tests: ``soyuz-timeline`` (the timeline's container),
    ``soyuz-filter`` (each filter widget), ``soyuz-count`` (the readout).
    """

    _quiet = False  # set while show_all() changes several filters

    def __init__(self, df: pd.DataFrame | None = None):
        self.df = (load_flights() if df is None else df).reset_index(drop=True)
        df = self.df
        self.total = len(df)
        self._year = df.year.to_numpy()
        self._dest = df.destination.to_numpy(dtype=object)
        self._outcome = df.outcome.to_numpy(dtype=object)
        self._crewed = df.crewed.to_numpy()
        self._xs = _iso(df.launch_utc)
        self._symbols = _symbols(df)
        self._hover = np.array([_hover(r) for r in df.itertuples()], dtype=object)
        self.timeline = timeline_figure(df)
        self.per_year = per_year_figure(df)
        self._traces = {t.name: t for t in flight_traces(self.timeline)}
        self._gen_idx = {g: _marker_order(df, g) for g in self._traces}
        self._events = {a.name.split(":", 1)[1]: a for a in self.timeline.layout.annotations
                        if (a.name or "").startswith("event:")}
        self._event_row = {f: int(np.flatnonzero(df.flight.to_numpy() == f)[0])
                           for f in self._events}
        self._years = np.arange(int(self._year.min()), int(self._year.max()) + 1)
        self._abort = self._outcome == "launch abort"
        self._build_controls()
        self.update()

    def _build_controls(self):
        lo, hi = int(self._year.min()), int(self._year.max())
        dests = [d for d in DESTINATIONS if d in set(self._dest)]
        outcomes = [o for o in OUTCOMES if o in set(self._outcome)]
        count = Counter(self._dest)
        style = {"description_width": "90px"}
        self.era = widgets.IntRangeSlider(
            value=(lo, hi), min=lo, max=hi, step=1, description="Years",
            continuous_update=False, layout=widgets.Layout(width="100%", max_width="640px"),
            style=style)
        self.destination = widgets.SelectMultiple(
            options=[(f"{d} ({count[d]})", d) for d in dests], value=tuple(dests),
            rows=min(len(dests), 6), description="Destination", style=style,
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
        self.timeline_text = widgets.HTML()
        self.timeline_text.add_class("soyuz-description")
        self.per_year_text = widgets.HTML()
        self.per_year_text.add_class("soyuz-description")
        container = widgets.Box([self.timeline], layout=widgets.Layout(width="100%"))
        container.add_class("soyuz-timeline")
        filters = widgets.VBox([
            self.era,
            widgets.HBox([self.destination, self.outcome],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.uncrewed, self.reset, self.count],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
        ])
        self.widget = widgets.VBox([filters, container, self.timeline_text, self.per_year,
                                    self.per_year_text])

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
        figure), then the readout and the text alternatives."""
        if self._quiet:
            return
        m = self.mask()
        lo, hi = self.era.value
        fig = self.timeline
        with fig.batch_update():
            for gen, trace in self._traces.items():
                idx = self._gen_idx[gen]
                idx = idx[m[idx]]
                trace.x = self._xs[idx]
                trace.y = [gen] * len(idx)
                trace.hovertext = self._hover[idx]
                trace.marker.symbol = self._symbols[idx]
            for flight, note in self._events.items():
                note.visible = bool(m[self._event_row[flight]])
            fig.layout.xaxis.range = [f"{lo - 1}-10-01", f"{hi + 1}-03-31"]
        offset = self._years[0]
        sel = self._year[m] - offset
        n = len(self._years)
        crewed = np.bincount(sel[self._crewed[m] & ~self._abort[m]], minlength=n)
        aborts = np.bincount(sel[self._abort[m]], minlength=n)
        uncrewed = np.bincount(sel[~self._crewed[m]], minlength=n)
        with self.per_year.batch_update():
            for trace, y in zip(self.per_year.data, (crewed, aborts, uncrewed), strict=True):
                trace.y = y
            self.per_year.layout.xaxis.range = [lo - 0.5, hi + 0.5]
        shown = self.df[m]
        n_shown = int(m.sum())
        self.count.value = (f"<span aria-live='polite'><b>{n_shown}</b> of {self.total} flights "
                            "shown</span>")
        self.timeline_text.value = (
            f"<p>{html.escape(describe_timeline(shown, self.total, (lo, hi)))}</p>")
        self.per_year_text.value = f"<p>{html.escape(describe_per_year(shown, (lo, hi)))}</p>"
