"""The satellite seen from a place on the ground: look angles, closest approach and passes.

Places are WGS84 geodetic latitude/longitude in degrees (north and east positive) at sea level.
Elevation is the angle above the geometric horizon (no refraction); azimuth is measured from
true north through east, in degrees [0, 360).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from explainer.astro.orbit import geodetic_to_itrs, ground_distance_km, itrs_states, subpoints
from explainer.astro.sun import is_sunlit, sun_elevation_deg
from explainer.astro.timeutil import iso, parse_time, time_range
from explainer.astro.tle import ElementSet, check_age

DARK_SKY_SUN_DEG = -6.0
"""The sky counts as dark for naked-eye satellite spotting when the Sun is below -6 deg (civil
twilight has ended), as NASA's Spot the Station and N2YO use."""
VISIBLE_MIN_ELEVATION_DEG = 10.0


class PlaceError(ValueError):
    """A latitude/longitude that is not a place on Earth."""


def parse_place(text: str) -> tuple[float, float]:
    """``"41.39,2.17"`` -> (41.39, 2.17); clear errors for anything else."""
    parts = text.replace(" ", "").split(",")
    if len(parts) != 2:
        raise PlaceError(f"cannot read {text!r} as LAT,LON (for example 41.39,2.17)")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise PlaceError(f"cannot read {text!r} as LAT,LON numbers (for example 41.39,2.17)") from None
    return check_place(lat, lon)


def check_place(lat: float, lon: float) -> tuple[float, float]:
    if not np.isfinite(lat) or not -90.0 <= lat <= 90.0:
        raise PlaceError(f"latitude {lat} is out of range: it must be between -90 and 90 degrees")
    if not np.isfinite(lon) or not -180.0 <= lon <= 360.0:
        raise PlaceError(f"longitude {lon} is out of range: it must be between -180 and 180 degrees")
    return float(lat), float(((lon + 180.0) % 360.0) - 180.0)


def look_angles(elset: ElementSet, lat_deg: float, lon_deg: float, times):
    """Elevation (deg), azimuth (deg) and range (km) of the satellite from a place, per UTC time."""
    pos, _ = itrs_states(elset, times)
    return _look(pos, lat_deg, lon_deg)


