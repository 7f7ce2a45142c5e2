"""Who was on which port at any instant, 1998 to 2026, and the step function of counts.

Built on the checked tables of :mod:`explainer.data.docking` (the rules for date-only and
missing times are in its docstring). For counting, a date-only service date of a port is placed
at 12:00 UTC and moved within its day to cover the port's stays, so a port replaced by another
the same day (Zarya nadir by Rassvet nadir, Nauka nadir by Prichal nadir) hands over instead of
both counting for a day. Imports no plotting or widget library: the CLI's ``ports`` answer uses
only this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from explainer import data
from explainer.astro.timeutil import iso, parse_time
from explainer.data.docking import (
    ARM,
    COVERAGE_END,
    DATE_ONLY_HOUR,
    load_ports,
    load_stays,
    ns,
)
from explainer.data.docking_rules import FAR

__all__ = ["ARM", "COVERAGE_END", "PortState", "first_stay_start", "intervals_with_count",
           "ms28_docking", "occupancy_at", "occupancy_series", "state_at"]


@dataclass(frozen=True)
class StationData:
    """The stays and ports as arrays for counting (all ``datetime64[ns]``, UTC)."""

    stays: pd.DataFrame
    ports: pd.DataFrame
    start: np.ndarray
    end: np.ndarray  # open stays: FAR
    on_port: np.ndarray
    port_index: np.ndarray  # index into ports (-1 for the arm)
    svc_start: np.ndarray
    svc_end: np.ndarray  # still in service: FAR
    current: np.ndarray  # per port: one of the eight current visiting-vehicle ports


def prepare(stays: pd.DataFrame | None = None, ports: pd.DataFrame | None = None
            ) -> StationData:
    """The counting arrays for the given tables (default: the shipped data, cached)."""
    if stays is None and ports is None:
        return default_data()
    ports = load_ports() if ports is None else ports
    stays = load_stays() if stays is None else stays
    lookup = dict(zip(ports.port, range(len(ports)), strict=True))
    start = ns(stays.start)
    end = np.where((stays.end_status == "open").to_numpy(), FAR, ns(stays.end))
    port_index = np.array([lookup.get(p, -1) for p in stays.port])
    svc_start, svc_end = _counting_service(ports, start, end, port_index)
    return StationData(stays.reset_index(drop=True), ports.reset_index(drop=True), start, end,
                       stays.on_port.to_numpy(), port_index, svc_start, svc_end,
                       ports.current_visiting_port.to_numpy())


def _counting_service(ports, start, end, port_index) -> tuple[np.ndarray, np.ndarray]:
    noon = np.timedelta64(DATE_ONLY_HOUR, "h")
    s = ns(ports.in_service_from)
    s = np.where(ports.in_service_from_has_time.to_numpy(), s, s + noon)
    e = ns(ports.in_service_to)
    e = np.where(ports.in_service_to_has_time.to_numpy(), e, e + noon)
    e = np.where(np.isnat(e), FAR, e)
    for k in range(len(ports)):
        mine = port_index == k
        if mine.any():
            s[k] = min(s[k], start[mine].min())
            if e[k] != FAR:
                e[k] = max(e[k], end[mine].max())
    return s, e


@cache
def default_data() -> StationData:
    """The counting arrays of the shipped data."""
    return prepare(load_stays(), load_ports())


def coverage_end() -> np.datetime64:
    return np.datetime64(COVERAGE_END.to_datetime64(), "ns")


def first_stay_start() -> pd.Timestamp:
    """When the data begin: the first stay (STS-88 mates Unity to Zarya, 7 Dec 1998), UTC."""
    return pd.Timestamp(default_data().start.min())


@cache
def ms28_docking() -> pd.Timestamp:
    """The instant Soyuz MS-28 docked (UTC), from the MS-28 fact sheet (``docking_utc``)."""
    return pd.Timestamp(data.fact_time("docking_utc"))


def _check_range(t: np.datetime64, d: StationData) -> None:
    first = d.start.min()
    if t < first:
        who = d.stays.vehicle.iloc[int(np.argmin(d.start))]
        raise ValueError(f"{iso(t)} is before the first stay in the data ({who}, "
                         f"{iso(first)}); ask about a time from then to {iso(COVERAGE_END)}")
    if t > coverage_end():
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

    @property
    def empty_ports(self) -> list[str]:
        return [p for p, i in self.ports.items() if i is None]

    @property
    def held_on_arm(self) -> list[str]:
        return [self.stays.vehicle.iloc[i] for i in self.arm]


def state_at(time, stays: pd.DataFrame | None = None, ports: pd.DataFrame | None = None
             ) -> PortState:
    """The ports in service at ``time`` (UTC) with their vehicles, and the arm; ValueError
    outside the data's coverage."""
    d = prepare(stays, ports)
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
        "held_on_arm": s.held_on_arm,
    }


def occupancy_series(stays: pd.DataFrame | None = None, ports: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """A step function from the first stay to ``COVERAGE_END``: each row's values hold from its
    ``time`` (UTC) until the next row's. Columns: ``time``, ``attached`` (vehicles attached to a
    port = ports occupied), ``current_occupied`` (of the ``current_visiting_port`` ports),
    ``in_service`` (visiting-vehicle ports in service), ``held_on_arm``."""
    if stays is None and ports is None:
        return _default_series().copy()
    return _series(prepare(stays, ports))


@cache
def _default_series() -> pd.DataFrame:
    return _series(default_data())


def change_times(d: StationData, extra=()) -> np.ndarray:
    """Every instant a count can change, from the first stay to the coverage end."""
    first, last = d.start.min(), coverage_end()
    times = np.concatenate([d.start, d.end, d.svc_start, d.svc_end, [first, last],
                            np.asarray(extra, dtype="datetime64[ns]")])
    return np.unique(times[(times >= first) & (times <= last)])


def _series(d: StationData) -> pd.DataFrame:
    times = change_times(d)
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


def runs(times: np.ndarray, mask: np.ndarray) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Half-open intervals ``(start, end)`` where ``mask`` holds, for a step function whose
    value ``i`` holds from ``times[i]`` to ``times[i + 1]`` (the last time closes the series)."""
    out = []
    i, n = 0, len(times)
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
    return runs(series.time.to_numpy(), counts >= n if at_least else counts == n)
