"""The schema of ``data/soyuz_flights.csv``, its vocabularies and its checks.

The checks are small named rules, one message each: a *row rule* ``rule(r, i, table)`` looks at
record ``r`` (the ``i``-th, a row of ``frame.itertuples()``) and returns the problem as text, or
``None``; a *table rule* ``rule(table)`` looks at the whole table and returns the position of
the record to blame and the problem, or ``None``. :data:`ROW_RULES` and :data:`TABLE_RULES` list
them with the column each one checks, in the order :func:`validate` applies them: every row rule
on each row in file order, then the table rules. Times without a time of day are compared by
date. The loader (:func:`explainer.data.flights.load_flights`) and the tests use the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from explainer.data import DataError

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
"""No two generations were launched side by side for longer than this, in years (the data's
longest overlaps: 7K-T with 7K-TM 1.8 years, 7K-T with Soyuz-T 1.4 years, TMA with TMA-M 1.1
years)."""

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

NAME_FAMILIES = (
    (re.compile(r"Soyuz \d{1,2}a?"), ("7K-OK", "7K-OKS", "7K-T", "7K-TM")),
    (re.compile(r"Soyuz T-\d{1,2}(-1)?"), ("Soyuz-T",)),
    (re.compile(r"Soyuz TM-\d{1,2}"), ("Soyuz-TM",)),
    (re.compile(r"Soyuz TMA-\d{1,2}"), ("Soyuz-TMA",)),
    (re.compile(r"Soyuz TMA-\d\dM"), ("Soyuz-TMA-M",)),
    (re.compile(r"Soyuz MS-\d\d"), ("Soyuz MS",)),
)
"""A flight's name fixes its family of generations: (pattern of the whole name, generations)."""


def name_family(flight: str) -> tuple[str, ...] | None:
    """The generations a flight of this name can belong to (``None``: not a known naming style)."""
    return next((gens for pattern, gens in NAME_FAMILIES if pattern.fullmatch(flight)), None)


def crew_names(crew: str) -> list[str]:
    """The names in a ``crew`` cell (``"A; B; C"``), in the order listed."""
    return [n.strip() for n in crew.split(";") if n.strip()]



