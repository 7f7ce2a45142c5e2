"""The dashboard in a real headless browser: it loads cleanly, draws land, and its controls work."""

import contextlib
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DOORS = ("dashboard", "binder")  # `explainer dashboard`, and Binder's /voila/render/ (conftest)

GEO = ".js-plotly-plot .geo >> visible=true"


def open_dashboard(page, url):
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(GEO, timeout=90_000)
    page.wait_for_selector(".iss-readout table", timeout=30_000)


def test_loads_without_errors_or_tracebacks(page, dashboard_url):
    open_dashboard(page, dashboard_url)
    page.wait_for_timeout(1000)
    text = page.inner_text("body")
    assert "Soyuz MS-28 and the ISS, 27 November 2025" in text
    assert "Traceback" not in text and "Error" not in text.split("Your own place")[0]
    assert page.locator(".oe-error").count() == 0
    assert page.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.locator(".jp-InputArea").count() == 0  # no code shown
    assert page.watch.unexpected() == []


LAND_FILL = "rgb(217, 212, 199)"  # explainer.ui.basemap.LAND_COLOUR


def visible_land_paths(page):
    """Lengths of the SVG path data of land drawn in visible maps (filled with the land colour)."""
    return page.eval_on_selector_all(
        ".js-plotly-plot .geo .scatterlayer path.js-line",
        f"els => els.filter(e => e.getBoundingClientRect().width > 0 && e.style.fill === '{LAND_FILL}')"
        ".map(e => (e.getAttribute('d') || '').length)",
    )


