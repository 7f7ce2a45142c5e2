"""Holds a class, on loopback only, bounded in count and time (issue 12).

1. 30 visitors, each with its own cookies as a browser has, open the dashboard at the same moment.
   Each one's *first map* (its page, then the widget states from its kernel: what a browser needs
   to draw the map) must arrive within FIRST_MAP_GOAL_S at the 95th percentile. Then each moves its
   time slider three times over its kernel's websocket (the binary protocol a page uses); every
   readout update must come back.
2. Visitors in real headless Chromium pages (4 at once in a browser of their own: Chromium keeps at
   most 6 connections to one host, and on this 2-core machine the browsers compete with the server
   for the same CPU) each move the time control three times; every update must arrive in that
   visitor's page.
3. When the visitors close their tabs (a page closing asks the server to shut its kernel down),
   no visitor's kernel is left 5 s later.
"""

import json
import os
import signal
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from explainer.serve import CLASS_POOL_SIZE

from .conftest import CHROMIUM, CHROMIUM_ARGS, start_voila, stop, wait_http
from .kernel_client import Visitor, WidgetClient, time_slider_steps
from .server_watch import free_port, kernel_pid, kernel_rss_mb, log_excerpt

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "30"))
BROWSER_CLIENTS = int(os.environ.get("LOAD_BROWSER_CLIENTS", "4"))
FIRST_MAP_GOAL_S = 10.0
"""Issue 12's goal for 30 arrivals at once on the project's 2-core machine (before: 36-40 s)."""
JUMPS = [("Launch", "09:27:57"), ("Nearest Barcelona", "12:31:38"), ("Docking", "12:34:35")]
class Arrival:
    """One visitor over plain HTTP and the kernel websocket: page, widget states, slider steps."""

    def __init__(self, url: str):
        self.url, self.visitor, self.client = url, Visitor(url), None

    def arrive(self) -> None:
        start = time.perf_counter()
        html, self.kernel = self.visitor.open_page(timeout_s=300)
        assert "application/vnd.jupyter.widget-view+json" in html and "Traceback" not in html
        self.client = WidgetClient(self.url, self.kernel)
        states = self.client.widget_states(timeout_s=300)
        self.first_map_s = time.perf_counter() - start
        self.steps_ms = time_slider_steps(self.client, states)

    def close(self) -> None:
        """As a closing tab: the shutdown request with the _xsrf cookie, then the websocket."""
        if self.client is not None:
            assert self.visitor.close_page(self.kernel) == 204
            self.client.close()


@pytest.fixture()
def own_browser(playwright_driver):
    """A fresh browser whose background pages are not throttled."""
    b = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
        "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows"])
    yield b
    b.close()


