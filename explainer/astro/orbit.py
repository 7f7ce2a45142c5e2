"""SGP4 propagation to the ground: sub-satellite points, ground tracks and footprints.

The path, used everywhere in the kit and vectorised over arrays of times (in chunks, so memory
stays bounded and the work stays in the CPU cache):

1. SGP4 (the sgp4 package's C++ ``sgp4_array``) gives position and velocity in the TEME frame
   (Vallado et al. 2006, AIAA 2006-6753).
2. TEME is rotated to the Earth-fixed frame (ITRS, polar motion neglected) by Greenwich mean
   sidereal time at UT1 (:mod:`explainer.astro.frames`).
3. Earth-fixed coordinates become WGS84 geodetic latitude, longitude and height.

This agrees with Skyfield's full chain (TEME -> GCRS with IAU 2000A nutation -> ITRS) to about a
millimetre and with astropy's TEME -> ITRS (with polar motion) to about 10 m (``tests/test_orbit.py``),
and runs close to the speed of SGP4 itself (``benchmarks/ground_track.py``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explainer.astro.frames import _geodetic, earth_angle_rad, rotate_columns
from explainer.astro.timeutil import _NS_PER_DAY, _UNIX_EPOCH_JD, as_times, julian_date, time_range
from explainer.astro.tle import MAX_AGE_DAYS, ElementSet, TleAgeWarning, check_age, select

EARTH_MEAN_RADIUS_KM = 6371.0088
"""IUGG mean Earth radius, used for ground distances and footprints on a spherical Earth."""
CHUNK = 8192
"""Times propagated together: small enough that a chunk's arrays stay in the CPU cache."""


class PropagationError(RuntimeError):
    """SGP4 could not propagate (e.g. the orbit decayed in the model)."""


def teme_states(elset: ElementSet, times) -> tuple[np.ndarray, np.ndarray]:
    """SGP4 state in the TEME frame.

    Parameters
    ----------
    elset : ElementSet
    times : UTC times (see :func:`explainer.astro.timeutil.as_times`).

    Returns
    -------
    r_km, v_km_s : numpy.ndarray, shape (N, 3)
        TEME position (km) and velocity (km/s).

    Raises
    ------
    PropagationError
        If SGP4 reports an error, naming the first time it failed.
    """
    times = as_times(times)
    jd, fr = julian_date(times)
    err, r, v = elset.satrec.sgp4_array(jd, fr)
    _check(err, times, elset)
    return r, v


def _check(err: np.ndarray, times: np.ndarray, elset: ElementSet) -> None:
    if err.any():
        bad = int(np.flatnonzero(err)[0])
        raise PropagationError(
            f"SGP4 failed (error code {int(err[bad])}) at {times[bad]} for {elset!r}"
        )


