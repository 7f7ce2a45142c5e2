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
    night_polygons,
    subsolar_point,
    sun_elevation_deg,
    terminator,
)
from explainer.astro.timeutil import TimeError, parse_time
from explainer.astro.tle import TleAgeWarning, check_age

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


def test_eclipse_transitions_agree_with_skyfield_within_0_2_s(iss, ts):
    """Every shadow entry and exit over 26-28 Nov 2025 (Skyfield's is_sunlit, DE421), found on a
    0.05-s grid around each transition: ours within 0.2 s (measured 0.05 s; the old geocentric
    Sun direction was 1.6-2.6 s late)."""
    sat = EarthSatellite(iss.line1, iss.line2, "ISS", ts)
    coarse = np.datetime64("2025-11-26", "ns") + np.arange(0, 3 * 86400, 2) * np.timedelta64(1, "s")
    lit = sat.at(skyfield_times(ts, coarse)).is_sunlit(ephemeris())
    centres = coarse[np.flatnonzero(np.diff(lit.astype(int)))]
    assert len(centres) > 80  # two per orbit
    t = (centres[:, None] + np.arange(-200, 200)[None, :] * np.timedelta64(50, "ms")).ravel()
    with pytest.warns(TleAgeWarning):
        ours = is_sunlit(subpoints(iss, t).itrs_km, t).reshape(len(centres), -1)
    theirs = sat.at(skyfield_times(ts, t)).is_sunlit(ephemeris()).reshape(len(centres), -1)

    def edge(rows):
        return np.array([np.flatnonzero(np.diff(r.astype(int)))[0] for r in rows])

    assert np.abs(edge(ours) - edge(theirs)).max() * 0.05 <= 0.2


@pytest.mark.parametrize("place", [(45.965, 63.055), BARCELONA, (-33.87, 151.21), (64.1, -21.9), (0.0, 0.0)])
def test_sun_elevation_agrees_with_skyfield_within_0_01_deg(place):
    """Skyfield's apparent altitude of the Sun's centre from the same WGS84 place (no refraction),
    every 10 min over 4 days (measured: 7e-5 deg; the old geocentric direction was 0.13 deg off)."""
    eph = ephemeris()
    times = np.datetime64("2025-11-25", "ns") + np.arange(0, 4 * 86400, 600) * np.timedelta64(1, "s")
    observer = eph["earth"] + wgs84.latlon(*place)
    alt = observer.at(skyfield_times(None, times)).observe(eph["sun"]).apparent().altaz()[0].degrees
    assert np.abs(sun_elevation_deg(*place, times) - alt).max() < 0.01


def test_empty_times_work_everywhere(iss):
    empty = np.array([], dtype="datetime64[ns]")
    assert [len(a) for a in subsolar_point(empty)] == [0, 0, 0]
    assert is_sunlit(np.empty((0, 3)), empty).shape == (0,)
    assert sun_elevation_deg(*BARCELONA, empty).shape == (0,)
    assert [len(a) for a in look_angles(iss, *BARCELONA, empty)] == [0, 0, 0]
    check_age(iss, empty)


def test_missing_times_raise_time_error():
    import pandas as pd

    with pytest.raises(TimeError, match="missing"):
        parse_time(pd.NaT)
    with pytest.raises(TimeError, match="position 2"):
        subsolar_point(np.array(["2025-11-27", "2025-11-28", "NaT"], dtype="datetime64[ns]"))
    with pytest.raises(TimeError, match="cannot read '-1'"):  # not year -1 or 1752
        parse_time("-1")


def test_terminator_is_ninety_degrees_from_the_sun():
    t = np.datetime64("2025-11-27T12:34:35")
    lon, lat = terminator(t)
    s_lat, s_lon, _ = subsolar_point(t)
    assert np.allclose(angular_distance_deg(lat, lon, s_lat[0], s_lon[0]), 90.0, atol=1e-6)
    n_lon, n_lat = night_polygon(t)
    # in November the Sun is over the southern hemisphere, so the polygon closes at the North Pole
    assert s_lat[0] < -20 and n_lat[-3] == n_lat[-2] == 90.0


def test_night_polygons_at_once_match_one_at_a_time():
    """The rings the ISS map caches for every minute (explainer.stories.ms28.app.night_rings): the
    subsolar points of many times are interpolated between nodes 10 min apart, ~1e-5 deg from the
    exact ones; both hemispheres' summers (the dark pole switches)."""
    times = np.array(["2025-06-21T00:00", "2025-06-21T09:17", "2025-11-27T12:34:35"], dtype="datetime64[s]")
    lon, lat = night_polygons(times, n=121)
    assert lon.shape == lat.shape == (3, 124)
    for k, t in enumerate(times):
        one_lon, one_lat = night_polygon(t, n=121)
        assert np.array_equal(lon[k], one_lon) and np.allclose(lat[k], one_lat, atol=1e-4)
    assert lat[0, -2] == -90.0 and lat[2, -2] == 90.0

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
    assert c.time.dtype == np.dtype("datetime64[ns]")
    fine = c.time + np.arange(-50, 51) * np.timedelta64(100, "ms")
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
        assert abs(p.rise - np.datetime64(rise.replace(tzinfo=None), "ns")) < np.timedelta64(1500, "ms")
        assert abs(p.culmination - np.datetime64(culm.replace(tzinfo=None), "ns")) < np.timedelta64(3, "s")
    visible = [p for p in found if p.visible]
    assert visible and all(p.visible_max_elevation_deg >= 10 for p in visible)


