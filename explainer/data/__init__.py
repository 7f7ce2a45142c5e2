"""The kit's shipped datasets, loaded with their provenance and checked as they load.

Every file in ``data/`` is listed in ``data/manifest.json`` (what it is, sources, licence,
retrieval date, SHA-256). Loaders validate each row and raise :class:`DataError` naming the file,
the row and the column of the first problem, so a corrupt file stops the kit with a clear
message instead of drawing a wrong chart.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from explainer.astro.tle import ElementSet, TleError, parse_tles
from explainer.data import manifest as _manifest
from explainer.paths import data_dir


class DataError(ValueError):
    """A shipped data file is missing, corrupt or inconsistent."""


# column kinds: "text" (may be empty), "required" (non-empty text), "float", "int", "bool",
# "utc" (ISO 8601 date or date-time, may be empty), "utc!" (must be present), "url" (>= 1 URL)
Schema = dict[str, str]


def _parse_utc(text: str) -> pd.Timestamp:
    stamp = pd.Timestamp(text)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp


def _check_cell(kind: str, text: str) -> object:
    text = text.strip()
    if kind == "text":
        return text
    if kind == "required":
        if not text:
            raise ValueError("is empty")
        return text
    if kind == "float":
        value = float(text)
        if not np.isfinite(value):
            raise ValueError(f"{text!r} is not a finite number")
        return value
    if kind == "int":
        return int(text)
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{text!r} is not true or false")
        return text.lower() == "true"
    if kind in ("utc", "utc!"):
        if not text:
            if kind == "utc!":
                raise ValueError("is empty")
            return pd.NaT
        try:
            return _parse_utc(text)
        except (ValueError, TypeError):
            raise ValueError(f"{text!r} is not an ISO 8601 UTC date or time") from None
    if kind == "url":
        urls = [u.strip() for u in text.split("|")]
        if not urls or not all(u.startswith(("http://", "https://")) for u in urls):
            raise ValueError(f"needs one or more http(s) URLs separated by ' | ', got {text[:60]!r}")
        return text
    raise AssertionError(f"unknown column kind {kind}")


def read_table(name: str, schema: Schema, folder: Path | None = None) -> pd.DataFrame:
    """Read and validate ``data/<name>`` (CSV) against ``schema``; raise :class:`DataError`.

    Row numbers in errors count the header as row 1, as a spreadsheet shows them. Date-only UTC
    values become midnight; a companion boolean column ``<col>_has_time`` records whether a
    time of day was given.
    """
    path = (folder or data_dir()) / name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{name}: the file is missing from {path.parent}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{name}: the file is empty") from None
    missing = [c for c in schema if c not in header]
    if missing:
        raise DataError(f"{name}: row 1 (header) lacks the column(s) {', '.join(missing)}")
    columns: dict[str, list] = {c: [] for c in header}
    has_time: dict[str, list] = {c: [] for c, k in schema.items() if k.startswith("utc")}
    n_rows = 0
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataError(
                f"{name}: row {row_number} has {len(row)} fields, the header has {len(header)} "
                "(truncated or badly quoted line?)"
            )
        for col, cell in zip(header, row, strict=True):
            kind = schema.get(col, "text")
            try:
                value = _check_cell(kind, cell)
            except ValueError as exc:
                raise DataError(f"{name}: row {row_number}, column {col}: {exc}") from None
            columns[col].append(value)
            if col in has_time:
                has_time[col].append("T" in cell)
        n_rows += 1
    if n_rows == 0:
        raise DataError(f"{name}: the file has a header but no rows")
    _check_signed(folder or data_dir(), name)
    frame = pd.DataFrame(columns)
    for col, flags in has_time.items():
        frame[col] = pd.to_datetime(frame[col])
        frame[f"{col}_has_time"] = flags
    return frame


# --- provenance (explainer/data/manifest.py) ------------------------------------------------

@cache
def manifest() -> dict:
    """``data/manifest.json``: one entry per dataset, with sources, licence and file hashes."""
    try:
        found = _manifest.read(data_dir())
    except ValueError as exc:
        raise DataError(str(exc)) from None
    if found is None:
        raise DataError(f"manifest.json: missing from {data_dir()}")
    return found


sha256 = _manifest.sha256


def verify_manifest() -> list[str]:
    """Problems between the manifest and the files on disk (empty when they agree)."""
    return _manifest.problems(data_dir())


def _check_signed(folder: Path, name: str) -> None:
    """Raise :class:`DataError` if ``folder/name`` differs from the folder's manifest."""
    try:
        problem = _manifest.file_problem(folder, name)
    except ValueError as exc:
        raise DataError(str(exc)) from None
    if problem:
        raise DataError(problem)