def _look(pos: np.ndarray, lat_deg: float, lon_deg: float):
    place = geodetic_to_itrs(lat_deg, lon_deg, 0.0)
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.array([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    d = pos - place
    rng = np.linalg.norm(d, axis=1)
    el = np.degrees(np.arcsin(np.clip((d @ up) / rng, -1.0, 1.0)))
    az = np.mod(np.degrees(np.arctan2(d @ east, d @ north)), 360.0)
    return el, az, rng


@dataclass(frozen=True)
class Closest:
    """Closest approach of the sub-satellite point to a place (ground distance, spherical Earth)."""

    time_utc: str
    distance_km: float
    elevation_deg: float
    azimuth_deg: float

    def as_dict(self) -> dict:
        return asdict(self)


def closest_approach(elset: ElementSet, lat_deg: float, lon_deg: float, start, end,
                     step_s: float = 1.0) -> Closest:
    """When, in a UTC window, the satellite's ground point came nearest a place.

    Sampled every ``step_s`` seconds, then refined by a parabola through the three samples
    around the minimum (precise to a few milliseconds).
    """
    lat_deg, lon_deg = check_place(lat_deg, lon_deg)
    times = time_range(start, end, step_s)
    check_age(elset, times[[0, -1]])
    sp = subpoints(elset, times, check=False)
    dist = ground_distance_km(sp.lat_deg, sp.lon_deg, lat_deg, lon_deg)
    i = int(np.argmin(dist))
    best = times[i]
    if 0 < i < len(times) - 1:
        d0, d1, d2 = dist[i - 1 : i + 2]
        denom = d0 - 2 * d1 + d2
        if denom > 0:
            shift = 0.5 * (d0 - d2) / denom * step_s
            best = times[i] + np.timedelta64(int(round(shift * 1e9)), "ns")
    fine = subpoints(elset, np.array([best]), check=False)
    el, az, _ = _look(fine.itrs_km, lat_deg, lon_deg)
    d = ground_distance_km(fine.lat_deg, fine.lon_deg, lat_deg, lon_deg)
    return Closest(iso(best), round(float(d[0]), 3), round(float(el[0]), 3), round(float(az[0]), 3))


@dataclass(frozen=True)
class Pass:
    """One pass of the satellite above a place's horizon (or above ``min_elevation_deg``)."""

    rise_utc: str
    culmination_utc: str
    set_utc: str
    max_elevation_deg: float
    rise_azimuth_deg: float
    set_azimuth_deg: float
    duration_s: float
    sunlit: bool
    sun_elevation_deg: float
    visible: bool

    def as_dict(self) -> dict:
        return asdict(self)


def passes(elset: ElementSet, lat_deg: float, lon_deg: float, start, days: float = 1.0,
           min_elevation_deg: float = 0.0, step_s: float = 20.0) -> list[Pass]:
    """Passes over a place from ``start`` for ``days`` days (UTC).

    Elevations are sampled every ``step_s`` s (an ISS pass lasts minutes), then rise and set are
    refined by the secant method and culmination by a parabola to about 0.1 s. ``visible`` means
    visible to the naked eye: the satellite is sunlit at culmination, the Sun is below -6 deg at the
    place, and the pass peaks at least 10 deg high. A pass cut by the window's edge is dropped.
    """
    lat_deg, lon_deg = check_place(lat_deg, lon_deg)
    if not 0 < days <= 30:
        raise ValueError(f"days must be between 0 and 30, not {days}")
    t0 = parse_time(start)
    times = time_range(t0, t0 + np.timedelta64(int(days * 86_400), "s"), step_s)
    check_age(elset, times[[0, -1]])

    def elevation(t):
        return look_angles(elset, lat_deg, lon_deg, t)[0] - min_elevation_deg

    el = elevation(times)
    above = el > 0
    rises = np.flatnonzero(~above[:-1] & above[1:])
    sets = np.flatnonzero(above[:-1] & ~above[1:])
    if rises.size == 0:
        return []
    sets = sets[sets > rises[0]]
    n = min(len(rises), len(sets))
    rises, sets = rises[:n], sets[:n]
    rise_t = _secant(elevation, times[rises], times[rises + 1])
    set_t = _secant(elevation, times[sets], times[sets + 1])
    peak_i = np.array([r + 1 + int(np.argmax(el[r + 1 : s + 1])) for r, s in zip(rises, sets, strict=True)])
    peak_t = _parabola_peak(elevation, times[peak_i], step_s)

    pos, _ = itrs_states(elset, peak_t)
    max_el, _, _ = _look(pos, lat_deg, lon_deg)
    lit = is_sunlit(pos, peak_t)
    sun_el = sun_elevation_deg(lat_deg, lon_deg, peak_t)
    rise_az = look_angles(elset, lat_deg, lon_deg, rise_t)[1]
    set_az = look_angles(elset, lat_deg, lon_deg, set_t)[1]
    out = []
    for k in range(n):
        visible = bool(lit[k] and sun_el[k] < DARK_SKY_SUN_DEG
                       and max_el[k] >= VISIBLE_MIN_ELEVATION_DEG)
        out.append(Pass(
            iso(rise_t[k]), iso(peak_t[k]), iso(set_t[k]),
            round(float(max_el[k]), 2), round(float(rise_az[k]), 1), round(float(set_az[k]), 1),
            round(float((set_t[k] - rise_t[k]) / np.timedelta64(1, "ms")) / 1000, 1),
            bool(lit[k]), round(float(sun_el[k]), 2), visible,
        ))
    return out


def _secant(f, a: np.ndarray, b: np.ndarray, rounds: int = 4) -> np.ndarray:
    """Zero of f between times a and b (arrays), by the secant method, vectorised."""
    fa, fb = f(a), f(b)
    for _ in range(rounds):
        span = (b - a) / np.timedelta64(1, "ns")
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(fb != fa, fa / (fa - fb), 0.5)
        c = a + (np.clip(frac, 0, 1) * span).astype("int64").astype("timedelta64[ns]")
        fc = f(c)
        left = np.sign(fc) == np.sign(fa)
        a, fa = np.where(left, c, a), np.where(left, fc, fa)
        b, fb = np.where(left, b, c), np.where(left, fb, fc)
    return np.where(np.abs(fa) < np.abs(fb), a, b)


def _parabola_peak(f, t: np.ndarray, step_s: float) -> np.ndarray:
    """Refine maxima of f near times t: two rounds of a three-point parabola."""
    h = step_s / 2
    for _ in range(3):
        dt = np.timedelta64(int(h * 1e9), "ns")
        y0, y1, y2 = f(t - dt), f(t), f(t + dt)
        denom = y0 - 2 * y1 + y2
        with np.errstate(divide="ignore", invalid="ignore"):
            shift = np.where(denom < 0, 0.5 * (y0 - y2) / denom * h, 0.0)
        t = t + (np.clip(shift, -h, h) * 1e9).astype("int64").astype("timedelta64[ns]")
        h /= 8
    return t


