"""SGP4 propagation to the ground: sub-satellite points, ground tracks and footprints.

The fast path, used everywhere in the kit, is vectorised over arrays of times:

1. SGP4 (the sgp4 package's C++ ``sgp4_array``) gives position and velocity in the TEME frame.
2. TEME is rotated to the Earth-fixed frame by Greenwich mean sidereal time (IAU 1982, the angle
   SGP4's TEME is defined against) at UT1; polar motion (< 15 m) is neglected.
3. Earth-fixed (ITRS) coordinates become WGS84 geodetic latitude, longitude and height.

This agrees with Skyfield's full-precision chain (TEME -> GCRS with IAU 2000A nutation -> ITRS)
to well under 100 m (see ``tests/test_orbit.py`` and ``benchmarks/ground_track.py``) and runs
two orders of magnitude faster, because it needs no nutation series.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from explainer.astro.skyfield_data import timescale
from explainer.astro.timeutil import as_times, julian_date, time_range
from explainer.astro.tle import ElementSet, check_age

WGS84_A_KM = 6378.137
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
EARTH_MEAN_RADIUS_KM = 6371.0088
"""IUGG mean Earth radius, used for ground distances and footprints on a spherical Earth."""
EARTH_ROTATION_RAD_S = 7.292115146706979e-5


class PropagationError(RuntimeError):
    """SGP4 could not propagate (e.g. the orbit decayed in the model)."""


@cache
def _dut1_table() -> tuple[np.ndarray, np.ndarray]:
    """UT1-UTC (s) at daily nodes 2000-2035 from Skyfield's built-in tables, as (jd_utc, dut1)."""
    ts = timescale()
    days = np.arange(0, 365.25 * 35, 1.0)
    t = ts.utc(2000, 1, 1 + days)
    return t.utc_jd if hasattr(t, "utc_jd") else 2451544.5 + days, np.asarray(t.dut1)


def dut1_seconds(jd_utc: np.ndarray) -> np.ndarray:
    """UT1-UTC in seconds, interpolated from Skyfield's built-in IERS data (no download)."""
    nodes, values = _dut1_table()
    return np.interp(jd_utc, nodes, values)


def gmst82_rad(jd_ut1: np.ndarray, fraction: np.ndarray) -> np.ndarray:
    """Greenwich mean sidereal time (IAU 1982 formula used with SGP4's TEME), radians in [0, 2pi)."""
    t = (jd_ut1 - 2451545.0 + fraction) / 36525.0
    seconds = (
        67310.54841
        + (876600.0 * 3600 + 8640184.812866) * t
        + 0.093104 * t**2
        - 6.2e-6 * t**3
    )
    return np.mod(np.radians(seconds / 240.0), 2 * np.pi)


def teme_states(elset: ElementSet, times) -> tuple[np.ndarray, np.ndarray]:
    """SGP4 position (km) and velocity (km/s) in TEME at UTC ``times``; arrays of shape (N, 3)."""
    jd, fr = julian_date(times)
    err, r, v = elset.satrec.sgp4_array(jd, fr)
    if np.any(err):
        bad = int(np.flatnonzero(err)[0])
        raise PropagationError(
            f"SGP4 failed (error code {int(err[bad])}) at {as_times(times)[bad]} for {elset!r}"
        )
    return r, v


def itrs_states(elset: ElementSet, times) -> tuple[np.ndarray, np.ndarray]:
    """Earth-fixed (ITRS, polar motion neglected) position (km) and velocity (km/s), shape (N, 3)."""
    return teme_to_itrs(*teme_states(elset, times), times)


def teme_to_itrs(r: np.ndarray, v: np.ndarray, times) -> tuple[np.ndarray, np.ndarray]:
    """Rotate TEME position (km) and velocity (km/s) into the Earth-fixed frame at UTC ``times``."""
    jd, fr = julian_date(times)
    theta = gmst82_rad(jd, fr + dut1_seconds(jd + fr) / 86_400.0)
    c, s = np.cos(theta), np.sin(theta)
    x = c * r[:, 0] + s * r[:, 1]
    y = -s * r[:, 0] + c * r[:, 1]
    pos = np.column_stack([x, y, r[:, 2]])
    vx = c * v[:, 0] + s * v[:, 1] + EARTH_ROTATION_RAD_S * y
    vy = -s * v[:, 0] + c * v[:, 1] - EARTH_ROTATION_RAD_S * x
    vel = np.column_stack([vx, vy, v[:, 2]])
    return pos, vel


