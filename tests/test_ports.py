"""The ports and stays data, the "all eight ports" claim, the CLI contract and the ports app."""

from __future__ import annotations

import csv
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pandas as pd
import pytest

from explainer import data
from explainer.data import DataError
from explainer.paths import data_dir
from explainer.stories import ports

CURRENT = {"Zvezda aft", "Poisk zenith", "Rassvet nadir", "Prichal nadir",
           "Harmony forward (PMA-2)", "Harmony zenith (PMA-3)", "Harmony nadir", "Unity nadir"}


@pytest.fixture(scope="module")
def stays():
    return ports.load_stays()


@pytest.fixture(scope="module")
def port_table():
    return ports.load_ports()


# --- the shipped data ------------------------------------------------------------------------

def test_the_eight_current_ports_are_marked(port_table):
    assert set(port_table.port[port_table.current_visiting_port]) == CURRENT
    assert port_table.port.is_unique


def test_every_stay_names_a_known_port_or_the_arm(stays, port_table):
    assert set(stays.port) <= set(port_table.port) | {ports.ARM}
    arm = stays[stays.port == ports.ARM]
    assert (arm.arrival_kind == "arm_hold").all() and len(arm) >= 1


def test_every_row_has_a_source(stays, port_table):
    for frame in (stays, port_table):
        assert frame.source.str.startswith(("http://", "https://")).all()


def test_arrival_before_departure(stays):
    closed = stays.end_status != "open"  # open stays end at COVERAGE_END (MS-33 docks then)
    assert (stays.start[closed] < stays.end[closed]).all()
    assert (stays.start <= stays.end).all()
    sourced = stays.departure_utc.notna()
    # a date-only departure may fall on the arrival day; otherwise departure is strictly later
    assert (stays.departure_utc[sourced] >= stays.arrival_utc[sourced].dt.normalize()).all()


def test_no_two_stays_overlap_on_one_port(stays):
    for port, g in stays[stays.on_port].groupby("port"):
        g = g.sort_values("start")
        assert (g.start.to_numpy()[1:] >= g.end.to_numpy()[:-1]).all(), port


def test_no_vehicle_is_in_two_places(stays):
    for vehicle, g in stays.groupby("vehicle"):
        g = g.sort_values("start")
        assert (g.start.to_numpy()[1:] >= g.end.to_numpy()[:-1]).all(), vehicle


def test_each_stay_is_within_its_ports_service(stays, port_table):
    window = port_table.set_index("port")
    for r in stays[stays.on_port].itertuples():
        w = window.loc[r.port]
        assert r.arrival_utc >= w.in_service_from.normalize(), r.vehicle
        if pd.notna(w.in_service_to):
            assert r.end <= w.in_service_to.normalize() + pd.Timedelta(days=1), r.vehicle
        else:
            assert r.end <= ports.COVERAGE_END


def test_stays_are_sorted_by_arrival():
    raw = pd.read_csv(data_dir() / ports.STAYS_FILE, keep_default_na=False)
    day = raw.arrival_utc.str[:10]
    assert list(day) == sorted(day)


def test_coverage_end_is_the_last_sourced_event(stays):
    events = pd.concat([stays.arrival_utc, stays.departure_utc.dropna()])
    assert events.max() == ports.COVERAGE_END


def test_empty_departures_are_open_or_flagged(stays):
    empty = stays[stays.departure_utc.isna()]
    assert set(empty.end_status) <= {"open", "unknown"}
    assert set(empty.vehicle[empty.end_status == "open"]) == {
        "Progress MS-32 (Progress 93)", "Soyuz MS-28", "Crew-12 Dragon Freedom",
        "Progress MS-33 (Progress 94)"}
    assert (empty.end[empty.end_status == "open"] == ports.COVERAGE_END).all()
    # a stay whose departure was not found ends no later than the next arrival at its port
    for r in empty[empty.end_status == "unknown"].itertuples():
        later = stays[(stays.port == r.port) & (stays.start > r.start)]
        assert r.end == later.start.min()


def test_ms28_docking_matches_the_fact_sheet(stays):
    assert pd.Timestamp(data.fact_time("docking_utc")) == ports.MS28_DOCKING
    ms28 = stays[stays.vehicle == "Soyuz MS-28"].iloc[0]
    assert ms28.start == ports.MS28_DOCKING and ms28.port == data.ms28_facts()["docking_port"].value


def test_data_module_gives_the_same_tables():
    visits = data.port_visits()
    for col in ("vehicle", "vehicle_type", "agency", "port", "arrival_utc", "departure_utc",
                "source"):
        assert col in visits
    assert len(data.ports()) == 15


# --- the claim -------------------------------------------------------------------------------

