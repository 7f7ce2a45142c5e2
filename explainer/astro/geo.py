"""Great-circle bearings and compass words, for captions (degrees, spherical Earth)."""

from __future__ import annotations

import numpy as np

COMPASS = ["north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west"]


def bearing_deg(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Initial great-circle bearing (deg from north, clockwise) from point 1 to point 2."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    x = np.sin(dl) * np.cos(p2)
    y = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return np.mod(np.degrees(np.arctan2(x, y)), 360.0)


def compass(bearing: float) -> str:
    """'north-east' etc. for a bearing in degrees."""
    return COMPASS[int(((bearing % 360) + 22.5) // 45) % 8]
