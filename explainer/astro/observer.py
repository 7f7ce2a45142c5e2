"""The satellite seen from a place on the ground: look angles, closest approach and passes.

Places are WGS84 geodetic latitude/longitude in degrees (north and east positive) at sea level.
Elevation is the angle above the geometric horizon (no refraction); azimuth is measured from
true north through east, in degrees [0, 360).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explainer.astro.frames import geodetic_to_itrs, up_vector
from explainer.astro.geo import compass
from explainer.astro.orbit import ground_distance_km, subpoints
from explainer.astro.refine import parabola_peak, secant_zero
from explainer.astro.sun import is_sunlit, sun_elevation_deg
from explainer.astro.timeutil import iso, parse_time, time_range
from explainer.astro.tle import ElementSet, select

DARK_SKY_SUN_DEG = -6.0
"""The sky counts as dark for naked-eye satellite spotting when the Sun is below -6 deg (civil
twilight has ended), as NASA's Spot the Station and N2YO use."""
VISIBLE_MIN_ELEVATION_DEG = 10.0
"""Below 10 deg the satellite is lost in haze and obstacles (NASA's Spot the Station lists
sightings from 10 deg up)."""
MAX_PASS_DAYS = 14.0
"""The longest window :func:`passes` searches: the range of one element set (``MAX_AGE_DAYS``)."""

Sets = ElementSet | Sequence[ElementSet]


class PlaceError(ValueError):
    """A latitude/longitude that is not a place on Earth."""


def parse_place(text: str) -> tuple[float, float]:
    """``"41.39,2.17"`` -> (41.39, 2.17): WGS84 latitude, longitude in degrees.

    Raises :class:`PlaceError` (one line) for anything else; see :func:`check_place`.
    """
    parts = text.replace(" ", "").split(",")
    if len(parts) != 2:
        raise PlaceError(f"cannot read {text!r} as LAT,LON (for example 41.39,2.17)")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise PlaceError(f"cannot read {text!r} as LAT,LON numbers (for example 41.39,2.17)") from None
    return check_place(lat, lon)


def check_place(lat: float, lon: float) -> tuple[float, float]:
    """A place as (lat, lon) floats: latitude -90..90, longitude -180..180 degrees (east positive).

    Longitudes beyond 180 (such as 200 for 160 W) are refused rather than wrapped, so a typo
    cannot silently move a place to the other side of the Earth.
    """
    if not np.isfinite(lat) or not -90.0 <= lat <= 90.0:
        raise PlaceError(f"latitude {lat} is out of range: it must be between -90 and 90 degrees")
    if not np.isfinite(lon) or not -180.0 <= lon <= 180.0:
        raise PlaceError(f"longitude {lon} is out of range: it must be between -180 and 180 degrees")
    return float(lat), float(lon)


def look_angles(elsets: Sets, lat_deg: float, lon_deg: float, times):
    """The satellite seen from a place.

    Parameters
    ----------
    elsets : ElementSet or sequence of them (per-time nearest set; see :func:`subpoints`).
    lat_deg, lon_deg : float
        WGS84 geodetic place (deg) at height 0.
    times : UTC times; may be empty.

    Returns
    -------
    elevation_deg, azimuth_deg, range_km : numpy.ndarray
        Elevation above the geometric horizon (deg, no refraction), azimuth from true north
        through east (deg, [0, 360)) and distance (km).
    """
    return _look(subpoints(elsets, times, check=False).itrs_km, lat_deg, lon_deg)


