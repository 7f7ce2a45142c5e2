"""Sixty years of Soyuz: the analyses, plain functions of the flight table.

Each takes the frame of :func:`explainer.data.flights.load_flights` (or a filtered part of it) and
returns numbers at full precision (hours, days as floats; times as ``datetime64``): formatting is
left to :mod:`~explainer.stories.soyuz.text` and the figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

import pandas as pd

from explainer.data.flight_schema import GENERATIONS, STATION_NAMES, crew_names

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


# --- rendezvous ------------------------------------------------------------------------------

PROFILES = ("about 34 orbits (2 days)", "4 orbits (about 6 h)", "2 orbits (about 3 h)",
            "other (delayed docking)")
"""The rendezvous profiles, from the slowest regular one to the fastest, then delayed dockings."""


def rendezvous_profile(hours: float) -> str:
    """The profile (one of :data:`PROFILES`) of a rendezvous that took ``hours`` from launch to
    docking: under 4.5 h two orbits, under 12 h four orbits, under 60 h the two-day profile, else
    a delayed docking (such as uncrewed MS-14's)."""
    if hours < 4.5:
        return PROFILES[2]
    if hours < 12:
        return PROFILES[1]
    if hours < 60:
        return PROFILES[0]
    return PROFILES[3]


def rendezvous_hours(df: pd.DataFrame, destination: str | None = "ISS") -> pd.DataFrame:
    """Launch-to-docking time, in hours, of every flight to ``destination`` (``None``: any) whose
    launch and docking times of day are both known.

    Columns: ``flight, launch_utc, docking_utc, hours`` (float, h), ``crewed``, ``profile``
    (:func:`rendezvous_profile` of the time taken).
    """
    sel = df.docking_utc.notna() & df.docking_utc_has_time & df.launch_utc_has_time
    if destination is not None:
        sel &= df.destination == destination
    out = df.loc[sel, ["flight", "launch_utc", "docking_utc", "crewed"]].copy()
    out.insert(3, "hours", (out.docking_utc - out.launch_utc) / pd.Timedelta(hours=1))
    out["profile"] = [rendezvous_profile(h) for h in out.hours]
    return out.reset_index(drop=True)


def rendezvous_eras(r: pd.DataFrame) -> pd.DataFrame:
    """The eras of rendezvous profiles and their exceptions, from the data.

    An era starts with the first flight of a profile faster than every earlier one and lasts
    until the next era; its exceptions are its flights that flew another profile.

    Parameters
    ----------
    r : pandas.DataFrame
        A frame of :func:`rendezvous_hours` (usually its crewed rows), in launch order.

    Returns
    -------
    pandas.DataFrame
        One row per era: ``profile`` (one of :data:`PROFILES`), ``first_flight``, ``start``
        (its launch, UTC ``datetime64``), ``flights`` (count in the era) and ``exceptions`` (a
        frame ``flight, launch_utc, hours, profile``, hours as float, in launch order).
    """
    regular = [p for p in PROFILES if p != PROFILES[3]]
    starts, fastest = [], -1
    for k, p in enumerate(r.profile):
        if p in regular and regular.index(p) > fastest:
            fastest = regular.index(p)
            starts.append(k)
    out = []
    for n, start in enumerate(starts):
        era = r.iloc[start:starts[n + 1] if n + 1 < len(starts) else len(r)]
        profile = era.profile.iat[0]
        off = era[era.profile != profile]
        out.append(dict(profile=profile, first_flight=era.flight.iat[0],
                        start=era.launch_utc.iat[0], flights=len(era),
                        exceptions=off[["flight", "launch_utc", "hours", "profile"]]
                        .reset_index(drop=True)))
    return pd.DataFrame(out)


def flights_with_profile(r: pd.DataFrame, profile: str, after: str) -> list[str]:
    """The flights of ``r`` (a :func:`rendezvous_hours` frame) launched after flight ``after``
    that flew ``profile`` (one of :data:`PROFILES`), in launch order. Raises ``ValueError`` if
    ``after`` is not in ``r``."""
    start = r.launch_utc[r.flight == after]
    if start.empty:
        raise ValueError(f"{after!r} has no known rendezvous time")
    later = r.launch_utc > start.iat[0]
    return list(r.flight[later & (r.profile == profile)])


# --- the programme's record ------------------------------------------------------------------

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


def crewed_number(df: pd.DataFrame, flight: str, count_aborts: bool = True,
                  crewed_returns: Iterable[str] = ()) -> int:
    """The ordinal of ``flight`` among crewed Soyuz flights, in launch order (1 = Soyuz 1).

    Parameters
    ----------
    df : pandas.DataFrame
        The flight table (:func:`explainer.data.flights.load_flights`).
    flight : str
        The flight to number, e.g. ``"Soyuz MS-28"``.
    count_aborts : bool
        True: every launch with a crew aboard counts, the three launch aborts included (Soyuz
        18a, Soyuz T-10-1 - which never left the pad - and MS-10): the number of times a crew
        was launched. False: only crewed flights that reached orbit.
    crewed_returns : iterable of str
        Flights that launched uncrewed and brought a crew home
        (:func:`explainer.data.flights.load_crewed_returns`), counted too. Published ordinals
        count them: NASA's NSSDCA calls Soyuz MS-18 "the 146th launch of a crewed Soyuz
        spacecraft" (https://nssdc.gsfc.nasa.gov/nmc/spacecraft/display.action?id=2021-029A),
        which is this count with the aborts and both crewed returns. Other uncrewed flights
        never count.

    Returns
    -------
    int
        The ordinal, 1-based.

    Raises
    ------
    ValueError
        If ``flight`` is not counted under the chosen rule (or not in the table).
    """
    counted = df.crewed | df.flight.isin(list(crewed_returns))
    if not count_aborts:
        counted &= df.outcome != "launch abort"
    order = list(df[counted].sort_values("launch_utc", kind="stable").flight)
    if flight not in order:
        rule = "crewed launches" if count_aborts else "crewed flights that reached orbit"
        raise ValueError(f"{flight!r} is not among the {rule}")
    return order.index(flight) + 1


def crewed_ordinals(df: pd.DataFrame, flight: str, crewed_returns: Iterable[str]) -> pd.DataFrame:
    """``flight``'s ordinal under the four ways of counting crewed Soyuz flights.

    Parameters
    ----------
    df : pandas.DataFrame
        The flight table.
    flight : str
        The flight to number.
    crewed_returns : iterable of str
        Flights that launched uncrewed and brought a crew home (see :func:`crewed_number`).

    Returns
    -------
    pandas.DataFrame
        One row per way: ``aborts_counted`` (bool), ``returns_counted`` (bool) and ``number``
        (nullable int: ``<NA>`` where ``flight`` is not counted, e.g. a launch abort when only
        flights that reached orbit count).
    """
    returns = list(crewed_returns)
    rows = []
    for with_returns in (False, True):
        for with_aborts in (True, False):
            try:
                number = crewed_number(df, flight, with_aborts, returns if with_returns else ())
            except ValueError:
                number = None
            rows.append(dict(aborts_counted=with_aborts, returns_counted=with_returns,
                             number=number))
    return pd.DataFrame(rows).astype({"number": "Int64"})


def crew_of(df: pd.DataFrame, flight: str) -> list[str]:
    """The crew ``flight`` launched with, as the data spell their names (empty if uncrewed).
    Raises ``ValueError`` if ``flight`` is not in ``df``."""
    crew = df.crew[df.flight == flight]
    if crew.empty:
        raise ValueError(f"{flight!r} is not a flight of the table")
    return crew_names(crew.iat[0])


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


def source_sites(df: pd.DataFrame, n: int = 12) -> pd.Series:
    """How many rows cite each web site (host name without ``www.``), the ``n`` most cited."""
    hosts = Counter()
    for cell in df.source:
        for url in {urlsplit(u.strip()).netloc.lower().removeprefix("www.")
                    for u in cell.split("|")}:
            hosts[url] += 1
    top = hosts.most_common(n)
    return pd.Series(dict(top), name="rows citing").rename_axis("site")