@dataclass(frozen=True)
class Subpoints:
    """Where the satellite is over the Earth at each time (arrays of equal length N).

    Attributes
    ----------
    time : numpy.ndarray of datetime64[ns]
        UTC.
    lat_deg, lon_deg : numpy.ndarray
        WGS84 geodetic latitude and longitude (deg; longitude in [-180, 180)).
    alt_km : numpy.ndarray
        Height above the WGS84 ellipsoid (km).
    ground_speed_km_s : numpy.ndarray
        Speed of the sub-satellite point over the rotating Earth (km/s, at the ground).
    orbital_speed_km_s : numpy.ndarray
        Inertial speed (TEME, km/s).
    itrs_km : numpy.ndarray, shape (N, 3)
        Earth-fixed position (ITRS, polar motion neglected; km).
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


def subpoints(elsets: ElementSet | Sequence[ElementSet], times, *, check: bool = True) -> Subpoints:
    """Sub-satellite points, altitudes and speeds at UTC ``times`` (vectorised, in chunks).

    Parameters
    ----------
    elsets : ElementSet or sequence of ElementSet
        One set, or several: then each time uses the set whose epoch is nearest it
        (:func:`explainer.astro.tle.select`), so a long window is served by the sets covering it.
    times : UTC times (see :func:`explainer.astro.timeutil.as_times`); may be empty.
    check : bool
        Refuse times too far from the epoch(s) (:func:`explainer.astro.tle.check_age`) and warn
        a few days away. With ``check=False`` nothing is refused.

    Returns
    -------
    Subpoints

    Raises
    ------
    TleRangeError, TimeError, PropagationError
    """
    times = as_times(times)
    n = len(times)
    out = Subpoints(times, np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n),
                    np.empty((n, 3)))
    if isinstance(elsets, ElementSet):
        if check:
            check_age(elsets, times)
        _fill(elsets, times, out)
        return out
    sets = list(elsets)
    with warnings.catch_warnings():
        if not check:
            warnings.simplefilter("ignore", TleAgeWarning)
        which = select(sets, times, max_days=MAX_AGE_DAYS if check else np.inf)
    for k in np.unique(which):
        rows = np.flatnonzero(which == k)
        part = subpoints(sets[k], times[rows], check=False)
        for name in ("lat_deg", "lon_deg", "alt_km", "ground_speed_km_s", "orbital_speed_km_s",
                     "itrs_km"):
            getattr(out, name)[rows] = getattr(part, name)
    return out


def _fill(elset: ElementSet, times: np.ndarray, out: Subpoints) -> None:
    """Compute every field of ``out`` chunk by chunk: SGP4, the TEME -> ITRS rotation of
    :mod:`explainer.astro.frames` (on columns, to avoid copies), the geodetic conversion and
    the speeds."""
    ns = times.view(np.int64)
    satrec = elset.satrec
    for a in range(0, len(times), CHUNK):
        b = min(a + CHUNK, len(times))
        day, rem = np.divmod(ns[a:b], _NS_PER_DAY)
        fr = rem / _NS_PER_DAY
        jd = day + _UNIX_EPOCH_JD
        err, r, v = satrec.sgp4_array(jd, fr)
        _check(err, times[a:b], elset)
        x0, y0, z, vx0, vy0, vz = r[:, 0], r[:, 1], r[:, 2], v[:, 0], v[:, 1], v[:, 2]
        vz2 = vz * vz
        np.sqrt(vx0 * vx0 + vy0 * vy0 + vz2, out=out.orbital_speed_km_s[a:b])
        theta = earth_angle_rad(day, fr)
        x, y, vx, vy = rotate_columns(np.cos(theta), np.sin(theta), x0, y0, vx0, vy0)
        pos = out.itrs_km[a:b]
        pos[:, 0], pos[:, 1], pos[:, 2] = x, y, z
        alt = out.alt_km[a:b]
        _geodetic(x, y, z, out.lat_deg[a:b], out.lon_deg[a:b], alt)
        # ground speed: the horizontal Earth-relative speed scaled down to the ground
        r2 = x * x + y * y + z * z
        rv = x * vx + y * vy + z * vz
        horizontal2 = np.maximum(vx * vx + vy * vy + vz2 - rv * rv / r2, 0.0)
        rr = np.sqrt(r2)
        np.multiply(np.sqrt(horizontal2), (rr - alt) / rr, out=out.ground_speed_km_s[a:b])


def ground_track(elsets: ElementSet | Sequence[ElementSet], start, end,
                 step_s: float = 30.0) -> Subpoints:
    """Sub-satellite points from ``start`` to ``end`` (UTC) every ``step_s`` seconds.

    See :func:`subpoints` (same sets, checks and result); ``end`` is included if on a step.
    """
    return subpoints(elsets, time_range(start, end, step_s))


def wrap_lon(lon_deg, center_lon: float = 0.0) -> np.ndarray:
    """Longitudes (deg) wrapped into [center_lon - 180, center_lon + 180)."""
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
    ``min_elevation_deg``, on a spherical Earth of mean radius: arccos(R cos e / (R + h)) - e.

    Raises ``ValueError`` for a negative or non-finite altitude (km) or an elevation outside
    0-90 deg.
    """
    alt = np.asarray(alt_km, float)
    if not np.all(np.isfinite(alt) & (alt >= 0)):
        bad = alt[~(np.isfinite(alt) & (alt >= 0))].ravel()[0]
        raise ValueError(f"a footprint needs an altitude of 0 km or more, not {bad:g} km")
    if not 0.0 <= min_elevation_deg <= 90.0:
        raise ValueError(f"the minimum elevation must be between 0 and 90 degrees, not "
                         f"{min_elevation_deg:g}")
    e = np.radians(min_elevation_deg)
    ratio = EARTH_MEAN_RADIUS_KM / (EARTH_MEAN_RADIUS_KM + alt)
    return np.degrees(np.arccos(ratio * np.cos(e)) - e)


def destination(lat_deg, lon_deg, bearing_deg, distance_deg):
    """The point reached from a start along a great circle (spherical Earth).

    Parameters
    ----------
    lat_deg, lon_deg : array_like
        Start (deg).
    bearing_deg : array_like
        Initial bearing (deg clockwise from north).
    distance_deg : array_like
        Angular distance (deg, Earth-centred).

    Returns
    -------
    lat_deg, lon_deg : numpy.ndarray
        Destination (deg; longitude in [-180, 180)).
    """
    lat1, lon1 = np.radians(lat_deg), np.radians(lon_deg)
    b, d = np.radians(bearing_deg), np.radians(distance_deg)
    lat2 = np.arcsin(np.sin(lat1) * np.cos(d) + np.cos(lat1) * np.sin(d) * np.cos(b))
    lon2 = lon1 + np.arctan2(
        np.sin(b) * np.sin(d) * np.cos(lat1), np.cos(d) - np.sin(lat1) * np.sin(lat2)
    )
    return np.degrees(lat2), wrap_lon(np.degrees(lon2))


def angular_distance_deg(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle angle (deg, Earth-centred) between points given in degrees (haversine,
    stable at small angles)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return np.degrees(2 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def ground_distance_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance (km) between points given in degrees, on a sphere of the IUGG
    mean Earth radius (:data:`EARTH_MEAN_RADIUS_KM`)."""
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
    """Distance (km) between the Earth-fixed positions two element sets give at the same UTC
    times (no age check): a measure of how uncertain a prediction is."""
    pa = subpoints(a, times, check=False).itrs_km
    pb = subpoints(b, times, check=False).itrs_km
    return np.linalg.norm(pa - pb, axis=1)
