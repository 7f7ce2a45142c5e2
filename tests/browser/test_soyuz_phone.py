"""The Soyuz tab on phones (360 and 390 px wide) and wider screens: on a phone the vertical
timeline, with room for its markers; at every width no text on top of other text and nothing cut
off; lists that never hide their selected item; and a filter that matches nothing says so without
a console error. Screenshots go to out/browser/ for a person to look at."""

from pathlib import Path

import pytest

from tests.browser.conftest import PageWatch
from tests.browser.layout import resize_window

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
WIDTHS = [360, 390, 768, 1366]
SHOTS = Path(__file__).parents[2] / "out" / "browser"
POINTS = ".soyuz-timeline .js-plotly-plot .scatterlayer .point"

TEXT_BOXES = """() => {
  const tab = document.querySelector('.soyuz-timeline').closest('.lm-Widget.lm-TabPanel, body');
  const boxes = [];
  const add = (el, kind) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width < 1 || r.height < 1 || style.visibility === 'hidden' || style.opacity === '0') return;
    boxes.push({kind, text: (el.textContent || '').trim().slice(0, 40),
                l: r.left, r: r.right, t: r.top, b: r.bottom});
  };
  tab.querySelectorAll('.js-plotly-plot svg text').forEach(el => {
    if (el.textContent.trim()) add(el, 'svg');
  });
  tab.querySelectorAll('.widget-label, .widget-readout, .soyuz-count, .widget-button, .soyuz-empty')
     .forEach(el => add(el, 'html'));
  return boxes;
}"""

PLOT_AREAS = """() => [...document.querySelectorAll('.soyuz-timeline .js-plotly-plot')]
  .map(p => { const bg = p.querySelector('.bglayer .bg, .nsewdrag');
              const svg = p.querySelector('.main-svg').getBoundingClientRect();
              const r = bg.getBoundingClientRect();
              return {plot: r.width, left: svg.left, right: svg.right}; })"""


def overlaps(boxes, tolerance_px=1.0):
    """Pairs of text boxes that overlap by more than ``tolerance_px`` both ways."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            dx = min(a["r"], b["r"]) - max(a["l"], b["l"])
            dy = min(a["b"], b["b"]) - max(a["t"], b["t"])
            if dx > tolerance_px and dy > tolerance_px:
                found.append((a["text"], b["text"]))
    return found


def open_soyuz_tab(browser, url, width, height=844):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.watch = PageWatch(page)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".js-plotly-plot .geo >> visible=true", timeout=90_000)
    page.locator(".lm-TabBar-tab", has_text="Soyuz").click()
    page.wait_for_selector(POINTS, timeout=60_000)
    # the box width reaches the kernel, which sizes the charts (and on a phone swaps in the
    # vertical timeline, whose columns carry short generation names)
    page.wait_for_function(
        """() => { const p = document.querySelector('.soyuz-timeline .js-plotly-plot');
                   return p._fullLayout && Math.abs(p._fullLayout.width - p.offsetWidth) <= 1; }""",
        timeout=30_000)
    if width < 600:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.soyuz-timeline .xtick text')]"
            ".some(t => t.textContent === 'TMA-M')", timeout=30_000)
    page.wait_for_timeout(1000)  # let plotly finish drawing
    return context, page


@pytest.fixture()
def phone(browser, dashboard_url):
    context, page = open_soyuz_tab(browser, dashboard_url, PHONE["width"], PHONE["height"])
    yield page
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_text_overlaps_and_nothing_is_cut_off(browser, dashboard_url, width):
    context, page = open_soyuz_tab(browser, dashboard_url, width)
    try:
        (area,) = page.evaluate(PLOT_AREAS)
        # on a phone the plot area was about 60 px of a 330 px figure: markers merged
        assert area["plot"] >= 0.6 * (area["right"] - area["left"]), area
        assert area["left"] >= 0 and area["right"] <= width, area
        if width < 600:  # years run down the page
            assert page.locator(".soyuz-timeline .ytick text", has_text="1970").count() == 1
        boxes = page.evaluate(TEXT_BOXES)
        assert len(boxes) > 40, boxes
        assert overlaps(boxes) == []
        assert all(b["l"] >= 0 and b["r"] <= width for b in boxes), [
            b for b in boxes if b["l"] < 0 or b["r"] > width]
        readout = page.inner_text(".soyuz-filter .widget-readout")
        assert readout.replace("\u2013", "-").replace(" ", "") == "1967-2025"
        # no list scrolls, so its selected item is always in view
        assert page.eval_on_selector_all(
            ".soyuz-filter select", "els => els.map(e => e.scrollHeight - e.clientHeight)") == [0, 0]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.watch.unexpected() == []
        # the whole tab in one picture: as tall a window as it needs (the width is unchanged)
        SHOTS.mkdir(parents=True, exist_ok=True)
        resize_window(page, width, 4000)
        page.wait_for_timeout(500)
        page.screenshot(path=SHOTS / f"soyuz_tab_{width}.png")
    finally:
        context.close()


def test_a_filter_that_matches_nothing_says_so_without_errors(phone):
    phone.locator(".soyuz-filter select").first.select_option(label="ISS (74)")
    phone.wait_for_function(
        "() => document.querySelector('.soyuz-count').innerText.startsWith('74 ')", timeout=20_000)
    phone.locator(".soyuz-filter select").nth(1).select_option(label="fatal (2)")
    phone.wait_for_selector(".soyuz-empty >> visible=true", timeout=20_000)
    phone.wait_for_timeout(1500)  # any plotly error would come now
    assert "No flights match" in phone.inner_text(".soyuz-count")
    assert "No flights match" in phone.inner_text(".soyuz-empty")
    assert not phone.locator(".soyuz-timeline").is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SHOTS / "soyuz_no_match_390.png")
    phone.get_by_role("button", name="Show all").click()
    phone.wait_for_selector(".soyuz-timeline >> visible=true", timeout=20_000)
    phone.wait_for_function(f"() => document.querySelectorAll('{POINTS}').length >= 150",
                            timeout=20_000)
    assert phone.watch.unexpected() == []
