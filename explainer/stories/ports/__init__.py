"""The ISS docking and berthing ports and every visiting-vehicle stay, 1998 to 2026.

Two shipped tables, built from the research fragments in ``data/raw/`` by
``tools/build_port_data.py`` (every row carries its sources):

- ``data/iss_ports.csv``: each port visiting vehicles have used, with module, direction,
  mechanism, the vehicles that use it and the dates it entered and left service;
  ``current_visiting_port`` marks the eight ports of the late-2025 configuration.
- ``data/iss_stays.csv``: one row per stay of one vehicle at one port. A relocation (or a
  re-docking to the same port) starts a new row. A vehicle held on the robotic arm occupies no
  port: its row has port ``Canadarm2`` and arrival_kind ``arm_hold``.

Rules (the same in the checks, the counts, the CLI, the figures and the notebook)
---------------------------------------------------------------------------------
**Time of day.** A value with a time (``2025-11-27T12:34:35Z``) is that instant. A date-only value
(``2025-12-01``) means "some time that UTC day"; ``arrival_utc_has_time`` and
``departure_utc_has_time`` say which.

- *Checks* use only what is certain. A stay certainly covers [latest possible arrival, earliest
  possible departure]: a date-only arrival may be as late as the end of its day, a date-only
  departure as early as its start. Two stays overlap on a port only if these certain intervals
  overlap, so a date-only departure and another vehicle's arrival the same day are *not* an
  overlap. "Departure before arrival" and "port not in service" are likewise reported only when
  no time within the given days could make the row right.
- *Counts* need one instant. A date-only value is placed at 12:00 UTC of its day (at most 12 h
  off), then moved within its day if a neighbour with a time on that day bounds it: on the same
  port, or for the same vehicle (it cannot be in two places), a date-only departure is not later
  than the next arrival and a date-only arrival not earlier than the previous departure.
- Intervals are half-open: a vehicle is attached from its arrival instant (included) to its
  departure instant (excluded).

**Empty departures.** The data end at ``COVERAGE_END``, the last sourced event (Progress MS-33
docking, 2026-03-24 13:40 UTC); no time after it can be asked about. An empty departure must
carry a tag at the start of its notes, chosen from what the notes say:

- ``[attached at coverage end]``: the notes say the vehicle is still docked or its undocking is
  planned later. It counts as attached until ``COVERAGE_END`` (``end_status`` ``"open"``).
- ``[departure not found]``: the notes give no departure (flagged, ``end_status``
  ``"unknown"``). It is counted until the latest moment it can have left: the next arrival at
  the same port (or the port leaving service, or ``COVERAGE_END``). Counts near these three stays
  (Progress M-01M 2008-09, Progress M-18M 2013, Soyuz MS-14 2019) are upper bounds.

``end_status`` is ``"time"`` or ``"date"`` for a sourced departure (with or without a time).

**Ports.** For the checks a port is in service from the start of its ``in_service_from`` day
to the end of its ``in_service_to`` day (for good if empty). For counting, a date-only service
date is placed at 12:00 UTC, moved within its day to cover the port's stays, so a port replaced
by another the same day (Zarya nadir by Rassvet nadir, Nauka nadir by Prichal nadir) hands over
instead of both counting for a day. ``occupancy_at`` lists the ports in service then.

**Eras** (``busiest_moments``): assembly and the Space Shuttle (first stay to the last Shuttle
undocking, July 2011), 2011-2019 (to 2020-01-01) and 2020 to ``COVERAGE_END``.

Errors
------
Loaders raise :class:`~explainer.data.DataError` naming the file, the row (file row number; the
header is row 1) and the problem: an overlap on a port (both rows), a departure before arrival, a
port unknown or not in service, a missing source, an empty departure without a tag.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from explainer.astro.timeutil import iso, parse_time
from explainer.data import DataError, read_table
from explainer.ui.plotly_widget import figure_widget

PORTS_FILE = "iss_ports.csv"
STAYS_FILE = "iss_stays.csv"

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

ARM = "Canadarm2"
"""The ``port`` of a stay held on the robotic arm (no port occupied)."""
OPEN_TAG = "[attached at coverage end]"
UNKNOWN_TAG = "[departure not found]"
COVERAGE_END = pd.Timestamp("2026-03-24T13:40")
"""The last sourced event in the stays (Progress MS-33 docks to Poisk), UTC."""
MS28_DOCKING = pd.Timestamp("2025-11-27T12:34:35")
"""Soyuz MS-28 docks to Rassvet (RussianSpaceWeb, Spacefacts; also in data/ms28_facts.csv)."""
DATE_ONLY_HOUR = 12

VEHICLE_TYPES = ("Soyuz", "Progress", "Space Shuttle", "ATV", "HTV", "Dragon", "Crew Dragon",
                 "Cygnus", "Starliner", "HTV-X")
ARRIVAL_KINDS = ("launch", "relocation", "reberth", "arm_hold")

# Okabe-Ito colours (colour-blind safe), plus a marker shape so no type relies on colour alone:
# circle = crew vehicle, square = cargo, diamond = Space Shuttle, hexagon = HTV-X.
VEHICLE_STYLES = {
    "Soyuz": ("#D55E00", "circle"),
    "Progress": ("#E69F00", "square"),
    "Space Shuttle": ("#000000", "diamond"),
    "ATV": ("#F0E442", "square"),
    "HTV": ("#009E73", "square"),
    "HTV-X": ("#009E73", "hexagon"),
    "Dragon": ("#56B4E9", "square"),
    "Crew Dragon": ("#0072B2", "circle"),
    "Cygnus": ("#CC79A7", "square"),
    "Starliner": ("#F0E442", "circle"),
}
EMPTY_COLOUR = "#BBBBBB"
WINDOW_COLOUR = "rgba(0, 158, 115, 0.18)"
NS_PER_DAY = 86_400 * 10**9
_FAR = np.datetime64("2262-01-01", "ns")

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")


# --- loading and checking ------------------------------------------------------------------

def _ns(values) -> np.ndarray:
    return np.asarray(pd.to_datetime(values), dtype="datetime64[ns]")


def _date_text(stamp, has_time: bool) -> str:
    if pd.isna(stamp):
        return "(empty)"
    stamp = pd.Timestamp(stamp)
    return stamp.strftime("%Y-%m-%dT%H:%MZ") if has_time else stamp.strftime("%Y-%m-%d")


def _rows(frame: pd.DataFrame) -> np.ndarray:
    if "row" in frame:
        return frame["row"].to_numpy()
    return np.arange(len(frame)) + 2


def validate_ports(ports: pd.DataFrame, name: str = PORTS_FILE) -> None:
    """Check ``data/iss_ports.csv`` as read by ``read_table``; raise :class:`DataError`."""
    rows = _rows(ports)
    seen: dict[str, int] = {}
    for row, r in zip(rows, ports.itertuples(), strict=True):
        if r.port in seen:
            raise DataError(f"{name}: row {row}: port {r.port!r} is listed again (first at row "
                            f"{seen[r.port]})")
        seen[r.port] = row
        if r.port == ARM:
            raise DataError(f"{name}: row {row}: {ARM} is the robotic arm, not a port")
        if pd.notna(r.in_service_to) and r.in_service_to < r.in_service_from:
            raise DataError(f"{name}: row {row}: port {r.port!r} leaves service "
                            f"({r.in_service_to:%Y-%m-%d}) before it enters it "
                            f"({r.in_service_from:%Y-%m-%d})")
        if r.current_visiting_port and pd.notna(r.in_service_to):
            raise DataError(f"{name}: row {row}: port {r.port!r} is marked current but left "
                            "service")


def _service_window(ports: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    start = _ns(ports.in_service_from)
    end = _ns(ports.in_service_to)
    date_only = ~ports.in_service_to_has_time.to_numpy()
    end = np.where(date_only & ~np.isnat(end), end + np.timedelta64(1, "D"), end)
    return start, np.where(np.isnat(end), _FAR, end)


def _read_ports(folder: Path | None) -> pd.DataFrame:
    ports = read_table(PORTS_FILE, PORTS_SCHEMA, folder)
    ports["row"] = np.arange(len(ports)) + 2
    validate_ports(ports, PORTS_FILE)
    start, end = _service_window(ports)
    ports["service_start"] = start
    ports["service_end"] = np.where(end == _FAR, np.datetime64("NaT"), end)
    ports["service_end"] = ports["service_end"].astype("datetime64[ns]")
    return ports


@cache
def _default_ports() -> pd.DataFrame:
    return _read_ports(None)


def load_ports(folder: Path | None = None) -> pd.DataFrame:
    """The ports table (``data/iss_ports.csv``), checked, with ``service_start`` and
    ``service_end`` (UTC instants; NaT = still in service). Cached for the shipped data."""
    if folder is None:
        return _default_ports().copy()
    return _read_ports(Path(folder))


def _tag(notes: str) -> str | None:
    text = notes.strip()
    for tag in (OPEN_TAG, UNKNOWN_TAG):
        if text.startswith(tag):
            return tag
    return None


def _certain(stays: pd.DataFrame) -> dict[str, np.ndarray]:
    """Earliest/latest possible arrival and departure of each stay (datetime64[ns])."""
    one_day = np.timedelta64(1, "D")
    arr = _ns(stays.arrival_utc)
    dep = _ns(stays.departure_utc)
    arr_time = stays.arrival_utc_has_time.to_numpy()
    dep_time = stays.departure_utc_has_time.to_numpy()
    tags = [_tag(n) for n in stays.notes]
    open_ = np.array([t == OPEN_TAG for t in tags]) & np.isnat(dep)
    unknown = np.isnat(dep) & ~open_
    arr_latest = np.where(arr_time, arr, arr + one_day)
    dep_earliest = np.where(np.isnat(dep), np.where(open_, _FAR, arr_latest), dep)
    dep_latest = np.where(np.isnat(dep), _FAR, np.where(dep_time, dep, dep + one_day))
    return {"arr_earliest": arr, "arr_latest": arr_latest, "dep_earliest": dep_earliest,
            "dep_latest": dep_latest, "open": open_, "unknown": unknown}


def validate_stays(stays: pd.DataFrame, ports: pd.DataFrame, name: str = STAYS_FILE) -> None:
    """Check the stays (as read by ``read_table``) against the ports; raise :class:`DataError`
    naming ``name``, the file row (header = row 1) and the problem.

    Checked: known vehicle type, arrival kind and port (``Canadarm2`` exactly for arm holds); an
    empty departure carries a tag (module docstring); departure after arrival; no event after
    ``COVERAGE_END``; the port in service during the stay; no two stays overlapping on one port
    and no vehicle in two places at once (with the date-only rule of the module docstring).
    Missing or non-URL sources are reported by ``read_table`` as the file is read.
    """
    rows = _rows(stays)
    c = _certain(stays)
    known = dict(zip(ports.port, range(len(ports)), strict=True))
    svc_start, svc_end = _service_window(ports)
    for i, r in enumerate(stays.itertuples()):
        where = f"{name}: row {rows[i]}"
        if not str(r.source).strip():
            raise DataError(f"{where}, column source: is empty (every stay needs a source)")
        if r.vehicle_type not in VEHICLE_TYPES:
            raise DataError(f"{where}: vehicle_type {r.vehicle_type!r} is not one of "
                            f"{', '.join(VEHICLE_TYPES)}")
        if r.arrival_kind not in ARRIVAL_KINDS:
            raise DataError(f"{where}: arrival_kind {r.arrival_kind!r} is not one of "
                            f"{', '.join(ARRIVAL_KINDS)}")
        if (r.port == ARM) != (r.arrival_kind == "arm_hold"):
            raise DataError(f"{where}: a stay held on the arm has port {ARM!r} and arrival_kind "
                            f"'arm_hold' (got port {r.port!r}, kind {r.arrival_kind!r})")
        if r.port != ARM and r.port not in known:
            raise DataError(f"{where}: port {r.port!r} is not in {PORTS_FILE}")
        arrival = _date_text(r.arrival_utc, r.arrival_utc_has_time)
        departure = _date_text(r.departure_utc, r.departure_utc_has_time)
        tag = _tag(r.notes)
        if pd.isna(r.departure_utc) and tag is None:
            raise DataError(f"{where}: departure is empty but the notes do not start with "
                            f"{OPEN_TAG!r} or {UNKNOWN_TAG!r}")
        if pd.notna(r.departure_utc) and tag is not None:
            raise DataError(f"{where}: departure {departure} is given but the notes are tagged "
                            f"{tag!r}")
        if pd.notna(r.departure_utc) and c["dep_latest"][i] <= c["arr_earliest"][i]:
            raise DataError(f"{where}: departure {departure} is before arrival {arrival} "
                            f"({r.vehicle})")
        last = max(r.arrival_utc, r.departure_utc) if pd.notna(r.departure_utc) else r.arrival_utc
        if last > COVERAGE_END:
            raise DataError(f"{where}: {r.vehicle} has an event after the coverage end "
                            f"{iso(COVERAGE_END)[:16]}Z (update COVERAGE_END in ports.py)")
        if r.port == ARM:
            continue
        k = known[r.port]
        if (c["arr_latest"][i] < svc_start[k] or c["arr_earliest"][i] >= svc_end[k]
                or (not c["open"][i] and c["dep_earliest"][i] > svc_end[k])
                or (c["open"][i] and svc_end[k] != _FAR)):
            until = ports.in_service_to.iloc[k]
            span = (f"{ports.in_service_from.iloc[k]:%Y-%m-%d} to "
                    f"{'now' if pd.isna(until) else f'{until:%Y-%m-%d}'}")
            raise DataError(f"{where}: port {r.port!r} is not in service at the stay's dates "
                            f"({r.vehicle}, {arrival} to {departure}; port in service {span})")
    _check_overlaps(stays, c, rows, name)


def _check_overlaps(stays, c, rows, name) -> None:
    found = []
    for key, label in (("port", "on port"), ("vehicle", "for vehicle")):
        for value, group in stays.groupby(key, sort=False):
            if key == "port" and value == ARM:
                continue
            idx = group.index.to_numpy()
            pos = [stays.index.get_loc(i) for i in idx]
            for a_n, a in enumerate(pos):
                for b in pos[a_n + 1:]:
                    lo = max(c["arr_latest"][a], c["arr_latest"][b])
                    hi = min(c["dep_earliest"][a], c["dep_earliest"][b])
                    if lo < hi:
                        first, second = sorted((a, b), key=lambda p: rows[p])
                        found.append((rows[second], rows[first], first, second, label, value))
    if not found:
        return
    row_b, row_a, a, b, label, value = min(found)
    ra, rb = stays.iloc[a], stays.iloc[b]

    def span(r):
        dep = (_date_text(r.departure_utc, r.departure_utc_has_time)
               if pd.notna(r.departure_utc) else "still attached")
        return f"{_date_text(r.arrival_utc, r.arrival_utc_has_time)} to {dep}"

    raise DataError(f"{name}: row {row_b} overlaps row {row_a} {label} {value!r}: "
                    f"{rb.vehicle} ({span(rb)}) and {ra.vehicle} ({span(ra)})")


def _timeline(stays: pd.DataFrame, ports: pd.DataFrame) -> pd.DataFrame:
    """Add the instants used for counting (``start``, ``end``) and ``end_status``."""
    out = stays.copy()
    c = _certain(out)
    noon = np.timedelta64(DATE_ONLY_HOUR, "h")
    arr_time = out.arrival_utc_has_time.to_numpy()
    dep_time = out.departure_utc_has_time.to_numpy()
    arr = c["arr_earliest"]
    dep = _ns(out.departure_utc)
    start = np.where(arr_time, arr, arr + noon)
    end = np.where(np.isnat(dep), _FAR, np.where(dep_time, dep, dep + noon))
    # a date-only end never before its own start, a date-only start never after its own end
    end = np.where(~dep_time & ~np.isnat(dep) & (end < start), start, end)
    start = np.where(~arr_time & (start > end), end, start)

    def clamp(order):
        for a, b in zip(order, order[1:], strict=False):
            if end[a] <= start[b]:
                continue
            if not dep_time[a] and not np.isnat(dep[a]) and start[b] >= dep[a]:
                end[a] = start[b]
            elif not arr_time[b] and end[a] < arr[b] + np.timedelta64(1, "D"):
                start[b] = end[a]

    on_port = (out.port != ARM).to_numpy()
    for _, group in out[on_port].groupby("port", sort=False):
        clamp(sorted((out.index.get_loc(i) for i in group.index), key=lambda p: start[p]))
    for _, group in out.groupby("vehicle", sort=False):
        clamp(sorted((out.index.get_loc(i) for i in group.index), key=lambda p: start[p]))

    # unknown departures: the latest moment the vehicle can have left
    _svc_start, svc_end = _service_window(ports)
    port_end = dict(zip(ports.port, svc_end, strict=True))
    coverage = np.datetime64(COVERAGE_END.to_datetime64(), "ns")
    for p in np.flatnonzero(c["unknown"]):
        same = np.flatnonzero(((out.port == out.port.iloc[p]).to_numpy()
                               | (out.vehicle == out.vehicle.iloc[p]).to_numpy())
                              & (start > start[p]))
        bound = min([coverage, port_end.get(out.port.iloc[p], _FAR)] + list(start[same]))
        end[p] = bound
    end = np.where(c["open"], coverage, end)
    status = np.where(c["open"], "open", np.where(c["unknown"], "unknown",
                                                  np.where(dep_time, "time", "date")))
    out["row"] = _rows(stays)
    out["start"] = start.astype("datetime64[ns]")
    out["end"] = end.astype("datetime64[ns]")
    out["end_status"] = status
    out["on_port"] = on_port
    current = set(ports.port[ports.current_visiting_port])
    out["current_port"] = out.port.isin(current).to_numpy()
    _check_timeline(out)
    return out


def _check_timeline(out: pd.DataFrame) -> None:
    """The counting instants must be consistent (they are, if validate_stays passed)."""
    for key in ("port", "vehicle"):
        for value, g in out[out.on_port | (key == "vehicle")].groupby(key, sort=False):
            g = g.sort_values("start")
            clash = g.start.to_numpy()[1:] < g.end.to_numpy()[:-1]
            if clash.any():
                k = int(np.flatnonzero(clash)[0])
                raise DataError(f"{STAYS_FILE}: row {g.row.iloc[k + 1]} overlaps row "
                                f"{g.row.iloc[k]} for {key} {value!r} once date-only values "
                                "are placed in their day")


def _read_stays(folder: Path | None) -> pd.DataFrame:
    ports = load_ports(folder)
    stays = read_table(STAYS_FILE, STAYS_SCHEMA, folder)
    validate_stays(stays, ports, STAYS_FILE)
    return _timeline(stays, ports)


@cache
def _default_stays() -> pd.DataFrame:
    return _read_stays(None)


def load_stays(folder: Path | None = None) -> pd.DataFrame:
    """Every visiting-vehicle stay (``data/iss_stays.csv``), checked, in arrival order.

    Columns: the file's ``vehicle, vehicle_type, agency, port, arrival_utc, departure_utc,
    arrival_kind, notes, source``; ``arrival_utc_has_time`` / ``departure_utc_has_time`` (False
    for a date-only value); ``row`` (file row); the counting instants ``start`` and ``end`` and
    ``end_status`` (``time``, ``date``, ``open``, ``unknown``; see the module docstring);
    ``on_port`` (False for an arm hold) and ``current_port``. Cached for the shipped data.
    """
    if folder is None:
        return _default_stays().copy()
    return _read_stays(Path(folder))


# --- occupancy ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Data:
    stays: pd.DataFrame
    ports: pd.DataFrame
    start: np.ndarray
    end: np.ndarray  # open stays: _FAR
    on_port: np.ndarray
    port_index: np.ndarray  # index into ports (-1 for the arm)
    svc_start: np.ndarray
    svc_end: np.ndarray
    current: np.ndarray  # per port


def _prepare(stays: pd.DataFrame | None = None, ports: pd.DataFrame | None = None) -> _Data:
    if stays is None and ports is None:
        return _default_data()
    ports = load_ports() if ports is None else ports
    stays = load_stays() if stays is None else stays
    lookup = dict(zip(ports.port, range(len(ports)), strict=True))
    end = _ns(stays.end)
    end = np.where((stays.end_status == "open").to_numpy(), _FAR, end)
    start = _ns(stays.start)
    port_index = np.array([lookup.get(p, -1) for p in stays.port])
    svc_start, svc_end = _counting_service(ports, start, end, port_index)
    return _Data(stays.reset_index(drop=True), ports.reset_index(drop=True), start, end,
                 stays.on_port.to_numpy(), port_index, svc_start, svc_end,
                 ports.current_visiting_port.to_numpy())


def _counting_service(ports, start, end, port_index) -> tuple[np.ndarray, np.ndarray]:
    """Service windows for counting: a date-only service date at 12:00 UTC, moved within its
    day so that it covers the stays at the port (so a port replaced by another the same day,
    e.g. Zarya nadir by Rassvet nadir, hands over instead of both counting for a day)."""
    noon = np.timedelta64(DATE_ONLY_HOUR, "h")
    s = _ns(ports.in_service_from)
    s = np.where(ports.in_service_from_has_time.to_numpy(), s, s + noon)
    e = _ns(ports.in_service_to)
    e = np.where(ports.in_service_to_has_time.to_numpy(), e, e + noon)
    e = np.where(np.isnat(e), _FAR, e)
    for k in range(len(ports)):
        mine = port_index == k
        if mine.any():
            s[k] = min(s[k], start[mine].min())
            if e[k] != _FAR:
                e[k] = max(e[k], end[mine].max())
    return s, e


@cache
def _default_data() -> _Data:
    return _prepare(_default_stays(), _default_ports())


def first_stay_start() -> pd.Timestamp:
    """When the data begin: the first stay (STS-88 mates Unity to Zarya, 7 Dec 1998)."""
    return pd.Timestamp(_default_data().start.min())


def _check_range(t: np.datetime64, d: _Data) -> None:
    first = d.start.min()
    if t < first:
        who = d.stays.vehicle.iloc[int(np.argmin(d.start))]
        raise ValueError(f"{iso(t)} is before the first stay in the data ({who}, "
                         f"{iso(first)}); ask about a time from then to {iso(COVERAGE_END)}")
    if t > np.datetime64(COVERAGE_END.to_datetime64(), "ns"):
        raise ValueError(f"{iso(t)} is after the data's coverage end ({iso(COVERAGE_END)}, the "
                         "last sourced event); later departures and arrivals are not known")


@dataclass(frozen=True)
class PortState:
    """Who was where at one instant: ``ports`` maps each port in service (file order) to the
    index of its stay in ``stays`` (or None); ``arm`` lists indices of stays held on the arm."""

    time: pd.Timestamp
    ports: dict[str, int | None]
    arm: tuple[int, ...]
    stays: pd.DataFrame

    @property
    def n_occupied(self) -> int:
        return sum(v is not None for v in self.ports.values())

    def vehicle(self, port: str) -> str | None:
        i = self.ports[port]
        return None if i is None else self.stays.vehicle.iloc[i]


def state_at(time, stays: pd.DataFrame | None = None, ports: pd.DataFrame | None = None
             ) -> PortState:
    """The ports in service at ``time`` (UTC) with their vehicles, and the arm; ValueError
    outside the data's coverage."""
    d = _prepare(stays, ports)
    t = parse_time(time)
    _check_range(t, d)
    active = (d.start <= t) & (t < d.end)
    in_service = (d.svc_start <= t) & (t < d.svc_end)
    occupant: dict[str, int | None] = {p: None for p, ok in zip(d.ports.port, in_service,
                                                               strict=True) if ok}
    for i in np.flatnonzero(active & d.on_port):
        occupant[d.ports.port.iloc[d.port_index[i]]] = int(i)
    arm = tuple(int(i) for i in np.flatnonzero(active & ~d.on_port))
    return PortState(pd.Timestamp(t), occupant, arm, d.stays)


