"""The MS-28 story's numbers, computed from the element sets and fact sheet."""

import numpy as np
import pytest


def test_the_window_and_the_element_sets(story):
    assert str(story.launch) == "2025-11-27T09:27:57.402000000"
    assert str(story.docking) == "2025-11-27T12:34:35.000000000"
    assert str(story.track.time[0]) == "2025-11-27T09:17:57.000000000"  # 10 min before launch
    assert str(story.track.time[-1]) == "2025-11-27T13:04:35.000000000"  # 30 min after docking
    assert np.all(np.diff(story.track.time) == np.timedelta64(1, "s"))
    before, after = story.bracket
    assert before.epoch < story.docking < after.epoch


def _skyfield(story, times):
    """Skyfield's own chain (EarthSatellite, IAU 2000A, its WGS84) for the story's element set."""
    from skyfield.api import EarthSatellite

    from explainer.astro.skyfield_data import timescale
    from explainer.astro.timeutil import to_skyfield

    sat = EarthSatellite(story.elset.line1, story.elset.line2, "ISS", timescale())
    return sat, to_skyfield(times)


def test_the_iss_flew_over_baikonur_at_launch(story):
    """The station's orbital plane passes over the launch site at lift-off: that is what makes a
    same-day, two-orbit rendezvous possible."""
    p = story.baikonur_pass
    dt = (p.time - story.launch) / np.timedelta64(1, "s")
    assert abs(dt) < 120  # within two minutes of lift-off
    assert p.distance_km < 60 and p.elevation_deg > 80
    assert story.baikonur_plane_km < 60


def test_baikonur_distance_from_the_orbital_plane_against_skyfield(story):
    """Independent check of the one frame path: Skyfield's GCRS position and velocity of the ISS
    give the orbit normal; Skyfield's GCRS position of Baikonur (45.965 N, 63.305 E,
    data/places.csv) at lift-off gives the angle to the plane, times the mean Earth radius."""
    from skyfield.api import wgs84

    sat, t = _skyfield(story, np.array([story.launch]))
    p = sat.at(t)
    normal = np.cross(p.position.km[:, 0], p.velocity.km_per_s[:, 0])
    site = wgs84.latlon(45.965, 63.305).at(t).position.km[:, 0]
    angle = np.arcsin(abs(site @ normal) / np.linalg.norm(site) / np.linalg.norm(normal))
    assert story.baikonur_plane_km == pytest.approx(angle * 6371.0088, abs=0.001)  # 1 m (was 13 m off)
    assert round(story.baikonur_plane_km) == 39  # as the story tells it


def test_closest_to_barcelona_three_minutes_before_docking(story):
    """Independent check: Skyfield's sub-points every 0.05 s from 12:31:00 to 12:32:30 UTC, the
    great-circle distance to Barcelona (41.3851 N, 2.1734 E; data/places.csv) on the IUGG mean
    sphere (6371.0088 km) computed here, and Skyfield's altaz at the nearest sample."""
    from skyfield.api import wgs84

    b = story.barcelona
    times = np.datetime64("2025-11-27T12:31:00", "ns") + np.arange(0, 1800) * np.timedelta64(50, "ms")
    sat, t = _skyfield(story, times)
    sub = wgs84.geographic_position_of(sat.at(t))
    p1, p2 = np.radians(41.3851), sub.latitude.radians
    dlon = sub.longitude.radians - np.radians(2.1734)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    distance = 2 * 6371.0088 * np.arcsin(np.sqrt(a))
    i = int(np.argmin(distance))
    elevation = (sat - wgs84.latlon(41.3851, 2.1734)).at(t[i]).altaz()[0].degrees
    assert abs((b.time - times[i]) / np.timedelta64(1, "ms")) <= 50
    assert b.distance_km == pytest.approx(distance[i], abs=0.01)
    assert b.elevation_deg == pytest.approx(elevation, abs=0.01)
    assert round(b.distance_km) == 245 and round(b.elevation_deg) == 58  # as the story tells it


def test_where_the_iss_was_at_docking(story):
    """Independent check: Skyfield's WGS84 sub-point at the docking time (12:34:35 UTC)."""
    from skyfield.api import wgs84

    sat, t = _skyfield(story, np.array([story.docking]))
    sub = wgs84.geographic_position_of(sat.at(t))
    d = story.at_docking
    assert d["lat_deg"] == pytest.approx(sub.latitude.degrees[0], abs=1e-5)
    assert d["lon_deg"] == pytest.approx(sub.longitude.degrees[0], abs=1e-5)
    assert (round(d["lat_deg"], 2), round(d["lon_deg"], 2)) == (45.75, 16.40)  # as the story tells it


def test_caption_check(story):
    check = story.caption_check
    assert check["caption_mi_in_km"] == pytest.approx(423.3, abs=0.1)
    assert 423 < check["orbit_km"] < 426
    assert check["supported"] == "263 miles"


def test_uncertainty_between_the_bracketing_sets(story):
    assert 5 < story.spread_km.min() < story.spread_km.max() < 8
