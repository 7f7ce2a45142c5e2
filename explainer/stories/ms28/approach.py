"""The Soyuz MS-28 approach, computed: where the ISS was at launch, near Barcelona and at docking.

Everything here comes from the shipped element sets and fact sheet; the notebook and the
dashboard show these numbers, and the tests check them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from explainer import data
from explainer.astro.frames import geodetic_to_itrs, teme_vectors_to_itrs
from explainer.astro.observer import Closest, closest_approach
from explainer.astro.orbit import EARTH_MEAN_RADIUS_KM, Subpoints, separation_km, subpoints, teme_states
from explainer.astro.timeutil import iso, time_range
from explainer.astro.tle import ElementSet, bracketing, nearest

KM_PER_MILE = 1.609344
BEFORE_LAUNCH_S = 10 * 60
AFTER_DOCKING_S = 30 * 60
"""The story's window runs from 10 min before launch to 30 min after docking."""


@dataclass(frozen=True)
class Approach:
    """The computed story of 27 Nov 2025 (UTC times, km, degrees)."""

    launch: np.datetime64
    docking: np.datetime64
    elset: ElementSet
    bracket: tuple[ElementSet, ElementSet]
    track: Subpoints  # every second from 10 min before launch to 30 min after docking
    baikonur_pass: Closest  # the ISS ground track's nearest point to Baikonur around launch
    baikonur_plane_km: float  # distance of Baikonur from the ISS orbital plane at launch
    barcelona: Closest  # closest approach to Barcelona in the 40 min before docking
    at_docking: dict
    spread_km: np.ndarray  # distance between the two bracketing sets' positions over the track
    altitude_range_km: tuple[float, float]

    @property
    def caption_check(self) -> dict:
        """The caption's '263 miles (432 kilometers)' against the orbit at docking."""
        facts = data.ms28_facts()
        miles = float(facts["caption_altitude_mi"].value)
        km = float(facts["caption_altitude_km"].value)
        alt = self.at_docking["alt_km"]
        return {
            "caption_mi": miles,
            "caption_mi_in_km": round(miles * KM_PER_MILE, 1),
            "caption_km": km,
            "orbit_km": round(alt, 1),
            "orbit_mi": round(alt / KM_PER_MILE, 1),
            "supported": "263 miles" if abs(miles * KM_PER_MILE - alt) < abs(km - alt) else "432 km",
        }


def plane_distance_km(elset: ElementSet, time: np.datetime64, lat_deg: float, lon_deg: float) -> float:
    """How far (km) a place on the ground is from the satellite's orbital plane at ``time``.

    A launch site can reach the plane directly only when it lies (nearly) in it; this is why a
    Soyuz launches when the station's plane passes over Baikonur.
    """
    r, v = teme_states(elset, [time])
    normal = teme_vectors_to_itrs(np.cross(r[0], v[0]), [time])[0]  # the plane is inertial
    normal /= np.linalg.norm(normal)
    site = geodetic_to_itrs(lat_deg, lon_deg, 0.0)
    angle = np.arcsin(abs(site @ normal) / np.linalg.norm(site))
    return float(angle * EARTH_MEAN_RADIUS_KM)


@cache
def approach() -> Approach:
    """Compute the story from the shipped element sets (cached; about 0.1 s)."""
    sets = list(data.tles())
    launch, docking = data.fact_time("launch_utc"), data.fact_time("docking_utc")
    elset = nearest(sets, docking)
    bracket = bracketing(sets, docking)
    end = docking + np.timedelta64(AFTER_DOCKING_S, "s")
    start = (launch - np.timedelta64(BEFORE_LAUNCH_S, "s")).astype("datetime64[s]")
    track = subpoints(elset, time_range(start, end, 1.0))

    place = data.places()
    bk, bcn = place.loc["Baikonur"], place.loc["Barcelona"]
    half_orbit = np.timedelta64(46, "m")
    baikonur_pass = closest_approach(elset, bk.lat_deg, bk.lon_deg, launch - half_orbit,
                                     launch + half_orbit)
    barcelona = closest_approach(elset, bcn.lat_deg, bcn.lon_deg,
                                 docking - np.timedelta64(40, "m"), docking)
    i = int(np.argmin(np.abs(track.time - docking)))
    at_docking = {
        "time_utc": iso(docking),
        "lat_deg": float(track.lat_deg[i]),
        "lon_deg": float(track.lon_deg[i]),
        "alt_km": float(track.alt_km[i]),
        "ground_speed_km_s": float(track.ground_speed_km_s[i]),
        "orbital_speed_km_s": float(track.orbital_speed_km_s[i]),
    }
    return Approach(
        launch=launch,
        docking=docking,
        elset=elset,
        bracket=bracket,
        track=track,
        baikonur_pass=baikonur_pass,
        baikonur_plane_km=plane_distance_km(elset, launch, bk.lat_deg, bk.lon_deg),
        barcelona=barcelona,
        at_docking=at_docking,
        spread_km=separation_km(*bracket, track.time),
        altitude_range_km=(float(track.alt_km.min()), float(track.alt_km.max())),
    )
