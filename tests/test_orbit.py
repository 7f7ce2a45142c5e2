"""Ground-track math against independent references: Vallado's SGP4 verification vectors,
the AIAA 2006-6753 Appendix C frame example, Skyfield's full-precision IAU 2000A chain, astropy's
TEME -> ITRS with polar motion, physical invariants, and geometric properties."""

from pathlib import Path

import numpy as np
import pytest
import sgp4
from hypothesis import given, settings
from hypothesis import strategies as st
from sgp4.api import WGS72, Satrec
from skyfield.api import EarthSatellite, wgs84
from skyfield.framelib import itrs

import explainer.astro.orbit as orbit
from explainer.astro.frames import (
    dut1_seconds,
    geodetic,
    geodetic_to_itrs,
    gmst82_rad,
    teme_to_itrs,
    teme_to_itrs_ut1,
)
from explainer.astro.orbit import (
    angular_distance_deg,
    footprint,
    footprint_radius_deg,
    ground_track,
    separation_km,
    split_track,
    subpoints,
    teme_states,
    wrap_lon,
)
from explainer.astro.timeutil import TimeError
from explainer.astro.tle import ElementSet, TleAgeWarning, TleRangeError, satrec_epoch

from .conftest import skyfield_times


def _vallado_cases():
    """(satrec, [(tsince_min, r_km, v_km_s)]) for every case in the sgp4 package's files."""
    folder = Path(sgp4.__file__).parent
    tle_lines = [ln for ln in (folder / "SGP4-VER.TLE").read_text().splitlines() if ln[:2] in ("1 ", "2 ")]
    sats = {}
    for l1, l2 in zip(tle_lines[::2], tle_lines[1::2], strict=True):
        sat = Satrec.twoline2rv(l1[:69], l2[:69], WGS72)
        sats[sat.satnum] = sat
    cases, current = {}, None
    for line in (folder / "tcppver.out").read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] == "xx":
            current = int(parts[0])
            cases[current] = []
        elif current is not None and len(parts) >= 7:
            values = [float(p) for p in parts[:7]]
            cases[current].append((values[0], np.array(values[1:4]), np.array(values[4:7])))
    return [(sats[n], rows) for n, rows in cases.items() if n in sats and rows]


def test_against_vallado_verification_vectors():
    """Our time handling (datetime64 -> split Julian date -> sgp4_array) reproduces Vallado's
    published TEME states for every case that SGP4 propagates without error."""
    checked = 0
    for sat, rows in _vallado_cases():
        epoch = satrec_epoch(sat)
        elset = ElementSet("test", "", "", sat, epoch)
        tsince = np.array([r[0] for r in rows])
        times = epoch + (tsince * 60e9).astype("int64").astype("timedelta64[ns]")
        jd_err = sat.sgp4_array(*_jd(times))[0]
        ok = jd_err == 0
        if not ok.any():
            continue
        r, v = teme_states(elset, times[ok])
        expected_r = np.array([row[1] for row, good in zip(rows, ok, strict=True) if good])
        expected_v = np.array([row[2] for row, good in zip(rows, ok, strict=True) if good])
        assert np.abs(r - expected_r).max() < 1e-3, sat.satnum  # 1 m
        assert np.abs(v - expected_v).max() < 1e-6, sat.satnum  # 1 mm/s
        checked += ok.sum()
    assert checked > 500


def _jd(times):
    from explainer.astro.timeutil import julian_date

    return julian_date(times)


def _skyfield_itrs(elset, ts, times):
    sat = EarthSatellite(elset.line1, elset.line2, "ISS", ts)
    position = sat.at(skyfield_times(ts, times))
    return position, position.frame_xyz(itrs).km.T