def geodetic(xyz_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 geodetic latitude (deg), longitude (deg, [-180, 180)) and height (km) of ITRS points.

    Bowring's iteration; three rounds are exact to well under a millimetre at LEO heights.
    """
    x, y, z = xyz_km[:, 0], xyz_km[:, 1], xyz_km[:, 2]
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1 - WGS84_E2))
    for _ in range(3):
        sin_lat = np.sin(lat)
        n = WGS84_A_KM / np.sqrt(1 - WGS84_E2 * sin_lat**2)
        h = p / np.cos(lat) - n
        lat = np.arctan2(z, p * (1 - WGS84_E2 * n / (n + h)))
    sin_lat = np.sin(lat)
    n = WGS84_A_KM / np.sqrt(1 - WGS84_E2 * sin_lat**2)
    h = p * np.cos(lat) + z * sin_lat - n * (1 - WGS84_E2 * sin_lat**2)
    lon = np.degrees(np.arctan2(y, x))
    lon = np.where(lon >= 180.0, lon - 360.0, lon)
    return np.degrees(lat), lon, h


def geodetic_to_itrs(lat_deg, lon_deg, height_km=0.0) -> np.ndarray:
    """ITRS position (km) of WGS84 geodetic coordinates; shape (..., 3)."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    n = WGS84_A_KM / np.sqrt(1 - WGS84_E2 * np.sin(lat) ** 2)
    return np.stack(
        [
            (n + height_km) * np.cos(lat) * np.cos(lon),
            (n + height_km) * np.cos(lat) * np.sin(lon),
            (n * (1 - WGS84_E2) + height_km) * np.sin(lat),
        ],
        axis=-1,
    )


@dataclass(frozen=True)
class Subpoints:
    """Where the satellite is over the Earth at each time (arrays of equal length).

    ``lat_deg``/``lon_deg`` are WGS84 geodetic (longitude in [-180, 180)), ``alt_km`` the height
    above the ellipsoid, ``ground_speed_km_s`` the speed of the sub-satellite point over the
    rotating Earth, ``orbital_speed_km_s`` the inertial speed, ``itrs_km`` the Earth-fixed position.
    """

    time: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    alt_km: np.ndarray
    ground_speed_km_s: np.ndarray
    orbital_speed_km_s: np.ndarray
    itrs_km: np.ndarray

    def __len__(self) -> int:
        return len(self.time)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "time_utc": self.time,
                "lat_deg": self.lat_deg,
                "lon_deg": self.lon_deg,
                "alt_km": self.alt_km,
                "ground_speed_km_s": self.ground_speed_km_s,
                "orbital_speed_km_s": self.orbital_speed_km_s,
            }
        )


def subpoints(elset: ElementSet, times, *, check: bool = True) -> Subpoints:
    """Sub-satellite points, altitudes and speeds at UTC ``times`` (vectorised; no loop over times).

    ``check`` refuses times too far from the element set's epoch (see :func:`explainer.astro.tle.check_age`).
    """
    times = as_times(times)
    if check:
        check_age(elset, times)
    r_teme, v_teme = teme_states(elset, times)
    pos, vel = teme_to_itrs(r_teme, v_teme, times)
    lat, lon, alt = geodetic(pos)
    r = np.linalg.norm(pos, axis=1)
    radial = (vel * pos).sum(axis=1) / r
    horizontal = np.sqrt(np.maximum((vel**2).sum(axis=1) - radial**2, 0.0))
    ground_speed = horizontal * (r - alt) / r
    return Subpoints(
        times, lat, lon, alt, ground_speed, np.linalg.norm(v_teme, axis=1), pos
    )


def ground_track(elset: ElementSet, start, end, step_s: float = 30.0) -> Subpoints:
    """Sub-satellite points from ``start`` to ``end`` (UTC) every ``step_s`` seconds."""
    return subpoints(elset, time_range(start, end, step_s))


def wrap_lon(lon_deg, center_lon: float = 0.0) -> np.ndarray:
    """Longitudes wrapped into [center-180, center+180)."""
    return np.mod(np.asarray(lon_deg, float) - center_lon + 180.0, 360.0) - 180.0 + center_lon


