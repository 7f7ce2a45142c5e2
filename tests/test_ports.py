"""The ports and stays data, their rules, the "all eight ports" claim in its honest frame, the
CLI contract, the figures and the ports app."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explainer import data
from explainer.data import DataError, docking
from explainer.data import docking_rules as rules
from explainer.paths import data_dir
from explainer.stories import ports
from explainer.stories.ports import text

CURRENT = {"Zvezda aft", "Poisk zenith", "Rassvet nadir", "Prichal nadir",
           "Harmony forward (PMA-2)", "Harmony zenith (PMA-3)", "Harmony nadir", "Unity nadir"}
# the eight ports NASA lists in "Space Station First: All Docking Ports Fully Occupied" (1 Dec
# 2025), as in ../shared/reference/ms28-and-ports.md section 1


@pytest.fixture(scope="module")
def stays():
    return ports.load_stays()


@pytest.fixture(scope="module")
def port_table():
    return ports.load_ports()


# --- the shipped data ------------------------------------------------------------------------

def test_the_eight_current_ports_are_marked(port_table):
    assert set(port_table.port[port_table.current_visiting_port]) == CURRENT


def test_stays_are_sorted_by_arrival():
    raw = pd.read_csv(data_dir() / docking.STAYS_FILE, keep_default_na=False)
    day = raw.arrival_utc.str[:10]
    assert list(day) == sorted(day)


def test_coverage_end_is_the_last_sourced_event(stays):
    events = pd.concat([stays.arrival_utc, stays.departure_utc.dropna()])
    assert events.max() == ports.COVERAGE_END


def test_open_stays_are_the_four_still_docked(stays):
    empty = stays[stays.departure_utc.isna()]
    assert set(empty.vehicle[empty.end_status == "open"]) == {
        "Progress MS-32 (Progress 93)", "Soyuz MS-28", "Crew-12 Dragon Freedom",
        "Progress MS-33 (Progress 94)"}
    assert (empty.end[empty.end_status == "open"] == ports.COVERAGE_END).all()
    # a stay whose departure was not found ends no later than the next arrival at its port
    for r in empty[empty.end_status == "unknown"].itertuples():
        later = stays[(stays.port == r.port) & (stays.start > r.start)]
        assert r.end == later.start.min()


def test_ms28_docking_comes_from_the_fact_sheet_and_matches_the_stays(stays):
    # 12:34:35 UTC: RussianSpaceWeb and Spacefacts (15:34:35 MSK), NASA 7:34 a.m. EST
    assert ports.ms28_docking() == pd.Timestamp("2025-11-27T12:34:35")
    assert pd.Timestamp(data.fact_time("docking_utc")) == ports.ms28_docking()
    ms28 = stays[stays.vehicle == "Soyuz MS-28"].iloc[0]
    assert ms28.start == ports.ms28_docking()
    assert ms28.port == data.ms28_facts()["docking_port"].value


def test_data_module_gives_the_same_tables():
    visits = data.port_visits()
    for col in ("vehicle", "vehicle_type", "agency", "port", "arrival_utc", "departure_utc",
                "source"):
        assert col in visits
    assert len(data.ports()) == 15


def test_occupancy_imports_no_ui_and_the_data_layer_no_story():
    import subprocess

    code = ("import sys; from explainer.stories.ports.occupancy import occupancy_at; "
            "occupancy_at('2025-11-27T12:40:00Z'); "
            "print(sorted({m.split('.')[0] for m in sys.modules}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert "'pandas'" in loaded  # the probe ran
    for ui in ("plotly", "ipywidgets", "anywidget", "cartopy"):
        assert f"'{ui}'" not in loaded
    sources = Path(docking.__file__).parent.glob("*.py")
    assert not [p.name for p in sources if "explainer.stories.ports" in p.read_text()]


# --- module-delivery vehicles: one rule ------------------------------------------------------

@pytest.mark.parametrize("vehicle, port, arrival, departure", [
    # Progress M-SO1 delivered Pirs: RSC Energia 05:05 MSK docking, 19:30 MSK undocking
    ("Progress M-SO1", "Pirs nadir", "2001-09-17T01:05", "2001-09-26T15:30"),
    # Progress M-MIM2 delivered Poisk: Wikipedia capture 15:41 GMT, undocked 00:16 GMT 8 Dec
    ("Progress M-MIM2", "Poisk zenith", "2009-11-12T15:41", "2009-12-08T00:16"),
    # Progress M-UM delivered Prichal: Seradata 15:19 GMT docking, undocked 02:03 MSK 23 Dec
    ("Progress M-UM", "Prichal nadir", "2021-11-26T15:19", "2021-12-22T23:03"),
])
def test_a_module_delivery_vehicle_is_a_stay_at_the_port_it_occupies(stays, vehicle, port,
                                                                    arrival, departure):
    row = stays[stays.vehicle == vehicle]
    assert len(row) == 1, vehicle
    r = row.iloc[0]
    assert (r.port, r.start, r.end) == (port, pd.Timestamp(arrival), pd.Timestamp(departure))
    assert r.vehicle_type == "Progress" and r.arrival_kind == "launch"


# --- named rules, called directly ----------------------------------------------------------

def _stay(**changes):
    """A good stay row as the rules see it (certain bounds included), with ``changes``."""
    base = dict(vehicle="Progress TEST", vehicle_type="Progress", agency="Roscosmos",
                port="Zvezda aft", arrival_utc=pd.Timestamp("2005-01-01T10:00"),
                departure_utc=pd.Timestamp("2005-02-01T10:00"), arrival_kind="launch",
                notes="", source="https://example.org", arrival_utc_has_time=True,
                departure_utc_has_time=True, row=7)
    base.update(changes)
    frame = docking.with_certainty(pd.DataFrame([base]))
    return next(frame.itertuples())


@pytest.fixture(scope="module")
def lookup(port_table):
    return docking.port_lookup(port_table)


@pytest.mark.parametrize("rule, bad, words", [
    (rules.known_vehicle_type, dict(vehicle_type="Buran"), "vehicle_type 'Buran' is not one of"),
    (rules.known_arrival_kind, dict(arrival_kind="teleport"), "arrival_kind 'teleport'"),
    (rules.arm_hold_is_on_the_arm, dict(arrival_kind="arm_hold"), "held on the arm"),
    (rules.port_is_listed, dict(port="Zvezda forward"), "'Zvezda forward' is not in"),
    (rules.empty_departure_is_tagged, dict(departure_utc=pd.NaT), "departure is empty"),
    (rules.tagged_departure_is_empty, dict(notes=rules.OPEN_TAG + " x"), "is given but"),
    (rules.departure_after_arrival, dict(departure_utc=pd.Timestamp("2004-12-01")),
     "before arrival"),
    (rules.within_coverage, dict(departure_utc=pd.Timestamp("2027-01-01")),
     "after the coverage end"),
    (rules.port_in_service_during_stay, dict(port="Prichal nadir"), "not in service"),
])
def test_each_stay_rule_passes_a_good_row_and_names_a_bad_one(lookup, rule, bad, words):
    assert rule(_stay(), lookup) is None
    assert words in rule(_stay(**bad), lookup)


def test_overlap_rules_report_the_later_row(lookup):
    rows = [_stay()._asdict(), dict(_stay()._asdict(), vehicle="Other", row=8)]
    frame = pd.DataFrame(rows).drop(columns="Index")
    row, message = rules.no_two_stays_on_one_port(frame)
    assert row == 8 and message.startswith("overlaps row 7 on port 'Zvezda aft'")
    assert rules.no_vehicle_in_two_places(frame) is None


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
    assert len(ports.occupancy_at(ports.ms28_docking())["occupied"]) == 7


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
    # ... so the start may be anywhere that day, and the length is a range, not 7.57 days
    assert full.start_range == (pd.Timestamp("2025-12-01T00:00"), pd.Timestamp("2025-12-01T23:59"))
    lo, hi = full.days_range
    assert lo == pytest.approx(7.0708, abs=1e-3) and hi == pytest.approx(8.0701, abs=1e-3)
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
    shutil.copy(data_dir() / docking.PORTS_FILE, tmp_path / docking.PORTS_FILE)
    with open(data_dir() / docking.STAYS_FILE, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns, rows = reader.fieldnames, list(reader)
    edit(rows)
    with open(tmp_path / docking.STAYS_FILE, "w", newline="", encoding="utf-8") as fh:
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
    with open(folder / docking.STAYS_FILE, newline="", encoding="utf-8") as fh:
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


# --- uncertain times, shown as ranges --------------------------------------------------------

def test_cygnus_xl_unberthing_carries_what_each_source_says(stays):
    # NASA's blog: "uninstalled today" on the Soyuz rollout day (24 Nov); Gaya One: 26 Nov
    first = stays[(stays.vehicle == "NG-23 Cygnus XL") & (stays.port == "Unity nadir")].iloc[0]
    assert first.departure_earliest == pd.Timestamp("2025-11-24")
    assert first.departure_latest == pd.Timestamp("2025-11-26T23:59")
    assert "Gaya One" in first.time_note and "24 Nov" in first.time_note
    hold = stays[stays.port == ports.ARM].iloc[0]
    assert (hold.arrival_earliest, hold.arrival_latest) == (first.departure_earliest,
                                                            first.departure_latest)
    assert "24-26 Nov 2025 (sources differ)" in text.stay_dates(hold)[0]
    assert ports.describe_events("2025-11-20", "2025-12-10").startswith(
        "24-26 Nov 2025 (sources differ): NG-23 Cygnus XL leaves Unity nadir")


def test_a_time_range_must_match_exactly_one_stay(tmp_path):
    folder = _copy(tmp_path, lambda rows: None)
    shutil.copy(data_dir() / docking.RANGES_FILE, folder / docking.RANGES_FILE)
    with open(folder / docking.RANGES_FILE, "a", encoding="utf-8") as fh:
        fh.write("Soyuz MS-28,Rassvet nadir,arrival,2025-11-01T00:00Z,2025-11-02T00:00Z,"
                 "test,https://example.org\n")
    with pytest.raises(DataError, match=r"^iss_stay_time_ranges\.csv: row 6: 0 stays of "
                                        r"'Soyuz MS-28'"):
        ports.load_stays(folder)


# --- the honest frame: the first time eight, not the first time full -----------------------

@pytest.fixture(scope="module")
def episodes():
    return ports.full_episodes()


def test_atv5_filled_the_last_vacant_berth_with_five_ports(episodes):
    # Gizmodo, 12 Aug 2014: "ATV-5 arrived at 9:30 am EDT on Tuesday, filling the last vacant
    # berth", five spacecraft docked; Harmony forward and Harmony zenith could not be used
    aug = episodes[episodes.start == pd.Timestamp("2014-08-12T13:30")]
    assert len(aug) == 1
    assert aug.usable_ports.iloc[0] == 5 and aug.ports_in_service.iloc[0] == 7
    assert "Zvezda aft: ATV-5" in aug.vehicles.iloc[0]
    assert set(aug.not_usable.iloc[0].split("; ")) == {"Harmony forward (PMA-2)",
                                                       "Harmony zenith"}


def test_dragon_took_the_last_free_parking_space_in_april_2016(episodes):
    # Smithsonian Air & Space, April 2016: a Dragon on Harmony nadir takes "the station's last
    # free parking space"; "the Russian side ... has four docking ports, ... the U.S. side two"
    apr = episodes[episodes.start.dt.strftime("%Y-%m") == "2016-04"]
    assert len(apr) == 1 and apr.usable_ports.iloc[0] == 6
    assert "Harmony nadir: CRS-8" in apr.vehicles.iloc[0]


def test_eight_once_and_full_many_times_before(episodes):
    full = ports.first_all_current_full()
    last = episodes.iloc[-1]
    assert (last.start, last.end, last.usable_ports) == (full.start, full.end, 8)
    before = episodes[episodes.start < full.start]
    assert len(before) >= 2 and before.usable_ports.max() == 6
    check = ports.claim_check()
    assert len(check.earlier_full) == len(before)
    assert check.occupied_at_docking == 7 and check.attached_at_docking == 8
    assert check.at_docking.held_on_arm == ["NG-23 Cygnus XL"]
    assert check.days_after_docking == 4


def test_a_port_era_names_a_known_port(tmp_path):
    shutil.copy(data_dir() / docking.PORTS_FILE, tmp_path / docking.PORTS_FILE)
    lines = (data_dir() / docking.ERAS_FILE).read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Harmony forward (PMA-2)", "Harmony aft", 1)
    (tmp_path / docking.ERAS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"^iss_port_eras\.csv: row 2: port 'Harmony aft' is not"):
        docking.load_port_eras(tmp_path)


def test_verdict_and_tables_are_built_by_the_story():
    facts = data.ms28_facts()
    md = text.verdict_markdown(ports.claim_check(), facts["all_eight_claim"].value,
                               facts["all_eight_claim"].notes, facts["nasa_eight_of_eight"].value)
    assert "**7 of the 8** ports were occupied; Unity nadir was empty" in md
    assert "between **7.1 and 8.1 days**" in md
    assert "first time **eight**" in md and "not the first time the station was full" in md
    table = text.episodes_table(ports.full_episodes())
    assert list(table.columns)[0] == "From (UTC)"
    shown = table.to_string()
    assert "NaT" not in shown and "True" not in shown and "False" not in shown
    kinds = ports.current_ports_by_kind()
    assert list(kinds.groupby(["segment", "mechanism"]).size().items()) == [
        (("Russian", "docking"), 4), (("US", "berthing"), 2), (("US", "docking"), 2)]


def test_one_port_occupied_is_singular():
    # 20 Dec 2000: only Soyuz TM-31 at Zvezda aft, of four ports in service
    sentence = ports.describe_state(ports.state_at("2000-12-20T23:59:59Z"), day_only=True)
    assert sentence.startswith("On 20 Dec 2000 one of the four ports was occupied")


# --- the figures and the app -----------------------------------------------------------------

@pytest.fixture(scope="module")
def app():
    return ports.PortsApp()


def _ports_trace(app):
    from explainer.stories.ports.schematic import trace

    return trace(app.schematic, "ports")


def test_colour_is_never_the_only_cue():
    from explainer.stories.ports.style import VEHICLE_STYLES

    cues = list(VEHICLE_STYLES.values())
    assert len({(symbol, pattern) for _, symbol, pattern in cues}) == len(cues)

    def luminance(colour):  # WCAG 2.1 relative luminance
        c = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    for a, (colour_a, _, pattern_a) in VEHICLE_STYLES.items():
        for b, (colour_b, _, pattern_b) in VEHICLE_STYLES.items():
            if a < b and pattern_a == pattern_b:  # same bar: lightness must tell them apart
                hi, lo = sorted((luminance(colour_a), luminance(colour_b)), reverse=True)
                assert (hi + 0.05) / (lo + 0.05) >= 3, (a, b)
    # the pairs the issue names: same or near-identical colour, different shape and pattern
    for a, b in (("Soyuz", "Progress"), ("HTV", "HTV-X"), ("ATV", "Starliner"),
                 ("Dragon", "Crew Dragon")):
        (_, sym_a, pat_a), (_, sym_b, pat_b) = VEHICLE_STYLES[a], VEHICLE_STYLES[b]
        assert sym_a != sym_b and pat_a != pat_b, (a, b)
    fig = ports.gantt_figure()
    patterns = {t.name: t.marker.pattern.shape for t in fig.data if t.type == "bar"}
    assert patterns["Soyuz"] != patterns["Progress"] and patterns["HTV"] != patterns["HTV-X"]


def test_charts_mark_the_window_its_uncertainty_and_the_docking():
    full = ports.first_all_current_full()
    for fig in (ports.gantt_figure(), ports.count_figure("2025-08-01", ports.COVERAGE_END)):
        shapes = {s.name: s for s in fig.layout.shapes}
        window = shapes["all eight"]
        assert pd.Timestamp(window.x0) == full.start and pd.Timestamp(window.x1) == full.end
        unsure = shapes["all eight: start uncertain"]
        assert (pd.Timestamp(unsure.x0), pd.Timestamp(unsure.x1)) == full.start_range
        assert pd.Timestamp(shapes["MS-28 docks"].x0) == ports.ms28_docking()
        notes = {a.name: a.text for a in fig.layout.annotations}
        assert "start time not sourced" in notes["all eight"]


def test_chart_titles_name_the_span_shown():
    assert ports.count_figure().layout.title.text.endswith("1998-2026")
    zoom = ports.count_figure("2025-09-01", ports.COVERAGE_END).layout.title.text
    assert zoom.endswith("Sep 2025 - Mar 2026") and "1998" not in zoom
    assert "Sep 2025 - Mar 2026" in ports.gantt_figure("2025-09-01",
                                                       ports.COVERAGE_END).layout.title.text


def test_schematic_colours_ports_by_vehicle_and_hover_tells_dates(app):
    from explainer.stories.ports.schematic import trace
    from explainer.stories.ports.style import EMPTY_COLOUR, VEHICLE_STYLES

    app.jump_buttons["MS-28 docks (27 Nov 2025)"].click()
    port_trace = _ports_trace(app)
    colours = dict(zip((c[0] for c in port_trace.customdata), port_trace.marker.color,
                       strict=True))
    assert colours["Unity nadir"] == EMPTY_COLOUR
    assert colours["Rassvet nadir"] == VEHICLE_STYLES["Soyuz"][0]
    rassvet = next(c for c in port_trace.customdata if c[0] == "Rassvet nadir")
    assert "Soyuz MS-28" in rassvet[1] and "27 Nov 2025 12:34 UTC" in rassvet[2]
    assert "NG-23 Cygnus XL" in trace(app.schematic, "arm-labels").text[0]  # drawn on the arm


def test_narrow_screens_get_numbers_that_match_the_list(app):
    from explainer.stories.ports.schematic import NARROW_CSS, trace

    numbers = [t.replace("<b>", "").replace("</b>", "") for t in
               trace(app.schematic, "port-numbers").text]
    assert numbers == [str(n) for n in range(1, len(app.state.ports) + 1)]
    for n, port in enumerate(app.state.ports, start=1):
        assert f"<td>{n}</td><th scope='row'>{port}</th>" in app.readout_html()
    # the box's width, not the screen's: in JupyterLab a tablet's notebook box is 588 px
    assert "@container (max-width: 599.98px)" in NARROW_CSS and ".overplot .x2y2" in NARROW_CSS
    assert "container-type: inline-size" in NARROW_CSS
    for name, axes in (("port-labels", ("x2", "y2")), ("arm-labels", ("x2", "y2")),
                       ("port-numbers", ("x3", "y3"))):
        assert (trace(app.schematic, name).xaxis, trace(app.schematic, name).yaxis) == axes
    assert app.schematic.layout.xaxis3.matches == "x"


def test_ports_app_slider_changes_the_schematic(app):
    from explainer.stories.ports.style import EMPTY_COLOUR

    assert "ports-date" in app.slider._dom_classes
    assert "ports-schematic" in app.schematic._dom_classes
    assert "ports-readout" in app.readout._dom_classes
    app.jump_buttons["MS-28 docks (27 Nov 2025)"].click()
    nov27 = list(_ports_trace(app).marker.color)
    assert nov27.count(EMPTY_COLOUR) == 1
    described = app.describe()
    assert described.startswith("On 27 Nov 2025 seven of the eight ports were occupied")
    assert "Unity nadir was empty" in described
    assert "NG-23 Cygnus XL was held on the robotic arm" in described
    assert "7 of 8" in app.readout.value and "held on Canadarm2" in app.readout.value
    next(b for label, b in app.jump_buttons.items() if label.startswith("All eight")).click()
    assert app.days[app.slider.value] == pd.Timestamp("2025-12-01")
    dec1 = list(_ports_trace(app).marker.color)
    assert dec1 != nov27 and EMPTY_COLOUR not in dec1
    assert "all eight ports were occupied" in app.describe()
    assert "held on Canadarm2" not in app.readout.value
    assert "not the first time the station was full" in app.record.value
    app.slider.value = 0  # December 1998: one port, the Shuttle's
    assert len(_ports_trace(app).x) == 1 and "STS-88" in app.describe()
