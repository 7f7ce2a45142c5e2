"""Frames and time scales: UT1, Greenwich sidereal time, TEME to ITRS, and WGS84 geodetic.

The one path from SGP4's output to the ground, used everywhere in the kit:

1. UT1 from UTC with Skyfield's built-in IERS table (no download), interpolated leap-second aware
   (:func:`dut1_seconds`).
2. TEME to the pseudo Earth-fixed frame by Greenwich mean sidereal time, IAU 1982 (the angle TEME
   is defined against), then optionally polar motion to ITRS, as in Vallado et al. (2006),
   "Revisiting Spacetrack Report #3", AIAA 2006-6753, Appendix C (:func:`teme_to_itrs_ut1`).
   The kit's default neglects polar motion (under 15 m; Skyfield's built-in tables have none).
3. ITRS Cartesian to WGS84 geodetic latitude, longitude and height (:func:`geodetic`).

References
----------
Vallado, D. A., Crawford, P., Hujsak, R., Kelso, T. S. (2006). Revisiting Spacetrack Report #3.
AIAA/AAS Astrodynamics Specialist Conference, AIAA 2006-6753.
Bowring, B. R. (1976). Transformation from spatial to geographical coordinates. Survey Review
23 (181), 323-327.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from explainer.astro.skyfield_data import timescale
from explainer.astro.timeutil import _UNIX_EPOCH_JD, julian_date

WGS84_A_KM = 6378.137
"""WGS84 equatorial radius (km)."""
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
WGS84_B_KM = WGS84_A_KM * (1 - WGS84_F)
_EP2 = WGS84_E2 / (1 - WGS84_E2)  # second eccentricity squared
EARTH_ROTATION_RAD_S = 7.292115146706979e-5
"""Earth's rotation rate (rad/s) used with TEME, as in AIAA 2006-6753 Appendix C."""

_J2000 = 2451545.0
_TABLE_START_JD = 2437665.5  # 1962-01-01 UTC
_TABLE_DAYS = 50_000  # to 2098
_TABLE_DAY0 = int(_TABLE_START_JD - _UNIX_EPOCH_JD)  # the table's first day, in days since 1970


@cache
def _ut1_table() -> tuple[np.ndarray, np.ndarray]:
    """Daily nodes from 1962: TT-UTC (s, constant through each UTC day) and Delta T = TT-UT1 (s).

    Delta T is smooth, so it is interpolated; TT-UTC jumps at leap seconds, exactly at a node.
    """
    ts = timescale()
    t = ts.utc(1962, 1, 1 + np.arange(_TABLE_DAYS + 1))
    jd_nodes = _TABLE_START_JD + np.arange(_TABLE_DAYS + 1)
    step = np.searchsorted(ts.leap_dates, jd_nodes, side="right") - 1
    tai_minus_utc = ts.leap_offsets[np.clip(step, 0, None)]
    return tai_minus_utc + 32.184, np.asarray(t.delta_t, float)


def _dut1_days(day: np.ndarray, fraction: np.ndarray) -> np.ndarray:
    """UT1-UTC (s) for UTC day numbers since the table start and day fractions."""
    tt_minus_utc, delta_t = _ut1_table()
    i = np.clip(day, 0, _TABLE_DAYS - 1).astype(np.intp)
    d0 = delta_t[i]
    return tt_minus_utc[i] - (d0 + fraction * (delta_t[i + 1] - d0))


def dut1_seconds(times) -> np.ndarray:
    """UT1-UTC (s) at UTC ``times``, from Skyfield's built-in IERS table (no download).

    Delta T = TT - UT1, which is smooth, is interpolated linearly between daily nodes, and
    UT1 - UTC = (TAI - UTC) + 32.184 s - Delta T with the leap-second count of each UTC day; so
    the 1 s step of a leap second is never smeared over the day before it. Outside 1962-2098
    the nearest day's value is used.

    Parameters
    ----------
    times : datetime64 array or times readable by :func:`explainer.astro.timeutil.as_times`
        UTC.

    Returns
    -------
    numpy.ndarray
        UT1 - UTC in seconds, float64, same length as ``times``.
    """
    jd, fr = julian_date(times)
    return _dut1_days(jd - _TABLE_START_JD, fr)