def test_matches_skyfield_full_precision_within_1_m(iss, ts):
    """5,000 random times over the element set's +-3 days: Skyfield's default path (TEME -> GCRS
    with IAU 2000A nutation -> ITRS, UT1 from its built-in IERS table) and ours agree to well under
    1 m (measured: 1e-6 m; removing the UT1 correction would make it 41 m)."""
    rng = np.random.default_rng(25544)
    offsets = rng.uniform(-3 * 86400, 3 * 86400, 5000)
    times = iss.epoch + (offsets * 1e9).astype("int64").astype("timedelta64[ns]")
    ours = subpoints(iss, times)
    position, theirs = _skyfield_itrs(iss, ts, times)
    diff_m = np.linalg.norm(theirs - ours.itrs_km, axis=1) * 1000
    assert diff_m.max() < 1.0
    ll = wgs84.geographic_position_of(position)
    assert np.abs(ll.latitude.degrees - ours.lat_deg).max() < 1e-6  # ~0.1 m
    assert np.abs(wrap_lon(ll.longitude.degrees - ours.lon_deg)).max() < 1e-6
    assert np.abs(ll.elevation.km - ours.alt_km).max() < 1e-3


@pytest.mark.parametrize("day", ["2015-06-30", "2016-12-31"])
def test_ut1_is_right_on_the_day_before_a_leap_second(day, ts):
    """A leap second was inserted at the end of 30 Jun 2015 and 31 Dec 2016 (IERS Bulletin C 49
    and 52). UT1-UTC jumps by +1 s there; interpolating across the jump would be up to 1 s wrong
    on the day before. Reference: Skyfield's own UT1 (TT - Delta T) from its built-in table."""
    times = np.datetime64(day, "ns") + np.arange(0, 2 * 86400, 300) * np.timedelta64(1, "s")
    assert np.abs(dut1_seconds(times) - skyfield_times(ts, times).dut1).max() < 1e-6
    # and a point at ISS height through those days, rotated TEME -> ITRS, against Skyfield
    from skyfield.positionlib import ICRF
    from skyfield.sgp4lib import TEME
    from skyfield.units import Distance, Velocity

    r = np.tile([4500.0, 4500.0, 2500.0], (len(times), 1))
    t = skyfield_times(ts, times)
    theirs = ICRF.from_time_and_frame_vectors(
        t, TEME, Distance(km=r.T), Velocity(km_per_s=np.zeros_like(r.T))).frame_xyz(itrs).km.T
    ours, _ = teme_to_itrs(r, np.zeros_like(r), times)
    assert np.linalg.norm(theirs - ours, axis=1).max() < 1e-3  # 1 m


def test_aiaa_2006_6753_appendix_c_teme_to_itrf():
    """The worked example of Vallado et al. (2006), "Revisiting Spacetrack Report #3", AIAA
    2006-6753 Rev 2, Appendix C (the same numbers Skyfield's test suite checks,
    skyfield/tests/test_earth_satellites.py): 2004-04-06 07:51:28.386 UTC, UT1-UTC = -0.439961 s,
    polar motion xp = -0.140682", yp = 0.333309"."""
    arcsec = np.pi / (180 * 3600)
    r_teme = np.array([[5094.18016210, 6127.64465950, 6380.34453270]])
    v_teme = np.array([[-4.746131487, 0.785818041, 5.531931288]])
    xp, yp = -0.140682 * arcsec, 0.333309 * arcsec
    expected = [-1033.47938300, 7901.29527540, 6380.35659580]
    # the paper carries UT1 as one double-precision Julian date (UTC date, minus UT1-UTC), whose
    # rounding (~10 us) moves the point by ~1 cm; with the same rounding we match all its digits
    jd_ut1 = (2453101.5 + (7 * 3600 + 51 * 60 + 28.386) / 86400) - 0.439961 / 86400
    r, v = teme_to_itrs_ut1(r_teme, v_teme, jd_ut1, 0.0, xp, yp)
    assert np.abs(r[0] - expected).max() < 1e-7  # 0.1 mm (the paper gives 0.01 mm digits)
    assert np.abs(v[0] - [-3.225636520, -2.872451450, 5.531924446]).max() < 7e-8
    # with the date split exactly (as the kit does), the same point to 2 cm
    exact, _ = teme_to_itrs_ut1(r_teme, v_teme, 2453101.5, (28288.386 - 0.439961) / 86400, xp, yp)
    assert np.abs(exact[0] - expected).max() < 2e-5
    # the kit's default neglects polar motion (0.36"): 16.5 m for this point 10,200 km from the
    # centre; for the ISS (6,800 km) about 11 m, as the astropy comparison below finds
    r0, _ = teme_to_itrs_ut1(r_teme, v_teme, jd_ut1, 0.0)
    assert 15 < np.linalg.norm(r0 - r) * 1000 < 18


