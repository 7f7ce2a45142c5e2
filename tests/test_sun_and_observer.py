"""Sunlight, day/night and the view from a place, against Skyfield's own (slower) answers."""

import numpy as np
import pytest
from skyfield.api import EarthSatellite, wgs84

from explainer.astro.observer import PlaceError, closest_approach, look_angles, parse_place, passes
from explainer.astro.orbit import angular_distance_deg, ground_distance_km, subpoints
from explainer.astro.skyfield_data import ephemeris
from explainer.astro.sun import (
    _exact_subsolar,
    is_sunlit,
    night_polygon,
    subsolar_point,
    sun_elevation_deg,
    terminator,
)

from .conftest import skyfield_times

BARCELONA = (41.3851, 2.1734)


def test_subsolar_point_at_the_december_solstice():
    lat, lon, dist = subsolar_point(np.datetime64("2024-12-21T09:20"))
    assert lat[0] == pytest.approx(-23.44, abs=0.01)  # the Tropic of Capricorn
    assert dist[0] == pytest.approx(1.4714e8, rel=1e-3)  # near perihelion (early January)


def test_subsolar_point_near_noon_at_greenwich():
    # at 12:00 UTC the Sun is over longitude -(equation of time): within 4 deg of 0
    _, lon, _ = subsolar_point(np.datetime64("2025-11-27T12:00"))
    assert abs(lon[0]) < 4.0
    # late November the Sun runs ~12 min ahead of mean time (equation of time), so by 12:00 UTC
    # it has already crossed the Greenwich meridian and stands about 3 deg west of it
    assert -4.0 < lon[0] < -2.0


def test_interpolated_subsolar_matches_exact():
    rng = np.random.default_rng(7)
    times = np.datetime64("2025-11-27", "ns") + np.sort(rng.integers(0, 3 * 86400, 500)) * np.timedelta64(1, "s")
    lat, lon, _ = subsolar_point(times)
    lat_x, lon_x, _ = _exact_subsolar(times)
    assert np.abs(lat - lat_x).max() < 1e-5
    assert np.abs(((lon - lon_x + 180) % 360) - 180).max() < 1e-5


def test_sunlit_agrees_with_skyfield(iss, ts):
    times = np.datetime64("2025-11-27T09:00", "ns") + np.arange(0, 4 * 3600, 7) * np.timedelta64(1, "s")
    ours = is_sunlit(subpoints(iss, times).itrs_km, times)
    sat = EarthSatellite(iss.line1, iss.line2, "ISS", ts)
    theirs = sat.at(skyfield_times(ts, times)).is_sunlit(ephemeris())
    disagree = np.flatnonzero(ours != theirs)
    assert 0.5 < ours.mean() < 0.8  # in shadow for roughly a third of each orbit
    # differences only within 15 s of a shadow boundary (penumbra, Earth's shape)
    boundaries = np.flatnonzero(np.diff(theirs.astype(int))) * 7
    for i in disagree:
        assert np.min(np.abs(boundaries - i * 7)) <= 15


def test_terminator_is_ninety_degrees_from_the_sun():
    t = np.datetime64("2025-11-27T12:34:35")
    lon, lat = terminator(t)
    s_lat, s_lon, _ = subsolar_point(t)
    assert np.allclose(angular_distance_deg(lat, lon, s_lat[0], s_lon[0]), 90.0, atol=1e-6)
    n_lon, n_lat = night_polygon(t)
    # in November the Sun is over the southern hemisphere, so the polygon closes at the North Pole
    assert s_lat[0] < -20 and n_lat[-3] == n_lat[-2] == 90.0

def test_sun_elevation_at_barcelona():
    # 27 Nov 2025, local solar noon ~11:44 UTC: the Sun stands ~27.5 deg high (90 - 41.4 - 21.2)
    el = sun_elevation_deg(*BARCELONA, [np.datetime64("2025-11-27T11:44"), np.datetime64("2025-11-27T23:44")])
    assert el[0] == pytest.approx(27.4, abs=0.5)
    assert el[1] < -40


def test_look_angles_agree_with_skyfield(iss, ts):
    times = np.datetime64("2025-11-27T12:20", "ns") + np.arange(0, 1800, 10) * np.timedelta64(1, "s")
    el, az, rng = look_angles(iss, *BARCELONA, times)
    sat = EarthSatellite(iss.line1, iss.line2, "ISS", ts)
    alt, azi, dist = (sat - wgs84.latlon(*BARCELONA)).at(skyfield_times(ts, times)).altaz()
    assert np.abs(el - alt.degrees).max() < 0.01
    assert np.abs(((az - azi.degrees + 180) % 360) - 180).max() < 0.05
    assert np.abs(rng - dist.km).max() < 0.1


def test_closest_approach_to_barcelona_before_docking(iss):
    c = closest_approach(iss, *BARCELONA, "2025-11-27T11:55Z", "2025-11-27T12:34:35Z")
    # brute force at 0.1 s over +-5 s around the answer finds no closer point
    t = np.datetime64(c.time_utc.rstrip("Z"), "ns")
    fine = t + np.arange(-50, 51) * np.timedelta64(100, "ms")
    sp = subpoints(iss, fine)
    d = ground_distance_km(sp.lat_deg, sp.lon_deg, *BARCELONA)
    assert c.distance_km == pytest.approx(d.min(), abs=0.01)
    assert c.time_utc.startswith("2025-11-27T12:31:3")
    assert 200 < c.distance_km < 300 and 50 < c.elevation_deg < 65


def test_passes_match_skyfield_find_events(iss, ts):
    found = passes(iss, *BARCELONA, "2025-11-27T00:00Z", days=2)
    sat = EarthSatellite(iss.line1, iss.line2, "ISS", ts)
    t, events = sat.find_events(wgs84.latlon(*BARCELONA), skyfield_times(ts, [np.datetime64("2025-11-27")])[0],
                                skyfield_times(ts, [np.datetime64("2025-11-29")])[0], altitude_degrees=0.0)
    rises = [ti for ti, e in zip(t.utc_datetime(), events, strict=True) if e == 0]
    culms = [ti for ti, e in zip(t.utc_datetime(), events, strict=True) if e == 1]
    assert len(found) == len(rises) >= 8
    for p, rise, culm in zip(found, rises, culms, strict=False):
        ours = np.datetime64(p.rise_utc.rstrip("Z"), "ms")
        assert abs(ours - np.datetime64(rise.replace(tzinfo=None), "ms")) < np.timedelta64(1500, "ms")
        ours_c = np.datetime64(p.culmination_utc.rstrip("Z"), "ms")
        assert abs(ours_c - np.datetime64(culm.replace(tzinfo=None), "ms")) < np.timedelta64(3, "s")
    visible = [p for p in found if p.visible]
    assert visible and all(p.sunlit and p.sun_elevation_deg < -6 and p.max_elevation_deg >= 10 for p in visible)


@pytest.mark.parametrize("text, message", [
    ("41.4", "cannot read '41.4' as LAT,LON"),
    ("north,2", "cannot read 'north,2' as LAT,LON numbers"),
    ("95,2", "latitude 95.0 is out of range"),
    ("41,200", "longitude 200.0 is out of range") ,
])
def test_bad_places(text, message):
    if text == "41,200":
        # 200 E is a legal way of writing 160 W
        assert parse_place(text) == (41.0, -160.0)
        return
    with pytest.raises(PlaceError, match=message):
        parse_place(text)