def gmst82_rad(jd_ut1, fraction_ut1) -> np.ndarray:
    """Greenwich mean sidereal time, IAU 1982, in radians [0, 2 pi).

    The angle between SGP4's TEME frame and the pseudo Earth-fixed frame, from the formula of
    AIAA 2006-6753 Appendix C (``gstime``); the same as Skyfield's ``theta_GMST1982`` (tested).

    Parameters
    ----------
    jd_ut1, fraction_ut1 : array_like
        UT1 as a split Julian date (the sum is the date; the split keeps precision).
    """
    return np.mod(_gmst_unreduced(np.asarray(jd_ut1, float), np.asarray(fraction_ut1, float)),
                  2 * np.pi)


def _gmst_unreduced(jd_ut1: np.ndarray, fraction_ut1: np.ndarray,
                    jd_fraction: float | None = None) -> np.ndarray:
    """GMST82 in radians, not reduced to [0, 2 pi) (cos and sin reduce exactly).

    ``jd_fraction`` is ``jd_ut1 % 1`` when the caller knows it (0.5 for midnight dates)."""
    t = (jd_ut1 - _J2000 + fraction_ut1) / 36525.0
    g = 67310.54841 + (8640184.812866 + (0.093104 - 6.2e-6 * t) * t) * t
    whole = np.mod(jd_ut1, 1.0) if jd_fraction is None else jd_fraction
    return (whole + fraction_ut1 + g * (1 / 86400.0)) * (2 * np.pi)


