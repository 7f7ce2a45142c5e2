"""Questions asked of the occupancy timeline: the first time all eight current ports were full,
every time all *usable* ports were full, the claim of 27 Nov 2025, arrivals and departures,
the busiest moment of each era and how hard each port worked. Results keep ``pd.Timestamp`` /
``datetime64[ns]`` (UTC) and full precision; :mod:`.text` formats them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explainer.astro.timeutil import iso, parse_time
from explainer.data.docking import COVERAGE_END, load_port_eras
from explainer.data.docking_rules import FAR

from .occupancy import (
    _default_series,
    change_times,
    coverage_end,
    default_data,
    first_stay_start,
    ms28_docking,
    runs,
    state_at,
)

NS_PER_DAY = 86_400 * 10**9
SEGMENT_OF_MODULE = {"Zvezda": "Russian", "Zarya": "Russian", "Pirs": "Russian",
                     "Poisk": "Russian", "Rassvet": "Russian", "Nauka": "Russian",
                     "Prichal": "Russian", "Unity": "US", "Destiny": "US", "Harmony": "US"}
"""Which segment each module belongs to (the first word of ``module`` in iss_ports.csv)."""


def _bounds(indices, kind: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Earliest and latest possible instant of the arrivals (``kind="arrival"``) or departures
    of the given stays (None when none of them is such an event)."""
    s = default_data().stays
    if not len(indices):
        return None
    lo = s[f"{kind}_earliest"].iloc[list(indices)].min()
    hi = s[f"{kind}_latest"].iloc[list(indices)].max()
    return (pd.Timestamp(lo), pd.Timestamp(hi)) if pd.notna(lo) else None


