"""The dashboard in a real headless browser: it loads cleanly, draws land, and its controls work."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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


LAND_FILL = "rgb(217, 212, 199)"  # explainer.basemap.LAND_COLOUR


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
