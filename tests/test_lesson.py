"""What the lesson needs: the readout's orbits and local times, the map's shape per screen, the
worksheet and its answer key built from the kit, the notebooks command, plain tables."""

import html
import importlib.util
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from explainer.cli import main
from explainer.stories.ms28.app import map_geometry, mercator_lat_range

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def app(story):
    from explainer.stories.ms28.app import IssApp

    return IssApp(story)


def readout_at(app, when: str) -> dict:
    i = int(np.argmin(np.abs(app.t - np.datetime64(when))))
    html = app.readout_html(i)
    return dict(re.findall(r"<th scope='row'>([^<]+)</th><td>([^<]+)</td>", html))


def test_readout_gives_local_times_period_and_orbits(app):
    launch = readout_at(app, "2025-11-27T09:27:57")
    # Qazinform (Kazakhstan's state news agency): lift-off "at 2:28 p.m. Astana time", i.e. UTC+5
    # https://qazinform.com/news/soyuz-ms-28-spacecraft-blasts-off-to-iss-from-baikonur-cosmodrome-1838bc
    assert launch["Baikonur time"] == "14:27:57 (UTC+5)"
    # Spain keeps CET (UTC+1) from the last Sunday of October (26 Oct 2025) to the end of March
    assert launch["Barcelona time"] == "10:27:57 (UTC+1)"
    docking = readout_at(app, "2025-11-27T12:34:35")
    # NASA: the ISS "circles the Earth in about 93 minutes"; TASS: "two-orbit rendezvous"
    period = float(docking["Orbital period"].removesuffix(" min"))
    assert 92.5 <= period <= 93.5
    orbits = float(re.search(r"= ([\d.]+) orbits", docking["Since launch"])[1])
    assert 1.95 <= orbits <= 2.05
    assert "orbits" not in readout_at(app, "2025-11-27T09:20:00")["Since launch"]  # before launch


def test_region_map_takes_the_shape_of_its_box():
    # the square Web Mercator world (lon ±180°) reaches ±85.0511° (EPSG:3857's latitude limit)
    assert mercator_lat_range((-180.0, 180.0), 1.0, 0.0) == (-85.05, 85.05)
    for width, screen, narrow in [(356, 844, True), (915, 768, False), (1331, 1080, False)]:
        g = map_geometry("region", width, screen, narrow)
        lat0, lat1 = g["geo"]["lataxis_range"]
        lon0, lon1 = g["geo"]["lonaxis_range"]
        y = [math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) for lat in (lat0, lat1)]
        map_aspect = math.radians(lon1 - lon0) / (y[1] - y[0])
        legend = 104 if narrow else 28  # TITLE_PX and LEGEND_PX
        box_aspect = width / (g["height"] - 36 - legend)
        assert map_aspect == pytest.approx(box_aspect, rel=0.01)
        assert g["width"] == width
    # a phone's map suits a portrait screen: nearly square, not a strip
    phone = map_geometry("region", 356, 844, True)
    assert phone["height"] - 36 - 104 >= 0.85 * 356