def test_a_class_at_once(own_browser, record_property):
    browser = own_browser
    port = free_port()
    proc = start_voila(port, pool_size=CLASS_POOL_SIZE)
    url = f"http://127.0.0.1:{port}/"
    arrivals, contexts = [Arrival(url) for _ in range(CLIENTS)], []
    try:
        wait_http(url, timeout_s=300)
        deadline = time.monotonic() + 300  # the class arrives once the pool is ready
        while len(kernel_rss_mb(proc.pid)) < CLASS_POOL_SIZE and time.monotonic() < deadline:
            time.sleep(1)
        time.sleep(5)

        # 1. thirty visitors at the same moment
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(lambda a: a.arrive(), arrivals))
        first_maps = [a.first_map_s for a in arrivals]
        steps_ms = [ms for a in arrivals for ms in a.steps_ms]
        kernels = kernel_rss_mb(proc.pid)
        assert len(kernels) >= CLIENTS
        assert np.percentile(first_maps, 95) <= FIRST_MAP_GOAL_S, sorted(first_maps)

        # 2. visitors in real browsers move the time control; no update is lost
        pages = []
        for _ in range(BROWSER_CLIENTS):
            ctx = browser.new_context(viewport={"width": 1100, "height": 900})
            contexts.append(ctx)
            page = ctx.new_page()
            page.goto(url, wait_until="commit", timeout=300_000)
            pages.append(page)
        for page in pages:
            page.wait_for_selector(".iss-readout table", timeout=300_000)
        latencies = []
        for label, expected in JUMPS:
            clicked = []
            for page in pages:
                page.get_by_role("button", name=label).click()
                clicked.append(time.perf_counter())
            for page, t0 in zip(pages, clicked, strict=True):
                page.wait_for_function(
                    f"() => document.querySelector('.iss-readout').innerText.includes('{expected}')",
                    timeout=120_000)
                latencies.append(time.perf_counter() - t0)
        browser_kernels = [page_kernel(page) for page in pages]
        for page in pages:
            assert "12:34:35" in page.inner_text(".iss-readout")
            assert page.locator(".oe-error").count() == 0
        total = kernel_rss_mb(proc.pid)
        record_property("first_map_s_p95", round(float(np.percentile(first_maps, 95)), 1))
        record_property("kernel_channel_update_ms_p95", round(float(np.percentile(steps_ms, 95)), 1))
        record_property("kernel_rss_mb_median", round(statistics.median(kernels), 1))
        record_property("update_latency_s_median", round(statistics.median(latencies), 2))
        print(f"\n{CLIENTS} visitors at once: first map median {statistics.median(first_maps):.1f} s, "
              f"p95 {np.percentile(first_maps, 95):.1f} s; slider steps over the kernel channel: all "
              f"{len(steps_ms)} arrived, median {np.median(steps_ms):.0f} ms, p95 "
              f"{np.percentile(steps_ms, 95):.0f} ms; {len(kernels)} kernels, median "
              f"{statistics.median(kernels):.0f} MB RSS each; with {BROWSER_CLIENTS} browsers too: "
              f"{len(total)} kernels; update latency in the browsers median "
              f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s")

        # 3. everyone closes their tab: no visitor's kernel is left 5 s later
        for page in pages:
            page.goto("about:blank")  # the page's beforeunload asks for its kernel's shutdown
        for ctx in contexts:
            ctx.close()
        contexts.clear()
        for a in arrivals:
            a.close()
        time.sleep(5)
        left = [k for k in [a.kernel for a in arrivals] + browser_kernels if kernel_pid(proc.pid, k)]
        assert left == [], f"{len(left)} visitors' kernels still running 5 s after their tabs closed"
    except BaseException:
        print("the server's log, its first errors and last lines:", log_excerpt(proc), sep="\n")
        raise
    finally:
        for ctx in contexts:
            ctx.close()
        stop(proc)


def page_kernel(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def test_a_killed_kernel_is_announced_and_the_page_recovers(browser):
    """kill -9 of a visitor's kernel: the restarter starts an empty kernel, without the dashboard,
    and the page used to go silently dead. Now it says so and reloads itself into a fresh kernel."""
    port = free_port()
    proc = start_voila(port)
    url = f"http://127.0.0.1:{port}/"
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        wait_http(url)
        page = context.new_page()
        page.goto(url, timeout=120_000)
        page.wait_for_selector(".iss-readout table", timeout=120_000)
        first = page_kernel(page)
        victim = kernel_pid(proc.pid, first)
        assert victim is not None
        os.kill(victim, signal.SIGKILL)
        page.wait_for_selector(".oe-lost", timeout=30_000)
        assert "engine stopped" in page.inner_text(".oe-lost")
        page.wait_for_function(
            "first => { const config = document.getElementById('jupyter-config-data');"
            " return config && JSON.parse(config.textContent).kernelId !== first; }",
            arg=first, timeout=120_000)
        page.wait_for_selector(".iss-readout table", timeout=120_000)
        page.get_by_role("button", name="Docking").click()
        page.wait_for_function(
            "() => document.querySelector('.iss-readout').innerText.includes('12:34:35')", timeout=60_000)
        assert page.locator(".oe-lost").count() == 0
    finally:
        context.close()
        stop(proc)
