"""The Sun as seen from the Earth-fixed frame: subsolar point, sunlight on a satellite, day/night.

Skyfield computes the Sun's apparent position (DE421 from skyfield-data, IAU 2000A) at nodes
every ``NODE_STEP_S`` seconds; in between, the subsolar latitude, unwrapped longitude and distance
are interpolated linearly. The subsolar point moves 0.25 deg/min almost uniformly, so this is
exact to ~1e-5 deg (tested) while avoiding the nutation series at every time.
"""

from __future__ import annotations

import numpy as np

from explainer.astro.orbit import WGS84_A_KM, geodetic_to_itrs
from explainer.astro.skyfield_data import ephemeris
from explainer.astro.timeutil import as_times, to_skyfield

NODE_STEP_S = 600.0
AU_KM = 149_597_870.700


def _exact_subsolar(times: np.ndarray):
    """Subsolar geodetic lat/lon (deg) and Earth-Sun distance (km) from Skyfield, full precision."""
    from skyfield.api import wgs84

    eph = ephemeris()
    t = to_skyfield(times)
    apparent = eph["earth"].at(t).observe(eph["sun"]).apparent()
    lat, lon = wgs84.latlon_of(apparent)
    return lat.degrees, lon.degrees, apparent.distance().km


def subsolar_point(times) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the Sun is overhead at UTC ``times``: latitude and longitude (deg, [-180, 180)) of
    the subsolar point on the WGS84 ellipsoid, and the Earth-Sun distance (km)."""
    times = as_times(times)
    step = np.timedelta64(int(NODE_STEP_S), "s")
    t0 = times.min().astype("datetime64[s]")
    n = int((times.max() - t0) // step) + 2
    nodes = t0 + np.arange(n) * step
    lat, lon, dist = _exact_subsolar(nodes.astype("datetime64[ns]"))
    x = (nodes - nodes[0]) / np.timedelta64(1, "s")
    xi = (times - nodes[0]) / np.timedelta64(1, "s")
    lon_i = np.interp(xi, x, np.unwrap(lon, period=360.0))
    return (
        np.interp(xi, x, lat),
        np.mod(lon_i + 180.0, 360.0) - 180.0,
        np.interp(xi, x, dist),
    )


def sun_itrs_km(times) -> np.ndarray:
    """The Sun's Earth-fixed position (km), shape (N, 3)."""
    lat, lon, dist = subsolar_point(times)
    up = _unit(geodetic_to_itrs(lat, lon, 0.0))
    # the geodetic vertical points at the Sun; its base is offset from the centre by < 22 km
    base = geodetic_to_itrs(lat, lon, 0.0)
    return base + up * dist[:, None]


def is_sunlit(itrs_km: np.ndarray, times) -> np.ndarray:
    """Whether points (Earth-fixed km, shape (N, 3)) are in sunlight at the matching UTC times.

    A point is in shadow when it is on the night side and within the Earth's cylindrical shadow
    (radius: the WGS84 equatorial radius plus 0 km of atmosphere); the Sun's 0.5 deg disc and
    the penumbra (a few seconds of an ISS orbit) are neglected.
    """
    sun = sun_itrs_km(times)
    s_hat = _unit(sun)
    along = (itrs_km * s_hat).sum(axis=1)
    perp = np.linalg.norm(itrs_km - along[:, None] * s_hat, axis=1)
    return (along > 0) | (perp > WGS84_A_KM)


def sun_elevation_deg(lat_deg, lon_deg, times) -> np.ndarray:
    """Geometric elevation (deg) of the Sun's centre seen from a place on the ellipsoid."""
    place = geodetic_to_itrs(lat_deg, lon_deg, 0.0)
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    to_sun = _unit(sun_itrs_km(times) - place)
    return np.degrees(np.arcsin(np.clip(to_sun @ up, -1, 1)))


def terminator(time, n: int = 361) -> tuple[np.ndarray, np.ndarray]:
    """The day/night line at one UTC time as (lon, lat) degrees, lon from -180 to 180.

    Points 90 deg from the subsolar point (spherical Earth; refraction and twilight ignored).
    """
    lat_s, lon_s, _ = subsolar_point(time)
    phi_s, lam_s = np.radians(lat_s[0]), np.radians(lon_s[0])
    lon = np.linspace(-180.0, 180.0, n)
    # points where sin(phi) sin(phi_s) + cos(phi) cos(phi_s) cos(dlam) = 0
    lat = np.degrees(np.arctan2(-np.cos(phi_s) * np.cos(np.radians(lon) - lam_s), np.sin(phi_s)))
    lat = np.where(lat > 90, lat - 180, np.where(lat < -90, lat + 180, lat))
    return lon, lat


def night_polygon(time, n: int = 361) -> tuple[np.ndarray, np.ndarray]:
    """The night side as a closed lon/lat ring (deg): the terminator closed through the pole that
    is in darkness, ordered clockwise on a north-up map, as spherical renderers (d3, plotly)
    need to know which side is inside."""
    lon, lat = terminator(time, n)
    lat_s, _, _ = subsolar_point(time)
    if lat_s[0] >= 0:  # the South Pole is dark: east along the terminator, then back by the pole
        return (np.concatenate([lon, [180.0, -180.0, lon[0]]]),
                np.concatenate([lat, [-90.0, -90.0, lat[0]]]))
    # the North Pole is dark: west along the terminator, then back by the pole
    return (np.concatenate([lon[::-1], [-180.0, 180.0, lon[-1]]]),
            np.concatenate([lat[::-1], [90.0, 90.0, lat[-1]]]))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)
