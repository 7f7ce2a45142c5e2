"""The instants used for counting stays (``start``, ``end``, ``end_status``), placed by the rules
of :mod:`explainer.data.docking`: a date-only value at 12:00 UTC, moved within its day where a
neighbour with a time bounds it; an unknown departure at the latest moment it can have been."""

from __future__ import annotations

import numpy as np
import pandas as pd

from explainer.data.docking_rules import ARM, COVERAGE_END, FAR, positions_by

DATE_ONLY_HOUR = 12
"""Where a date-only value is placed for counting (UTC hour of its day)."""
_ONE_DAY = np.timedelta64(1, "D")


class TimelineError(ValueError):
    """The counting instants clash (raised as a DataError by the loader)."""


def ns(values) -> np.ndarray:
    """Times as ``datetime64[ns]`` (NaT stays NaT)."""
    return np.asarray(pd.to_datetime(values), dtype="datetime64[ns]")


def service_window(ports: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Certain service windows: from the start of ``in_service_from``'s day to the end of
    ``in_service_to``'s day (:data:`~explainer.data.docking_rules.FAR` when still in service)."""
    start = ns(ports.in_service_from)
    end = ns(ports.in_service_to)
    date_only = ~ports.in_service_to_has_time.to_numpy()
    end = np.where(date_only & ~np.isnat(end), end + _ONE_DAY, end)
    return start, np.where(np.isnat(end), FAR, end)


def _clamp(order, start, end, arr, dep, arr_time, dep_time) -> None:
    """Within one port or one vehicle, move date-only values so consecutive stays do not
    overlap: a date-only departure back to the next arrival, or a date-only arrival forward to
    the previous departure."""
    for a, b in zip(order, order[1:], strict=False):
        if end[a] <= start[b]:
            continue
        if not dep_time[a] and not np.isnat(dep[a]) and start[b] >= dep[a]:
            end[a] = start[b]
        elif not arr_time[b] and end[a] < arr[b] + _ONE_DAY:
            start[b] = end[a]


def timeline(stays: pd.DataFrame, ports: pd.DataFrame) -> pd.DataFrame:
    """``stays`` (with the certainty columns of
    :func:`explainer.data.docking.with_certainty`) plus ``start``, ``end``, ``end_status``,
    ``on_port`` and ``current_port``; raise :class:`TimelineError` if the placed instants clash."""
    out = stays.copy()
    noon = np.timedelta64(DATE_ONLY_HOUR, "h")
    arr_time = out.arrival_utc_has_time.to_numpy()
    dep_time = out.departure_utc_has_time.to_numpy()
    arr = ns(out.arr_earliest)
    dep = ns(out.departure_utc)
    start = np.where(arr_time, arr, arr + noon)
    end = np.where(np.isnat(dep), FAR, np.where(dep_time, dep, dep + noon))
    # a date-only end never before its own start, a date-only start never after its own end
    end = np.where(~dep_time & ~np.isnat(dep) & (end < start), start, end)
    start = np.where(~arr_time & (start > end), end, start)

    on_port = (out.port != ARM).to_numpy()
    for key in ("port", "vehicle"):
        for value, group in positions_by(out[key]).items():
            if key == "port" and value == ARM:
                continue
            order = sorted(group, key=lambda p: start[p])
            _clamp(order, start, end, arr, dep, arr_time, dep_time)

    # unknown departures: the latest moment the vehicle can have left
    _, svc_end = service_window(ports)
    port_end = dict(zip(ports.port, svc_end, strict=True))
    coverage = np.datetime64(COVERAGE_END.to_datetime64(), "ns")
    unknown = out.unknown.to_numpy()
    is_open = out.open.to_numpy()
    for p in np.flatnonzero(unknown):
        same = np.flatnonzero(((out.port == out.port.iloc[p]).to_numpy()
                               | (out.vehicle == out.vehicle.iloc[p]).to_numpy())
                              & (start > start[p]))
        end[p] = min([coverage, port_end.get(out.port.iloc[p], FAR)] + list(start[same]))
    end = np.where(is_open, coverage, end)
    out["start"] = start.astype("datetime64[ns]")
    out["end"] = end.astype("datetime64[ns]")
    out["end_status"] = np.where(is_open, "open", np.where(unknown, "unknown",
                                                           np.where(dep_time, "time", "date")))
    out["on_port"] = on_port
    out["current_port"] = out.port.isin(set(ports.port[ports.current_visiting_port])).to_numpy()
    _check(out)
    return out


def _check(out: pd.DataFrame) -> None:
    """The counting instants must not overlap (they cannot, if the stay rules passed)."""
    start = out.start.to_numpy().astype("int64")
    end = out.end.to_numpy().astype("int64")
    rows = out.row.to_numpy()
    for key in ("port", "vehicle"):
        for value, group in positions_by(out[key]).items():
            if key == "port" and value == ARM:
                continue
            order = sorted(group, key=lambda p: start[p])
            for a, b in zip(order, order[1:], strict=False):
                if start[b] < end[a]:
                    raise TimelineError(f"row {rows[b]} overlaps row {rows[a]} for {key} "
                                        f"{value!r} once date-only values are placed in their "
                                        "day")