def test_every_visible_map_shows_land(page, dashboard_url):
    open_dashboard(page, dashboard_url)
    # real geometry, not an empty frame: the Mediterranean map's land outline is long
    assert max(visible_land_paths(page), default=0) > 20_000
    # the globe, built on demand, shows land too
    page.get_by_role("button", name="Globe").click()
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('.js-plotly-plot .geo .scatterlayer path.js-line')]
              .some(e => e.getBoundingClientRect().width > 0 && e.style.fill === '{LAND_FILL}'
                         && e.closest('.js-plotly-plot').querySelector('.geo .bg rect, .geo'))""",
        timeout=30_000,
    )
    page.wait_for_timeout(500)
    assert max(visible_land_paths(page), default=0) > 20_000
    assert page.watch.unexpected() == []


def _readout(page):
    return page.inner_text(".iss-readout")


def _iss_marker(page):
    return page.eval_on_selector_all(
        ".js-plotly-plot .geo .scatterlayer .trace",
        "els => els.filter(e => e.getBoundingClientRect().width > 0)"
        ".map(e => [...e.querySelectorAll('.point')].map(p => p.getAttribute('transform')).join('|'))",
    )


def test_time_control_moves_the_iss_and_the_readout(page, dashboard_url):
    open_dashboard(page, dashboard_url)
    before_text, before_marker = _readout(page), _iss_marker(page)
    assert "2025-11-27 12:34:35" in before_text  # opens at docking
    page.get_by_role("button", name="Nearest Barcelona").click()
    page.wait_for_function(
        "() => document.querySelector('.iss-readout').innerText.includes('12:31:38')", timeout=20_000
    )
    after = _readout(page)
    assert re.search(r"To Barcelona\s+24\d km", after)
    assert _iss_marker(page) != before_marker
    # the keyboard moves the slider too (accessibility)
    page.locator(".iss-time .noUi-handle").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.iss-readout').innerText.includes('12:31:43')", timeout=20_000
    )
    desc = page.inner_text(".iss-description")
    assert "12:31:43 UTC" in desc and "south" in desc


def test_bad_place_shows_a_message_not_a_traceback(page, dashboard_url):
    open_dashboard(page, dashboard_url)
    page.fill(".place-input input", "somewhere")
    page.fill(".day-input input", "2025-02-30")
    page.click(".place-go")
    page.wait_for_selector(".place-result .oe-error", timeout=20_000)
    assert "cannot read 'somewhere' as LAT,LON" in page.inner_text(".place-result")
    page.fill(".place-input input", "41.39,2.17")
    page.click(".place-go")
    page.wait_for_function(
        "() => document.querySelector('.place-result').innerText.includes('cannot read the day')",
        timeout=20_000,
    )
    page.fill(".day-input input", "2025-11-27")
    page.click(".place-go")
    page.wait_for_function(
        "() => document.querySelector('.place-result').innerText.includes('came nearest')",
        timeout=20_000,
    )
    assert "Traceback" not in page.inner_text("body")


def open_tab(page, title):
    """Open the tab titled ``title`` on a wide screen (a narrow one shows a short title)."""
    from explainer.dashboard import SECTIONS

    index = [full for full, _short, _build in SECTIONS].index(title)
    page.locator(".lm-TabBar-tab").nth(index).click()


def _schematic_colours(page):
    return page.eval_on_selector_all(
        ".ports-schematic .scatterlayer .point",
        "els => els.map(e => e.style.fill).join(',')",
    )


def test_ports_date_control_recolours_the_station(page, dashboard_url):
    open_dashboard(page, dashboard_url)
    open_tab(page, "Eight ports")
    page.wait_for_selector(".ports-schematic .scatterlayer .point", timeout=60_000)
    page.get_by_role("button", name="MS-28 docks (27 Nov 2025)").click()
    page.wait_for_function(
        "() => document.querySelector('.ports-description').innerText.includes('On 27 Nov 2025')",
        timeout=20_000)
    colours_27 = _schematic_colours(page)
    assert "7 of 8 ports occupied" in page.inner_text(".ports-readout")
    assert "NG-23 Cygnus XL" in page.inner_text(".ports-readout")  # held on the arm
    page.locator(".jupyter-button", has_text="All eight").click()
    page.wait_for_function(
        "() => document.querySelector('.ports-description').innerText.includes('On 1 Dec 2025')",
        timeout=20_000)
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.ports-schematic .scatterlayer .point')]"
        f".map(e => e.style.fill).join(',') !== {colours_27!r}", timeout=20_000)
    assert "8 of 8 ports occupied" in page.inner_text(".ports-readout")
    assert "Traceback" not in page.inner_text("body")
    assert page.watch.unexpected() == []


def test_soyuz_filters_change_the_timeline(page, dashboard_url):
    open_dashboard(page, dashboard_url)
    open_tab(page, "Sixty years of Soyuz")
    page.wait_for_selector(".soyuz-timeline .js-plotly-plot .scatterlayer .point", timeout=60_000)
    count_all = page.inner_text(".soyuz-count")
    points_all = page.locator(".soyuz-timeline .js-plotly-plot .scatterlayer .point").count()
    assert "161" in count_all and points_all >= 150
    # keep only flights to the ISS
    page.locator(".soyuz-filter select").first.select_option(label="ISS (74)")
    page.wait_for_function(
        f"() => document.querySelector('.soyuz-count').innerText !== {count_all!r}", timeout=20_000)
    page.wait_for_timeout(500)
    points_iss = page.locator(".soyuz-timeline .js-plotly-plot .scatterlayer .point").count()
    assert points_iss == 74  # every flight to the ISS, crewed or not, one marker each
    assert "Traceback" not in page.inner_text("body")
    assert page.watch.unexpected() == []


COUNT_WEBSOCKET_BYTES = """
window.__wsBytes = 0;
window.WebSocket = class extends window.WebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", e => {
      window.__wsBytes += e.data.size ?? e.data.byteLength ?? e.data.length ?? 0;
    });
  }
};
"""


def test_figures_share_one_trimmed_plotly_bundle(page, dashboard_url):
    """Every figure of all three tabs runs on one served copy of plotly's front end, registered
    for the kit's trace types only, and none carries plotly.js over the kernel's websocket."""
    from explainer.ui import first_map_bundle
    from explainer.ui.plotly_widget import TRACE_TYPES, bundle_file

    page.add_init_script(COUNT_WEBSOCKET_BYTES)
    open_dashboard(page, dashboard_url)
    open_tab(page, "Eight ports")
    page.wait_for_selector(".ports-schematic .scatterlayer .point", timeout=60_000)
    open_tab(page, "Sixty years of Soyuz")
    page.wait_for_selector(".soyuz-timeline .js-plotly-plot .scatterlayer .point", timeout=60_000)
    seen = page.evaluate("""() => ({
        plots: document.querySelectorAll('.js-plotly-plot').length,
        websocketBytes: window.__wsBytes,
        traceTypes: Object.keys(window.Plotly.PlotSchema.get().traces).sort(),
        plotlyRequests: performance.getEntriesByType('resource').map(e => e.name)
            .filter(name => name.includes('plotly')),
    })""")
    assert seen["plots"] >= 3
    assert seen["traceTypes"] == sorted(TRACE_TYPES)
    # plotly's bundle once; the small plotly.js that drew the first map before the kernel answered
    first_map_plotly = dashboard_url.base_url + first_map_bundle.module_path()
    assert sorted(seen["plotlyRequests"]) == sorted([dashboard_url.bundle_url, first_map_plotly])
    # one copy of plotly.js is 5 MB; all the figures' states together are well under that
    assert seen["websocketBytes"] < bundle_file().stat().st_size / 2
    assert page.watch.unexpected() == []


PLOT_WIDTHS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter(p => p.getBoundingClientRect().width > 0)
  .map(p => [p.querySelector('.main-svg').getBoundingClientRect().width,
             p.parentElement.getBoundingClientRect().width])"""


@pytest.mark.parametrize("width,height", [(390, 844), (1920, 1080)], ids=["phone", "projector"])
def test_figures_fill_the_screen_width(browser, dashboard_url, width, height):
    """On a phone no figure is cut off; on a projector none sits in a third of the width left
    empty: every visible figure is as wide as the box it sits in, in each tab."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from tests.browser.conftest import PageWatch

    def settled_widths():
        fitted = f"() => ({PLOT_WIDTHS})().every(([figure, box]) => Math.abs(figure - box) <= 2)"
        # plotly redraws a figure for a new width at most every 100 ms; if it never fits, the
        # assertion below reports the widths
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(fitted, timeout=5_000, polling=100)
        return page.evaluate(PLOT_WIDTHS)

    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watch = PageWatch(page)
    try:
        open_dashboard(page, dashboard_url)
        widths = [settled_widths()]
        open_tab(page, "Eight ports")
        page.wait_for_selector(".ports-schematic .scatterlayer .point", timeout=60_000)
        widths.append(settled_widths())
        open_tab(page, "Sixty years of Soyuz")
        page.wait_for_selector(".soyuz-timeline .js-plotly-plot .scatterlayer .point", timeout=60_000)
        widths.append(settled_widths())
        for tab in widths:
            assert tab, "a tab shows no figure"
            for figure, box in tab:
                assert abs(figure - box) <= 2 and figure <= width, (width, widths)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert watch.unexpected() == []
    finally:
        context.close()