def test_gmst_is_the_aiaa_2006_6753_formula_as_skyfield_implements_it():
    from skyfield.sgp4lib import theta_GMST1982

    rng = np.random.default_rng(3)
    jd, fr = np.floor(rng.uniform(2440000, 2470000, 1000)) + 0.5, rng.uniform(0, 1, 1000)
    diff = gmst82_rad(jd, fr) - theta_GMST1982(jd, fr)[0]
    assert np.abs(np.angle(np.exp(1j * diff))).max() < 1e-12


def test_against_astropy_teme_to_itrs_with_polar_motion(iss):
    """An independent chain that does not share the GMST shortcut: astropy's TEME -> ITRS with
    its bundled IERS tables (astropy-iers-data; no download), which include polar motion. The kit
    neglects polar motion (0.1-0.4 arcsec, i.e. up to ~13 m at the ISS): measured 0.1-11.3 m,
    mean 8.8 m, over the element set's +-3 days."""
    from astropy import units as u
    from astropy.coordinates import ITRS, TEME, CartesianRepresentation
    from astropy.time import Time
    from astropy.utils import iers

    iers.conf.auto_download = False
    times = iss.epoch + np.arange(-3 * 86400, 3 * 86400, 1800) * np.timedelta64(1, "s")
    r, _ = teme_states(iss, times)
    obstime = Time(times, scale="utc")
    theirs = TEME(CartesianRepresentation(r.T * u.km), obstime=obstime).transform_to(
        ITRS(obstime=obstime)).cartesian.xyz.to_value(u.km).T
    diff_m = np.linalg.norm(theirs - subpoints(iss, times, check=False).itrs_km, axis=1) * 1000
    # max 11.3 m with numpy 2.4 and 15.2 m with numpy 2.0.0 (the lowest allowed; .ci/run step 3)
    assert diff_m.max() < 16 and diff_m.mean() < 12


def test_missing_times_are_refused_by_position(iss):
    import pandas as pd

    times = pd.Series(pd.to_datetime(["2025-11-27 12:00", None]))
    with pytest.raises(TimeError, match="position 1"):
        subpoints(iss, times)


def test_empty_inputs_give_empty_results(iss, iss_sets):
    empty = np.array([], dtype="datetime64[ns]")
    for sp in (subpoints(iss, empty), subpoints(iss_sets, empty), subpoints(iss, [])):
        assert len(sp) == 0 and sp.itrs_km.shape == (0, 3)
    assert [len(a) for a in geodetic(np.empty((0, 3)))] == [0, 0, 0]
    assert dut1_seconds(empty).shape == (0,)
    assert teme_to_itrs(np.empty((0, 3)), np.empty((0, 3)), empty)[0].shape == (0, 3)
    assert teme_states(iss, empty)[0].shape == (0, 3)
    assert separation_km(iss_sets[0], iss_sets[1], empty).shape == (0,)
    assert footprint_radius_deg(np.array([])).shape == (0,)


def test_chunks_do_not_change_the_answer(iss, monkeypatch):
    times = iss.epoch + np.arange(0, 50_000) * np.timedelta64(7, "s")
    whole = subpoints(iss, times, check=False)
    monkeypatch.setattr(orbit, "CHUNK", 1000)
    parts = subpoints(iss, times, check=False)
    assert np.array_equal(whole.itrs_km, parts.itrs_km) and np.array_equal(whole.lat_deg, parts.lat_deg)


def test_a_window_is_served_by_the_sets_covering_it(iss_sets):
    """Per-sample nearest set: a 30-day window inside the shipped data (1 Nov - 1 Dec 2025) works,
    and each time uses the set a single-set call would pick for it."""
    times = np.datetime64("2025-11-01", "ns") + np.arange(0, 30 * 86400, 3600) * np.timedelta64(1, "s")
    with pytest.warns(TleAgeWarning):  # the sets of 17 and 23 Nov are 6 days apart
        many = subpoints(iss_sets, times)
    epochs = np.array([s.epoch for s in iss_sets])
    for k in (0, 200, 500, 719):
        best = iss_sets[int(np.argmin(np.abs(epochs - times[k])))]
        assert np.array_equal(many.itrs_km[k], subpoints(best, times[k : k + 1], check=False).itrs_km[0])