def _look(pos: np.ndarray, lat_deg: float, lon_deg: float):
    place = geodetic_to_itrs(lat_deg, lon_deg, 0.0)
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.array([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
    d = pos - place
    rng = np.linalg.norm(d, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        el = np.degrees(np.arcsin(np.clip((d @ up_vector(lat_deg, lon_deg)) / rng, -1.0, 1.0)))
    az = np.mod(np.degrees(np.arctan2(d @ east, d @ north)), 360.0)
    return el, az, rng


def _check_window(elsets: Sets, start, end, requested: str) -> None:
    """Refuse (naming the request as typed) a window not covered by the element sets, and warn
    once if part of it is a few days from every set (checked every 10 minutes)."""
    sets = [elsets] if isinstance(elsets, ElementSet) else list(elsets)
    select(sets, np.append(time_range(start, end, 600.0), end), requested=requested)


@dataclass(frozen=True)
class Closest:
    """Closest approach of the sub-satellite point to a place (ground distance, spherical Earth).

    ``time`` is UTC ``datetime64[ns]``; distance in km, elevation and azimuth in degrees, all at
    full precision. :meth:`as_dict` gives the rounded JSON form.
    """

    time: np.datetime64
    distance_km: float
    elevation_deg: float
    azimuth_deg: float

    @property
    def time_utc(self) -> str:
        """``time`` as ISO 8601 text to the millisecond (for display)."""
        return iso(self.time)

    def as_dict(self) -> dict:
        """The CLI's JSON form: ISO time (ms, Z), values rounded to 3 decimals."""
        return {"time_utc": self.time_utc, "distance_km": round(self.distance_km, 3),
                "elevation_deg": round(self.elevation_deg, 3),
                "azimuth_deg": round(self.azimuth_deg, 3)}


def closest_approach(elsets: Sets, lat_deg: float, lon_deg: float, start, end,
                     step_s: float = 1.0) -> Closest:
    """When, in a UTC window, the satellite's ground point came nearest a place.

    Parameters
    ----------
    elsets : ElementSet or sequence of them (each time uses the nearest set).
    lat_deg, lon_deg : float
        WGS84 place (deg).
    start, end : UTC times
        The window.
    step_s : float
        Sampling step (s); the minimum is refined by a parabola through the three samples
        around it (precise to a few milliseconds).

    Returns
    -------
    Closest
        Ground distance on the mean sphere (km), look angles from the place (deg).

    Raises
    ------
    TleRangeError
        Naming the window, if the element sets do not cover it.
    """
    lat_deg, lon_deg = check_place(lat_deg, lon_deg)
    t0, t1 = parse_time(start), parse_time(end)
    _check_window(elsets, t0, t1, f"the window {iso(t0)} to {iso(t1)}")
    times = time_range(t0, t1, step_s)
    sp = subpoints(elsets, times, check=False)
    dist = ground_distance_km(sp.lat_deg, sp.lon_deg, lat_deg, lon_deg)
    i = int(np.argmin(dist))
    best = times[i]
    if 0 < i < len(times) - 1:
        d0, d1, d2 = dist[i - 1 : i + 2]
        denom = d0 - 2 * d1 + d2
        if denom > 0:
            shift = 0.5 * (d0 - d2) / denom * step_s
            best = times[i] + np.timedelta64(int(round(shift * 1e9)), "ns")
    fine = subpoints(elsets, np.array([best]), check=False)
    el, az, _ = _look(fine.itrs_km, lat_deg, lon_deg)
    d = ground_distance_km(fine.lat_deg, fine.lon_deg, lat_deg, lon_deg)
    return Closest(best, float(d[0]), float(el[0]), float(az[0]))


@dataclass(frozen=True)
class Pass:
    """One pass of the satellite above a place's horizon (or above ``min_elevation_deg``).

    Times are UTC ``datetime64[ns]``, angles degrees, durations seconds, at full precision;
    :meth:`as_dict` gives the rounded JSON form and the ``*_utc`` properties ISO text.

    ``sunlit`` and ``sun_elevation_deg`` are at culmination. The naked-eye window is judged over
    the whole pass: the stretch when the satellite is sunlit, at least
    :data:`VISIBLE_MIN_ELEVATION_DEG` high, and the Sun below :data:`DARK_SKY_SUN_DEG` at the
    place; ``visible`` says whether there is such a stretch, ``visible_start``/``visible_end``
    (NaT if none) bound it, with the highest elevation in it and the azimuths where the satellite
    appears and disappears (NaN if none).
    """

    rise: np.datetime64
    culmination: np.datetime64
    set: np.datetime64
    max_elevation_deg: float
    rise_azimuth_deg: float
    set_azimuth_deg: float
    sunlit: bool
    sun_elevation_deg: float
    visible_start: np.datetime64
    visible_end: np.datetime64
    visible_max_elevation_deg: float
    visible_start_azimuth_deg: float
    visible_end_azimuth_deg: float

    @property
    def duration_s(self) -> float:
        """Rise to set (s)."""
        return float((self.set - self.rise) / np.timedelta64(1, "ns")) / 1e9

    @property
    def visible(self) -> bool:
        """Whether the pass can be seen with the naked eye at all."""
        return not np.isnat(self.visible_start)

    @property
    def visible_duration_s(self) -> float:
        """Length of the naked-eye window (s); 0 if none."""
        if not self.visible:
            return 0.0
        return float((self.visible_end - self.visible_start) / np.timedelta64(1, "ns")) / 1e9

    rise_utc = property(lambda self: iso(self.rise), doc="``rise`` as ISO text.")
    culmination_utc = property(lambda self: iso(self.culmination), doc="``culmination`` as ISO text.")
    set_utc = property(lambda self: iso(self.set), doc="``set`` as ISO text.")

    def as_dict(self) -> dict:
        """The CLI's JSON form (ISO times to the ms; angles rounded to 0.01 or 0.1 deg)."""
        seen = self.visible

        def when(t):
            return iso(t) if seen else None

        def angle(x, digits):
            return round(float(x), digits) if seen else None

        return {
            "rise_utc": self.rise_utc, "culmination_utc": self.culmination_utc,
            "set_utc": self.set_utc, "max_elevation_deg": round(self.max_elevation_deg, 2),
            "rise_azimuth_deg": round(self.rise_azimuth_deg, 1),
            "set_azimuth_deg": round(self.set_azimuth_deg, 1),
            "duration_s": round(self.duration_s, 1), "sunlit": self.sunlit,
            "sun_elevation_deg": round(self.sun_elevation_deg, 2), "visible": seen,
            "visible_start_utc": when(self.visible_start),
            "visible_end_utc": when(self.visible_end),
            "visible_duration_s": round(self.visible_duration_s, 1),
            "visible_max_elevation_deg": angle(self.visible_max_elevation_deg, 2),
            "visible_start_azimuth_deg": angle(self.visible_start_azimuth_deg, 1),
            "visible_end_azimuth_deg": angle(self.visible_end_azimuth_deg, 1),
            "visible_start_compass": compass(self.visible_start_azimuth_deg) if seen else None,
            "visible_end_compass": compass(self.visible_end_azimuth_deg) if seen else None,
        }


def passes(elsets: Sets, lat_deg: float, lon_deg: float, start, days: float = 1.0,
           min_elevation_deg: float = 0.0, step_s: float = 20.0) -> list[Pass]:
    """Passes over a place from ``start`` for ``days`` days (UTC).

    Parameters
    ----------
    elsets : ElementSet or sequence of them (each time uses the nearest set).
    lat_deg, lon_deg : float
        WGS84 place (deg).
    start : UTC time
    days : float
        Length of the search, more than 0 and at most :data:`MAX_PASS_DAYS`.
    min_elevation_deg : float
        Rise and set are the crossings of this elevation (deg, 0 <= e < 90).
    step_s : float
        Elevations are sampled every ``step_s`` s (an ISS pass lasts minutes), then rise and
        set refined by the secant method and culmination by a parabola to about 0.1 s.

    Returns
    -------
    list of Pass
        In time order; a pass cut by the window's edge is dropped. The naked-eye window of each
        is found on a 1-s grid and its ends refined to 10 ms (see :class:`Pass`).

    Raises
    ------
    ValueError
        For ``days`` or ``min_elevation_deg`` out of range.
    TleRangeError
        Naming the window, if the element sets do not cover it.
    """
    lat_deg, lon_deg = check_place(lat_deg, lon_deg)
    if not 0 < days <= MAX_PASS_DAYS:
        raise ValueError(f"days must be more than 0 and at most {MAX_PASS_DAYS:g}, not {days:g}")
    if not 0.0 <= min_elevation_deg < 90.0:
        raise ValueError(f"the minimum elevation must be from 0 up to (not including) 90 degrees, "
                         f"not {min_elevation_deg:g}")
    t0 = parse_time(start)
    t1 = t0 + np.timedelta64(int(round(days * 86_400e9)), "ns")
    _check_window(elsets, t0, t1, f"the window {iso(t0)} + {days:g} days")
    times = time_range(t0, t1, step_s)

    def elevation(t):
        return look_angles(elsets, lat_deg, lon_deg, t)[0] - min_elevation_deg

    el = elevation(times)
    above = el > 0
    rises = np.flatnonzero(~above[:-1] & above[1:])
    sets = np.flatnonzero(above[:-1] & ~above[1:])
    if rises.size == 0:
        return []
    sets = sets[sets > rises[0]]
    n = min(len(rises), len(sets))
    rises, sets = rises[:n], sets[:n]
    if n == 0:
        return []
    rise_t = secant_zero(elevation, times[rises], times[rises + 1])
    set_t = secant_zero(elevation, times[sets], times[sets + 1])
    peak_i = np.array([r + 1 + int(np.argmax(el[r + 1 : s + 1])) for r, s in zip(rises, sets, strict=True)])
    peak_t = parabola_peak(elevation, times[peak_i], step_s)

    pos = subpoints(elsets, peak_t, check=False).itrs_km
    max_el, _, _ = _look(pos, lat_deg, lon_deg)
    lit = is_sunlit(pos, peak_t)
    sun_el = sun_elevation_deg(lat_deg, lon_deg, peak_t)
    rise_az = look_angles(elsets, lat_deg, lon_deg, rise_t)[1]
    set_az = look_angles(elsets, lat_deg, lon_deg, set_t)[1]
    windows = _visible_windows(elsets, lat_deg, lon_deg, rise_t, set_t, peak_t, max_el)
    return [
        Pass(rise_t[k], peak_t[k], set_t[k], float(max_el[k]), float(rise_az[k]),
             float(set_az[k]), bool(lit[k]), float(sun_el[k]), *windows[k])
        for k in range(n)
    ]


def _seen(elsets: Sets, lat_deg: float, lon_deg: float, times: np.ndarray):
    """Elevation, azimuth and the naked-eye condition at each time."""
    pos = subpoints(elsets, times, check=False).itrs_km
    el, az, _ = _look(pos, lat_deg, lon_deg)
    ok = ((el >= VISIBLE_MIN_ELEVATION_DEG) & is_sunlit(pos, times)
          & (sun_elevation_deg(lat_deg, lon_deg, times) < DARK_SKY_SUN_DEG))
    return el, az, ok


_COARSE = np.timedelta64(1, "s")
_FINE = np.arange(0, 1000, 10) * np.timedelta64(1, "ms")  # 10 ms steps across one coarse step


def _visible_windows(elsets, lat_deg, lon_deg, rise_t, set_t, peak_t, peak_el) -> list[tuple]:
    """Per pass: (start, end, highest elevation, start azimuth, end azimuth) of the longest
    naked-eye stretch, or (NaT, NaT, NaN, NaN, NaN)."""
    grids = [np.append(r + np.arange(int((s - r) // _COARSE) + 1) * _COARSE, s)
             for r, s in zip(rise_t, set_t, strict=True)]
    el, _, ok = _seen(elsets, lat_deg, lon_deg, np.concatenate(grids))
    bounds = np.cumsum([0] + [len(g) for g in grids])
    runs = []
    for k, grid in enumerate(grids):
        flags = ok[bounds[k] : bounds[k + 1]]
        edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
        if edges.size == 0:
            runs.append(None)
            continue
        longest = int(np.argmax(edges[1::2] - edges[::2]))
        i, j = int(edges[2 * longest]), int(edges[2 * longest + 1]) - 1
        runs.append((grid, i, j, float(el[bounds[k] + i : bounds[k] + j + 1].max())))
    # refine each end on a 10 ms grid within the coarse step before a start / after an end
    probes = [(run[0][run[1] - 1] if run[1] > 0 else run[0][0], run[0][run[2]])
              for run in runs if run]
    if not probes:
        return [(np.datetime64("NaT", "ns"), np.datetime64("NaT", "ns"), np.nan, np.nan, np.nan)] * len(runs)
    fine = np.concatenate([np.concatenate([a + _FINE, b + _FINE]) for a, b in probes])
    f_el, f_az, f_ok = (x.reshape(len(probes), 2, len(_FINE)) for x in _seen(elsets, lat_deg, lon_deg, fine))
    out, m = [], 0
    for k, run in enumerate(runs):
        if run is None:
            out.append((np.datetime64("NaT", "ns"), np.datetime64("NaT", "ns"), np.nan, np.nan, np.nan))
            continue
        grid, i, j, best = run
        a = int(np.argmax(f_ok[m, 0])) if f_ok[m, 0].any() else len(_FINE) - 1
        b = len(_FINE) - 1 - int(np.argmax(f_ok[m, 1, ::-1])) if f_ok[m, 1].any() else 0
        start, end = probes[m][0] + _FINE[a], probes[m][1] + _FINE[b]
        end = min(end, set_t[k])
        if start <= peak_t[k] <= end:
            best = max(best, float(peak_el[k]))
        best = max(best, float(f_el[m, 0, a]), float(f_el[m, 1, b]))
        out.append((start, end, best, float(f_az[m, 0, a]), float(f_az[m, 1, b])))
        m += 1
    return out