def _by_port(result):
    return {p["port"]: p["vehicle"] for p in result["ports"]}


def test_six_ports_full_just_before_ms28_docks():
    before = ports.occupancy_at("2025-11-27T12:30:00Z")
    assert len(before["occupied"]) == 6
    assert _by_port(before)["Rassvet nadir"] is None
    assert before["held_on_arm"] == ["NG-23 Cygnus XL"]


def test_seven_of_eight_when_ms28_docked_with_cygnus_on_the_arm():
    at = ports.occupancy_at("2025-11-27T12:40:00Z")
    assert len(at["occupied"]) == 7 and len(at["ports"]) == 8
    assert _by_port(at)["Unity nadir"] is None
    assert _by_port(at)["Rassvet nadir"] == "Soyuz MS-28"
    assert at["held_on_arm"] == ["NG-23 Cygnus XL"]
    # the docking instant itself already counts Soyuz MS-28
    assert len(ports.occupancy_at(ports.MS28_DOCKING)["occupied"]) == 7


def test_eight_of_eight_on_2_december():
    dec2 = ports.occupancy_at("2025-12-02T00:00:00Z")
    assert len(dec2["occupied"]) == 8
    assert all(p["vehicle"] for p in dec2["ports"])
    assert {p["port"] for p in dec2["ports"]} == CURRENT
    assert _by_port(dec2)["Unity nadir"] == "NG-23 Cygnus XL"
    assert dec2["held_on_arm"] == []


def test_first_time_all_eight_were_full():
    full = ports.first_all_current_full()
    assert full.start.date() == pd.Timestamp("2025-12-01").date()
    assert not full.start_has_time  # the re-berthing is sourced to the day only
    assert full.end == pd.Timestamp("2025-12-09T01:41")
    assert full.completed_by == "NG-23 Cygnus XL" and full.ended_by == "Soyuz MS-27"
    assert dict(full.occupants)["Rassvet nadir"] == "Soyuz MS-28"
    assert 7 < full.days < 8
    # it was also the only time
    assert ports.intervals_with_count(8) == [(full.start, full.end)]


def test_intervals_at_least_and_exactly():
    seven_plus = ports.intervals_with_count(7)
    exactly_seven = ports.intervals_with_count(7, at_least=False)
    assert len(exactly_seven) > len(seven_plus)  # 8 splits one 7+ interval in two
    start, end = seven_plus[0]
    assert start < end and start.year == 2024


def test_busiest_moments_by_era():
    b = ports.busiest_moments()
    assert len(b) == 3
    assert list(b.max_attached) == [6, 6, 8]
    shuttle = b.iloc[0]
    assert "STS-133" in shuttle.vehicles and shuttle.first_at == pd.Timestamp("2011-02-26T19:14")
    assert b.iloc[2].first_at == ports.first_all_current_full().start
    assert (b.caveat == "").all()


def test_events_tell_the_cygnus_shuffle_in_order():
    ev = ports.events("2025-11-20", "2025-12-10")
    assert list(zip(ev.vehicle, ev.port, ev.event, strict=True)) == [
        ("NG-23 Cygnus XL", "Unity nadir", "leaves"),
        ("NG-23 Cygnus XL", ports.ARM, "arrives"),
        ("Soyuz MS-28", "Rassvet nadir", "arrives"),
        ("NG-23 Cygnus XL", ports.ARM, "leaves"),
        ("NG-23 Cygnus XL", "Unity nadir", "arrives"),
        ("Soyuz MS-27", "Prichal nadir", "leaves"),
    ]
    assert list(ev.attached) == [6, 6, 7, 8, 8, 7]
    assert "27 Nov 2025 12:34 UTC: Soyuz MS-28 docks at Rassvet nadir" in ports.describe_events(
        "2025-11-20", "2025-12-10")


def test_occupancy_series_is_a_step_function():
    s = ports.occupancy_series()
    assert s.time.is_monotonic_increasing and s.time.is_unique
    assert (s.attached <= s.in_service).all() and (s.current_occupied <= s.attached).all()
    assert s.in_service.max() == 8 and s.attached.max() == 8
    assert s.time.iloc[-1] == ports.COVERAGE_END


def test_utilisation_fractions():
    u = ports.utilisation().set_index("port")
    assert ((u.fraction >= 0) & (u.fraction <= 1)).all()
    assert u.loc["Zvezda aft", "fraction"] > 0.7  # the Progress port was rarely empty
    late = ports.utilisation("2025-12-01T12:00Z", "2025-12-09T01:41Z")
    assert np.allclose(late.fraction, 1.0) and len(late) == 8
    with pytest.raises(ValueError, match="before it starts"):
        ports.utilisation("2025-12-02", "2025-12-01")


