"""Sixty years of Soyuz: the flight table, its checks, the analyses, the charts and the app."""

import csv
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explainer import data
from explainer.data import DataError, flight_schema, flights
from explainer.paths import data_dir
from explainer.stories import soyuz

ABORTS = {"Soyuz 18a", "Soyuz T-10-1", "Soyuz MS-10"}
FATAL = {"Soyuz 1", "Soyuz 11"}
UNCREWED = {"Soyuz 2", "Soyuz 20", "Soyuz 34", "Soyuz T-1", "Soyuz TM-1", "Soyuz MS-14",
            "Soyuz MS-23"}


@pytest.fixture(scope="module")
def df():
    return flights.load_flights()


def row_of(frame, flight):
    return frame[frame.flight == flight].iloc[0]


# --- the data as shipped -----------------------------------------------------------------------

def test_soyuz_flights_has_the_promised_columns(df):
    frame = data.soyuz_flights()
    for col in ("flight", "launch_utc", "landing_utc", "crewed", "crew", "generation",
                "destination", "outcome", "source", "crew_size", "docking_utc", "notes"):
        assert col in frame.columns, col
    assert frame.flight.tolist() == df.flight.tolist()


def test_row_counts(df):
    assert len(df) == 161
    assert int(df.crewed.sum()) == 154
    assert set(df.flight[~df.crewed]) == UNCREWED
    assert df.flight.iat[0] == "Soyuz 1" and df.flight.iat[-1] == "Soyuz MS-28"




def test_rows_are_numbered_as_in_the_file(df):
    assert df.row.tolist() == list(range(2, len(df) + 2))


def test_only_ms28_is_still_in_space(df):
    assert df.flight[df.landing_utc.isna()].tolist() == ["Soyuz MS-28"]  # still in space




def test_crews_of_one_to_three(df):
    assert set(df.crew_size[df.crewed]) == {1, 2, 3}


def test_outcomes_aborts_and_losses(df):
    assert set(df.flight[df.outcome == "launch abort"]) == ABORTS
    assert set(df.flight[df.outcome == "fatal"]) == FATAL


def test_ms28_times(df):
    ms28 = row_of(df, "Soyuz MS-28")
    assert ms28.docking_utc == pd.Timestamp("2025-11-27T12:34:35")
    assert ms28.launch_utc == pd.Timestamp("2025-11-27T09:27:57")
    assert ms28.destination == "ISS" and ms28.crew_size == 3




def test_generation_years_table_is_what_the_data_show(df):
    span = df.groupby("generation").year.agg(["min", "max"])
    for gen, (first, last) in flight_schema.GENERATION_YEARS.items():
        assert span.at[gen, "min"] == first, gen
        assert last is None or span.at[gen, "max"] == last, gen




# --- corrupted copies --------------------------------------------------------------------------