def teme_to_itrs_ut1(r_km, v_km_s, jd_ut1, fraction_ut1, xp_rad: float = 0.0,
                     yp_rad: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Rotate TEME states to the Earth-fixed frame at given UT1, as AIAA 2006-6753 Appendix C.

    Parameters
    ----------
    r_km, v_km_s : numpy.ndarray, shape (N, 3)
        TEME position (km) and velocity (km/s), as SGP4 gives them.
    jd_ut1, fraction_ut1 : array_like, shape (N,)
        UT1 as a split Julian date.
    xp_rad, yp_rad : float
        Polar motion (radians). The default 0 gives the pseudo Earth-fixed frame, which is ITRS
        with polar motion neglected (< 15 m at the ISS).

    Returns
    -------
    position, velocity : numpy.ndarray, shape (N, 3)
        Earth-fixed position (km) and velocity relative to the rotating Earth (km/s).
    """
    r = np.atleast_2d(np.asarray(r_km, float))
    v = np.atleast_2d(np.asarray(v_km_s, float))
    theta = _gmst_unreduced(np.broadcast_to(np.asarray(jd_ut1, float), r.shape[:1]),
                            np.broadcast_to(np.asarray(fraction_ut1, float), r.shape[:1]))
    pos, vel = _rotate(r, v, theta)
    if xp_rad or yp_rad:
        pos, vel = _polar_motion(pos, xp_rad, yp_rad), _polar_motion(vel, xp_rad, yp_rad)
    return pos, vel


def _rotate(r: np.ndarray, v: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TEME -> pseudo Earth-fixed by the angle ``theta`` (rad), with the Earth's rotation taken
    out of the velocity; (N, 3) arrays in and out."""
    pos, vel = np.empty_like(r), np.empty_like(v)
    pos[:, 2], vel[:, 2] = r[:, 2], v[:, 2]
    pos[:, 0], pos[:, 1], vel[:, 0], vel[:, 1] = rotate_columns(
        np.cos(theta), np.sin(theta), r[:, 0], r[:, 1], v[:, 0], v[:, 1])
    return pos, vel


def rotate_columns(c, s, x, y, vx, vy):
    """The TEME -> pseudo Earth-fixed rotation on columns: the one implementation, used by
    :func:`teme_to_itrs_ut1` and by :func:`explainer.astro.orbit.subpoints`.

    ``c``, ``s`` are cos and sin of GMST; returns the Earth-fixed x, y (km) and vx, vy (km/s,
    relative to the rotating Earth: minus omega x r with :data:`EARTH_ROTATION_RAD_S`).
    """
    xe, ye = c * x + s * y, c * y - s * x
    return (xe, ye, c * vx + s * vy + EARTH_ROTATION_RAD_S * ye,
            c * vy - s * vx - EARTH_ROTATION_RAD_S * xe)


def earth_angle_rad(day, fraction) -> np.ndarray:
    """GMST 1982 at UT1 (rad, not reduced) for UTC days since 1970-01-01 and day fractions:
    UT1 from :func:`dut1_seconds`'s table, then :func:`gmst82_rad`'s formula."""
    fr_ut1 = fraction + _dut1_days(day - _TABLE_DAY0, fraction) / 86_400.0
    return _gmst_unreduced(day + _UNIX_EPOCH_JD, fr_ut1, jd_fraction=0.5)


def _polar_motion(p: np.ndarray, xp: float, yp: float) -> np.ndarray:
    """Pseudo Earth-fixed -> ITRS: the transpose of W = R1(yp) R2(xp) (Vallado's convention)."""
    cx, sx, cy, sy = np.cos(xp), np.sin(xp), np.cos(yp), np.sin(yp)
    w = np.array([[cx, 0.0, -sx], [sx * sy, cy, cx * sy], [sx * cy, -sy, cx * cy]])
    return p @ w


def teme_to_itrs(r_km, v_km_s, times) -> tuple[np.ndarray, np.ndarray]:
    """Rotate TEME position (km) and velocity (km/s) to Earth-fixed at UTC ``times``.

    UT1 comes from :func:`dut1_seconds`; polar motion is neglected (see :func:`teme_to_itrs_ut1`).
    Returns arrays of shape (N, 3): ITRS position (km) and velocity over the Earth (km/s).
    """
    jd, fr = julian_date(times)
    r = np.atleast_2d(np.asarray(r_km, float))
    return _rotate(r, np.atleast_2d(np.asarray(v_km_s, float)),
                   earth_angle_rad(jd - _UNIX_EPOCH_JD, fr))


def teme_vectors_to_itrs(vectors, times) -> np.ndarray:
    """Rotate free TEME vectors (e.g. an orbit normal) to Earth-fixed axes at UTC ``times``.

    The same rotation as :func:`teme_to_itrs` without the velocity term; shape (N, 3).
    """
    vectors = np.atleast_2d(np.asarray(vectors, float))
    pos, _ = teme_to_itrs(vectors, np.zeros_like(vectors), times)
    return pos


def geodetic(xyz_km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 geodetic latitude, longitude and height of Earth-fixed points.

    Bowring's (1976) closed formula (one step from the parametric latitude): from the exact
    solution, under 2e-8 deg (2 mm) in latitude for heights up to 500 km and 1.5e-7 deg (2 cm)
    up to 2,000 km, under 0.01 mm in height (tested); SGP4's own errors are kilometres.

    Parameters
    ----------
    xyz_km : numpy.ndarray, shape (N, 3)
        ITRS Cartesian position (km).

    Returns
    -------
    lat_deg, lon_deg, height_km : numpy.ndarray, shape (N,)
        Latitude (deg, north positive), longitude (deg in [-180, 180)), height above the
        ellipsoid (km).
    """
    xyz_km = np.atleast_2d(np.asarray(xyz_km, float))
    n = len(xyz_km)
    out = np.empty(n), np.empty(n), np.empty(n)
    _geodetic(xyz_km[:, 0], xyz_km[:, 1], xyz_km[:, 2], *out)
    return out


def _geodetic(x, y, z, lat_out, lon_out, h_out) -> None:
    """Geodetic coordinates into preallocated arrays (see :func:`geodetic`)."""
    p = np.sqrt(x * x + y * y)
    # Bowring (1976): the parametric latitude beta from tan(beta) = (a/b) z/p, then one step
    # (cos and sin of beta from the vector (b p, a z), so the poles need no special case)
    bp, az = WGS84_B_KM * p, WGS84_A_KM * z
    inv = 1.0 / np.sqrt(bp * bp + az * az)
    cb, sb = bp * inv, az * inv
    num = z + (_EP2 * WGS84_B_KM) * (sb * sb * sb)
    den = p - (WGS84_E2 * WGS84_A_KM) * (cb * cb * cb)
    np.arctan2(num, den, out=lat_out)
    k = 1.0 / np.sqrt(num * num + den * den)
    sin_lat, cos_lat = num * k, den * k
    # height: p cos(phi) + z sin(phi) - a sqrt(1 - e2 sin^2 phi)
    np.multiply(p, cos_lat, out=h_out)
    h_out += z * sin_lat
    h_out -= WGS84_A_KM * np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    np.degrees(lat_out, out=lat_out)
    np.arctan2(y, x, out=lon_out)
    np.degrees(lon_out, out=lon_out)
    lon_out[lon_out >= 180.0] -= 360.0


def geodetic_to_itrs(lat_deg, lon_deg, height_km=0.0) -> np.ndarray:
    """Earth-fixed (ITRS) position (km) of WGS84 geodetic coordinates; shape (..., 3)."""
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


def up_vector(lat_deg, lon_deg) -> np.ndarray:
    """Unit normal to the WGS84 ellipsoid (local vertical) at geodetic coordinates; (..., 3)."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
