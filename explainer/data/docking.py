"""The ISS docking and berthing ports and every visiting-vehicle stay, 1998 to 2026: loading,
checking (rules in :mod:`explainer.data.docking_rules`) and the instants used for counting.

Four shipped tables, every row with its sources:

- ``data/iss_ports.csv``: each port visiting vehicles have used, with module, direction,
  mechanism, the vehicles that use it and the dates it entered and left service;
  ``current_visiting_port`` marks the eight ports of the late-2025 configuration.
- ``data/iss_stays.csv``: one row per stay of one vehicle at one port. A relocation (or a
  re-docking to the same port) starts a new row. A vehicle held on the robotic arm occupies no
  port: its row has port ``Canadarm2`` and arrival_kind ``arm_hold``. A vehicle that delivered a
  module and stayed docked at a port visiting vehicles use (Progress M-SO1 at Pirs, M-MIM2 at
  Poisk, M-UM at Prichal) is a stay at that port from the module's docking until it left.
- ``data/iss_port_eras.csv``: spells when a port in service could not take a visiting vehicle
  (``unusable``: Harmony forward between the last Shuttle and the docking adapter) or was only
  a ``backup`` berth.
- ``data/iss_stay_time_ranges.csv``: arrivals and departures whose sources disagree or give no
  time: the earliest and latest possible instant and what each source says.

Rules
-----
**Time of day.** A value with a time (``2025-11-27T12:34:35Z``) is that instant. A date-only value
(``2025-12-01``) means "some time that UTC day"; ``arrival_utc_has_time`` and
``departure_utc_has_time`` say which.

- *Checks* use only what is certain. A stay certainly covers [latest possible arrival, earliest
  possible departure]: a date-only arrival may be as late as the end of its day, a date-only
  departure as early as its start. Two stays overlap on a port only if these certain intervals
  overlap. "Departure before arrival" and "port not in service" are likewise reported only when
  no time within the given days could make the row right.
- *Counts* need one instant. A date-only value is placed at 12:00 UTC of its day (at most 12 h
  off), then moved within its day if a neighbour with a time on that day bounds it: on the same
  port, or for the same vehicle, a date-only departure is not later than the next arrival and a
  date-only arrival not earlier than the previous departure. The columns ``arrival_earliest``,
  ``arrival_latest``, ``departure_earliest`` and ``departure_latest`` keep the honest range
  (the day, or the wider range of ``iss_stay_time_ranges.csv``).
- Intervals are half-open: a vehicle is attached from its arrival (included) to its departure
  (excluded).

**Empty departures.** The data end at ``COVERAGE_END``, the last sourced event. An empty departure
carries a tag at the start of its notes: ``[attached at coverage end]`` (counted as attached to
``COVERAGE_END``, ``end_status`` ``"open"``) or ``[departure not found]`` (counted until the
latest moment it can have left: the next arrival at its port, the port leaving service or
``COVERAGE_END``; ``end_status`` ``"unknown"``, so counts near it are upper bounds).
``end_status`` is ``"time"`` or ``"date"`` for a sourced departure.

**Ports.** For the checks a port is in service from the start of its ``in_service_from`` day to
the end of its ``in_service_to`` day (for good if empty).

Loaders raise :class:`~explainer.data.DataError` naming the file, the row (header = row 1) and
the problem.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from explainer.data import DataError, read_table
from explainer.data import docking_rules as rules
from explainer.data.docking_rules import ARM, COVERAGE_END, FAR, OPEN_TAG, UNKNOWN_TAG, PortLookup
from explainer.data.docking_timeline import (
    DATE_ONLY_HOUR,
    TimelineError,
    ns,
    service_window,
    timeline,
)

PORTS_FILE = "iss_ports.csv"
STAYS_FILE = "iss_stays.csv"
ERAS_FILE = "iss_port_eras.csv"
RANGES_FILE = "iss_stay_time_ranges.csv"

PORTS_SCHEMA = {
    "port": "required", "module": "required", "direction": "required", "mechanism": "required",
    "adapter": "text", "vehicles": "required", "in_service_from": "utc!", "in_service_to": "utc",
    "current_visiting_port": "bool", "notes": "text", "source": "url",
}
STAYS_SCHEMA = {
    "vehicle": "required", "vehicle_type": "required", "agency": "required", "port": "required",
    "arrival_utc": "utc!", "departure_utc": "utc", "arrival_kind": "required", "notes": "text",
    "source": "url",
}
ERAS_SCHEMA = {"port": "required", "status": "required", "from_utc": "utc!", "to_utc": "utc",
               "reason": "required", "source": "url"}
RANGES_SCHEMA = {"vehicle": "required", "port": "required", "event": "required",
                 "earliest_utc": "utc!", "latest_utc": "utc!", "sources_say": "required",
                 "source": "url"}
_ONE_DAY = np.timedelta64(1, "D")

__all__ = ["ARM", "COVERAGE_END", "DATE_ONLY_HOUR", "OPEN_TAG", "UNKNOWN_TAG", "load_port_eras",
           "load_ports", "load_stays", "load_time_ranges", "ns", "port_lookup", "service_window"]


def _raise_first(frame: pd.DataFrame, row_rules, table_rules, name: str, *extra) -> None:
    for r in frame.itertuples():
        for rule in row_rules:
            problem = rule(r, *extra)
            if problem:
                raise DataError(f"{name}: row {r.row}: {problem}")
    for rule in table_rules:
        found = rule(frame)
        if found:
            raise DataError(f"{name}: row {found[0]} {found[1]}" if found[1].startswith("overlaps")
                            else f"{name}: row {found[0]}: {found[1]}")


def _with_rows(frame: pd.DataFrame) -> pd.DataFrame:
    frame["row"] = np.arange(len(frame)) + 2
    return frame


# --- ports ----------------------------------------------------------------------------------

def port_lookup(ports: pd.DataFrame) -> PortLookup:
    start, end = service_window(ports)
    return PortLookup(ports, dict(zip(ports.port, range(len(ports)), strict=True)), start, end)


def _read_ports(folder: Path | None) -> pd.DataFrame:
    ports = _with_rows(read_table(PORTS_FILE, PORTS_SCHEMA, folder))
    _raise_first(ports, rules.PORT_ROW_RULES, rules.PORT_TABLE_RULES, PORTS_FILE)
    start, end = service_window(ports)
    ports["service_start"] = start
    ports["service_end"] = np.where(end == FAR, np.datetime64("NaT"), end).astype(
        "datetime64[ns]")
    return ports


@cache
def _default_ports() -> pd.DataFrame:
    return _read_ports(None)


def load_ports(folder: Path | None = None) -> pd.DataFrame:
    """The ports table (``data/iss_ports.csv``), checked, with ``row`` (file row),
    ``service_start`` and ``service_end`` (UTC; NaT = still in service). Cached for the shipped
    data; ``folder`` reads a copy."""
    return _default_ports().copy() if folder is None else _read_ports(Path(folder))


# --- stays ----------------------------------------------------------------------------------

def _tag(notes: str) -> str:
    text = notes.strip()
    return next((t for t in (OPEN_TAG, UNKNOWN_TAG) if text.startswith(t)), "")


def with_certainty(stays: pd.DataFrame) -> pd.DataFrame:
    """``stays`` plus what a date-only value makes certain (``datetime64[ns]``): ``arr_earliest``,
    ``arr_latest``, ``dep_earliest``, ``dep_latest``, and ``tag``, ``open``, ``unknown``."""
    out = stays.copy()
    arr, dep = ns(out.arrival_utc), ns(out.departure_utc)
    arr_time = out.arrival_utc_has_time.to_numpy()
    dep_time = out.departure_utc_has_time.to_numpy()
    out["tag"] = [_tag(n) for n in out.notes]
    open_ = (out.tag == OPEN_TAG).to_numpy() & np.isnat(dep)
    arr_latest = np.where(arr_time, arr, arr + _ONE_DAY)
    out["arr_earliest"] = arr
    out["arr_latest"] = arr_latest
    out["dep_earliest"] = np.where(np.isnat(dep), np.where(open_, FAR, arr_latest), dep)
    out["dep_latest"] = np.where(np.isnat(dep), FAR, np.where(dep_time, dep, dep + _ONE_DAY))
    out["open"] = open_
    out["unknown"] = np.isnat(dep) & ~open_
    return out


def _read_stays(folder: Path | None) -> pd.DataFrame:
    ports = load_ports(folder)
    stays = with_certainty(_with_rows(read_table(STAYS_FILE, STAYS_SCHEMA, folder)))
    _raise_first(stays, rules.STAY_ROW_RULES, rules.STAY_TABLE_RULES, STAYS_FILE,
                 port_lookup(ports))
    try:
        out = timeline(stays, ports)
    except TimelineError as exc:
        raise DataError(f"{STAYS_FILE}: {exc}") from None
    _apply_ranges(out, folder)
    return out.drop(columns=["tag", "arr_earliest", "arr_latest", "dep_earliest", "dep_latest",
                             "open", "unknown"])


@cache
def _default_stays() -> pd.DataFrame:
    return _read_stays(None)


def load_stays(folder: Path | None = None) -> pd.DataFrame:
    """Every visiting-vehicle stay (``data/iss_stays.csv``), checked, in arrival order.

    Columns: the file's ``vehicle, vehicle_type, agency, port, arrival_utc, departure_utc,
    arrival_kind, notes, source``; ``arrival_utc_has_time`` / ``departure_utc_has_time`` (False
    for a date-only value); ``row`` (file row); the counting instants ``start`` and ``end``;
    ``end_status`` (``time``, ``date``, ``open``, ``unknown``); the honest bounds
    ``arrival_earliest/latest`` and ``departure_earliest/latest`` (NaT where the departure is not
    known); ``time_note`` (what the sources say where they disagree); ``on_port`` (False for an
    arm hold) and ``current_port``. All times UTC, ``datetime64[ns]``. Cached for the shipped data.
    """
    return _default_stays().copy() if folder is None else _read_stays(Path(folder))


# --- eras and time ranges -------------------------------------------------------------------

def _read_ranges(folder: Path | None) -> pd.DataFrame:
    path = Path(folder) if folder is not None else None
    if path is not None and not (path / RANGES_FILE).exists():
        return pd.DataFrame(columns=list(RANGES_SCHEMA) + ["row"])
    ranges = _with_rows(read_table(RANGES_FILE, RANGES_SCHEMA, path))
    _raise_first(ranges, rules.RANGE_ROW_RULES, (), RANGES_FILE)
    return ranges


def _apply_ranges(stays: pd.DataFrame, folder: Path | None) -> None:
    """Set the honest bounds of each arrival and departure, in place."""
    stays["arrival_earliest"] = stays.arr_earliest
    stays["arrival_latest"] = stays.arr_latest
    sourced = stays.departure_utc.notna().to_numpy()
    stays["departure_earliest"] = np.where(sourced, stays.dep_earliest, np.datetime64("NaT"))
    stays["departure_latest"] = np.where(sourced, stays.dep_latest, np.datetime64("NaT"))
    stays["time_note"] = ""
    for r in _read_ranges(folder).itertuples():
        column = "arrival_utc" if r.event == "arrival" else "departure_utc"
        match = np.flatnonzero(((stays.vehicle == r.vehicle) & (stays.port == r.port)
                                & (stays[column] >= r.earliest_utc.normalize())
                                & (stays[column] <= r.latest_utc)).to_numpy())
        if len(match) != 1:
            raise DataError(f"{RANGES_FILE}: row {r.row}: {len(match)} stays of {r.vehicle!r} at "
                            f"{r.port!r} have their {r.event} in {r.earliest_utc:%Y-%m-%d} .. "
                            f"{r.latest_utc:%Y-%m-%d} (need exactly one)")
        k = stays.index[match[0]]
        stays.loc[k, f"{r.event}_earliest"] = r.earliest_utc
        stays.loc[k, f"{r.event}_latest"] = r.latest_utc
        note = f"{r.event}: {r.sources_say}"
        stays.loc[k, "time_note"] = (stays.loc[k, "time_note"] + " " + note).strip()
    for col in ("arrival_earliest", "arrival_latest", "departure_earliest", "departure_latest"):
        stays[col] = stays[col].astype("datetime64[ns]")


def load_time_ranges(folder: Path | None = None) -> pd.DataFrame:
    """``data/iss_stay_time_ranges.csv``: ``vehicle, port, event, earliest_utc, latest_utc,
    sources_say, source`` for each arrival or departure whose sources disagree or give no time."""
    return _read_ranges(folder)


@cache
def _default_eras() -> pd.DataFrame:
    return _read_eras(None)


def _read_eras(folder: Path | None) -> pd.DataFrame:
    eras = _with_rows(read_table(ERAS_FILE, ERAS_SCHEMA, folder))
    _raise_first(eras, rules.ERA_ROW_RULES, (), ERAS_FILE, port_lookup(load_ports(folder)))
    return eras


def load_port_eras(folder: Path | None = None) -> pd.DataFrame:
    """``data/iss_port_eras.csv``: spells (``port, status, from_utc, to_utc, reason, source``)
    when a port in service could not take a visiting vehicle (``unusable``) or was only a
    ``backup`` berth. Outside them every port in service counts as usable."""
    return _default_eras().copy() if folder is None else _read_eras(Path(folder))
