"""The Soyuz tab on a phone (390 px wide): the vertical timeline, with room for its markers and no
text on top of other text; lists that never hide their selected item; and a filter that matches
nothing says so without a console error. Screenshots go to out/browser/ for a person to look at."""

from pathlib import Path

import pytest

from tests.browser.conftest import PageWatch

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
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


@pytest.fixture()
def phone(browser, dashboard_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.watch = PageWatch(page)
    page.goto(dashboard_url, wait_until="domcontentloaded")
    page.wait_for_selector(".js-plotly-plot .geo >> visible=true", timeout=90_000)
    page.locator(".lm-TabBar-tab", has_text="Soyuz").click()
    page.wait_for_selector(POINTS, timeout=60_000)
    # the box width reaches the kernel, which swaps in the vertical timeline
    page.wait_for_function(
        "() => [...document.querySelectorAll('.soyuz-timeline .xtick text')]"
        ".some(t => t.textContent === 'TMA-M')", timeout=30_000)
    page.wait_for_timeout(1000)  # let plotly finish drawing
    yield page
    context.close()


def test_the_phone_gets_a_vertical_timeline_without_overlapping_text(phone):
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.locator(".soyuz-timeline").screenshot(path=SHOTS / "soyuz_timeline_390.png")
    (area,) = phone.evaluate(PLOT_AREAS)
    # the plot area was about 60 px of a 330 px figure, and the markers merged into blobs
    assert area["plot"] >= 0.6 * (area["right"] - area["left"]), area
    assert area["left"] >= 0 and area["right"] <= PHONE["width"], area
    boxes = phone.evaluate(TEXT_BOXES)
    assert len(boxes) > 40, boxes
    assert overlaps(boxes) == []
    assert all(b["l"] >= 0 and b["r"] <= PHONE["width"] for b in boxes), [
        b for b in boxes if b["l"] < 0 or b["r"] > PHONE["width"]]
    readout = phone.inner_text(".soyuz-filter .widget-readout")
    assert readout.replace("\u2013", "-").replace(" ", "") == "1967-2025"
    # no list scrolls, so its selected item is always in view
    assert phone.eval_on_selector_all(
        ".soyuz-filter select", "els => els.map(e => e.scrollHeight - e.clientHeight)") == [0, 0]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.watch.unexpected() == []


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
