"""The Sun as seen from the Earth-fixed frame: subsolar point, sunlight on a satellite, day/night.

Skyfield computes the Sun's apparent position (DE421 from skyfield-data, IAU 2000A) at nodes
every ``NODE_STEP_S`` seconds; in between, the subsolar latitude, unwrapped longitude and distance
are interpolated linearly. The subsolar point moves 0.25 deg/min almost uniformly, so this is
exact to ~1e-5 deg (tested) while avoiding the nutation series at every time.

The Sun lies along the ellipsoid normal at the subsolar point (the local vertical), not along
the geocentric direction of that ground point: the two differ by up to 0.19 deg at mid-latitudes.
Agreement with Skyfield (``tests/test_sun_and_observer.py``): Sun elevation within 0.01 deg,
eclipse entry and exit within 0.2 s.
"""

from __future__ import annotations

import numpy as np

from explainer.astro.frames import WGS84_A_KM, geodetic_to_itrs, up_vector
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
    """Where the Sun is overhead at UTC ``times``.

    Parameters
    ----------
    times : UTC times (see :func:`explainer.astro.timeutil.as_times`); may be empty.

    Returns
    -------
    lat_deg, lon_deg, distance_km : numpy.ndarray
        WGS84 geodetic latitude and longitude (deg, longitude in [-180, 180)) of the point whose
        local vertical points at the Sun's apparent centre, and the Earth-Sun distance (km).
    """
    times = as_times(times)
    if times.size == 0:
        return np.empty(0), np.empty(0), np.empty(0)
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
    """The Sun's apparent Earth-fixed (ITRS) position (km), shape (N, 3).

    Along the ellipsoid normal at the subsolar point (geodetic latitude of a point so far away is
    the direction of the normal through it); the foot of that normal is within 22 km of the
    Earth's centre, which changes the direction by less than 1e-5 deg.
    """
    lat, lon, dist = subsolar_point(times)
    return up_vector(lat, lon) * dist[:, None]


def is_sunlit(itrs_km: np.ndarray, times) -> np.ndarray:
    """Whether points are in sunlight at the matching UTC times.

    Parameters
    ----------
    itrs_km : numpy.ndarray, shape (N, 3)
        Earth-fixed positions (km), e.g. ``Subpoints.itrs_km``.
    times : UTC times, N of them.

    Returns
    -------
    numpy.ndarray of bool
        False where the line from the point to the Sun's centre passes through a sphere of the
        WGS84 equatorial radius (the Earth's shadow, as Skyfield's ``is_sunlit`` models it); the
        Sun's 0.5 deg disc (penumbra, a few seconds of an ISS orbit) and the atmosphere are
        neglected.
    """
    itrs_km = np.asarray(itrs_km, float).reshape(-1, 3)
    if len(itrs_km) == 0:
        return np.zeros(0, bool)
    to_sun = _unit(sun_itrs_km(times) - itrs_km)
    along = (itrs_km * to_sun).sum(axis=1)  # < 0: the Sun is beyond the Earth from the point
    closest2 = (itrs_km * itrs_km).sum(axis=1) - along**2  # squared distance of the line from O
    return (along >= 0) | (closest2 > WGS84_A_KM**2)


def sun_elevation_deg(lat_deg, lon_deg, times) -> np.ndarray:
    """Geometric elevation (deg) of the Sun's apparent centre from a place on the ellipsoid.

    Parameters
    ----------
    lat_deg, lon_deg : float
        WGS84 geodetic place (deg), at height 0.
    times : UTC times; may be empty.

    Returns
    -------
    numpy.ndarray
        Degrees above the horizon plane normal to the ellipsoid (no refraction).
    """
    times = as_times(times)
    if times.size == 0:
        return np.empty(0)
    place = geodetic_to_itrs(lat_deg, lon_deg, 0.0)
    to_sun = _unit(sun_itrs_km(times) - place)
    return np.degrees(np.arcsin(np.clip(to_sun @ up_vector(lat_deg, lon_deg), -1, 1)))


def terminator(time, n: int = 361) -> tuple[np.ndarray, np.ndarray]:
    """The day/night line at one UTC time as (lon, lat) degrees, lon from -180 to 180.

    Points 90 deg from the subsolar point (spherical Earth; refraction and twilight ignored).
    """
    lat_s, lon_s, _ = subsolar_point(time)
    lon = np.linspace(-180.0, 180.0, n)
    return lon, _terminator_lat(lat_s[:1], lon_s[:1], lon)[0]


def _terminator_lat(lat_s: np.ndarray, lon_s: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Latitudes (deg) of the terminator at longitudes ``lon`` (deg, shape (n,)) for subsolar
    points ``lat_s``, ``lon_s`` (deg, shape (m,)): shape (m, n)."""
    phi_s, lam_s = np.radians(lat_s)[:, None], np.radians(lon_s)[:, None]
    # points where sin(phi) sin(phi_s) + cos(phi) cos(phi_s) cos(dlam) = 0
    lat = np.degrees(np.arctan2(-np.cos(phi_s) * np.cos(np.radians(lon) - lam_s), np.sin(phi_s)))
    return np.where(lat > 90, lat - 180, np.where(lat < -90, lat + 180, lat))


def night_polygon(time, n: int = 361) -> tuple[np.ndarray, np.ndarray]:
    """The night side as a closed lon/lat ring (deg): the terminator closed through the pole that
    is in darkness, ordered clockwise on a north-up map, as spherical renderers (d3, plotly)
    need to know which side is inside."""
    lon, lat = night_polygons(as_times(time)[:1], n)
    return lon[0], lat[0]


def night_polygons(times, n: int = 361) -> tuple[np.ndarray, np.ndarray]:
    """:func:`night_polygon` at each of UTC ``times`` (one Skyfield evaluation for all of them):
    lon and lat (deg), each of shape (len(times), n + 3)."""
    lat_s, lon_s, _ = subsolar_point(times)
    lon = np.linspace(-180.0, 180.0, n)
    lat = _terminator_lat(lat_s, lon_s, lon)
    south_dark = (lat_s >= 0)[:, None]
    # the South Pole dark: east along the terminator, then back by the pole; the North Pole dark:
    # west along the terminator, then back by the pole
    ring_lon = np.where(south_dark, np.concatenate([lon, [180.0, -180.0, lon[0]]]),
                        np.concatenate([lon[::-1], [-180.0, 180.0, lon[-1]]]))
    ring_lat = np.where(south_dark, np.concatenate([lat, np.full((len(lat), 2), -90.0), lat[:, :1]], axis=1),
                        np.concatenate([lat[:, ::-1], np.full((len(lat), 2), 90.0), lat[:, -1:]], axis=1))
    return ring_lon, ring_lat


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)