def occupancy_at(time) -> dict:
    """Which ports were occupied at ``time`` (ISO 8601 UTC text, datetime or datetime64).

    Returns exactly ``time_utc`` (ISO, Z), ``occupied`` (vehicles attached to a port),
    ``ports`` (each port in service then: ``{"port", "vehicle"}``, vehicle None when empty) and
    ``held_on_arm`` (vehicles held on Canadarm2, attached to no port). ValueError before the
    first stay (1998) or after ``COVERAGE_END``.
    """
    s = state_at(time)
    return {
        "time_utc": iso(s.time),
        "occupied": [s.vehicle(p) for p in s.ports if s.ports[p] is not None],
        "ports": [{"port": p, "vehicle": s.vehicle(p)} for p in s.ports],
        "held_on_arm": [s.stays.vehicle.iloc[i] for i in s.arm],
    }


def occupancy_series(stays: pd.DataFrame | None = None, ports: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """A step function from the first stay to ``COVERAGE_END``: each row's values hold from its
    ``time`` until the next row's. Columns: ``time``, ``attached`` (vehicles attached to a port
    = ports occupied), ``current_occupied`` (of the ``current_visiting_port`` ports),
    ``in_service`` (visiting-vehicle ports in service), ``held_on_arm``."""
    if stays is None and ports is None:
        return _default_series().copy()
    return _series(_prepare(stays, ports))


@cache
def _default_series() -> pd.DataFrame:
    return _series(_default_data())


def _series(d: _Data) -> pd.DataFrame:
    first = d.start.min()
    last = np.datetime64(COVERAGE_END.to_datetime64(), "ns")
    times = np.concatenate([d.start, d.end, d.svc_start, d.svc_end, [first, last]])
    times = np.unique(times[(times >= first) & (times <= last)])
    active = (d.start[None, :] <= times[:, None]) & (times[:, None] < d.end[None, :])
    in_service = (d.svc_start[None, :] <= times[:, None]) & (times[:, None] < d.svc_end[None, :])
    cur = np.array([d.current[k] if k >= 0 else False for k in d.port_index])
    frame = pd.DataFrame({
        "time": times,
        "attached": (active & d.on_port).sum(axis=1),
        "current_occupied": (active & d.on_port & cur).sum(axis=1),
        "in_service": in_service.sum(axis=1),
        "held_on_arm": (active & ~d.on_port).sum(axis=1),
    })
    values = frame.drop(columns="time").to_numpy()
    keep = np.ones(len(frame), bool)
    keep[1:-1] = (values[1:-1] != values[:-2]).any(axis=1)
    return frame[keep].reset_index(drop=True)


def _intervals(series: pd.DataFrame, mask: np.ndarray) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    times = series.time.to_numpy()
    out = []
    i, n = 0, len(series)
    while i < n - 1:
        if mask[i]:
            j = i
            while j < n - 1 and mask[j]:
                j += 1
            out.append((pd.Timestamp(times[i]), pd.Timestamp(times[j])))
            i = j
        else:
            i += 1
    return out


def intervals_with_count(n: int, *, at_least: bool = True,
                         stays: pd.DataFrame | None = None) -> list[tuple[pd.Timestamp,
                                                                         pd.Timestamp]]:
    """Half-open UTC intervals ``(start, end)`` when **at least** ``n`` ports were occupied
    (``at_least=False``: exactly ``n``). An interval still running at the coverage end ends at
    ``COVERAGE_END``."""
    series = occupancy_series(stays)
    counts = series.attached.to_numpy()
    return _intervals(series, counts >= n if at_least else counts == n)


@dataclass(frozen=True)
class AllPortsFull:
    """The first time every current visiting-vehicle port was occupied at once."""

    start: pd.Timestamp
    end: pd.Timestamp
    start_has_time: bool  # False: the arrival completing it is known to the day only
    end_has_time: bool
    completed_by: str  # the vehicle whose arrival filled the last port
    ended_by: str  # the vehicle whose departure ended it
    occupants: tuple[tuple[str, str], ...]  # (port, vehicle), in file order

    @property
    def days(self) -> float:
        return (self.end - self.start) / pd.Timedelta(days=1)


def first_all_current_full() -> AllPortsFull | None:
    """The first interval when all the ``current_visiting_port`` ports (eight) were occupied
    simultaneously, computed from the stays; None if it never happened."""
    d = _default_data()
    series = _default_series()
    n_current = int(d.current.sum())
    full = series.current_occupied.to_numpy() == n_current
    spans = _intervals(series, full)
    if not spans:
        return None
    start, end = spans[0]
    st = state_at(start)
    i_start = [i for i in st.ports.values() if i is not None
               and d.start[i] == start.to_datetime64()]
    i_end = [i for i in st.ports.values() if i is not None and d.end[i] == end.to_datetime64()]
    completed = d.stays.iloc[i_start[0]] if i_start else None
    ended = d.stays.iloc[i_end[0]] if i_end else None
    current = set(d.ports.port[d.current])
    return AllPortsFull(
        start=start, end=end,
        start_has_time=bool(completed.arrival_utc_has_time) if completed is not None else True,
        end_has_time=bool(ended.end_status == "time") if ended is not None else True,
        completed_by=completed.vehicle if completed is not None else "",
        ended_by=ended.vehicle if ended is not None else "",
        occupants=tuple((p, st.vehicle(p)) for p in st.ports if p in current),
    )


def events(start=None, end=None) -> pd.DataFrame:
    """Arrivals and departures between ``start`` and ``end`` (UTC; default: all), in time order:
    ``time, vehicle, vehicle_type, port, event`` (``arrives``/``leaves``), ``has_time`` (False
    for a date-only value, placed as in the module docstring) and ``attached`` (vehicles on ports
    just after). Open stays have no departure event."""
    d = _default_data()
    s = d.stays
    arrive = pd.DataFrame({"time": d.start, "vehicle": s.vehicle, "vehicle_type": s.vehicle_type,
                           "port": s.port, "event": "arrives",
                           "has_time": s.arrival_utc_has_time.to_numpy(), "order": 1})
    closed = (s.end_status != "open").to_numpy()
    leave = pd.DataFrame({"time": d.end, "vehicle": s.vehicle, "vehicle_type": s.vehicle_type,
                          "port": s.port, "event": "leaves",
                          "has_time": (s.end_status == "time").to_numpy(), "order": 0})[closed]
    out = pd.concat([arrive, leave], ignore_index=True)
    t0 = parse_time(start) if start is not None else d.start.min()
    t1 = (parse_time(end) if end is not None
          else np.datetime64(COVERAGE_END.to_datetime64(), "ns"))
    out = out[(out.time >= t0) & (out.time <= t1)]
    out = out.sort_values(["time", "order"]).drop(columns="order").reset_index(drop=True)
    series = _default_series()
    k = np.searchsorted(series.time.to_numpy(), out.time.to_numpy(), side="right") - 1
    out["attached"] = series.attached.to_numpy()[k]
    return out


def describe_events(start, end) -> str:
    """The arrivals and departures between ``start`` and ``end`` as sentences (a text
    alternative for a zoomed chart)."""
    mechanism = dict(zip(load_ports().port, load_ports().mechanism, strict=True))
    parts = []
    for r in events(start, end).itertuples():
        when = f"{day_text(r.time)} {r.time:%H:%M} UTC" if r.has_time else day_text(r.time)
        if r.port == ARM:
            what = ("is taken off its port and held on the robotic arm" if r.event == "arrives"
                    else "leaves the robotic arm")
        else:
            verb = "is berthed at" if mechanism.get(r.port) == "berthing" else "docks at"
            what = f"{verb if r.event == 'arrives' else 'leaves'} {r.port}"
        parts.append(f"{when}: {r.vehicle} {what} ({r.attached} on ports)")
    return "; ".join(parts) + "." if parts else "No arrivals or departures."


def eras() -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """``(name, start, end)`` of the three eras compared by :func:`busiest_moments`."""
    d = _default_data()
    shuttle = (d.stays.vehicle_type == "Space Shuttle").to_numpy()
    shuttle_end = pd.Timestamp(d.end[shuttle].max())
    y2020 = pd.Timestamp("2020-01-01")
    return [
        ("Assembly and Space Shuttle era (1998-2011)", first_stay_start(), shuttle_end),
        ("After the Shuttle (2011-2019)", shuttle_end, y2020),
        ("Commercial crew era (2020-present)", y2020, COVERAGE_END),
    ]


def busiest_moments() -> pd.DataFrame:
    """The most vehicles attached to ports at once in each era: ``era, era_start, era_end,
    max_attached, ports_in_service, first_at, until, days_at_max, times_reached, vehicles``
    (at ``first_at``), and ``caveat`` (non-empty when a count there relies on a departure not
    found)."""
    series = _default_series()
    d = _default_data()
    rows = []
    for name, e0, e1 in eras():
        t0, t1 = e0.to_datetime64(), e1.to_datetime64()
        inside = (series.time >= e0) & (series.time < e1)
        # the value in force at the era's start
        before = series[series.time <= e0].tail(1)
        part = pd.concat([before.assign(time=t0), series[inside]]).drop_duplicates("time")
        part = part.reset_index(drop=True)
        top = int(part.attached.max())
        ends = np.append(part.time.to_numpy()[1:], t1)
        at_max = part.attached.to_numpy() == top
        first = int(np.flatnonzero(at_max)[0])
        until = ends[first]
        j = first
        while j + 1 < len(part) and at_max[j + 1]:
            j += 1
            until = ends[j]
        runs = _intervals(pd.DataFrame({"time": np.append(part.time.to_numpy(), t1)}),
                          np.append(at_max, False))
        days = sum((b - a) / pd.Timedelta(days=1) for a, b in runs)
        st = state_at(part.time.iloc[first])
        idx = [i for i in st.ports.values() if i is not None]
        unknown = [d.stays.vehicle.iloc[i] for i in idx if d.stays.end_status.iloc[i] == "unknown"]
        rows.append({
            "era": name, "era_start": e0, "era_end": e1, "max_attached": top,
            "ports_in_service": len(st.ports), "first_at": pd.Timestamp(part.time.iloc[first]),
            "until": pd.Timestamp(until), "days_at_max": round(days, 1),
            "times_reached": len(runs),
            "vehicles": "; ".join(f"{d.stays.vehicle.iloc[i]} ({d.stays.port.iloc[i]})"
                                  for i in idx),
            "caveat": (f"relies on the departure not found of {', '.join(unknown)}"
                       if unknown else ""),
        })
    return pd.DataFrame(rows)


def utilisation(start=None, end=None) -> pd.DataFrame:
    """Fraction of its in-service time each port was occupied between ``start`` and ``end``
    (UTC; default: the whole data). Columns ``port, current_visiting_port, in_service_days,
    occupied_days, fraction, stays``; ports not in service in the window are left out."""
    d = _default_data()
    t0 = parse_time(start) if start is not None else d.start.min()
    t1 = parse_time(end) if end is not None else np.datetime64(COVERAGE_END.to_datetime64(), "ns")
    if t1 <= t0:
        raise ValueError(f"the window ends ({iso(t1)}) before it starts ({iso(t0)})")
    rows = []
    for k, port in enumerate(d.ports.port):
        s0, s1 = max(t0, d.svc_start[k]), min(t1, d.svc_end[k])
        if s1 <= s0:
            continue
        mine = np.flatnonzero(d.port_index == k)
        a = np.clip(d.start[mine], s0, s1)
        b = np.clip(d.end[mine], s0, s1)
        occupied = (b - a).astype("int64").sum() / NS_PER_DAY
        service = (s1 - s0).astype("int64") / NS_PER_DAY
        rows.append({"port": port, "current_visiting_port": bool(d.current[k]),
                     "in_service_days": round(float(service), 1),
                     "occupied_days": round(float(occupied), 1),
                     "fraction": float(occupied / service),
                     "stays": int(((b - a) > np.timedelta64(0, "ns")).sum())})
    return pd.DataFrame(rows)


# --- words ----------------------------------------------------------------------------------

def _words(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def day_text(t) -> str:
    """``27 Nov 2025``."""
    t = pd.Timestamp(t)
    return f"{t.day} {t:%b %Y}"


def short_name(vehicle: str) -> str:
    """The vehicle without the bracketed NASA number: ``Progress MS-32 (Progress 93)`` ->
    ``Progress MS-32``."""
    return re.sub(r"\s*\([^)]*\)$", "", vehicle)


def _stay_dates(r) -> tuple[str, str]:
    def when(stamp, has_time):
        stamp = pd.Timestamp(stamp)
        return (f"{day_text(stamp)} {stamp:%H:%M} UTC" if has_time
                else f"{day_text(stamp)} (time of day not sourced)")

    arrived = f"arrived {when(r.arrival_utc, r.arrival_utc_has_time)}"
    if r.end_status == "open":
        departed = f"still attached at the end of the data ({day_text(COVERAGE_END)})"
    elif r.end_status == "unknown":
        departed = (f"departure not found (left by {day_text(r.end)} {pd.Timestamp(r.end):%H:%M}"
                    " UTC, the next arrival)")
    else:
        departed = f"departed {when(r.departure_utc, r.departure_utc_has_time)}"
    return arrived, departed


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_state(state: PortState, *, day_only: bool = False) -> str:
    """A sentence for screen readers: how many ports were occupied, by what, and the arm."""
    n, k = len(state.ports), state.n_occupied
    when = day_text(state.time) if day_only else f"{day_text(state.time)} {state.time:%H:%M} UTC"
    if n == 1:
        head = f"On {when} the one port in service was {'occupied' if k else 'empty'}"
    elif k == n:
        head = f"On {when} all {_words(n)} ports were occupied"
    elif k == 0:
        head = f"On {when} none of the {_words(n)} ports were occupied"
    else:
        head = f"On {when} {_words(k)} of the {_words(n)} ports were occupied"
    parts = [f"{p}: {state.vehicle(p)}" for p, i in state.ports.items() if i is not None]
    text = head + (": " + "; ".join(parts) if parts else "")
    empty = [p for p, i in state.ports.items() if i is None]
    if empty and k and n > 1:
        text += f"; {_join(empty)} {'was' if len(empty) == 1 else 'were'} empty"
    for i in state.arm:
        text += f"; {state.stays.vehicle.iloc[i]} was held on the robotic arm (Canadarm2)"
    return text + "."


# --- the station schematic ------------------------------------------------------------------

# Side view: aft (Russian segment) left, forward (US segment) right, zenith up, nadir down.
# (name, x0, x1, y0, y1, present from, present until): dates come from the ports table.
_MODULES = [
    ("Zvezda", -11.0, -5.5, -0.6, 0.6, "Zvezda aft", None),
    ("Zarya", -5.5, -1.5, -0.6, 0.6, None, None),
    ("PMA-1", -1.5, -0.6, -0.35, 0.35, None, None),
    ("Unity", -0.6, 1.4, -0.7, 0.7, None, None),
    ("Destiny", 1.4, 5.4, -0.6, 0.6, "Destiny forward (PMA-2)", None),
    ("Harmony", 5.4, 7.4, -0.7, 0.7, "Harmony forward (PMA-2)", None),
    ("Poisk", -6.6, -5.6, 0.6, 2.1, "Poisk zenith", None),
    ("Pirs", -6.6, -5.6, -2.1, -0.6, "Pirs nadir", "Pirs nadir"),
    ("Nauka", -7.0, -5.2, -3.2, -0.6, "Nauka nadir", None),
    ("Prichal", -6.6, -5.6, -4.3, -3.2, "Prichal nadir", None),
    ("Rassvet", -3.5, -2.5, -2.1, -0.6, "Rassvet nadir", None),
]
# port -> (x, y, text position)
_PORT_XY = {
    "Zvezda aft": (-11.35, 0.0, "middle left"),
    "Zarya nadir": (-3.0, -0.95, "bottom center"),
    "Pirs nadir": (-6.1, -2.45, "bottom center"),
    "Poisk zenith": (-6.1, 2.45, "top center"),
    "Rassvet nadir": (-3.0, -2.45, "bottom center"),
    "Nauka nadir": (-6.1, -3.55, "bottom center"),
    "Prichal nadir": (-6.1, -4.65, "bottom center"),
    "Unity forward (PMA-2)": (1.75, 0.0, "middle right"),
    "Destiny forward (PMA-2)": (5.75, 0.0, "middle right"),
    "Harmony forward (PMA-2)": (7.75, 0.0, "middle right"),
    "Unity nadir (PMA-3)": (0.4, -1.05, "bottom center"),
    "Unity nadir": (0.4, -1.05, "bottom center"),
    "Harmony zenith (PMA-3)": (6.4, 1.05, "top center"),
    "Harmony zenith": (6.4, 1.05, "top center"),
    "Harmony nadir": (6.4, -1.05, "bottom center"),
}
_ARM_XY = (2.6, 2.4)
_X_RANGE = (-15.0, 13.5)
_Y_RANGE = (-6.2, 3.6)


def _module_windows(d: _Data) -> list[tuple[np.datetime64, np.datetime64]]:
    lookup = {p: k for k, p in enumerate(d.ports.port)}
    start, end = d.svc_start, d.svc_end
    out = []
    for _, *_geom, since, until in _MODULES:
        t0 = start[lookup[since]] if since else np.datetime64("1900-01-01", "ns")
        t1 = end[lookup[until]] if until else _FAR
        out.append((t0, t1))
    return out


def _port_label(port: str) -> str:
    return re.sub(r"\s*\([^)]*\)$", "", port)


def _schematic_parts(state: PortState, windows) -> dict:
    """Everything in the schematic that follows the date: module visibility, module labels, the
    port markers, the arm and the title."""
    t = state.time.to_datetime64()
    present = [bool(a <= t < b) for a, b in windows]
    mods = [m for m, ok in enumerate(present) if ok]
    ports_ = {k: [] for k in ("x", "y", "text", "textposition", "customdata", "color", "symbol")}
    for port, i in state.ports.items():
        x, y, pos = _PORT_XY.get(port, (0.0, 0.0, "top center"))
        ports_["x"].append(x)
        ports_["y"].append(y)
        ports_["textposition"].append(pos)
        if i is None:
            ports_["color"].append(EMPTY_COLOUR)
            ports_["symbol"].append("circle-open")
            ports_["text"].append(f"{_port_label(port)}<br><i>empty</i>")
            ports_["customdata"].append([port, "empty", "", ""])
        else:
            r = state.stays.iloc[i]
            colour, symbol = VEHICLE_STYLES.get(r.vehicle_type, ("#444444", "circle"))
            ports_["color"].append(colour)
            ports_["symbol"].append(symbol)
            ports_["text"].append(f"{_port_label(port)}<br><b>{html.escape(short_name(r.vehicle))}"
                                  "</b>")
            ports_["customdata"].append([port, f"{r.vehicle} ({r.vehicle_type}, {r.agency})",
                                         *_stay_dates(r)])
    arm = {k: [] for k in ("x", "y", "text", "customdata", "color", "symbol")}
    for k, i in enumerate(state.arm):
        r = state.stays.iloc[i]
        colour, symbol = VEHICLE_STYLES.get(r.vehicle_type, ("#444444", "circle"))
        arm["x"].append(_ARM_XY[0] + 2.2 * k)
        arm["y"].append(_ARM_XY[1])
        arm["text"].append(f"Canadarm2 holds<br><b>{html.escape(short_name(r.vehicle))}</b>")
        arm["color"].append(colour)
        arm["symbol"].append(symbol)
        arm["customdata"].append([f"{r.vehicle} ({r.vehicle_type})", *_stay_dates(r)])
    n, k = len(state.ports), state.n_occupied
    title = (f"ISS ports on {day_text(state.time)} {state.time:%H:%M} UTC: {k} of {n} "
             "visiting-vehicle ports occupied")
    if state.arm:
        title += f", {len(state.arm)} vehicle held on the arm"
    return {
        "present": present,
        "labels": ([(_MODULES[m][1] + _MODULES[m][2]) / 2 for m in mods],
                   [(_MODULES[m][3] + _MODULES[m][4]) / 2 for m in mods],
                   [_MODULES[m][0] for m in mods]),
        "ports": ports_, "arm": arm, "title": title,
    }


def _schematic_figure(state: PortState, windows):
    """The schematic built in its initial state: a FigureWidget shown inside other widgets
    syncs only what it is constructed with; later changes go as messages (``_apply_state``)."""
    import plotly.graph_objects as go

    parts = _schematic_parts(state, windows)
    traces = []
    for (name, x0, x1, y0, y1, *_), visible in zip(_MODULES, parts["present"], strict=True):
        traces.append(go.Scatter(
            x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], mode="lines", fill="toself",
            fillcolor="#E9E9E9", line=dict(color="#555555", width=1.2), name=name,
            hoverinfo="skip", showlegend=False, visible=visible,
        ))
    lx, ly, lt = parts["labels"]
    traces.append(go.Scatter(name="module names", mode="text", x=lx, y=ly, text=lt,
                             textfont=dict(size=10, color="#333333"), hoverinfo="skip",
                             showlegend=False))
    for vtype, (colour, symbol) in VEHICLE_STYLES.items():
        traces.append(go.Scatter(x=[None], y=[None], mode="markers", name=vtype,
                                 marker=dict(color=colour, symbol=symbol, size=12,
                                             line=dict(color="#222222", width=1)),
                                 hoverinfo="skip"))
    traces.append(go.Scatter(x=[None], y=[None], mode="markers", name="empty port",
                             marker=dict(color=EMPTY_COLOUR, symbol="circle-open", size=12,
                                         line=dict(width=2)),
                             hoverinfo="skip"))
    p = parts["ports"]
    traces.append(go.Scatter(
        name="ports", mode="markers+text", x=p["x"], y=p["y"], text=p["text"],
        textposition=p["textposition"], customdata=p["customdata"], showlegend=False,
        textfont=dict(size=10, color="#111111"), cliponaxis=False,
        marker=dict(size=17, color=p["color"], symbol=p["symbol"],
                    line=dict(color="#222222", width=1.5)),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                      "<br>%{customdata[3]}<extra></extra>",
    ))
    a = parts["arm"]
    traces.append(go.Scatter(
        name="held on Canadarm2", mode="markers+text", x=a["x"], y=a["y"], text=a["text"],
        customdata=a["customdata"], showlegend=False, textposition="top center",
        textfont=dict(size=10, color="#111111"), cliponaxis=False,
        marker=dict(size=17, color=a["color"], symbol=a["symbol"],
                    line=dict(color="#222222", width=1.5)),
        hovertemplate="<b>Held on Canadarm2 (no port)</b><br>%{customdata[0]}"
                      "<br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
    ))
    return figure_widget(data=traces, layout=dict(
        xaxis=dict(range=list(_X_RANGE), visible=False, fixedrange=True),
        yaxis=dict(range=list(_Y_RANGE), visible=False, fixedrange=True, scaleanchor="x",
                   scaleratio=1),
        height=430, margin=dict(l=4, r=4, t=44, b=4), plot_bgcolor="white",
        title=dict(text=parts["title"], font=dict(size=14), x=0.01),
        legend=dict(orientation="h", y=-0.02, yanchor="top", x=0, font=dict(size=11)),
        uirevision="keep", hoverlabel=dict(align="left"),
    ))


def _apply_state(fig, state: PortState, windows) -> None:
    """Move the schematic to ``state`` in place: a few small arrays in one message."""
    n_mod = len(_MODULES)
    parts = _schematic_parts(state, windows)
    labels, ports_, arm = fig.data[n_mod], fig.data[-2], fig.data[-1]
    p, a = parts["ports"], parts["arm"]
    with fig.batch_update():
        for m, visible in enumerate(parts["present"]):
            if fig.data[m].visible != visible:
                fig.data[m].visible = visible
        labels.x, labels.y, labels.text = parts["labels"]
        ports_.x, ports_.y, ports_.text = p["x"], p["y"], p["text"]
        ports_.textposition = p["textposition"]
        ports_.customdata = p["customdata"]
        ports_.marker.color = p["color"]
        ports_.marker.symbol = p["symbol"]
        arm.x, arm.y, arm.text, arm.customdata = a["x"], a["y"], a["text"], a["customdata"]
        arm.marker.color = a["color"]
        arm.marker.symbol = a["symbol"]
        fig.layout.title.text = parts["title"]


def station_schematic(time):
    """A FigureWidget of the station at ``time`` (UTC): modules as rectangles, the ports in
    service as labelled markers coloured (and shaped) by vehicle type, grey rings when empty; a
    vehicle held on Canadarm2 drawn beside the station. Hover a port for the vehicle and its
    dates."""
    return _schematic_figure(state_at(time), _module_windows(_default_data()))


# --- the charts -----------------------------------------------------------------------------

def _mark_window_and_docking(fig) -> None:
    """Shade the first all-eight window and mark the Soyuz MS-28 docking; labels above the plot,
    right-aligned on their dates so they stay inside the figure whatever the zoom."""
    full = first_all_current_full()
    if full is not None:
        fig.add_shape(type="rect", xref="x", yref="paper", x0=full.start, x1=full.end, y0=0,
                      y1=1, fillcolor=WINDOW_COLOUR, line=dict(color="#009E73", width=1),
                      layer="below")
        fig.add_annotation(x=full.end, y=1.0, yref="paper", xanchor="right", yanchor="bottom",
                           text=f"shaded: all eight ports occupied, {day_text(full.start)} to "
                                f"{day_text(full.end)}", showarrow=False,
                           font=dict(size=11, color="#006b4f"))
    fig.add_shape(type="line", xref="x", yref="paper", x0=MS28_DOCKING, x1=MS28_DOCKING, y0=0,
                  y1=1, line=dict(color="#D55E00", width=1.5, dash="dot"))
    fig.add_annotation(x=MS28_DOCKING, y=1.0, yref="paper", xanchor="right", yanchor="bottom",
                       yshift=16, text="dotted: Soyuz MS-28 docks, 27 Nov 2025 12:34 UTC",
                       showarrow=False, font=dict(size=11, color="#A04000"))


def gantt_figure(start=None, end=None):
    """Every stay as a bar on its port's row (arm holds on a ``Canadarm2 (held)`` row), coloured
    by vehicle type; hatched bars end without a sourced departure. ``start``/``end`` (UTC) zoom
    in and keep only the ports in service then."""
    import plotly.graph_objects as go

    stays = load_stays()
    d = _default_data()
    t0 = pd.Timestamp(start) if start is not None else first_stay_start()
    t1 = pd.Timestamp(end) if end is not None else COVERAGE_END
    shown = (d.svc_start < t1.to_datetime64()) & (d.svc_end > t0.to_datetime64())
    rows = list(d.ports.port[shown])
    arm = stays[~stays.on_port]
    if ((arm.start < t1) & (arm.end > t0)).any():
        rows.append(f"{ARM} (held)")
    fig = go.Figure()
    row_of = stays.port.where(stays.on_port, f"{ARM} (held)")
    keep = row_of.isin(rows) & (stays.start < t1) & (stays.end > t0)
    for vtype, (colour, _symbol) in VEHICLE_STYLES.items():
        g = stays[keep & (stays.vehicle_type == vtype)]
        if g.empty:
            continue
        y = list(row_of[g.index])
        dur = (g.end - g.start).dt.total_seconds().to_numpy() * 1000.0
        hover = [f"<b>{r.vehicle}</b> ({r.vehicle_type})<br>{r.port}<br>"
                 + "<br>".join(_stay_dates(r)) for r in g.itertuples()]
        fig.add_trace(go.Bar(
            y=y, x=dur, base=[pd.Timestamp(s).isoformat() for s in g.start], orientation="h",
            name=vtype, marker=dict(color=colour, line=dict(color="#333333", width=0.4),
                                    pattern=dict(shape=["/" if s in ("open", "unknown") else ""
                                                        for s in g.end_status], size=5)),
            hovertext=hover, hoverinfo="text",
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], title=None,
                     tickfont=dict(size=11))
    pad = (t1 - t0) * 0.01
    fig.update_xaxes(type="date", title=None, range=[t0 - pad, t1 + pad])
    fig.update_layout(barmode="overlay", height=180 + 26 * len(rows),
                      margin=dict(l=10, r=10, t=90, b=40),
                      title="Visiting-vehicle stays at each ISS port, UTC (hatched: departure "
                            "not sourced)",
                      legend=dict(orientation="h", y=-0.1, font=dict(size=11)),
                      plot_bgcolor="white")
    fig.update_xaxes(showgrid=True, gridcolor="#EEEEEE")
    _mark_window_and_docking(fig)
    return fig


def count_figure(start=None, end=None):
    """Vehicles attached to ports over time (step line) and visiting-vehicle ports in service,
    with the first all-eight window shaded and the Soyuz MS-28 docking marked."""
    import plotly.graph_objects as go

    series = occupancy_series()
    x = series.time
    fig = go.Figure([
        go.Scatter(x=x, y=series.in_service, mode="lines", line_shape="hv",
                   name="visiting-vehicle ports in service",
                   line=dict(color="#777777", width=1.5, dash="dash"),
                   hovertemplate="%{x|%d %b %Y %H:%M} UTC: %{y} ports in service<extra></extra>"),
        go.Scatter(x=x, y=series.attached, mode="lines", line_shape="hv",
                   name="vehicles attached to a port", line=dict(color="#0072B2", width=1.6),
                   hovertemplate="%{x|%d %b %Y %H:%M} UTC: %{y} attached<extra></extra>"),
    ])
    fig.update_yaxes(range=[0, 9.5], dtick=1, title="number", gridcolor="#EEEEEE")
    fig.update_xaxes(type="date", title="UTC",
                     range=[start or first_stay_start(), end or COVERAGE_END])
    fig.update_layout(height=400, margin=dict(l=10, r=10, t=90, b=40), plot_bgcolor="white",
                      title="Vehicles attached to ISS ports, 1998-2026",
                      legend=dict(orientation="h", y=-0.18, font=dict(size=11)))
    _mark_window_and_docking(fig)
    return fig


# --- the widget app -------------------------------------------------------------------------

class PortsApp:
    """A date slider (end of each UTC day, Dec 1998 to the coverage end) with play and jump
    buttons, the station schematic, a readout of the ports and the arm, and a text alternative
    that follows the slider. ``widget`` is what a notebook displays; ``show(i)`` moves to day
    ``i``."""

    def __init__(self):
        import ipywidgets as widgets

        self.ports = load_ports()
        self.first = first_stay_start()
        self.days = pd.date_range(self.first.normalize(), COVERAGE_END.normalize(), freq="D")
        self.windows = _module_windows(_default_data())
        n = len(self.days)
        first_day = self.index_of(MS28_DOCKING)
        self.state = state_at(self.time_of(first_day))
        self.schematic = _schematic_figure(self.state, self.windows)
        self.schematic.add_class("ports-schematic")
        series = occupancy_series()
        change_days = pd.DatetimeIndex(series.time).normalize().unique()
        self._changes = np.searchsorted(self.days, change_days)
        self.slider = widgets.IntSlider(
            value=first_day, min=0, max=n - 1, step=1, description="Date",
            readout=False, continuous_update=True, layout=widgets.Layout(width="100%"),
            style={"description_width": "40px"},
        )
        self.slider.add_class("ports-date")
        self.date_label = widgets.HTML()
        self.play = widgets.Play(value=self.slider.value, min=0, max=n - 1, step=30,
                                 interval=150, description="Play",
                                 tooltip="Play: 30 days per step")
        widgets.jslink((self.play, "value"), (self.slider, "value"))
        self.slider.observe(lambda change: self.show(change["new"]), names="value")
        full = first_all_current_full()
        jumps = [("MS-28 docks (27 Nov 2025)", MS28_DOCKING)]
        if full is not None:
            jumps.append((f"All eight ({day_text(full.start)})", full.start))
        buttons = []
        self.jump_buttons = {}
        for label, when in jumps:
            b = widgets.Button(description=label, tooltip=f"Jump to {day_text(when)}",
                               layout=widgets.Layout(width="auto"))
            index = self.index_of(when)
            b.on_click(lambda _b, i=index: setattr(self.slider, "value", i))
            self.jump_buttons[label] = b
        buttons = list(self.jump_buttons.values())
        prev_b = widgets.Button(description="◀ previous change", layout=widgets.Layout(
            width="auto"), tooltip="Jump to the previous day a port changed")
        next_b = widgets.Button(description="next change ▶", layout=widgets.Layout(
            width="auto"), tooltip="Jump to the next day a port changed")
        prev_b.on_click(lambda _b: self.step_change(-1))
        next_b.on_click(lambda _b: self.step_change(+1))
        self.readout = widgets.HTML()
        self.readout.add_class("ports-readout")
        self.description = widgets.HTML()
        self.description.add_class("ports-description")
        controls = widgets.VBox([
            widgets.HBox([self.play, self.slider, self.date_label],
                         layout=widgets.Layout(width="100%", align_items="center")),
            widgets.HBox(buttons + [prev_b, next_b], layout=widgets.Layout(flex_flow="row wrap")),
        ])
        body = widgets.Box(
            [widgets.Box([self.schematic], layout=widgets.Layout(flex="3 1 520px", min_width="0")),
             widgets.Box([self.readout], layout=widgets.Layout(flex="1 1 240px"))],
            layout=widgets.Layout(display="flex", flex_flow="row wrap", width="100%"),
        )
        self.widget = widgets.VBox([controls, body, self.description])
        self._write_text(first_day)  # the schematic was built in this state

    def time_of(self, i: int) -> pd.Timestamp:
        """The instant day ``i`` shows: 23:59:59 UTC, or the coverage end on the last day."""
        return min(self.days[i] + pd.Timedelta(hours=23, minutes=59, seconds=59), COVERAGE_END)

    def index_of(self, t) -> int:
        day = pd.Timestamp(parse_time(t)).normalize()
        return int(np.clip(self.days.searchsorted(day), 0, len(self.days) - 1))

    def step_change(self, direction: int) -> None:
        i = self.slider.value
        if direction > 0:
            later = self._changes[self._changes > i]
            target = int(later[0]) if len(later) else len(self.days) - 1
        else:
            earlier = self._changes[self._changes < i]
            target = int(earlier[-1]) if len(earlier) else 0
        self.slider.value = min(max(target, 0), len(self.days) - 1)

    def show(self, i: int) -> None:
        """Move to day ``i``; cheap: about ten markers and a title change."""
        if self.slider.value != i:
            self.slider.value = i  # the observer calls back into show()
            return
        self.state = state_at(self.time_of(i))
        _apply_state(self.schematic, self.state, self.windows)
        self._write_text(i)

    def _write_text(self, i: int) -> None:
        t = self.time_of(i)
        self.date_label.value = (f"<b>{day_text(t)}</b> <span style='color:#555'>"
                                 f"({t:%H:%M} UTC)</span>")
        self.readout.value = self.readout_html()
        self.description.value = f"<p>{html.escape(self.describe())}</p>"

    def describe(self) -> str:
        """The text alternative for the schematic at the current day."""
        s = self.state
        end_of_day = s.time != COVERAGE_END
        return (describe_state(s, day_only=end_of_day)
                + (" (State at the end of that UTC day.)" if end_of_day else
                   " (State at the end of the data.)")
                + " The schematic shows the station from the side: the Russian segment on the "
                "left, the US segment on the right; occupied ports are coloured by vehicle type, "
                "empty ports are grey rings.")

    def readout_html(self) -> str:
        s = self.state
        rows = []
        for port, i in s.ports.items():
            if i is None:
                rows.append(f"<tr><th scope='row'>{html.escape(port)}</th><td><i>empty</i></td>"
                            "</tr>")
            else:
                r = s.stays.iloc[i]
                rows.append(f"<tr><th scope='row'>{html.escape(port)}</th><td>"
                            f"{html.escape(r.vehicle)} <small>({html.escape(r.vehicle_type)})"
                            "</small></td></tr>")
        if s.arm:  # a vehicle on the arm is attached to the station but to no port
            arm = ", ".join(html.escape(s.stays.vehicle.iloc[i]) for i in s.arm)
            rows.append(f"<tr><th scope='row'>held on Canadarm2 (no port)</th><td>{arm}</td></tr>")
        return (f"<p><b>{s.n_occupied} of {len(s.ports)}</b> ports occupied</p>"
                f"<table class='readout' aria-label='ISS ports readout'>{''.join(rows)}</table>")