def test_out_of_range_errors_name_only_the_requested_times(iss_sets):
    times = np.array(["2025-12-10", "2030-01-01"], dtype="datetime64[ns]")
    with pytest.raises(TleRangeError) as err:
        subpoints(iss_sets, times)
    message = str(err.value)
    assert "2025-12-10T00:00:00.000Z to 2030-01-01T00:00:00.000Z" in message
    assert "cover 2025-10-18 to 2025-12-15" in message


def test_a_few_days_from_every_set_warns(iss_sets):
    with pytest.warns(TleAgeWarning):
        subpoints(iss_sets, [np.datetime64("2025-12-06")])


def test_physical_invariants_of_the_november_2025_iss(iss_sets, story):
    for s in iss_sets:
        assert s.period_min == pytest.approx(92.9, abs=0.1)
        assert s.inclination_deg == pytest.approx(51.63, abs=0.01)
    track = story.track
    assert track.alt_km.min() > 410 and track.alt_km.max() < 440
    assert np.abs(track.lat_deg).max() == pytest.approx(51.6, abs=0.3)  # geodetic max ~ inclination
    assert np.all((track.orbital_speed_km_s > 7.6) & (track.orbital_speed_km_s < 7.7))
    # vis-viva: v^2 = mu (2/r - 1/a) with a from the mean motion
    mu = 398600.4418
    a = (mu * (iss_sets[0].period_min * 60 / (2 * np.pi)) ** 2) ** (1 / 3)
    r = np.linalg.norm(teme_states(story.elset, track.time[::600])[0], axis=1)
    v = track.orbital_speed_km_s[::600]
    assert np.allclose(v**2, mu * (2 / r - 1 / a), rtol=5e-3)


def test_one_orbit_returns_to_the_same_latitude(iss):
    t0 = np.datetime64("2025-11-27T12:00")
    period = np.timedelta64(int(iss.period_min * 60e9), "ns")
    a, b = subpoints(iss, [t0, t0 + period]).lat_deg
    assert b == pytest.approx(a, abs=0.2)
    # the Earth turns ~23.3 deg under one orbit, so the track shifts west
    lon = subpoints(iss, [t0, t0 + period]).lon_deg
    assert wrap_lon(lon[1] - lon[0]) == pytest.approx(-23.2, abs=0.5)


def test_geodetic_round_trip():
    rng = np.random.default_rng(1)
    lat, lon, h = rng.uniform(-90, 90, 100_000), rng.uniform(-180, 179.9, 100_000), rng.uniform(0, 2000, 100_000)
    lat2, lon2, h2 = geodetic(geodetic_to_itrs(lat, lon, h))
    low = h < 500  # LEO: Bowring's one step is within 2 mm (measured 1.6e-8 deg)
    assert np.abs(lat2 - lat)[low].max() < 2e-8 and np.abs(lat2 - lat).max() < 1.5e-7  # 2 cm
    assert np.abs(lon2 - lon).max() < 1e-12
    assert np.abs(h2 - h).max() < 1e-8  # 0.01 mm
    poles = geodetic(geodetic_to_itrs(np.array([90.0, -90.0]), np.array([0.0, 0.0]), 400.0))
    assert np.allclose(poles[0], [90, -90]) and np.allclose(poles[2], 400)


def test_ground_track_is_vectorised_and_sampled(iss):
    track = ground_track(iss, "2025-11-27T12:00Z", "2025-11-27T13:00Z", step_s=30)
    assert len(track) == 121
    assert np.all(np.diff(track.time) == np.timedelta64(30, "s"))


def test_two_bracketing_sets_disagree_by_a_few_km(story):
    spread = separation_km(*story.bracket, story.track.time)
    assert spread.min() > 3 and spread.max() < 10  # reference sheet: about 6 km, along-track


# --- track splitting --------------------------------------------------------------------

track_points = st.lists(
    st.tuples(st.floats(-170, 170), st.floats(-80, 80)), min_size=2, max_size=60
)


