"""Named checks of the ISS ports and stays tables, one rule per function and one message each.

A *row rule* takes one row (a namedtuple from :func:`explainer.data.docking.certain_rows`, which
adds what a date-only value makes certain) and the ports lookup, and returns ``None`` when the
row is right or the problem as one sentence. A *table rule* looks at every row and returns
``(file row, problem)`` for the first problem. The loaders raise
:class:`~explainer.data.DataError` with the file name and row in front; the tests call the same
rules on small hand-made rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ARM = "Canadarm2"
"""The ``port`` of a stay held on the robotic arm (no port occupied)."""
OPEN_TAG = "[attached at coverage end]"
UNKNOWN_TAG = "[departure not found]"
COVERAGE_END = pd.Timestamp("2026-03-24T13:40")
"""The last sourced event in the stays (Progress MS-33 docks to Poisk), UTC."""
VEHICLE_TYPES = ("Soyuz", "Progress", "Space Shuttle", "ATV", "HTV", "Dragon", "Crew Dragon",
                 "Cygnus", "Starliner", "HTV-X")
ARRIVAL_KINDS = ("launch", "relocation", "reberth", "arm_hold")
ERA_STATUSES = ("unusable", "backup")
FAR = np.datetime64("2262-01-01", "ns")
"""Stands for "no end" in interval arithmetic."""


@dataclass(frozen=True)
class PortLookup:
    """The ports table as the stay rules need it: row index by name and service windows
    (``datetime64[ns]``; a date-only end covers its whole day; no end = :data:`FAR`)."""

    ports: pd.DataFrame
    index: dict[str, int]
    start: np.ndarray
    end: np.ndarray


def date_text(stamp, has_time: bool) -> str:
    """A date or time as the data file writes it (``2025-12-01`` or ``2025-11-27T12:34Z``)."""
    if pd.isna(stamp):
        return "(empty)"
    stamp = pd.Timestamp(stamp)
    return stamp.strftime("%Y-%m-%dT%H:%MZ") if has_time else stamp.strftime("%Y-%m-%d")


def _span(r) -> str:
    dep = (date_text(r.departure_utc, r.departure_utc_has_time)
           if pd.notna(r.departure_utc) else "still attached")
    return f"{date_text(r.arrival_utc, r.arrival_utc_has_time)} to {dep}"


# --- ports ----------------------------------------------------------------------------------

def arm_is_not_a_port(r) -> str | None:
    if r.port == ARM:
        return f"{ARM} is the robotic arm, not a port"
    return None


def port_leaves_service_after_entering(r) -> str | None:
    if pd.notna(r.in_service_to) and r.in_service_to < r.in_service_from:
        return (f"port {r.port!r} leaves service ({r.in_service_to:%Y-%m-%d}) before it enters "
                f"it ({r.in_service_from:%Y-%m-%d})")
    return None


def current_port_is_in_service(r) -> str | None:
    if r.current_visiting_port and pd.notna(r.in_service_to):
        return f"port {r.port!r} is marked current but left service"
    return None


PORT_ROW_RULES = (arm_is_not_a_port, port_leaves_service_after_entering,
                  current_port_is_in_service)


def each_port_listed_once(ports: pd.DataFrame) -> tuple[int, str] | None:
    first = ports.port.duplicated()
    if first.any():
        k = int(np.flatnonzero(first)[0])
        earlier = int(ports.row[ports.port == ports.port.iloc[k]].iloc[0])
        return int(ports.row.iloc[k]), (f"port {ports.port.iloc[k]!r} is listed again (first at "
                                        f"row {earlier})")
    return None


PORT_TABLE_RULES = (each_port_listed_once,)


# --- stays ----------------------------------------------------------------------------------

def known_vehicle_type(r, lookup: PortLookup) -> str | None:
    if r.vehicle_type not in VEHICLE_TYPES:
        return f"vehicle_type {r.vehicle_type!r} is not one of {', '.join(VEHICLE_TYPES)}"
    return None


def known_arrival_kind(r, lookup: PortLookup) -> str | None:
    if r.arrival_kind not in ARRIVAL_KINDS:
        return f"arrival_kind {r.arrival_kind!r} is not one of {', '.join(ARRIVAL_KINDS)}"
    return None


def arm_hold_is_on_the_arm(r, lookup: PortLookup) -> str | None:
    if (r.port == ARM) != (r.arrival_kind == "arm_hold"):
        return (f"a stay held on the arm has port {ARM!r} and arrival_kind 'arm_hold' (got port "
                f"{r.port!r}, kind {r.arrival_kind!r})")
    return None


def port_is_listed(r, lookup: PortLookup) -> str | None:
    if r.port != ARM and r.port not in lookup.index:
        return f"port {r.port!r} is not in iss_ports.csv"
    return None


def empty_departure_is_tagged(r, lookup: PortLookup) -> str | None:
    if pd.isna(r.departure_utc) and not r.tag:
        return (f"departure is empty but the notes do not start with {OPEN_TAG!r} or "
                f"{UNKNOWN_TAG!r}")
    return None


def tagged_departure_is_empty(r, lookup: PortLookup) -> str | None:
    if pd.notna(r.departure_utc) and r.tag:
        return (f"departure {date_text(r.departure_utc, r.departure_utc_has_time)} is given but "
                f"the notes are tagged {r.tag!r}")
    return None


def departure_after_arrival(r, lookup: PortLookup) -> str | None:
    if pd.notna(r.departure_utc) and r.dep_latest <= r.arr_earliest:
        return (f"departure {date_text(r.departure_utc, r.departure_utc_has_time)} is before "
                f"arrival {date_text(r.arrival_utc, r.arrival_utc_has_time)} ({r.vehicle})")
    return None


def within_coverage(r, lookup: PortLookup) -> str | None:
    last = r.arrival_utc if pd.isna(r.departure_utc) else max(r.arrival_utc, r.departure_utc)
    if last > COVERAGE_END:
        return (f"{r.vehicle} has an event after the coverage end {COVERAGE_END:%Y-%m-%dT%H:%M}Z "
                "(update COVERAGE_END in explainer/data/docking_rules.py)")
    return None


def port_in_service_during_stay(r, lookup: PortLookup) -> str | None:
    if r.port == ARM or r.port not in lookup.index:
        return None
    k = lookup.index[r.port]
    s0, s1 = lookup.start[k], lookup.end[k]
    if (r.arr_latest < s0 or r.arr_earliest >= s1 or (not r.open and r.dep_earliest > s1)
            or (r.open and s1 != FAR)):
        until = lookup.ports.in_service_to.iloc[k]
        span = (f"{lookup.ports.in_service_from.iloc[k]:%Y-%m-%d} to "
                f"{'now' if pd.isna(until) else f'{until:%Y-%m-%d}'}")
        return (f"port {r.port!r} is not in service at the stay's dates ({r.vehicle}, "
                f"{_span(r)}; port in service {span})")
    return None


STAY_ROW_RULES = (known_vehicle_type, known_arrival_kind, arm_hold_is_on_the_arm, port_is_listed,
                  empty_departure_is_tagged, tagged_departure_is_empty, departure_after_arrival,
                  within_coverage, port_in_service_during_stay)


def positions_by(values) -> dict:
    """Row positions grouped by value, in first-seen order (a fast groupby for small tables)."""
    out: dict = {}
    for position, value in enumerate(values):
        out.setdefault(value, []).append(position)
    return out


def _first_overlap(stays: pd.DataFrame, key: str, label: str) -> tuple[int, str] | None:
    """Two stays whose certain intervals overlap (the later file row first)."""
    lo = stays.arr_latest.to_numpy().astype("int64")
    hi = stays.dep_earliest.to_numpy().astype("int64")
    rows = stays.row.to_numpy()
    found = []
    for value, group in positions_by(stays[key]).items():
        if key == "port" and value == ARM:
            continue
        for n, a in enumerate(group):
            for b in group[n + 1:]:
                if max(lo[a], lo[b]) < min(hi[a], hi[b]):
                    first, second = sorted((a, b), key=lambda p: rows[p])
                    found.append((rows[second], rows[first], second, first, value))
    if not found:
        return None
    row_b, row_a, b, a, value = min(found, key=lambda f: (f[0], f[1]))
    rb, ra = stays.iloc[b], stays.iloc[a]
    return int(row_b), (f"overlaps row {row_a} {label} {value!r}: {rb.vehicle} ({_span(rb)}) "
                        f"and {ra.vehicle} ({_span(ra)})")


def no_two_stays_on_one_port(stays: pd.DataFrame) -> tuple[int, str] | None:
    return _first_overlap(stays, "port", "on port")


def no_vehicle_in_two_places(stays: pd.DataFrame) -> tuple[int, str] | None:
    return _first_overlap(stays, "vehicle", "for vehicle")


STAY_TABLE_RULES = (no_two_stays_on_one_port, no_vehicle_in_two_places)


# --- port eras and time ranges -------------------------------------------------------------

def era_port_is_listed(r, lookup: PortLookup) -> str | None:
    if r.port not in lookup.index:
        return f"port {r.port!r} is not in iss_ports.csv"
    return None


def era_status_is_known(r, lookup: PortLookup) -> str | None:
    if r.status not in ERA_STATUSES:
        return f"status {r.status!r} is not one of {', '.join(ERA_STATUSES)}"
    return None


def era_ends_after_it_starts(r, lookup: PortLookup) -> str | None:
    if pd.notna(r.to_utc) and r.to_utc <= r.from_utc:
        return f"the spell ends ({r.to_utc:%Y-%m-%d}) before it starts ({r.from_utc:%Y-%m-%d})"
    return None


ERA_ROW_RULES = (era_port_is_listed, era_status_is_known, era_ends_after_it_starts)


def range_is_ordered(r) -> str | None:
    if r.latest_utc < r.earliest_utc:
        return (f"latest_utc {r.latest_utc:%Y-%m-%dT%H:%M}Z is before earliest_utc "
                f"{r.earliest_utc:%Y-%m-%dT%H:%M}Z")
    return None


def range_event_is_known(r) -> str | None:
    if r.event not in ("arrival", "departure"):
        return f"event {r.event!r} is not 'arrival' or 'departure'"
    return None


RANGE_ROW_RULES = (range_event_is_known, range_is_ordered)
