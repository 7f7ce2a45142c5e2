"""The ports tab on a phone (390 x 844) and on a laptop: no two pieces of text overlap and none
is cut off, measured on the page's DOM and SVG text boxes. On the phone the schematic shows port
numbers (the long names are in the numbered list beside it); screenshots are kept in
``out/browser/`` (not committed) for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import PageWatch, start_voila, stop, wait_http
from tests.browser.test_dashboard import open_dashboard, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[2] / "out" / "browser"

TEXT_BOXES = """() => {
  const visible = e => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const tab = document;  // the page has one ports tab
  const svgText = [...tab.querySelectorAll('.ports-schematic svg text')]
    .filter(t => t.textContent.trim() && visible(t));
  const svg = tab.querySelector('.ports-schematic .main-svg').getBoundingClientRect();
  return {
    svg: [svg.left, svg.right],
    texts: svgText.map(t => { const r = t.getBoundingClientRect();
      return [t.textContent.trim(), r.left, r.top, r.right, r.bottom]; }),
    numbers: [...tab.querySelectorAll('.ports-schematic .x3y3 text')].filter(visible).length,
    names: [...tab.querySelectorAll('.ports-schematic .x2y2 text')].filter(visible).length,
    readout: tab.querySelector('.ports-readout').getBoundingClientRect().width,
  };
}"""


def overlaps(boxes, slack=1.0):
    """Pairs of text boxes ``(text, left, top, right, bottom)`` that overlap by more than
    ``slack`` px in both directions."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            dx = min(a[3], b[3]) - max(a[1], b[1])
            dy = min(a[4], b[4]) - max(a[2], b[2])
            if dx > slack and dy > slack:
                found.append((a[0], b[0]))
    return found


@pytest.fixture(scope="module")
def ports_dashboard_url():
    # the port comes from the environment where the machine assigns ranges to test runs
    port = int(os.environ.get("EXPLAINER_TEST_PORT", "0")) or __import__(
        "tests.browser.conftest", fromlist=["free_port"]).free_port()
    proc = start_voila(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url)
        yield url
    finally:
        stop(proc)


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)], ids=["phone", "laptop"])
def test_ports_tab_text_neither_overlaps_nor_is_cut_off(browser, ports_dashboard_url, width,
                                                        height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watch = PageWatch(page)
    try:
        open_dashboard(page, ports_dashboard_url)
        open_tab(page, "Eight ports")
        page.wait_for_selector(".ports-schematic .scatterlayer .point", timeout=60_000)
        page.wait_for_timeout(1500)  # the figure settles to its box width
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".ports-schematic").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"ports-{width}.png"))
        seen = page.evaluate(TEXT_BOXES)
        assert seen["texts"], "no text found in the schematic"
        assert overlaps(seen["texts"]) == [], overlaps(seen["texts"])
        left, right = seen["svg"]
        cut = [t for t in seen["texts"] if t[1] < left - 1 or t[3] > right + 1]
        assert cut == [], cut
        if width < 600:
            assert seen["numbers"] >= 8 and seen["names"] == 0
        else:
            assert seen["names"] >= 8 and seen["numbers"] == 0
        assert seen["readout"] > 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert watch.unexpected() == []
    finally:
        context.close()
