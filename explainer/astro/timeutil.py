"""UTC times as numpy ``datetime64[ns]`` arrays, and their Julian dates.

All times in the kit are UTC. Strings are ISO 8601 (``2025-11-27T12:34:35Z``); naive values are
taken as UTC; values with another offset are converted to UTC. A missing time (``NaT``, ``None``)
is an error that names its position, never a silent NaN downstream.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import numpy as np
import pandas as pd

_NS_PER_DAY = 86_400 * 10**9
_UNIX_EPOCH_JD = 2440587.5
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]|$)")


class TimeError(ValueError):
    """A time that cannot be read as UTC, or a missing time."""


def parse_time(value) -> np.datetime64:
    """One UTC instant.

    Parameters
    ----------
    value : str, datetime, pandas.Timestamp or numpy.datetime64
        An ISO 8601 string starting with the date (``2025-11-27T12:34:35Z``, ``2025-11-27``);
        naive values are UTC, aware ones are converted to UTC.

    Returns
    -------
    numpy.datetime64
        The instant as ``datetime64[ns]`` UTC.

    Raises
    ------
    TimeError
        For anything that is not one definite time (text that is not ISO 8601, ``NaT``, None).

    Examples
    --------
    >>> parse_time("2025-11-27T12:34:35Z")
    np.datetime64('2025-11-27T12:34:35.000000000')
    """
    if value is None or value is pd.NaT or (isinstance(value, np.datetime64) and np.isnat(value)):
        raise TimeError(f"a missing time ({value!r}) cannot be used; give a UTC time")
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[ns]")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return np.datetime64(value, "ns")
    if isinstance(value, str):
        text = value.strip()
        stamp = pd.NaT
        if _ISO_DATE.match(text):
            try:
                stamp = pd.Timestamp(text)
            except (ValueError, TypeError, OverflowError):
                stamp = pd.NaT
        if stamp is pd.NaT:
            raise TimeError(
                f"cannot read {value!r} as a UTC time; use ISO 8601 like 2025-11-27T12:34:35Z"
            )
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert("UTC").tz_localize(None)
        return stamp.to_datetime64().astype("datetime64[ns]")
    raise TimeError(f"cannot read {value!r} (a {type(value).__name__}) as a UTC time")


def as_times(values) -> np.ndarray:
    """A 1-D ``datetime64[ns]`` array of UTC times from one time or a sequence of them.

    Parameters
    ----------
    values : time or sequence of times
        Anything :func:`parse_time` reads, a sequence of such, a ``datetime64`` array, or a pandas
        ``DatetimeIndex``/``Series`` (aware ones are converted to UTC). May be empty.

    Returns
    -------
    numpy.ndarray
        ``datetime64[ns]``, 1-D; a ``datetime64[ns]`` input array is returned without a copy.

    Raises
    ------
    TimeError
        If any time is missing (``NaT``), naming its position.
    """
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        times = np.atleast_1d(values.astype("datetime64[ns]", copy=False)).ravel()
    elif isinstance(values, pd.DatetimeIndex | pd.Series):
        idx = pd.DatetimeIndex(values)
        if idx.tz is not None:
            idx = idx.tz_convert("UTC").tz_localize(None)
        times = idx.to_numpy().astype("datetime64[ns]", copy=False)
    elif isinstance(values, str | datetime | np.datetime64 | pd.Timestamp) or values is None:
        return np.array([parse_time(values)])
    else:
        out = []
        for i, v in enumerate(values):
            try:
                out.append(parse_time(v))
            except TimeError as exc:
                raise TimeError(f"time at position {i}: {exc}") from None
        return np.array(out, dtype="datetime64[ns]")
    _refuse_nat(times)
    return times


def _refuse_nat(times: np.ndarray) -> None:
    missing = np.isnat(times)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise TimeError(
            f"time at position {i} is missing (NaT); {int(missing.sum())} of {times.size} "
            "times are missing"
        )


def time_range(start, end, step_s: float) -> np.ndarray:
    """UTC times from ``start`` to ``end``, every ``step_s`` seconds.

    Parameters
    ----------
    start, end : UTC times (see :func:`parse_time`); ``end`` is included when on a step.
    step_s : float
        Step (s, > 0; rounded to the nanosecond).

    Returns
    -------
    numpy.ndarray of datetime64[ns]

    Raises
    ------
    TimeError
        If ``end`` is before ``start`` or the step is not positive.
    """
    t0, t1 = parse_time(start), parse_time(end)
    if t1 < t0:
        raise TimeError(f"the window ends ({iso(t1)}) before it starts ({iso(t0)})")
    if not step_s > 0:
        raise TimeError(f"the step must be positive, not {step_s} s")
    step = np.timedelta64(int(round(step_s * 1e9)), "ns")
    n = int((t1 - t0) // step) + 1
    return t0 + np.arange(n) * step


def julian_date(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split Julian dates ``(jd, fraction)`` of UTC times, as the sgp4 package expects.

    ``jd`` is the Julian date of the preceding midnight UTC (ends in .5); ``fraction`` is the
    fraction of the day (0 <= fraction < 1), so ``jd + fraction`` keeps nanoseconds.
    """
    ns = as_times(times).view(np.int64)
    days, rem = np.divmod(ns, _NS_PER_DAY)
    return days + _UNIX_EPOCH_JD, rem / _NS_PER_DAY


def iso(t) -> str:
    """ISO 8601 UTC text, to the millisecond, ending in Z (for display and JSON)."""
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