def load_builder():
    spec = importlib.util.spec_from_file_location("build_worksheet", ROOT / "tools" / "build_worksheet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_worksheet_and_answer_key_are_built_from_the_kit():
    """docs/worksheet.md and the answer key in docs/teachers.md read as the kit's data say."""
    builder = load_builder()
    for path, text in builder.expected().items():
        assert path.read_text(encoding="utf-8") == text, f"{path}: run python tools/build_worksheet.py"


def test_answer_key_numbers():
    from explainer.worksheet import answer_key, lesson_numbers

    n = lesson_numbers()
    stops = {s.button: s for s in n["stops"]}
    assert [s.time_utc for s in n["stops"]] == ["09:27:57", "09:28:46", "12:31:38", "12:34:35"]
    # NASA's caption: "near Barcelona"; the readout at the nearest point: 245 km (teachers' Q4)
    assert stops["Nearest Barcelona"].to_barcelona_km == 245
    assert stops["Docking"].alt_km == pytest.approx(263 * 1.609344, abs=2.0)  # the caption's miles
    assert round(n["orbits"], 2) == 2.01
    key = answer_key()
    assert "**7 of 8**" in key and "**8 of 8**" in key and "NG-23 Cygnus XL" in key
    assert "nan" not in key.lower() and "True" not in key and "False" not in key


def test_worksheet_has_blanks_not_answers():
    from explainer.worksheet import student_worksheet

    sheet = student_worksheet()
    for answer in ("12:31:38", "424.7", "2.01", "7 of 8", "423.3"):
        assert answer not in sheet
    assert "1.609344" in sheet and "432 kilometers" in sheet


def test_notebooks_command_copies_them(tmp_path, capsys):
    dest = tmp_path / "class notebooks"
    assert main(["notebooks", str(dest), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    names = sorted(p.name for p in dest.glob("*.ipynb"))
    assert "01_iss_over_the_mediterranean.ipynb" in names and len(out["notebooks"]) == len(names) == 4
    assert out["open_with"] == f"jupyter lab {dest}"
    (dest / "01_iss_over_the_mediterranean.ipynb").write_text("my edits")
    assert main(["notebooks", str(dest)]) == 2  # never over a teacher's copy
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err and "--overwrite" in err
    assert (dest / "01_iss_over_the_mediterranean.ipynb").read_text() == "my edits"
    assert main(["notebooks", str(dest), "--overwrite"]) == 0
    assert json.loads((dest / "01_iss_over_the_mediterranean.ipynb").read_text())["cells"]


def test_place_table_speaks_plainly():
    from explainer.stories.ms28.place_app import place_report

    report = place_report("41.3851,2.1734", "2025-11-27")
    headers = re.findall(r"<th scope='col'>([^<]+)</th>", report)
    assert headers[0] == "Rises above 10° (UTC)" and len(headers) == 5
    cells = re.findall(r"<td>([^<]+)</td>", report)
    assert cells and not {"True", "False", "NaT", "nan"} & set(cells)
    assert set(cells[4::5]) <= {"yes", "no"}


def test_element_sets_are_listed_with_a_link_to_where_each_was_published():
    from explainer import data
    from explainer.stories.ms28.lesson import element_sets_markdown, source_markdown

    url = "https://github.com/duncaneddy/brahe/blob/68b0256/scripts/benchmark_access_skyfield.py"
    assert source_markdown(f"{url} (benchmark default)") == f"[duncaneddy/brahe]({url}) (benchmark default)"
    assert source_markdown("https://example.org/iss.txt") == "[example.org](https://example.org/iss.txt)"
    unknown = "public code: a React component's fallback element set (repository not identified)"
    assert source_markdown(unknown) == unknown
    lines = element_sets_markdown(data.tles()).splitlines()
    assert len(lines) == 14
    # the first set of the shipped file (data/tle/iss-2025-11.tle): epoch 25305.52050163 is
    # 2025-11-01 12:29:31 UTC; a bare URL would run off a phone, a link wraps
    assert lines[0].startswith("- **2025-11-01 12:29 UTC**: period 92.92 min, inclination 51.6")
    assert not any(re.search(r"(?<!\()https?://", line) for line in lines)


def test_fitted_chart_lays_itself_out_for_its_box(story):
    from explainer.stories.ms28.lesson import SPREAD_TITLE, spread_chart
    from explainer.ui.fitted_chart import TICK_LABELS_PX, legend_rows

    chart = spread_chart(story)
    title, _probe, fig = chart.widget.children
    assert html.escape(SPREAD_TITLE) in title.value and fig.layout.title.text is None  # the title wraps as text
    assert str(fig.data[0].x[0]).startswith("2025-11-27T09:")  # dates, not nanosecond integers
    assert fig.layout.height - fig.layout.margin.t - fig.layout.margin.b == 250  # 300 less its margins
    chart.probe.width = 256  # a 360 px phone in JupyterLab
    assert fig.layout.xaxis.nticks == 3 and fig.layout.xaxis.tickangle == 0 and fig.layout.width == 256
    assert fig.layout.height - fig.layout.margin.t - fig.layout.margin.b == 250  # the plot keeps its height
    chart.probe.width = 1800
    assert fig.layout.xaxis.nticks == 22
    assert fig.layout.margin.b == TICK_LABELS_PX  # no legend
    assert legend_rows(["a" * 10] * 4, 1000) == 1 and legend_rows(["a" * 10] * 4, 256) == 2
    # measured in Chromium (notebook 02 in JupyterLab at 1366 px): the eleven entries of the chart
    # of every stay took three rows of five equal columns in a 785 px plot
    names = ["Soyuz", "Progress", "Space Shuttle", "ATV", "HTV", "HTV-X", "Dragon", "Crew Dragon", "Cygnus",
             "Starliner", "departure not sourced"]
    assert legend_rows(names, 785) == 3


def test_ports_charts_shorten_their_notes_on_a_phone():
    from explainer.stories import ports
    from explainer.ui.fitted_chart import AXIS_TITLE_PX, TICK_LABELS_PX

    chart = ports.count_chart("2025-09-01", ports.COVERAGE_END)
    _title, _probe, fig = chart.widget.children
    notes = {a.name: a.text for a in fig.layout.annotations}
    assert notes["MS-28 docks"] == "dotted: Soyuz MS-28 docks, 27 Nov 2025 12:34 UTC"
    chart.probe.width = 300
    assert {a.name: a.text for a in fig.layout.annotations} == ports.charts.SHORT_TEXTS
    narrow_bottom = fig.layout.margin.b
    chart.probe.width = 1200
    assert {a.name: a.text for a in fig.layout.annotations} == notes
    assert fig.layout.margin.b < narrow_bottom  # the legend takes fewer rows
    # the legend hangs below the date labels and the axis title, measured from the figure's bottom
    assert fig.layout.legend.yref == "container"
    labels_px = TICK_LABELS_PX + AXIS_TITLE_PX  # the count chart's dates have an axis title, "UTC"
    assert fig.layout.legend.y * fig.layout.height == pytest.approx(fig.layout.margin.b - labels_px)


def test_student_tables_have_plain_cells_and_turn_into_cards_in_a_narrow_box():
    import pandas as pd

    from explainer.ui.tables import CARD_BELOW_PX, student_table

    frame = pd.DataFrame({"Port": ["Rassvet nadir", "Unity <nadir>"],
                          "Left (UTC)": [pd.Timestamp("2025-12-09 01:41"), pd.NaT],
                          "Stays": [12, float("nan")]}, index=[7, 8])
    page = student_table(frame).data
    assert "<th scope='col'>Left (UTC)</th>" in page and ">7<" not in page  # headers, no row numbers
    assert "<td data-label='Left (UTC)'>2025-12-09 01:41:00</td>" in page
    assert "<td data-label='Stays'>12</td>" in page  # an integer column with a gap is float
    assert "NaT" not in page and "nan" not in page  # missing values are empty cells
    assert "Unity &lt;nadir&gt;" in page  # text, not markup
    odd = student_table(pd.DataFrame({"Current": [True, False], "Day": pd.to_datetime(["2025-12-01"] * 2),
                                      "Vehicles": [["Soyuz MS-28", "Progress 93"], []]})).data
    assert ">yes<" in odd and ">no<" in odd and "True" not in odd and "False" not in odd
    assert ">2025-12-01<" in odd and ">Soyuz MS-28, Progress 93<" in odd
    assert f"@container (max-width: {CARD_BELOW_PX - 0.02}px)" in page
    assert "class='oe-table'>" in page  # three columns fit a phone as they are
    assert "class='oe-table oe-cards'>" in student_table(frame.assign(More=1)).data