# --- the rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """What the rules see: the frame as read, its row numbers in the file (header = 1), the
    position of the first record of each flight name, and the newest launch."""

    frame: pd.DataFrame
    rows: list[int]
    first_of: dict[str, int]
    newest_launch: pd.Timestamp

    @classmethod
    def of(cls, frame: pd.DataFrame, rows: list[int]) -> Table:
        first_of: dict[str, int] = {}
        for i, name in enumerate(frame.flight):
            first_of.setdefault(name, i)
        return cls(frame, rows, first_of, frame.launch_utc.max())


RowRule = Callable[[object, int, Table], "str | None"]
TableRule = Callable[[Table], "tuple[int, str] | None"]
ROW_RULES: list[tuple[str, RowRule]] = []
"""(column, rule) for every row rule, in the order they are applied."""
TABLE_RULES: list[tuple[str, TableRule]] = []
"""(column, rule) for every whole-table rule, applied after the row rules."""


def _row_rule(column: str):
    def register(rule: RowRule) -> RowRule:
        ROW_RULES.append((column, rule))
        return rule
    return register


def _table_rule(column: str):
    def register(rule: TableRule) -> TableRule:
        TABLE_RULES.append((column, rule))
        return rule
    return register


def _not_after(a: pd.Timestamp, a_timed: bool, b: pd.Timestamp, b_timed: bool) -> bool:
    """``a`` is at or before ``b``; compared by date when either lacks a time of day."""
    if a_timed and b_timed:
        return a <= b
    return a.normalize() <= b.normalize()


@_row_rule("flight")
def naming_style(r, i, t):
    if name_family(r.flight) is None:
        return (f"name {r.flight!r} does not follow the naming styles ('Soyuz 18a', "
                "'Soyuz T-10-1', 'Soyuz TMA-01M', 'Soyuz MS-28')")
    return None


@_row_rule("flight")
def unique_name(r, i, t):
    first = t.first_of[r.flight]
    return None if first == i else f"duplicate flight name (also row {t.rows[first]})"


def _vocabulary_rule(column: str, allowed: tuple[str, ...]) -> RowRule:
    def rule(r, i, t):
        value = getattr(r, column)
        return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"
    rule.__name__ = f"known_{column}"
    return _row_rule(column)(rule)


known_generation = _vocabulary_rule("generation", GENERATIONS)
known_destination = _vocabulary_rule("destination", DESTINATIONS)
known_outcome = _vocabulary_rule("outcome", OUTCOMES)


@_row_rule("generation")
def generation_fits_name(r, i, t):
    family = name_family(r.flight)
    if family is None or r.generation in family:
        return None
    return (f"a flight named {r.flight!r} cannot be generation {r.generation!r} "
            f"(expected {' or '.join(family)})")


@_row_rule("generation")
def launched_in_generation_years(r, i, t):
    if r.generation not in GENERATION_YEARS:
        return None
    first, last = GENERATION_YEARS[r.generation]
    year = r.launch_utc.year
    if first <= year and (last is None or year <= last):
        return None
    span = f"{first}-{last}" if last else f"{first} onwards"
    return f"launched in {year}, outside the {r.generation} years ({span})"


@_row_rule("crew")
def crewed_lists_crew(r, i, t):
    return "a crewed flight must list its crew" if r.crewed and not crew_names(r.crew) else None


@_row_rule("crew")
def crew_listed_once(r, i, t):
    names = crew_names(r.crew)
    return "a crew member is listed twice" if len(set(names)) != len(names) else None


@_row_rule("crew_size")
def crew_size_counts_names(r, i, t):
    n = len(crew_names(r.crew))
    if not r.crewed or r.crew_size == n:
        return None
    return f"crew_size is {r.crew_size} but {n} name(s) are listed"


@_row_rule("crew_size")
def uncrewed_has_no_crew(r, i, t):
    if r.crewed or (not crew_names(r.crew) and r.crew_size == 0):
        return None
    return "an uncrewed flight must have no crew and crew_size 0"


@_row_rule("outcome")
def crew_outcome_needs_crew(r, i, t):
    if r.crewed or r.outcome not in ("fatal", "launch abort"):
        return None
    return f"outcome {r.outcome!r} needs a crewed flight"


@_row_rule("landing_utc")
def landing_empty_only_in_flight(r, i, t):
    if pd.notna(r.landing_utc):
        return None
    recent = (t.newest_launch - r.launch_utc) < pd.Timedelta(days=IN_FLIGHT_DAYS)
    if recent and "in flight" in r.notes.lower():
        return None
    return "landing is empty but the flight is not marked as in flight"


@_row_rule("landing_utc")
def landing_after_launch(r, i, t):
    if pd.isna(r.landing_utc):
        return None
    if r.landing_utc != r.launch_utc and _not_after(
            r.launch_utc, r.launch_utc_has_time, r.landing_utc, r.landing_utc_has_time):
        return None
    return f"landing {r.landing_utc} is not after launch {r.launch_utc}"


@_row_rule("docking_utc")
def abort_never_docks(r, i, t):
    if pd.isna(r.docking_utc) or r.outcome != "launch abort":
        return None
    return "a launch abort cannot have a docking time"


@_row_rule("docking_utc")
def docking_not_before_launch(r, i, t):
    if pd.isna(r.docking_utc) or _not_after(r.launch_utc, r.launch_utc_has_time,
                                            r.docking_utc, r.docking_utc_has_time):
        return None
    return f"docking {r.docking_utc} is before launch {r.launch_utc}"


@_row_rule("docking_utc")
def docking_not_after_landing(r, i, t):
    if pd.isna(r.docking_utc) or pd.isna(r.landing_utc) or _not_after(
            r.docking_utc, r.docking_utc_has_time, r.landing_utc, r.landing_utc_has_time):
        return None
    return f"docking {r.docking_utc} is after landing {r.landing_utc}"


@_row_rule("launch_utc")
def in_launch_order(r, i, t):
    if i == 0 or r.launch_utc >= t.frame.launch_utc.iat[i - 1]:
        return None
    return "rows are not in launch order (launched before the row above)"


def _eras(t: Table) -> tuple[pd.DataFrame, list[str]]:
    """First and last launch (and the position of the first) of each known generation, and the
    generations present in canonical order."""
    eras = t.frame.groupby("generation").launch_utc.agg(["min", "max", "idxmin"])
    return eras, [g for g in GENERATIONS if g in eras.index]


@_table_rule("generation")
def generations_in_order(t):
    eras, order = _eras(t)
    for earlier, later in zip(order, order[1:], strict=False):
        if eras.at[later, "min"] <= eras.at[earlier, "min"]:
            return (int(eras.at[later, "idxmin"]),
                    f"{later} first flies before {earlier}; generations must appear in the order "
                    f"{' < '.join(GENERATIONS)}")
    return None


@_table_rule("generation")
def generations_overlap_briefly(t):
    eras, order = _eras(t)
    year = pd.Timedelta(days=365.25)
    for k, a in enumerate(order):
        for b in order[k + 1:]:
            overlap = (min(eras.at[a, "max"], eras.at[b, "max"])
                       - max(eras.at[a, "min"], eras.at[b, "min"]))
            if overlap > MAX_CONCURRENT_YEARS * year:
                # blame the launch lying farthest from its own generation's median launch
                sub = t.frame[t.frame.generation.isin([a, b])]
                median = sub.groupby("generation").launch_utc.transform("median")
                worst = int((sub.launch_utc - median).abs().idxmax())
                return (worst, f"{a} and {b} would have flown side by side for "
                               f"{overlap / year:.1f} years (at most {MAX_CONCURRENT_YEARS:g})")
    return None


def validate(frame: pd.DataFrame, name: str = FILE, rows: list[int] | None = None) -> None:
    """Check a flights table as read by ``read_table``: every rule of :data:`ROW_RULES` on each
    row in file order, then :data:`TABLE_RULES`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as :func:`explainer.data.read_table` returns it for :data:`SCHEMA`.
    name : str
        The file name the messages give.
    rows : list of int, optional
        The row number in the file (header = 1) of each record (default: ``i + 2``).

    Raises
    ------
    DataError
        At the first problem, naming ``name``, the row, the flight, the column and the problem.
    ValueError
        If ``rows`` does not number every record.
    """
    frame = frame.reset_index(drop=True)
    rows = rows if rows is not None else [i + 2 for i in range(len(frame))]
    if len(rows) != len(frame):
        raise ValueError("rows must number every record of the frame")
    table = Table.of(frame, rows)

    def fail(i: int, column: str, problem: str):
        raise DataError(f"{name}: row {rows[i]} ({frame.flight.iat[i]}), column {column}: "
                        f"{problem}")

    for i, r in enumerate(frame.itertuples(index=False)):
        for column, rule in ROW_RULES:
            problem = rule(r, i, table)
            if problem:
                fail(i, column, problem)
    for column, rule in TABLE_RULES:
        found = rule(table)
        if found:
            fail(found[0], column, found[1])