def _rows():
    with open(data_dir() / flight_schema.FILE, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(folder, rows):
    with open(folder / flight_schema.FILE, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _index(rows, flight):
    return next(i for i, r in enumerate(rows) if r["flight"] == flight)


def _set(target, **changes):
    def mutate(rows):
        rows[_index(rows, target)].update(changes)
        return changes.get("flight", target)
    return mutate


def _duplicate(rows):
    rows[_index(rows, "Soyuz 12")]["flight"] = "Soyuz 11"
    return "Soyuz 11"  # the second row named Soyuz 11 (the former Soyuz 12) is reported


def _landing_before_launch(rows):
    r = rows[_index(rows, "Soyuz T-5")]
    r["landing_utc"] = (pd.Timestamp(r["launch_utc"]) - pd.Timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%MZ")
    return "Soyuz T-5"


def _swap_rows(rows):
    i = _index(rows, "Soyuz TMA-5")
    rows[i], rows[i + 1] = rows[i + 1], rows[i]
    return "Soyuz TMA-5"  # now below the later TMA-6


CORRUPTIONS = {  # "<rule>" or "<rule>: <case>" -> (mutation, words of the rule's message)
    "unique_name": (_duplicate, "duplicate flight name"),
    "landing_after_launch": (_landing_before_launch, "is not after launch"),
    "landing_after_launch: at launch time": (_set("Soyuz 9", landing_utc="1970-06-01T19:00:00Z"),
                                             "is not after launch"),
    "crewed_lists_crew": (_set("Soyuz 3", crew=""), "must list its crew"),
    "crew_listed_once": (_set("Soyuz 11", crew="Georgy Dobrovolsky; Georgy Dobrovolsky; "
                                               "Viktor Patsayev"), "listed twice"),
    "crew_size_counts_names": (_set("Soyuz MS-28", crew_size="2"), "crew_size is 2"),
    "uncrewed_has_no_crew": (_set("Soyuz 20", crew_size="2"), "uncrewed flight"),
    "crew_outcome_needs_crew": (_set("Soyuz 20", outcome="fatal"), "needs a crewed flight"),
    "generation_fits_name": (_set("Soyuz MS-28", generation="Soyuz-TMA"),
                             "cannot be generation"),
    "launched_in_generation_years": (_set("Soyuz 40", generation="7K-OK"),
                                     "outside the 7K-OK years"),
    "known_generation": (_set("Soyuz TM-9", generation="Soyuz-TMX"), "is not one of"),
    "known_destination": (_set("Soyuz 24", destination="Skylab"), "is not one of"),
    "known_outcome": (_set("Soyuz 25", outcome="partial"), "is not one of"),
    "docking_not_after_landing": (_set("Soyuz TM-2", docking_utc="1988-01-01"), "after landing"),
    "docking_not_before_launch": (_set("Soyuz TMA-08M", docking_utc="2013-03-27T02:28Z"),
                                  "before launch"),
    "abort_never_docks": (_set("Soyuz MS-10", docking_utc="2018-10-11T08:50Z"),
                          "launch abort cannot"),
    "landing_empty_only_in_flight": (_set("Soyuz 11", landing_utc=""),
                                     "not marked as in flight"),
    "in_launch_order": (_swap_rows, "launch order"),
    "naming_style": (_set("Soyuz TM-9", flight="Soyuz-TM 9"), "naming styles"),
}


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_a_corrupted_copy_names_file_row_and_problem(tmp_path, case):
    mutate, problem = CORRUPTIONS[case]
    rows = _rows()
    flight = mutate(rows)
    _write(tmp_path, rows)
    # the row as a spreadsheet numbers it (header = row 1); for a duplicate, the later one
    expected_row = max(i for i, r in enumerate(rows) if r["flight"] == flight) + 2
    if case == "in_launch_order":
        expected_row = _index(rows, flight) + 2
    with pytest.raises(DataError) as err:
        flights.load_flights(tmp_path)
    message = str(err.value)
    assert message.startswith("soyuz_flights.csv: ")
    assert f"row {expected_row} " in message, message
    assert problem in message, message


def test_every_rule_has_a_corrupted_copy_that_breaks_it_alone():
    row_rules = {rule.__name__ for _, rule in flight_schema.ROW_RULES}
    assert {case.split(":")[0] for case in CORRUPTIONS} == row_rules
    # the table rules are exercised by the two monkeypatched tests below
    assert {rule.__name__ for _, rule in flight_schema.TABLE_RULES} == {
        "generations_in_order", "generations_overlap_briefly"}


@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_the_rule_alone_finds_the_corrupted_row(tmp_path, case):
    mutate, problem = CORRUPTIONS[case]
    rows = _rows()
    mutate(rows)
    _write(tmp_path, rows)
    frame = data.read_table(flight_schema.FILE, flight_schema.SCHEMA, tmp_path)
    table = flight_schema.Table.of(frame, [i + 2 for i in range(len(frame))])
    rule = next(r for _, r in flight_schema.ROW_RULES if r.__name__ == case.split(":")[0])
    found = [(i, rule(r, i, table)) for i, r in enumerate(frame.itertuples(index=False))]
    found = [(i, message) for i, message in found if message]
    assert len(found) == 1 and problem in found[0][1], found


def test_the_unchanged_copy_loads(tmp_path):
    _write(tmp_path, _rows())
    assert len(flights.load_flights(tmp_path)) == 161


def test_overlap_check_catches_a_mislabel_the_year_table_lets_through(tmp_path, monkeypatch):
    # widen the documented years so only the whole-table check can see Soyuz 40 as a 7K-OK
    monkeypatch.setitem(flight_schema.GENERATION_YEARS, "7K-OK", (1967, 1990))
    rows = _rows()
    _set("Soyuz 40", generation="7K-OK")(rows)
    _write(tmp_path, rows)
    with pytest.raises(DataError, match=r"row (\d+) \(Soyuz 40\).*side by side") as err:
        flights.load_flights(tmp_path)
    assert f"row {_index(rows, 'Soyuz 40') + 2} " in str(err.value)


def test_order_check_catches_a_generation_that_starts_too_early(tmp_path, monkeypatch):
    monkeypatch.setitem(flight_schema.GENERATION_YEARS, "7K-T", (1967, 1981))
    rows = _rows()
    _set("Soyuz 1", generation="7K-T")(rows)
    _write(tmp_path, rows)
    with pytest.raises(DataError, match=r"row 2 \(Soyuz 1\).*7K-T first flies before"):
        flights.load_flights(tmp_path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(DataError, match="soyuz_flights.csv: the file is missing"):
        flights.load_flights(tmp_path)


# --- analyses ----------------------------------------------------------------------------------

def test_rendezvous_hours(df):
    r = soyuz.rendezvous_hours(df).set_index("flight")
    assert set(df.destination[df.flight.isin(r.index)]) == {"ISS"}
    assert r.at["Soyuz MS-28", "hours"] == pytest.approx(3.11, abs=0.005)
    assert 5.7 <= r.at["Soyuz TMA-08M", "hours"] <= 6.0
    assert 47 <= r.at["Soyuz TM-31", "hours"] <= 51  # first ISS crew, two-day profile
    crewed = r[r.crewed]
    # before TMA-08M every ISS crew took about two days; MS-17 opened the two-orbit era
    before = crewed.loc[: "Soyuz TMA-07M"]
    assert (before.hours > 45).all()
    assert crewed.index[crewed.profile.str.startswith("4 orbits")][0] == "Soyuz TMA-08M"
    assert crewed.index[crewed.profile.str.startswith("2 orbits")][0] == "Soyuz MS-17"
    assert crewed.hours.idxmin() == "Soyuz MS-17"


def test_rendezvous_of_a_1990s_mir_flight_took_two_days(df):
    r = soyuz.rendezvous_hours(df, destination=None).set_index("flight")
    assert r.at["Soyuz TM-10", "hours"] == pytest.approx(50.2, abs=0.1)
    assert "Soyuz TM-24" not in r.index  # docking date without a time of day is left out


def test_crewed_number_of_ms28_both_ways(df):
    assert soyuz.crewed_number(df, "Soyuz MS-28") == 154
    assert soyuz.crewed_number(df, "Soyuz MS-28", count_aborts=False) == 151
    assert soyuz.crewed_number(df, "Soyuz 1") == 1
    assert soyuz.crewed_number(df, "Soyuz 3") == 2  # Soyuz 2 flew uncrewed
    with pytest.raises(ValueError, match="reached orbit"):
        soyuz.crewed_number(df, "Soyuz T-10-1", count_aborts=False)


@pytest.fixture(scope="module")
def returns(df):
    return flights.load_crewed_returns(flights=df)


def test_crewed_returns_name_the_crews_they_brought_home(returns):
    assert returns.flight.tolist() == ["Soyuz 34", "Soyuz MS-23"]
    assert returns.crew.tolist() == ["Vladimir Lyakhov; Valery Ryumin",
                                     "Sergey Prokopyev; Dmitry Petelin; Francisco Rubio"]


def test_a_crewed_return_that_launched_with_a_crew_is_refused(tmp_path, df):
    (tmp_path / flights.RETURNS_FILE).write_text(
        "flight,crew_of,notes,source\nSoyuz 33,Soyuz 32,,https://example.org/a\n")
    with pytest.raises(DataError, match=r"soyuz_crewed_returns.csv: row 2 \(Soyuz 33\), column "
                                        "flight: launched with a crew"):
        flights.load_crewed_returns(tmp_path, flights=df)


def test_ordinals_agree_with_published_counts(df, returns):
    back = returns.flight
    # NASA NSSDCA, Soyuz MS-18 (2021-029A): "Soyuz MS-18 was the 146th launch of a crewed Soyuz
    # spacecraft", https://nssdc.gsfc.nasa.gov/nmc/spacecraft/display.action?id=2021-029A
    assert soyuz.crewed_number(df, "Soyuz MS-18", crewed_returns=back) == 146
    # French Wikipedia, Soyouz MS-18 (read in a translated copy, it.frwiki.wiki/wiki/Soyouz_MS-18):
    # the 146th crewed Soyuz flight, the 143rd put into orbit
    assert soyuz.crewed_number(df, "Soyuz MS-18", count_aborts=False, crewed_returns=back) == 143
    # English Wikipedia, Soyuz MS-10: "MS-10 was the 139th flight of a Soyuz spacecraft"
    assert soyuz.crewed_number(df, "Soyuz MS-10", crewed_returns=back) == 139
    # raumfahrer.net forum (topic 3747, 2008): counting Soyuz 34 (landed with a crew) and both
    # aborts, Soyuz TMA-13 is the 100th Soyuz mission
    assert soyuz.crewed_number(df, "Soyuz TMA-13", crewed_returns=back) == 100
    # without the crewed returns every count after June 1979 is one lower: Soyuz 34 is the gap
    assert soyuz.crewed_number(df, "Soyuz MS-18") == 145
    assert soyuz.crewed_number(df, "Soyuz 35") == soyuz.crewed_number(
        df, "Soyuz 35", crewed_returns=back) - 1
    assert soyuz.crewed_number(df, "Soyuz 33") == soyuz.crewed_number(
        df, "Soyuz 33", crewed_returns=back)


def test_ordinals_of_ms28_all_four_ways(df, returns):
    table = soyuz.crewed_ordinals(df, "Soyuz MS-28", returns.flight)
    assert table.number.tolist() == [154, 151, 156, 153]
    text = soyuz.describe_ordinals("Soyuz MS-28", table)
    assert "every launch with a crew aboard: Soyuz MS-28 is number **154**" in text
    assert "plus the flights that launched empty and brought a crew home" in text
    aborted = soyuz.crewed_ordinals(df, "Soyuz MS-10", returns.flight)
    assert aborted.number.isna().tolist() == [False, True, False, True]
    assert "Soyuz MS-10 is not counted" in soyuz.describe_ordinals("Soyuz MS-10", aborted)


@pytest.fixture(scope="module")
def crewed_rendezvous(df):
    r = soyuz.rendezvous_hours(df)
    return r[r.crewed].reset_index(drop=True)


def test_rendezvous_eras_and_their_exceptions(crewed_rendezvous):
    eras = soyuz.rendezvous_eras(crewed_rendezvous).set_index("first_flight")
    assert list(eras.index) == ["Soyuz TM-31", "Soyuz TMA-08M", "Soyuz MS-17"]
    assert list(eras.profile) == list(soyuz.PROFILES[:3])
    assert eras.exceptions["Soyuz TM-31"].empty
    # two-orbit era: MS-20 docked "after 6-hour profile" (spacefacts, soyuz-ms-20.htm); MS-25
    # flew a "2-day profile" (russianspaceweb.com/soyuz-ms-25.html)
    two_orbit = eras.exceptions["Soyuz MS-17"]
    assert two_orbit.flight.tolist() == ["Soyuz MS-20", "Soyuz MS-25"]
    assert two_orbit.profile.tolist() == [soyuz.PROFILES[1], soyuz.PROFILES[0]]
    assert eras.at["Soyuz MS-17", "flights"] == 11


def test_two_day_flights_after_the_first_six_hour_one(crewed_rendezvous):
    # the fact-check of issue 13 (item 13) listed these, each sourced in its row's notes:
    # TMA-12M (missed burn), MS-01 (tests) and TMA-18M, MS-02, MS-03, MS-07, MS-08, MS-09, MS-25
    later = soyuz.flights_with_profile(crewed_rendezvous, soyuz.PROFILES[0], after="Soyuz TMA-08M")
    assert later == ["Soyuz TMA-12M", "Soyuz TMA-18M", "Soyuz MS-01", "Soyuz MS-02",
                     "Soyuz MS-03", "Soyuz MS-07", "Soyuz MS-08", "Soyuz MS-09", "Soyuz MS-25"]
    text = soyuz.describe_rendezvous_eras(soyuz.rendezvous_eras(crewed_rendezvous))
    for flight in later + ["Soyuz MS-20"]:
        assert flight in text, flight
    assert "From October 2020 (Soyuz MS-17): 9 of 11 crewed flights" in text


# --- crew names: one spelling, the data's ----------------------------------------------------

VIEWS = ["notebooks/03_sixty_years_of_soyuz.ipynb", "explainer/dashboard.py",
         *[f"explainer/stories/soyuz/{m}.py" for m in ("analyses", "text", "figures", "timeline",
                                                       "app")]]


@pytest.mark.parametrize("view", VIEWS)
def test_no_view_hard_codes_the_ms28_crew(df, view):
    root = Path(__file__).parents[1]
    text = (root / view).read_text(encoding="utf-8")
    for name in [*soyuz.crew_of(df, "Soyuz MS-28"), "Mikaev", "Mikayev", "Chris Williams"]:
        assert name not in text, name


def test_the_dashboard_intro_names_the_crew_as_the_data_do(df):
    from explainer.dashboard import build_dashboard

    intro = build_dashboard().children[0].value
    assert "with\n" + soyuz.join_names(soyuz.crew_of(df, "Soyuz MS-28")) + "." in intro


def test_flights_per_year(df):
    per = soyuz.flights_per_year(df)
    assert per.index[0] == 1967 and per.index[-1] == 2025
    assert per.total.sum() == len(df) and per.aborts.sum() == 3
    assert per.at[1972, "total"] == 0  # the pause after Soyuz 11
    assert per.at[1980, "total"] == 6
    assert per.at[2018, "aborts"] == 1


def test_durations(df):
    d = soyuz.durations_days(df)
    assert d["Soyuz 18a"] * 24 * 60 == pytest.approx(21.45, abs=0.05)
    assert np.isnan(d["Soyuz MS-28"])
    assert d.idxmax() == "Soyuz MS-27" and 240 < d.max() < 250


def test_crew_sizes(df):
    t = soyuz.crew_sizes(df)
    assert int(t.to_numpy().sum()) == 154
    assert t.loc["7K-T"].tolist() == [0, 25, 0]
    assert t.loc["Soyuz-TMA-M"].tolist() == [0, 0, 20]


def test_losses_and_aborts(df):
    la = soyuz.losses_and_aborts(df)
    assert la.flight.tolist() == ["Soyuz 1", "Soyuz 11", "Soyuz 18a", "Soyuz T-10-1",
                                  "Soyuz MS-10", "Soyuz MS-22"]
    assert la.set_index("flight").at["Soyuz MS-22", "outcome"] == "anomaly"
    assert (la.kind == "loss of crew").sum() == 2


def test_station_bands_come_from_the_data(df):
    bands = soyuz.station_bands(df).set_index("station")
    assert list(bands.index) == list(soyuz.STATION_NAMES)
    assert bands.at["Mir", "start"] == row_of(df, "Soyuz T-15").launch_utc
    assert bands.at["Mir", "end"] == row_of(df, "Soyuz TM-30").landing_utc
    assert bands.at["ISS", "ongoing"] and not bands.at["Mir", "ongoing"]
    assert (bands.start.to_numpy()[1:] > bands.end.to_numpy()[:-1]).all()  # no overlaps


def test_source_sites(df):
    sites = soyuz.source_sites(df, n=40)
    assert sites["spacefacts.de"] >= 20 and sites["russianspaceweb.com"] >= 10
    assert sites.is_monotonic_decreasing and (sites <= len(df)).all()


# --- charts, text alternatives, app ------------------------------------------------------------

def test_timeline_has_one_marker_per_flight(df):
    fig = soyuz.timeline_figure(df)
    traces = soyuz.flight_traces(fig)
    assert sum(len(t.x) for t in traces) == len(df)
    assert {t.name for t in traces} == set(soyuz.GENERATIONS)
    for t in traces:
        assert set(t.y) == {t.name}
        assert len(t.hovertext) == len(t.x) == len(t.marker.symbol)
    events = [a.text for a in fig.layout.annotations if (a.name or "").startswith("event:")]
    assert events == ["Soyuz 1", "Soyuz 11", "Soyuz 18a", "Soyuz T-10-1", "Soyuz MS-10",
                      "Soyuz MS-22"]
    assert len(fig.layout.shapes) == len(soyuz.STATION_NAMES)
    hover = " ".join(h for t in traces for h in t.hovertext)
    assert "Soyuz MS-28" in hover and soyuz.crew_of(df, "Soyuz MS-28")[-1] in hover


def test_other_figures(df):
    r = soyuz.rendezvous_figure(df)
    assert [a.text.split(":")[0] for a in r.layout.annotations] == [
        "TMA-08M (2013)", "MS-17 (2020)", "Soyuz MS-28"]  # each era's first flight, the latest
    assert r.data[-1].name == "Soyuz MS-28 (latest)"
    assert r.data[-1].y[0] == pytest.approx(3.11, abs=0.005)
    per = soyuz.per_year_figure(df)
    assert sum(sum(t.y) for t in per.data) == len(df)
    dur = soyuz.durations_figure(df)
    assert sum(len(t.x) for t in dur.data) == len(df) - 1  # MS-28 has not landed
    crew = soyuz.crew_size_figure(df)
    assert sum(sum(t.x) for t in crew.data) == 154
    assert {t.orientation for t in crew.data} == {"h"}  # names level at any width
    assert list(crew.data[0].y) == list(soyuz.crew_sizes(df).index)
    assert crew.layout.yaxis.autorange == "reversed"  # the first generation at the top


def test_text_alternatives_say_what_the_charts_show(df):
    assert soyuz.describe_timeline(df).startswith("Timeline of 161 flights from 1967 to 2025")
    assert "no launch in 1972" in soyuz.describe_per_year(df)
    text = soyuz.describe_rendezvous(soyuz.rendezvous_hours(df))
    assert "Soyuz MS-28, docked 3 h 07 min after launch" in text
    assert "Soyuz MS-27, lasted 245 days" in soyuz.describe_durations(df)
    assert "7K-T: 25 with 2" in soyuz.describe_crew_sizes(df)


@pytest.fixture(scope="module")
def app(df):
    return soyuz.SoyuzApp(df)


def test_app_filters_reduce_the_count_in_place(app, df):
    app.show_all()
    fig = app.timeline
    assert "161</b> of 161 flights shown" in app.count.value
    app.era.value = (1980, 1991)
    shown = df[(df.year >= 1980) & (df.year <= 1991)]
    assert app.timeline is fig  # updated, not replaced
    assert f"{len(shown)}</b> of 161 flights shown" in app.count.value
    assert sum(len(t.x) for t in soyuz.flight_traces(fig)) == len(shown) < len(df)
    assert f"Timeline of {len(shown)} flights from 1980 to 1991" in app.timeline_text.value
    assert "Bar chart of Soyuz launches per year, 1980 to 1991" in app.per_year_text.value
    assert sum(sum(t.y) for t in app.per_year.data) == len(shown)
    app.show_all()
    app.destination.value = ("ISS",)
    assert "74</b> of 161" in app.count.value
    app.show_all()
    app.outcome.value = ("launch abort", "fatal")
    assert "5</b> of 161" in app.count.value
    visible = {a.text for a in fig.layout.annotations
               if (a.name or "").startswith("event:") and a.visible is not False}
    assert visible == ABORTS | FATAL
    app.show_all()
    app.uncrewed.value = False
    assert "154</b> of 161" in app.count.value
    app.show_all()
    assert len(app.shown) == 161


def test_app_css_classes(app):
    def classes(w):
        return set(w._dom_classes)

    containers = [w for w in app.widget.children if "soyuz-timeline" in classes(w)]
    assert len(containers) == 1 and containers[0].children[0] is app.timeline
    for w in (app.era, app.destination, app.outcome, app.uncrewed):
        assert "soyuz-filter" in classes(w)
    assert "soyuz-count" in classes(app.count)


def test_app_callback_is_cheap(app):
    times = []
    for lo in range(1967, 2025, 4):
        t0 = time.perf_counter()
        app.era.value = (lo, lo + 8)
        times.append(time.perf_counter() - t0)
    app.show_all()
    assert float(np.median(times)) < 0.05  # target 20 ms; generous for slow machines


# --- layers ------------------------------------------------------------------------------------

def test_loading_the_flights_imports_no_ui_and_no_story():
    import subprocess
    import sys

    code = ("import sys; from explainer import data; data.soyuz_flights(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'plotly', 'ipywidgets'}), "
            "[m for m in sys.modules if m.startswith('explainer.stories')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]", "[]"], out.stdout


@pytest.mark.parametrize("module", ["analyses", "text"])
def test_analyses_and_text_import_no_ui(module):
    import ast

    path = Path(soyuz.__file__).parent / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"plotly", "ipywidgets"}


# --- narrow screens and empty filters ----------------------------------------------------------

def test_a_narrow_box_gets_the_vertical_timeline_and_back(df):
    app = soyuz.SoyuzApp(df)
    fig = app.timeline
    app.fit(0)  # no browser has reported a width yet: keep the wide timeline
    assert not app.narrow and fig.layout.xaxis.type == "date"
    app.fit(350)
    assert app.narrow and app.timeline is fig
    assert fig.layout.xaxis.type == "category" and fig.layout.yaxis.type == "date"
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # 1967 at the top
    traces = soyuz.flight_traces(fig)
    assert sum(len(t.y) for t in traces) == len(df)
    assert all(set(t.x) == {t.name} for t in traces if len(t.x))
    assert "placed by date (vertical)" in app.timeline_text.value
    tall = fig.layout.height
    app.era.value = (2000, 2010)  # fewer years, a shorter chart; the axis follows the filter
    assert fig.layout.height < tall and fig.layout.yaxis.range == ("2011-03-31", "1999-10-01")
    assert app.per_year.layout.legend.y < 0  # legend under the bars
    app.fit(1200)
    assert not app.narrow and fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickvals is None
    assert fig.layout.xaxis.range == ("1999-10-01", "2011-03-31")
    assert all(set(t.y) <= {t.name} for t in traces)
    assert {a.name for a in fig.layout.annotations} == {
        a.name for a in soyuz.timeline_figure(df).layout.annotations}


def test_narrow_station_labels_do_not_overlap(df):
    layout = soyuz.timeline.timeline_layout(df, narrow=True)
    height = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    top, bottom = (pd.Timestamp(t) for t in layout["yaxis"]["range"])
    labels = []
    for a in layout["annotations"]:
        if a["name"].startswith("band:"):
            y = (pd.Timestamp(a["y"]) - top) / (bottom - top) * height  # px from the top
            width = 7.5 * len(a["text"])  # 11 px font: at most 7.5 px a character
            labels.append((a["xshift"], a["xshift"] + width, y - 8, y + 8))
    assert len(labels) == len(soyuz.STATION_NAMES)
    for i, (l1, r1, t1, b1) in enumerate(labels):
        for l2, r2, t2, b2 in labels[i + 1:]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, labels
        assert r1 <= layout["margin"]["r"]  # inside the margin, not cut off


def test_an_empty_filter_says_so_and_leaves_the_charts_alone(df):
    app = soyuz.SoyuzApp(df)
    before = [list(t.x) for t in app.timeline.data]
    app.destination.value = ("ISS",)
    app.outcome.value = ("fatal",)
    assert "No flights match" in app.count.value and "<b>0</b> of 161" in app.count.value
    assert app.empty.layout.display is None
    assert app._timeline_box.layout.display == "none" and app._per_year_box.layout.display == "none"
    # nothing emptied (empty traces and categories are what made plotly log errors)
    assert sum(len(t.x) for t in soyuz.flight_traces(app.timeline)) > 0
    assert "no flights match the filters" in app.timeline_text.value
    app.show_all()
    assert [list(t.x) for t in app.timeline.data] == before
    assert app.empty.layout.display == "none" and app._timeline_box.layout.display is None


def test_every_list_shows_all_its_options(app):
    # a scrolled list can hide its selected item; these lists never scroll
    assert app.destination.rows == len(app.destination.options)
    assert app.outcome.rows == len(app.outcome.options)


def test_unknown_flights_are_named_in_the_error(df, crewed_rendezvous):
    with pytest.raises(ValueError, match="'Soyuz 99' is not a flight"):
        soyuz.crew_of(df, "Soyuz 99")
    with pytest.raises(ValueError, match="'Soyuz TM-24' has no known rendezvous time"):
        soyuz.flights_with_profile(crewed_rendezvous, soyuz.PROFILES[0], after="Soyuz TM-24")


# --- charts laid out for their box (notebook 03) ----------------------------------------------

def text_boxes_px(layout: dict, width: int, axis_px: int = 45) -> list[tuple[float, float]]:
    """Left and right edges (px from the plot area's left) of the rendezvous chart's narrow marks,
    their tails placed in data coordinates; 11 px text is at most 6.5 px a character
    (plotly's default font), and the y axis's ticks and title take about ``axis_px``."""
    legend_px = 175 if layout["legend"]["orientation"] == "v" else 0  # "about 34 orbits (2 days)"
    plot = width - layout["margin"]["l"] - layout["margin"]["r"] - axis_px - legend_px
    x0, x1 = (pd.Timestamp(t) for t in layout["xaxis"]["range"])
    boxes = []
    for a in layout["annotations"]:
        assert a["axref"] == "x"
        at = (pd.Timestamp(a["ax"]) - x0) / (x1 - x0) * plot
        w = 6.5 * len(a["text"]) + 6  # padding and border
        boxes.append((at - w, at) if a["xanchor"] == "right" else (at - w / 2, at + w / 2))
    return boxes, plot


@pytest.mark.parametrize("width", [274, 320, 420, 599, 600, 899])
def test_narrow_rendezvous_marks_stay_inside_the_plot(crewed_rendezvous, width):
    # on a phone the wide layout's marks ran off the plot over the tick labels and the axis
    # title ("MS-17 (2020): first 2-orbit..." over tick "2"); JupyterLab's output box is
    # 256 px wide on a 360 px screen. Up to 900 px the legend beside the plot leaves too little
    # room for the long marks.
    layout = soyuz.figures.rendezvous_layout(crewed_rendezvous, width)
    boxes, plot = text_boxes_px(layout, width)
    assert len(boxes) == 3
    assert all(left >= 0 and right <= plot for left, right in boxes), (boxes, plot)
    heights = sorted(a["ay"] for a in layout["annotations"])  # log10 hours of each text box
    assert heights[0] > np.log10(1.6) + 0.05 and heights[-1] < np.log10(24)
    assert np.diff(heights).min() > 0.15  # on separate rows: > 20 px apart on a 260 px plot
    assert len(layout["title_text"]) * 8.5 < width  # 15 px title on one line


@pytest.mark.parametrize("width", [900, 1200, 1900])
def test_long_rendezvous_marks_stay_off_the_axis(crewed_rendezvous, width):
    layout = soyuz.figures.rendezvous_layout(crewed_rendezvous, width)
    plot = width - 20 - 45 - 175  # margins, y axis, legend beside the plot
    x0, x1 = (pd.Timestamp(t) for t in layout["xaxis"]["range"])
    for a in layout["annotations"][:2]:  # the marks left of their flight
        at = (pd.Timestamp(a["x"]) - x0) / (x1 - x0) * plot + a["ax"]
        assert at - (6.5 * len(a["text"]) + 6) / 2 >= 0, (a["text"], at)


def test_a_chart_follows_the_width_of_its_box(df):
    chart = soyuz.rendezvous_chart(df)
    fig = chart.figure
    wide = [a.text for a in fig.layout.annotations]
    chart.fit(0)  # 0: no browser has reported a width, nothing changes
    assert fig.layout.width is None and fig.layout.legend.orientation == "v"
    chart.fit(350)
    assert fig.layout.width == 350 and fig.layout.legend.orientation == "h"
    assert [a.text for a in fig.layout.annotations] == [
        "TMA-08M (2013)", "MS-17 (2020)", "MS-28: 3 h 07 min"]
    assert fig.layout.yaxis.title.text == "Hours (log scale)"
    # what the short marks leave out is in the text under the chart
    assert "Soyuz TMA-08M (2013), the first 4-orbit rendezvous" in chart.text.value
    assert "Soyuz MS-17 (2020), the first 2-orbit rendezvous" in chart.text.value
    chart.fit(1200)
    assert fig.layout.width == 1200 and [a.text for a in fig.layout.annotations] == wide
    assert fig.layout.annotations[0].axref is None and fig.layout.xaxis.dtick is None
    durations = soyuz.durations_chart(df)
    durations.probe.width = 360  # as the browser reports it
    assert durations.figure.layout.width == 360 and durations.figure.layout.legend.y < 0
    assert durations.figure.layout.title.text == "How long each Soyuz flew"
    crew = soyuz.crew_size_chart(df)
    crew.fit(360)
    assert crew.figure.layout.legend.y < 0
    assert "7K-T: 25 with 2" in crew.text.value
    # the charts' own legend settings survive their layouts per width
    assert chart.figure.layout.legend.font.size == 11


def cells(frame) -> list[list[str]]:
    return [[str(v) for v in row] for row in frame.itertuples(index=False)]


def test_tables_for_students_use_plain_names(df, crewed_rendezvous):
    tables = [soyuz.latest_flights(df), soyuz.sources_table(df), soyuz.losses_table(df),
              soyuz.profiles_table(crewed_rendezvous), soyuz.outcomes_table(df),
              soyuz.rendezvous_table(crewed_rendezvous.tail(3))]
    for t in tables:
        assert len(t.columns) <= 4
        for name in t.columns:
            assert "_" not in name and name[0].isupper(), name
        for row in cells(t):
            assert not {"NaT", "nan", "True", "False", "None"} & set(row), row


def test_tables_keep_the_numbers_the_notebook_relies_on(df, crewed_rendezvous):
    assert cells(soyuz.latest_flights(df))[-1] == ["Soyuz MS-28", "2025-11-27 09:27", "3", "ISS"]
    losses = soyuz.losses_table(df)
    assert losses.Flight.tolist() == ["Soyuz 1", "Soyuz 11", "Soyuz 18a", "Soyuz T-10-1",
                                      "Soyuz MS-10", "Soyuz MS-22"]
    assert losses["What happened"].str.startswith("Loss of crew").sum() == 2
    assert losses["What happened"].str.startswith("Launch abort").sum() == 3
    profiles = soyuz.profiles_table(crewed_rendezvous)
    assert profiles.Flights.tolist() == [42, 20, 9]  # as describe_rendezvous says
    assert profiles["Typical time to dock"].tolist() == ["49 h 36 min", "5 h 47 min", "3 h 11 min"]
    salyut6 = soyuz.outcomes_table(df[df.destination == "Salyut 6"]).set_index("Outcome")
    assert salyut6.loc["all flights"].tolist() == [18, 2]  # 20 flights, 2 uncrewed
    assert salyut6.loc["docking failure"].tolist() == [2, 0]  # Soyuz 25 and 33
    slow = crewed_rendezvous[(crewed_rendezvous.launch_utc >= "2013-03-01")
                             & (crewed_rendezvous.hours > 24)]
    assert cells(soyuz.rendezvous_table(slow))[0] == ["Soyuz TMA-12M", "2014-03-25", "50 h 36 min"]
    sites = soyuz.sources_table(df)
    assert sites["Rows citing it"].is_monotonic_decreasing and sites["Web site"].iat[0]


def test_quoted_notes_show_as_written():
    assert soyuz.quoted("a_b (c) *d* [e]") == r"> a\_b \(c\) \*d\* \[e\]"


def test_narrow_legends_have_room_under_the_axis_title(df, crewed_rendezvous):
    # the legend is placed as a fraction of the plot's height: if plotly had to grow the bottom
    # margin for it, the plot would shrink and the legend climb onto "Crewed launches" (seen in
    # JupyterLab at 390 px). Worst case on a phone: one legend entry a line, 22 px each.
    charts = {"rendezvous": (soyuz.figures.rendezvous_layout(crewed_rendezvous, 274),
                             soyuz.rendezvous_figure(df)),
              "durations": (soyuz.figures.durations_layout(274), soyuz.durations_figure(df)),
              "crew": (soyuz.figures.crew_size_layout(274), soyuz.crew_size_figure(df))}
    for name, (layout, fig) in charts.items():
        plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
        gap = -layout["legend"]["y"] * plot
        assert gap >= soyuz.figures.AXIS_BELOW_PX - 1, name
        assert layout["margin"]["b"] - gap >= 19 * len(fig.data), name
        assert plot >= 220, name  # still a chart, not a legend