def test_visible_window_against_a_brute_force_skyfield_scan(iss, ts):
    """Baikonur, 27 Nov 2025 ~14:20 UTC: the ISS culminates at 78.6 deg after the Sun has set
    below -6 deg there, and is in sunlight for the first part of the pass only. Judged at
    culmination alone it was 'not visible'; judged over the pass it is visible for 158 s.
    Reference: Skyfield's altaz, is_sunlit and the Sun's apparent altitude on a 0.1-s grid."""
    baikonur = (45.965, 63.305)
    found = [p for p in passes(iss, *baikonur, "2025-11-27T14:00Z", days=0.05) if p.max_elevation_deg > 70]
    assert len(found) == 1
    p = found[0]
    t = p.rise + np.arange(0, int((p.set - p.rise) / np.timedelta64(100, "ms"))) * np.timedelta64(100, "ms")
    sat = EarthSatellite(iss.line1, iss.line2, "ISS", ts)
    place = wgs84.latlon(*baikonur)
    st = skyfield_times(ts, t)
    alt, az, _ = (sat - place).at(st).altaz()
    eph = ephemeris()
    sun_alt = (eph["earth"] + place).at(st).observe(eph["sun"]).apparent().altaz()[0].degrees
    ok = (alt.degrees >= 10) & sat.at(st).is_sunlit(eph) & (sun_alt < -6)
    first, last = np.flatnonzero(ok)[[0, -1]]
    assert p.visible and abs((p.visible_start - t[first]) / np.timedelta64(1, "ms")) <= 200
    assert abs((p.visible_end - t[last]) / np.timedelta64(1, "ms")) <= 200
    assert p.visible_duration_s == pytest.approx(158, abs=1)
    assert p.visible_max_elevation_deg == pytest.approx(alt.degrees[ok].max(), abs=0.05)
    assert p.visible_start_azimuth_deg == pytest.approx(az.degrees[first], abs=0.5)
    assert p.visible_end_azimuth_deg == pytest.approx(az.degrees[last], abs=0.5)
    d = p.as_dict()
    assert d["visible"] and d["visible_start_compass"] and d["visible_end_utc"].endswith("Z")


@pytest.mark.parametrize("text, message", [
    ("41.4", "cannot read '41.4' as LAT,LON"),
    ("north,2", "cannot read 'north,2' as LAT,LON numbers"),
    ("95,2", "latitude 95.0 is out of range"),
    ("41,200", "longitude 200.0 is out of range: it must be between -180 and 180 degrees"),
])
def test_bad_places(text, message):
    with pytest.raises(PlaceError, match=message):
        parse_place(text)


@pytest.mark.parametrize("days, min_el, message", [
    (0, 0.0, "days must be more than 0 and at most 14, not 0"),
    (15, 0.0, "at most 14, not 15"),
    (1, 100.0, "not 100"),
    (1, float("nan"), "not nan"),
    (1, -50.0, "not -50"),
])
def test_bad_pass_requests(iss, days, min_el, message):
    with pytest.raises(ValueError, match=message):
        passes(iss, *BARCELONA, "2025-11-27T00:00Z", days=days, min_elevation_deg=min_el)


def test_visible_flags_over_three_days_and_five_places_against_skyfield(iss_sets, ts):
    """Every pass over five places on 26-28 Nov 2025: the naked-eye window's length against a
    brute-force Skyfield scan of the pass every 0.5 s (altaz, is_sunlit, the Sun's apparent
    altitude), each time using the same element set as the kit. Of the 56 passes above 10 deg,
    14 are visible; judged at culmination only, 8 of them (8-173 s of visibility) were called
    not visible."""
    eph = ephemeris()
    places = [(45.965, 63.305), BARCELONA, (-33.87, 151.21), (64.1, -21.9), (0.0, 0.0)]
    epochs = np.array([s.epoch for s in iss_sets])
    checked = seen = 0
    for place in places:
        for p in passes(iss_sets, *place, "2025-11-26T00:00Z", days=3):
            if p.max_elevation_deg < 10:
                continue
            elset = iss_sets[int(np.argmin(np.abs(epochs - p.culmination)))]
            sat = EarthSatellite(elset.line1, elset.line2, "ISS", ts)
            t = p.rise + np.arange(0, int((p.set - p.rise) / np.timedelta64(500, "ms")) + 1) * np.timedelta64(500, "ms")
            st = skyfield_times(ts, t)
            observer = wgs84.latlon(*place)
            alt = (sat - observer).at(st).altaz()[0].degrees
            sun = (eph["earth"] + observer).at(st).observe(eph["sun"]).apparent().altaz()[0].degrees
            ok = (alt >= 10) & sat.at(st).is_sunlit(eph) & (sun < -6)
            assert p.visible == ok.any(), (place, p.rise)
            if ok.any():
                assert p.visible_duration_s == pytest.approx(ok.sum() * 0.5, abs=1.0)
                seen += 1
            checked += 1
    assert (checked, seen) == (56, 14)