def split_track(lon_deg, lat_deg, center_lon: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Break a lon/lat line where it crosses the edge of a map centred on ``center_lon``.

    Returns new lon/lat arrays: longitudes wrapped into [center-180, center+180], NaN separating the
    pieces, and at each crossing an interpolated point on the edge at both sides, so no segment
    spans the map and the line reaches the edge. Steps between points must be < 180 degrees.
    """
    lon = np.unwrap(np.asarray(lon_deg, float), period=360.0)
    lat = np.asarray(lat_deg, float)
    if lon.size == 0:
        return lon, lat
    k = np.floor((lon - center_lon + 180.0) / 360.0)  # which copy of the map each point is on
    out_lon, out_lat = [], []
    start = 0
    for i in np.flatnonzero(np.diff(k)) + 1:
        edge = center_lon - 180.0 + 360.0 * max(k[i - 1], k[i])  # the edge crossed, unwrapped
        f = (edge - lon[i - 1]) / (lon[i] - lon[i - 1])
        lat_edge = lat[i - 1] + f * (lat[i] - lat[i - 1])
        side = 1.0 if k[i] > k[i - 1] else -1.0
        out_lon += [lon[start:i] - 360.0 * k[start:i], [center_lon + 180.0 * side, np.nan]]
        out_lat += [lat[start:i], [lat_edge, np.nan]]
        out_lon.append([center_lon - 180.0 * side])
        out_lat.append([lat_edge])
        start = i
    out_lon.append(lon[start:] - 360.0 * k[start:])
    out_lat.append(lat[start:])
    return np.concatenate(out_lon), np.concatenate(out_lat)


def footprint_radius_deg(alt_km, min_elevation_deg: float = 0.0) -> np.ndarray:
    """Angular radius (deg, Earth-centred) of the ground area that sees the satellite above
    ``min_elevation_deg``, on a spherical Earth of mean radius: arccos(R cos e / (R + h)) - e."""
    e = np.radians(min_elevation_deg)
    ratio = EARTH_MEAN_RADIUS_KM / (EARTH_MEAN_RADIUS_KM + np.asarray(alt_km, float))
    return np.degrees(np.arccos(ratio * np.cos(e)) - e)


def destination(lat_deg, lon_deg, bearing_deg, distance_deg):
    """Point at great-circle angular ``distance_deg`` from a start along ``bearing_deg`` (sphere)."""
    lat1, lon1 = np.radians(lat_deg), np.radians(lon_deg)
    b, d = np.radians(bearing_deg), np.radians(distance_deg)
    lat2 = np.arcsin(np.sin(lat1) * np.cos(d) + np.cos(lat1) * np.sin(d) * np.cos(b))
    lon2 = lon1 + np.arctan2(
        np.sin(b) * np.sin(d) * np.cos(lat1), np.cos(d) - np.sin(lat1) * np.sin(lat2)
    )
    return np.degrees(lat2), wrap_lon(np.degrees(lon2))


def angular_distance_deg(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle angle (deg) between points on a sphere (haversine, stable at small angles)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return np.degrees(2 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def ground_distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance (km) on a sphere of the mean Earth radius."""
    return np.radians(angular_distance_deg(lat1, lon1, lat2, lon2)) * EARTH_MEAN_RADIUS_KM


def circle(lat_deg: float, lon_deg: float, radius_deg: float, n: int = 181):
    """A closed ring of ``n`` points at ``radius_deg`` around a centre; returns (lon, lat) in
    degrees. If the circle encloses a pole, the ring is sorted by longitude and closed through
    that pole, so it fills correctly on a map."""
    bearings = np.linspace(0.0, 360.0, n)
    lat, lon = destination(lat_deg, lon_deg, bearings, radius_deg)
    pole = _enclosed_pole(lat_deg, radius_deg)
    if pole:
        order = np.argsort(lon[:-1])
        lon, lat = lon[:-1][order], lat[:-1][order]
        lon = np.concatenate([[-180.0], lon, [180.0, 180.0, -180.0, -180.0]])
        edge_lat = np.interp(180.0, lon[1:-4], lat, period=360)
        lat = np.concatenate([[edge_lat], lat, [edge_lat, pole, pole, edge_lat]])
    return lon, lat


def _enclosed_pole(lat_deg: float, radius_deg: float) -> float:
    if lat_deg + radius_deg > 90.0:
        return 90.0
    if lat_deg - radius_deg < -90.0:
        return -90.0
    return 0.0


def footprint(lat_deg: float, lon_deg: float, alt_km: float, min_elevation_deg: float = 0.0,
              n: int = 181):
    """Outline (lon, lat in degrees) of the ground area seeing the satellite above an elevation.

    Spherical-Earth geometry (mean radius); correct near the poles (closed through a pole it
    encloses). Pass the result through :func:`split_track` to draw it on a flat map.
    """
    return circle(lat_deg, lon_deg, float(footprint_radius_deg(alt_km, min_elevation_deg)), n)


def separation_km(a: ElementSet, b: ElementSet, times) -> np.ndarray:
    """Distance (km) between the positions two element sets give for the same UTC times."""
    pa, _ = itrs_states(a, times)
    pb, _ = itrs_states(b, times)
    return np.linalg.norm(pa - pb, axis=1)