# --- the CLI contract ------------------------------------------------------------------------

def test_occupancy_json_contract():
    result = ports.occupancy_at("2025-11-27T12:40:00Z")
    assert set(result) == {"time_utc", "occupied", "ports", "held_on_arm"}
    assert result["time_utc"].startswith("2025-11-27T12:40:00") and result["time_utc"][-1] == "Z"
    assert all(set(p) == {"port", "vehicle"} for p in result["ports"])
    assert json.loads(json.dumps(result)) == result


def test_cli_ports_prints_the_contract_keys():
    from explainer.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["ports", "2025-11-27T12:40:00Z", "--json"]) == 0
    assert set(json.loads(out.getvalue())) == {"time_utc", "occupied", "ports", "held_on_arm"}


@pytest.mark.parametrize("when, words", [("1998-06-01T00:00Z", "before the first stay"),
                                         ("2026-06-01T00:00Z", "after the data's coverage end")])
def test_out_of_coverage_is_a_one_line_value_error(when, words):
    with pytest.raises(ValueError, match=words) as err:
        ports.occupancy_at(when)
    assert "\n" not in str(err.value)
    from explainer.cli import main

    errors = io.StringIO()
    with redirect_stderr(errors):
        assert main(["ports", when, "--json"]) == 2
    assert words in errors.getvalue() and errors.getvalue().count("\n") == 1


# --- corrupted copies ------------------------------------------------------------------------

