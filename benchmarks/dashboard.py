"""The dashboard as a visitor sees it, in headless Chromium (Playwright, Debian's /usr/bin/chromium).

- first_plot_s_warm: from navigation to the first map drawn with land, Voila with a preheated
  kernel (as `explainer dashboard` runs it); median of 3 page loads.
- first_plot_s_cold: the same with a kernel started per page (no preheating); median of 3.
- update_p50_ms / update_p95_ms: from a keyboard step of the time slider to the changed map
  title in the page (kernel round trip + plotly redraw), measured in the page, 60 steps.

Run: python benchmarks/dashboard.py
Last line: first_plot_s_warm=<x> first_plot_s_cold=<y> update_p50_ms=<a> update_p95_ms=<b>
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_voila,
    stop,
    wait_http,
)

LAND = ("() => [...document.querySelectorAll('.js-plotly-plot .geo .scatterlayer path.js-line')]"
        ".some(e => e.getBoundingClientRect().width > 0 && e.style.fill === 'rgb(217, 212, 199)'"
        " && (e.getAttribute('d') || '').length > 20000)")

STEP = """async () => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')]
      .find(p => p.getBoundingClientRect().width > 0);
  const title = () => (plot.querySelector('.gtitle') || {}).textContent;
  const before = title();
  const handle = document.querySelector('.iss-time .noUi-handle');
  return await new Promise(resolve => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (title() !== before) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(plot, {subtree: true, childList: true, characterData: true});
    handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
  });
}"""


def first_plot_seconds(browser, url) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(LAND, timeout=120_000, polling=50)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def update_times_ms(browser, url, steps=60) -> list[float]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(LAND, timeout=120_000)
    page.wait_for_timeout(1000)
    times = []
    for _ in range(steps):
        times.append(page.evaluate(STEP))
        page.wait_for_timeout(100)
    context.close()
    return times


def measure(browser, preheat: bool, loads=3):
    port = free_port()
    proc = start_voila(port, preheat=preheat)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url)
        time.sleep(8)  # let the preheated pool refill after the readiness request
        firsts = []
        for _ in range(loads):
            firsts.append(first_plot_seconds(browser, url))
            time.sleep(8 if preheat else 1)
        updates = update_times_ms(browser, url) if preheat else []
    finally:
        stop(proc)
    return firsts, updates


def main():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm, updates = measure(browser, preheat=True)
        cold, _ = measure(browser, preheat=False)
        browser.close()
    print("warm loads (s):", ", ".join(f"{x:.2f}" for x in warm))
    print("cold loads (s):", ", ".join(f"{x:.2f}" for x in cold))
    print(f"{len(updates)} slider steps (ms): min {min(updates):.0f}, max {max(updates):.0f}")
    print(f"first_plot_s_warm={statistics.median(warm):.2f} first_plot_s_cold={statistics.median(cold):.2f} "
          f"update_p50_ms={np.percentile(updates, 50):.0f} update_p95_ms={np.percentile(updates, 95):.0f}")


if __name__ == "__main__":
    main()
