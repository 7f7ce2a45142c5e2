"""UTC times as numpy ``datetime64[ns]`` arrays, and their Julian dates.

All times in the kit are UTC. Strings are ISO 8601 (``2025-11-27T12:34:35Z``); naive values are
taken as UTC; values with another offset are converted to UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

_NS_PER_DAY = 86_400 * 10**9
_UNIX_EPOCH_JD = 2440587.5


class TimeError(ValueError):
    """A time that cannot be read as UTC."""


def parse_time(value) -> np.datetime64:
    """One UTC instant from an ISO 8601 string, a ``datetime`` or a ``datetime64``.

    >>> parse_time("2025-11-27T12:34:35Z")
    np.datetime64('2025-11-27T12:34:35.000000000')
    """
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[ns]")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return np.datetime64(value, "ns")
    if isinstance(value, str):
        text = value.strip()
        try:
            stamp = pd.Timestamp(text)
        except (ValueError, TypeError) as exc:
            raise TimeError(
                f"cannot read {value!r} as a UTC time; use ISO 8601 like 2025-11-27T12:34:35Z"
            ) from exc
        if stamp is pd.NaT:
            raise TimeError(f"cannot read {value!r} as a UTC time")
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        return stamp.to_datetime64().astype("datetime64[ns]")
    if isinstance(value, pd.Timestamp):
        return parse_time(value.to_pydatetime())
    raise TimeError(f"cannot read {value!r} (a {type(value).__name__}) as a UTC time")


def as_times(values) -> np.ndarray:
    """A 1-D ``datetime64[ns]`` array of UTC times from one time or a sequence of them."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return np.atleast_1d(values.astype("datetime64[ns]"))
    if isinstance(values, pd.DatetimeIndex | pd.Series):
        idx = pd.DatetimeIndex(values)
        if idx.tz is not None:
            idx = idx.tz_convert("UTC").tz_localize(None)
        return idx.to_numpy().astype("datetime64[ns]")
    if isinstance(values, str | datetime | np.datetime64 | pd.Timestamp):
        return np.array([parse_time(values)])
    return np.array([parse_time(v) for v in values], dtype="datetime64[ns]")


def time_range(start, end, step_s: float) -> np.ndarray:
    """UTC times from ``start`` to ``end`` inclusive (if it falls on a step), every ``step_s`` s."""
    t0, t1 = parse_time(start), parse_time(end)
    if t1 < t0:
        raise TimeError(f"the window ends ({t1}) before it starts ({t0})")
    if step_s <= 0:
        raise TimeError(f"the step must be positive, not {step_s} s")
    step = np.timedelta64(int(round(step_s * 1e9)), "ns")
    n = int((t1 - t0) // step) + 1
    return t0 + np.arange(n) * step


def julian_date(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split Julian dates ``(jd, fraction)`` of UTC times, as the sgp4 package expects.

    ``jd`` is the Julian date of the preceding midnight (ends in .5); ``fraction`` is the day
    fraction, so ``jd + fraction`` is exact to nanoseconds.
    """
    ns = as_times(times).astype(np.int64)
    days, rem = np.divmod(ns, _NS_PER_DAY)
    return days + _UNIX_EPOCH_JD, rem / _NS_PER_DAY


def iso(t) -> str:
    """ISO 8601 UTC text, to the millisecond, ending in Z."""
    return str(np.datetime_as_string(parse_time(t), unit="ms")) + "Z"


def to_skyfield(times):
    """A Skyfield ``Time`` array for UTC ``datetime64`` times (vectorised).

    Whole days and the seconds within each day are passed separately: numpy's datetime64, like
    POSIX time, has no leap seconds, whereas Skyfield would count the leap seconds inside a long
    run of seconds (5 of them since 2000, i.e. 38 km of ISS motion).
    """
    from explainer.astro.skyfield_data import timescale

    ns = as_times(times).astype(np.int64) - np.datetime64("2000-01-01", "ns").astype(np.int64)
    days, rem = np.divmod(ns, _NS_PER_DAY)
    return timescale().utc(2000, 1, 1 + days, 0, 0, rem / 1e9)
