"""``data/soyuz_flights.csv``: its loaders (the schema and the checks are in :mod:`explainer.data.flight_schema`).

One row per Soyuz launch with a crew aboard (1967-2025, the three launch aborts included), plus
the uncrewed flights of crew vehicles that matter (``crewed = false``). The checks are small named
rules in :mod:`explainer.data.flight_schema`, applied on loading; a bad row stops the loader with
a :class:`~explainer.data.DataError` naming the file, the row (as a spreadsheet numbers it:
header = row 1), the flight, the column and the problem.

``data/soyuz_crewed_returns.csv`` lists the flights that launched uncrewed and brought a crew
home (Soyuz 34, Soyuz MS-23): published ordinals of "crewed Soyuz flights" count them.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import pandas as pd

from explainer.data import DataError, read_table
from explainer.data.flight_schema import FILE, SCHEMA, validate
from explainer.paths import data_dir

RETURNS_FILE = "soyuz_crewed_returns.csv"
RETURNS_SCHEMA = {"flight": "required", "crew_of": "required", "notes": "text", "source": "url"}

# --- loading -----------------------------------------------------------------------------------

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


def load_crewed_returns(folder: Path | None = None,
                        flights: pd.DataFrame | None = None) -> pd.DataFrame:
    """``data/soyuz_crewed_returns.csv``: flights that launched uncrewed and landed with a crew.

    Parameters
    ----------
    folder : pathlib.Path, optional
        Where the file is (default: the kit's ``data/``).
    flights : pandas.DataFrame, optional
        The validated flight table the rows refer to (default: :func:`load_flights` of
        ``folder``).

    Returns
    -------
    pandas.DataFrame
        ``flight`` (the uncrewed launch), ``crew_of`` (the flight whose crew came home in it),
        ``notes``, ``source``, and ``crew`` (that crew's names as ``"A; B"``, taken from
        ``flights``: the names are written once, in the flight table).

    Raises
    ------
    DataError
        If a row names a flight missing from the flight table, a ``flight`` that launched with
        a crew, or a ``crew_of`` flight that launched without one.
    """
    frame = read_table(RETURNS_FILE, RETURNS_SCHEMA, folder)
    table = (load_flights(folder) if flights is None else flights).set_index("flight")
    crews = []
    for i, r in enumerate(frame.itertuples(index=False), start=2):
        where = f"{RETURNS_FILE}: row {i} ({r.flight})"
        if r.flight not in table.index or r.crew_of not in table.index:
            missing = r.flight if r.flight not in table.index else r.crew_of
            raise DataError(f"{where}: {missing!r} is not a flight of {FILE}")
        if table.at[r.flight, "crewed"]:
            raise DataError(f"{where}, column flight: launched with a crew, not a crewed return")
        if not table.at[r.crew_of, "crewed"]:
            raise DataError(f"{where}, column crew_of: {r.crew_of} launched without a crew")
        crews.append(table.at[r.crew_of, "crew"])
    frame["crew"] = crews
    return frame