def _copy(tmp_path, edit):
    """Copy the two tables to tmp_path, apply ``edit(rows)`` to the stays (list of dicts)."""
    shutil.copy(data_dir() / ports.PORTS_FILE, tmp_path / ports.PORTS_FILE)
    with open(data_dir() / ports.STAYS_FILE, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns, rows = reader.fieldnames, list(reader)
    edit(rows)
    with open(tmp_path / ports.STAYS_FILE, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path


def _row(rows, vehicle, port=None):
    """File row number (header = 1) and the row dict of a vehicle's stay."""
    for n, r in enumerate(rows, start=2):
        if r["vehicle"] == vehicle and (port is None or r["port"] == port):
            return n, r
    raise KeyError(vehicle)


def test_an_unchanged_copy_loads(tmp_path):
    folder = _copy(tmp_path, lambda rows: None)
    assert len(ports.load_stays(folder)) == len(ports.load_stays())


def test_an_overlapping_stay_names_both_rows(tmp_path):
    def edit(rows):
        extra = dict(_row(rows, "Soyuz MS-28")[1], vehicle="Progress TEST",
                     arrival_utc="2025-12-03T10:00Z", departure_utc="2025-12-05T10:00Z",
                     notes="test")
        rows.append(extra)

    folder = _copy(tmp_path, edit)
    with open(folder / ports.STAYS_FILE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ms28 = _row(rows, "Soyuz MS-28")[0]
    with pytest.raises(DataError, match=rf"^iss_stays\.csv: row {len(rows) + 1} overlaps row "
                                        rf"{ms28} on port 'Rassvet nadir'"):
        ports.load_stays(folder)


def test_departure_before_arrival(tmp_path):
    def edit(rows):
        _row(rows, "STS-96")[1]["departure_utc"] = "1999-05-20T00:00Z"

    with pytest.raises(DataError, match=r"^iss_stays\.csv: row 3: departure 1999-05-20T00:00Z "
                                        r"is before arrival 1999-05-29T04:23Z"):
        ports.load_stays(_copy(tmp_path, edit))


def test_missing_source(tmp_path):
    row = {}

    def edit(rows):
        row["n"], r = _row(rows, "HTV-X1")
        r["source"] = ""

    folder = _copy(tmp_path, edit)
    with pytest.raises(DataError, match=rf"^iss_stays\.csv: row {row['n']}, column source"):
        ports.load_stays(folder)


def test_unknown_port(tmp_path):
    def edit(rows):
        _row(rows, "STS-88")[1]["port"] = "Zvezda forward"

    with pytest.raises(DataError, match=r"^iss_stays\.csv: row 2: port 'Zvezda forward' is not "
                                        r"in iss_ports\.csv"):
        ports.load_stays(_copy(tmp_path, edit))


def test_port_not_in_service(tmp_path):
    def edit(rows):
        _row(rows, "STS-96")[1]["port"] = "Harmony nadir"

    with pytest.raises(DataError, match=r"^iss_stays\.csv: row 3: port 'Harmony nadir' is not in "
                                        r"service at the stay's dates"):
        ports.load_stays(_copy(tmp_path, edit))


def test_an_empty_departure_needs_a_tag(tmp_path):
    row = {}

    def edit(rows):
        row["n"], r = _row(rows, "CRS-33")
        r["departure_utc"] = ""

    folder = _copy(tmp_path, edit)
    with pytest.raises(DataError, match=rf"^iss_stays\.csv: row {row['n']}: departure is empty"):
        ports.load_stays(folder)


def test_date_only_departure_and_same_day_arrival_are_not_an_overlap(tmp_path):
    # Progress M-49 left Zvezda aft on 30 Jul 2004 (date only); move M-50's docking to that day
    def edit(rows):
        _row(rows, "Progress M-50 (Progress 15)")[1]["arrival_utc"] = "2004-07-30T18:00Z"

    folder = _copy(tmp_path, edit)
    stays = ports.load_stays(folder)
    m49 = stays[stays.vehicle == "Progress M-49 (Progress 14)"].iloc[0]
    assert m49.end == pd.Timestamp("2004-07-30T12:00")  # noon, before the 18:00 arrival

    # ... but a date-only departure the day AFTER another vehicle's arrival is a real overlap
    def edit_late(rows):
        _row(rows, "Progress M-49 (Progress 14)")[1]["departure_utc"] = "2004-08-15"

    late = tmp_path / "late"
    late.mkdir()
    with pytest.raises(DataError, match=r"overlaps row \d+ on port 'Zvezda aft'"):
        ports.load_stays(_copy(late, edit_late))


def test_date_only_arrival_is_placed_after_a_same_day_departure(tmp_path):
    # Progress M-57's docking is known to the day (26 Jun 2006); put M-55's departure that
    # evening: the arrival must then count from that departure, not from noon
    def edit(rows):
        _row(rows, "Progress M-55 (Progress 20)")[1]["departure_utc"] = "2006-06-26T15:00Z"

    stays = ports.load_stays(_copy(tmp_path, edit))
    m57 = stays[stays.vehicle == "Progress M-57"].iloc[0]
    assert m57.start == pd.Timestamp("2006-06-26T15:00")


# --- the figures and the app -----------------------------------------------------------------

def test_schematic_colours_ports_by_vehicle_and_hover_tells_dates():
    fig = ports.station_schematic("2025-11-27T12:40:00Z")
    port_trace = fig.data[-2]
    colours = dict(zip((c[0] for c in port_trace.customdata), port_trace.marker.color, strict=True))
    assert colours["Unity nadir"] == ports.EMPTY_COLOUR
    assert colours["Rassvet nadir"] == ports.VEHICLE_STYLES["Soyuz"][0]
    rassvet = next(c for c in port_trace.customdata if c[0] == "Rassvet nadir")
    assert "Soyuz MS-28" in rassvet[1] and "27 Nov 2025 12:34 UTC" in rassvet[2]
    assert "NG-23 Cygnus XL" in fig.data[-1].text[0]  # drawn on the arm


def test_gantt_and_count_mark_the_window_and_the_docking():
    full = ports.first_all_current_full()
    for fig in (ports.gantt_figure(), ports.count_figure("2025-08-01", ports.COVERAGE_END)):
        rects = [s for s in fig.layout.shapes if s.type == "rect"]
        lines = [s for s in fig.layout.shapes if s.type == "line"]
        assert pd.Timestamp(rects[0].x0) == full.start and pd.Timestamp(rects[0].x1) == full.end
        assert pd.Timestamp(lines[0].x0) == ports.MS28_DOCKING


def test_ports_app_slider_changes_the_schematic():
    app = ports.PortsApp()
    assert "ports-date" in app.slider._dom_classes
    assert "ports-schematic" in app.schematic._dom_classes
    assert "ports-readout" in app.readout._dom_classes
    app.jump_buttons["MS-28 docks (27 Nov 2025)"].click()
    nov27 = list(app.schematic.data[-2].marker.color)
    assert nov27.count(ports.EMPTY_COLOUR) == 1
    text = app.describe()
    assert text.startswith("On 27 Nov 2025 seven of the eight ports were occupied")
    assert "Unity nadir was empty" in text and "NG-23 Cygnus XL was held on the robotic arm" in text
    assert "7 of 8" in app.readout.value and "held on Canadarm2" in app.readout.value
    next(b for label, b in app.jump_buttons.items() if label.startswith("All eight")).click()
    assert app.days[app.slider.value] == pd.Timestamp("2025-12-01")
    dec1 = list(app.schematic.data[-2].marker.color)
    assert dec1 != nov27 and ports.EMPTY_COLOUR not in dec1
    assert "all eight ports were occupied" in app.describe()
    assert "held on Canadarm2" not in app.readout.value
    app.slider.value = 0  # December 1998: one port, the Shuttle's
    assert len(app.schematic.data[-2].x) == 1 and "STS-88" in app.describe()