# --- element sets, places, facts -----------------------------------------------------------

TLE_FILE = "tle/iss-2025-11.tle"


@cache
def tles() -> tuple[ElementSet, ...]:
    """The shipped ISS element sets (Nov-Dec 2025), in epoch order, each with where it was
    published (``ElementSet.source``)."""
    path = data_dir() / TLE_FILE
    try:
        sets = parse_tles(path.read_text(encoding="ascii"))
    except (TleError, UnicodeDecodeError) as exc:
        raise DataError(f"{TLE_FILE}: {exc}") from None
    _check_signed(data_dir(), TLE_FILE)
    sources = read_table(
        "tle/iss-2025-11-sources.csv",
        {"epoch_utc": "utc!", "rev_number": "int", "published_in": "required"},
    )
    if len(sources) != len(sets):
        raise DataError(
            f"tle/iss-2025-11-sources.csv: {len(sources)} rows for {len(sets)} element sets"
        )
    out = []
    for s, (_, row) in zip(sets, sources.iterrows(), strict=True):
        if abs((pd.Timestamp(s.epoch) - row.epoch_utc).total_seconds()) > 1:
            raise DataError(
                f"tle/iss-2025-11-sources.csv: epoch {row.epoch_utc} does not match the set of "
                f"{s.epoch}"
            )
        out.append(ElementSet(s.name, s.line1, s.line2, s.satrec, s.epoch, row.published_in))
    return tuple(sorted(out, key=lambda s: s.epoch))


@cache
def places() -> pd.DataFrame:
    """Named places of the story (Baikonur, Barcelona) with WGS84 lat/lon (deg) and sources."""
    frame = read_table(
        "places.csv",
        {"name": "required", "short_name": "required", "lat_deg": "float", "lon_deg": "float",
         "source": "url"},
    )
    bad = frame[(frame.lat_deg.abs() > 90) | (frame.lon_deg.abs() > 180)]
    if len(bad):
        raise DataError(f"places.csv: row {bad.index[0] + 2}: coordinates out of range")
    return frame.set_index("short_name", drop=False)


@dataclass(frozen=True)
class Fact:
    value: str
    unit: str
    notes: str
    source: str


@cache
def ms28_facts() -> dict[str, Fact]:
    """The Soyuz MS-28 fact sheet: key -> :class:`Fact` (value as text, unit, notes, source)."""
    frame = read_table(
        "ms28_facts.csv", {"key": "required", "value": "text", "unit": "text", "source": "url"}
    )
    return {r.key: Fact(r.value, r.unit, r.notes, r.source) for r in frame.itertuples()}


def fact_time(key: str) -> np.datetime64:
    """A UTC time from the MS-28 fact sheet as ``datetime64[ns]``."""
    return _parse_utc(ms28_facts()[key].value).to_datetime64().astype("datetime64[ns]")


# --- the two history datasets (schemas and checks live with their stories) -------------------

def soyuz_flights() -> pd.DataFrame:
    """Every crewed Soyuz launch 1967-2025 (and the uncrewed flights of crew vehicles that
    matter), one row per flight: ``flight, launch_utc, landing_utc, crewed, crew, crew_size,
    generation, destination, docking_utc, outcome, notes, source`` (UTC; see data/README.md)."""
    from explainer.data.flights import load_flights

    return load_flights()


def ports() -> pd.DataFrame:
    """The ISS docking and berthing ports used by visiting vehicles over the station's life
    (``data/iss_ports.csv``, checked; see :func:`explainer.data.docking.load_ports`)."""
    from explainer.data.docking import load_ports

    return load_ports()


def port_visits() -> pd.DataFrame:
    """Every visiting-vehicle stay at the ISS, one row per stay at one port (a relocation starts
    a new stay; a vehicle held on the robotic arm has port ``Canadarm2``): ``vehicle,
    vehicle_type, agency, port, arrival_utc, departure_utc, arrival_kind, notes, source`` and the
    counting columns of :func:`explainer.data.docking.load_stays`."""
    from explainer.data.docking import load_stays

    return load_stays()
