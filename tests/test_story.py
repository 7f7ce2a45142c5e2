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


def test_the_iss_flew_over_baikonur_at_launch(story):
    """The station's orbital plane passes over the launch site at lift-off: that is what makes a
    same-day, two-orbit rendezvous possible."""
    p = story.baikonur_pass
    dt = (np.datetime64(p.time_utc.rstrip("Z")) - story.launch) / np.timedelta64(1, "s")
    assert abs(dt) < 120  # within two minutes of lift-off
    assert p.distance_km < 60 and p.elevation_deg > 80
    assert story.baikonur_plane_km < 60


def test_closest_to_barcelona_three_minutes_before_docking(story):
    b = story.barcelona
    assert b.time_utc.startswith("2025-11-27T12:31:3")
    assert b.distance_km == pytest.approx(245, abs=5)
    assert b.elevation_deg == pytest.approx(58, abs=1.5)


def test_where_the_iss_was_at_docking(story):
    d = story.at_docking
    assert d["lat_deg"] == pytest.approx(45.75, abs=0.1) and d["lon_deg"] == pytest.approx(16.4, abs=0.1)


def test_caption_check(story):
    check = story.caption_check
    assert check["caption_mi_in_km"] == pytest.approx(423.3, abs=0.1)
    assert 423 < check["orbit_km"] < 426
    assert check["supported"] == "263 miles"


def test_uncertainty_between_the_bracketing_sets(story):
    assert 5 < story.spread_km.min() < story.spread_km.max() < 8