@given(points=track_points, center=st.floats(-180, 180), start=st.floats(-180, 180))
@settings(max_examples=200, deadline=None)
def test_split_track_never_spans_the_map(points, center, start):
    steps = np.array(points)
    lon = wrap_lon(start + np.cumsum(steps[:, 0]))
    lat = steps[:, 1]
    out_lon, out_lat = split_track(lon, lat, center)
    assert out_lon.shape == out_lat.shape
    finite = ~np.isnan(out_lon)
    assert np.all(out_lon[finite] >= center - 180 - 1e-9) and np.all(out_lon[finite] <= center + 180 + 1e-9)
    # within each piece, no jump longer than the original steps (< 180 deg)
    for piece in np.split(out_lon, np.flatnonzero(np.isnan(out_lon))):
        piece = piece[~np.isnan(piece)]
        assert np.all(np.abs(np.diff(piece)) < 180)
    # every original point is kept (wrapped onto the map)
    kept = out_lon[finite]
    for x in wrap_lon(lon, center):
        assert np.min(np.abs(wrap_lon(kept - x))) < 1e-6


def test_split_track_crossing_the_antimeridian_interpolates_the_edge():
    lon, lat = split_track(np.array([170.0, 179.0, -171.0]), np.array([10.0, 11.0, 12.0]))
    assert np.isnan(lon).sum() == 1
    assert lon.tolist()[:3] == [170.0, 179.0, 180.0] and lon.tolist()[4:] == [-180.0, -171.0]
    assert lat[2] == pytest.approx(11.1) and lat[4] == pytest.approx(11.1)


# --- footprints ---------------------------------------------------------------------------

@pytest.mark.parametrize("alt, elev", [(420.0, 0.0), (420.0, 10.0), (35786.0, 5.0)])
def test_footprint_radius_gives_that_elevation_at_its_edge(alt, elev):
    """Independent check by vectors: a satellite above (0, 0) seen from a point on the circle's
    edge stands exactly ``elev`` degrees above the (spherical) horizon."""
    from explainer.astro.orbit import EARTH_MEAN_RADIUS_KM as R

    lam = np.radians(footprint_radius_deg(alt, elev))
    sat = np.array([R + alt, 0.0, 0.0])
    ground = R * np.array([np.cos(lam), np.sin(lam), 0.0])
    up = ground / R
    d = sat - ground
    assert np.degrees(np.arcsin(d @ up / np.linalg.norm(d))) == pytest.approx(elev, abs=1e-9)


def test_footprint_refuses_a_negative_altitude():
    with pytest.raises(ValueError, match="altitude of 0 km or more, not -5 km"):
        footprint(0.0, 0.0, -5.0)


def test_footprint_radius_of_the_iss_in_km():
    # at ~420 km the ISS is above the horizon within ~2,250 km of its ground point
    from explainer.astro.orbit import EARTH_MEAN_RADIUS_KM as R

    assert np.radians(footprint_radius_deg(420.0)) * R == pytest.approx(2252.5, abs=1)
    assert footprint_radius_deg(420.0, 90.0) == pytest.approx(0.0, abs=1e-9)


@given(lat=st.floats(-89.9, 89.9), lon=st.floats(-180, 179.99), alt=st.floats(200, 36000),
       elev=st.sampled_from([0.0, 10.0, 30.0]))
@settings(max_examples=200, deadline=None)
def test_footprint_points_lie_on_the_circle(lat, lon, alt, elev):
    radius = float(footprint_radius_deg(alt, elev))
    f_lon, f_lat = footprint(lat, lon, alt, elev, n=73)
    assert np.all(np.abs(f_lat) <= 90) and np.all((f_lon >= -180) & (f_lon <= 180))
    on_circle = np.abs(np.abs(f_lat) - 90) > 1e-9  # pole-closure points are not on the circle
    d = angular_distance_deg(lat, lon, f_lat[on_circle], f_lon[on_circle])
    edge = np.abs(np.abs(f_lon[on_circle]) - 180) < 1e-9  # interpolated antimeridian points
    assert np.allclose(d[~edge], radius, atol=1e-6)


def test_footprint_around_the_pole_closes_through_it():
    f_lon, f_lat = footprint(80.0, 10.0, 800.0)  # a 26-deg circle at 80 N contains the pole
    assert 90.0 in f_lat
    assert f_lon.min() == -180 and f_lon.max() == 180