def _event_bounds(t: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The honest range of the instant ``t`` if an arrival or departure with an uncertain time
    is placed there (else ``(t, t)``)."""
    d = default_data()
    t64 = t.to_datetime64()
    found = [b for b in (_bounds(np.flatnonzero(d.start == t64), "arrival"),
                         _bounds(np.flatnonzero((d.end == t64)
                                                & (d.stays.end_status != "open").to_numpy()),
                                 "departure")) if b]
    if not found:
        return t, t
    return min(b[0] for b in found), max(b[1] for b in found)


@dataclass(frozen=True)
class AllPortsFull:
    """The first time every current visiting-vehicle port was occupied at once (UTC)."""

    start: pd.Timestamp  # the counting instant (a date-only arrival at 12:00 UTC)
    end: pd.Timestamp
    start_range: tuple[pd.Timestamp, pd.Timestamp]  # earliest, latest possible start
    end_range: tuple[pd.Timestamp, pd.Timestamp]
    start_has_time: bool  # False: the arrival completing it is known to the day only
    end_has_time: bool
    completed_by: str  # the vehicle whose arrival filled the last port
    ended_by: str  # the vehicle whose departure ended it
    occupants: tuple[tuple[str, str], ...]  # (port, vehicle), in file order

    @property
    def days(self) -> float:
        """Length with the counting instants (days)."""
        return (self.end - self.start) / pd.Timedelta(days=1)

    @property
    def days_range(self) -> tuple[float, float]:
        """Shortest and longest length the sources allow (days)."""
        day = pd.Timedelta(days=1)
        return ((self.end_range[0] - self.start_range[1]) / day,
                (self.end_range[1] - self.start_range[0]) / day)


def first_all_current_full() -> AllPortsFull | None:
    """The first interval when all the ``current_visiting_port`` ports (eight) were occupied
    simultaneously, computed from the stays; None if it never happened."""
    d = default_data()
    series = _default_series()
    full = series.current_occupied.to_numpy() == int(d.current.sum())
    spans = runs(series.time.to_numpy(), full)
    if not spans:
        return None
    start, end = spans[0]
    st = state_at(start)
    on = [i for i in st.ports.values() if i is not None]
    i_start = [i for i in on if d.start[i] == start.to_datetime64()]
    i_end = [i for i in on if d.end[i] == end.to_datetime64()]
    completed = d.stays.iloc[i_start[0]] if i_start else None
    ended = d.stays.iloc[i_end[0]] if i_end else None
    current = set(d.ports.port[d.current])
    return AllPortsFull(
        start=start, end=end, start_range=_event_bounds(start), end_range=_event_bounds(end),
        start_has_time=bool(completed.arrival_utc_has_time) if completed is not None else True,
        end_has_time=bool(ended.end_status == "time") if ended is not None else True,
        completed_by=completed.vehicle if completed is not None else "",
        ended_by=ended.vehicle if ended is not None else "",
        occupants=tuple((p, st.vehicle(p)) for p in st.ports if p in current),
    )


def _usable_matrix(times: np.ndarray):
    """Per time and port: in service, occupied, and usable (in service and outside an
    unusable/backup spell of ``iss_port_eras.csv``, or occupied)."""
    d = default_data()
    t = times[:, None]
    in_service = (d.svc_start[None, :] <= t) & (t < d.svc_end[None, :])
    active = (d.start[None, :] <= t) & (t < d.end[None, :]) & d.on_port[None, :]
    occupied = np.zeros_like(in_service)
    for k in range(len(d.ports)):
        occupied[:, k] = active[:, d.port_index == k].any(axis=1)
    restricted = np.zeros_like(in_service)
    lookup = {p: k for k, p in enumerate(d.ports.port)}
    for r in load_port_eras().itertuples():
        until = FAR if pd.isna(r.to_utc) else r.to_utc.to_datetime64()
        restricted[:, lookup[r.port]] |= ((r.from_utc.to_datetime64() <= times)
                                          & (times < until))
    usable = in_service & (~restricted | occupied)
    return in_service, occupied, usable


def full_episodes() -> pd.DataFrame:
    """Every interval when **all usable ports** were occupied: a port in service counts as
    usable unless ``iss_port_eras.csv`` says it could take no vehicle or was only a backup berth
    then (an occupied port always counts). Columns: ``start, end`` (counting instants, UTC),
    ``start_earliest, start_latest, end_earliest, end_latest`` (what the sources allow),
    ``usable_ports, ports_in_service, days, vehicles`` (at the start, "port: vehicle; ...") and
    ``not_usable`` (ports in service but not usable then)."""
    d = default_data()
    eras = load_port_eras()
    extra = np.concatenate([eras.from_utc.to_numpy(), eras.to_utc.dropna().to_numpy()])
    times = change_times(d, extra.astype("datetime64[ns]"))
    in_service, occupied, usable = _usable_matrix(times)
    n_usable = usable.sum(axis=1)
    full = (n_usable > 0) & ((occupied & usable).sum(axis=1) == n_usable)
    rows = []
    for start, end in runs(times, full):
        k = int(np.searchsorted(times, start.to_datetime64()))
        ports = d.ports.port.to_numpy()
        st = state_at(start)
        (s0, s1), (e0, e1) = _event_bounds(start), _event_bounds(end)
        rows.append({
            "start": start, "end": end, "start_earliest": s0, "start_latest": s1,
            "end_earliest": e0, "end_latest": e1, "usable_ports": int(n_usable[k]),
            "ports_in_service": int(in_service[k].sum()),
            "days": (end - start) / pd.Timedelta(days=1),
            "vehicles": "; ".join(f"{p}: {st.vehicle(p)}" for p in st.ports
                                  if st.ports[p] is not None),
            "not_usable": "; ".join(ports[in_service[k] & ~usable[k]]),
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ClaimCheck:
    """The "all eight ports" claim checked at the Soyuz MS-28 docking and after (UTC)."""

    docking: pd.Timestamp
    at_docking: object  # the PortState at the docking instant
    full: AllPortsFull
    earlier_full: pd.DataFrame  # full_episodes() before the first all-eight time

    @property
    def occupied_at_docking(self) -> int:
        return self.at_docking.n_occupied

    @property
    def attached_at_docking(self) -> int:
        """Vehicles attached to the station, the one on the arm included."""
        return self.at_docking.n_occupied + len(self.at_docking.arm)

    @property
    def days_after_docking(self) -> int:
        """Whole UTC days from the docking day to the day all eight were full."""
        return (self.full.start.normalize() - self.docking.normalize()).days


def claim_check() -> ClaimCheck:
    """What the ports show when Soyuz MS-28 docked and when all eight were first full, with the
    earlier times every usable port was full."""
    full = first_all_current_full()
    episodes = full_episodes()
    docking = ms28_docking()
    return ClaimCheck(docking, state_at(docking), full,
                      episodes[episodes.start < full.start].reset_index(drop=True))


def current_ports_by_kind() -> pd.DataFrame:
    """The eight current ports with ``segment`` (Russian/US, from the module) and
    ``mechanism``; one row per port, file order."""
    ports = default_data().ports
    cur = ports[ports.current_visiting_port]
    segment = cur.module.str.split().str[0].map(SEGMENT_OF_MODULE)
    return pd.DataFrame({"port": cur.port.to_numpy(), "segment": segment.to_numpy(),
                         "mechanism": cur.mechanism.to_numpy()})


def events(start=None, end=None) -> pd.DataFrame:
    """Arrivals and departures between ``start`` and ``end`` (UTC; default: all), in time order:
    ``time, vehicle, vehicle_type, port, event`` (``arrives``/``leaves``), ``has_time`` (False
    for a date-only value), ``earliest``/``latest`` (the range the sources allow) and
    ``attached`` (vehicles on ports just after). Open stays have no departure event."""
    d = default_data()
    s = d.stays
    arrive = pd.DataFrame({"time": d.start, "vehicle": s.vehicle, "vehicle_type": s.vehicle_type,
                           "port": s.port, "event": "arrives",
                           "has_time": s.arrival_utc_has_time.to_numpy(),
                           "earliest": s.arrival_earliest, "latest": s.arrival_latest,
                           "order": 1})
    closed = (s.end_status != "open").to_numpy()
    leave = pd.DataFrame({"time": d.end, "vehicle": s.vehicle, "vehicle_type": s.vehicle_type,
                          "port": s.port, "event": "leaves",
                          "has_time": (s.end_status == "time").to_numpy(),
                          "earliest": s.departure_earliest, "latest": s.departure_latest,
                          "order": 0})[closed]
    out = pd.concat([arrive, leave], ignore_index=True)
    t0 = parse_time(start) if start is not None else d.start.min()
    t1 = parse_time(end) if end is not None else coverage_end()
    out = out[(out.time >= t0) & (out.time <= t1)]
    out = out.sort_values(["time", "order"]).drop(columns="order").reset_index(drop=True)
    series = _default_series()
    k = np.searchsorted(series.time.to_numpy(), out.time.to_numpy(), side="right") - 1
    out["attached"] = series.attached.to_numpy()[k]
    return out


def eras() -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """``(name, start, end)`` of the three eras compared by :func:`busiest_moments`: assembly
    and the Shuttle (to the last Shuttle undocking), 2011-2019, and 2020 to the coverage end."""
    d = default_data()
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
    d = default_data()
    rows = []
    for name, e0, e1 in eras():
        t1 = e1.to_datetime64()
        before = series[series.time <= e0].tail(1)
        inside = series[(series.time >= e0) & (series.time < e1)]
        part = pd.concat([before.assign(time=e0.to_datetime64()), inside])
        part = part.drop_duplicates("time").reset_index(drop=True)
        top = int(part.attached.max())
        at_max = part.attached.to_numpy() == top
        spans = runs(np.append(part.time.to_numpy(), t1), np.append(at_max, False))
        first = int(np.flatnonzero(at_max)[0])
        st = state_at(part.time.iloc[first])
        idx = [i for i in st.ports.values() if i is not None]
        unknown = [d.stays.vehicle.iloc[i] for i in idx if d.stays.end_status.iloc[i] == "unknown"]
        rows.append({
            "era": name, "era_start": e0, "era_end": e1, "max_attached": top,
            "ports_in_service": len(st.ports), "first_at": spans[0][0], "until": spans[0][1],
            "days_at_max": sum((b - a) / pd.Timedelta(days=1) for a, b in spans),
            "times_reached": len(spans),
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
    d = default_data()
    t0 = parse_time(start) if start is not None else d.start.min()
    t1 = parse_time(end) if end is not None else coverage_end()
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
                     "in_service_days": float(service), "occupied_days": float(occupied),
                     "fraction": float(occupied / service),
                     "stays": int(((b - a) > np.timedelta64(0, "ns")).sum())})
    return pd.DataFrame(rows)
