"""Great-circle bearings and compass words, for captions (degrees, spherical Earth)."""

from __future__ import annotations

import numpy as np

COMPASS = ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"]


def bearing_deg(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Initial great-circle bearing from point 1 to point 2 on a sphere.

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Latitudes and longitudes (deg).

    Returns
    -------
    numpy.ndarray
        Bearing (deg clockwise from true north, [0, 360)).
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    x = np.sin(dl) * np.cos(p2)
    y = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return np.mod(np.degrees(np.arctan2(x, y)), 360.0)


def compass(bearing: float) -> str:
    """The nearest of eight compass words ('north', 'north-east', ...) for a bearing (deg)."""
    return COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]
