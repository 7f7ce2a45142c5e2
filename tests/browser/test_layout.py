"""Every tab at every screen width, measured in the DOM: no text overlaps other text, nothing is cut
off, every figure fills its box, and figures follow a resize. Screenshots of each case go to
``tests/artifacts/layout/`` for a person to look at.

Doors: every test runs on each door of :data:`DOORS`: ``explainer dashboard``, and Voila's
``/voila/render/...`` on a Binder-like JupyterLab under ``/user/student/`` (``tests/browser/conftest.py``).
"""

import pytest

from tests.browser.conftest import PageWatch
from tests.browser.layout import HEIGHTS, WIDTHS, layout_report, resize_window, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOORS = ("dashboard", "binder")
"""The doors, by the names ``tests/browser/conftest.py`` gives them."""
TABS = {
    "iss": (0, ".iss-readout table"),
    "ports": (1, ".ports-schematic .scatterlayer .point"),
    "soyuz": (2, ".soyuz-timeline .js-plotly-plot .scatterlayer .point"),
}
"""Tab name -> (its position in the tab bar, a selector that appears once it is drawn)."""
NARROW = 600  # explainer.ui.screen.NARROW_PX

SETTLED = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.checkVisibility());
  const sizes = plots.map(p => {
    const r = p.querySelector('.main-svg').getBoundingClientRect();
    return [Math.round(r.width), Math.round(r.height), Math.round(p.parentElement.getBoundingClientRect().width)];
  });
  const now = JSON.stringify(sizes), same = now === window.__oeSizes;
  window.__oeSizes = now;
  return same && sizes.every(([w, h, box]) => Math.abs(w - box) <= 2);
}"""


def settle(page) -> None:
    """Wait until every visible figure is as wide as its box and no figure changed size for
    0.8 s (the kit re-lays a map out once the browser has told the kernel its width)."""
    page.wait_for_function(SETTLED, timeout=20_000, polling=800)


def open_page(browser, url, width, height=None):
    context = browser.new_context(viewport={"width": width, "height": height or HEIGHTS[width]})
    page = context.new_page()
    page.watch = PageWatch(page)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(TABS["iss"][1], timeout=90_000)
    return context, page


def show_tab(page, tab):
    index, drawn = TABS[tab]
    if index:
        page.locator(".lm-TabBar-tab").nth(index).click()
    page.wait_for_selector(f"{drawn} >> visible=true", timeout=60_000)
    settle(page)


@pytest.fixture()
def door(request, dashboard_url):
    """(door name, URL of its dashboard page)."""
    return request.node.callspec.params["dashboard_url"], dashboard_url


def assert_readable(page, *name):
    shot = save_screenshot(page, *name)
    report = layout_report(page)
    assert report["overlaps"] == [], f"{shot}: {report['overlaps']}"
    assert report["clipped"] == [], f"{shot}: {report['clipped']}"
    return report


@pytest.mark.parametrize("width", WIDTHS)
def test_iss_tab_fits_the_screen(browser, door, width):
    """The map fills its box at every width; on a phone it suits a portrait screen (at least
    three quarters as tall as wide) and the readout sits below it; the globe and the table of
    passes over a place fit too."""
    context, page = open_page(browser, door[1], width)
    try:
        settle(page)
        report = assert_readable(page, door[0], "iss", width)
        (fig,) = report["figures"]
        assert fig["plotWidth"] >= 0.95 * fig["width"], fig  # no blank strips left and right
        assert fig["plotTop"] <= 40, fig  # under the title, no blank band above the map
        if width < NARROW:
            assert fig["plotHeight"] >= 0.75 * fig["plotWidth"], fig
            map_bottom, readout_top = page.evaluate("""() => [
                document.querySelector('.iss-app .js-plotly-plot').getBoundingClientRect().bottom,
                document.querySelector('.iss-readout').getBoundingClientRect().top]""")
            assert readout_top >= map_bottom - 1
            tab_titles = page.locator(".lm-TabBar-tab").all_inner_texts()
            assert tab_titles == ["The ISS", "Eight ports", "Soyuz"]
        page.get_by_role("button", name="Globe").click()
        page.wait_for_function("""() => [...document.querySelectorAll('.iss-app .js-plotly-plot')]
            .some(p => p.checkVisibility() && p._fullLayout?.geo?.projection?.type === 'orthographic')""",
                               timeout=30_000)
        settle(page)
        assert_readable(page, door[0], "iss-globe", width)
        page.click(".place-go")  # the passes table fits too
        page.wait_for_selector(".place-passes", timeout=30_000)
        assert_readable(page, door[0], "iss-place", width)
        assert page.watch.unexpected() == []
    finally:
        context.close()


@pytest.mark.parametrize("tab,width", [(tab, width) for tab in ("ports", "soyuz") for width in WIDTHS])
def test_other_tabs_fit_the_screen(browser, door, tab, width):
    context, page = open_page(browser, door[1], width)
    try:
        show_tab(page, tab)
        assert_readable(page, door[0], tab, width)
        assert page.watch.unexpected() == []
    finally:
        context.close()


def test_figures_follow_a_resize(browser, door):
    """A laptop window narrowed to a phone's width, then widened to a projector's: the map and
    the tab titles take the new layout each time."""
    context, page = open_page(browser, door[1], 1366)
    try:
        settle(page)
        wide = layout_report(page)["figures"][0]
        resize_window(page, 390, 844)
        page.wait_for_function("() => document.querySelector('.lm-TabBar-tab').innerText === 'The ISS'",
                               timeout=20_000)
        settle(page)
        phone = assert_readable(page, door[0], "resized", 390)["figures"][0]
        assert phone["width"] < 400 < wide["width"]
        assert phone["plotHeight"] >= 0.75 * phone["plotWidth"]  # the portrait map, not a squeezed one
        resize_window(page, 1920, 1080)
        page.wait_for_function("() => document.querySelector('.lm-TabBar-tab').innerText === 'Where was the ISS?'",
                               timeout=20_000)
        settle(page)
        projector = assert_readable(page, door[0], "resized", 1920)["figures"][0]
        assert projector["width"] > wide["width"] and projector["plotWidth"] >= 0.95 * projector["width"]
        assert page.watch.unexpected() == []
    finally:
        context.close()
