"""Holds a class, on loopback only, bounded in count and time.

1. 30 visitors open the dashboard at the same moment: 30 concurrent page requests, each of which
   Voila answers by running the dashboard in a kernel of its own. Every page must come back rendered.
   Then each of the 30 moves its time slider three times over its kernel's websocket (the binary
   protocol a page uses); every readout update must come back.
2. Visitors in real headless Chromium pages (4 at once in a browser of their own: Chromium keeps at
   most 6 connections to one host, and on this 2-core machine the browsers compete
   with the server for the same CPU) each move the time control three times; every update must
   arrive in that visitor's page.
3. When the visitors leave, idle kernels are culled and their memory returned.
"""

import json
import os
import signal
import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, start_voila, stop, wait_http
from .kernel_client import WidgetClient, find_model, kernel_id
from .server_watch import free_port, kernel_pid

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "30"))
BROWSER_CLIENTS = int(os.environ.get("LOAD_BROWSER_CLIENTS", "4"))
JUMPS = [("Launch", "09:27:57"), ("Nearest Barcelona", "12:31:38"), ("Docking", "12:34:35")]


def kernel_rss_mb(server_pid: int) -> list[float]:
    """Resident memory (MB) of each kernel process started by the Voila server."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) != server_pid:
            continue
        cmdline = (status.parent / "cmdline").read_bytes()
        if b"ipykernel" in cmdline and "VmRSS" in fields:
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sizes


STEPS = [(0, "2025-11-27 09:17:57"), (4000, "2025-11-27 10:24:37"), (11798, "2025-11-27 12:34:35")]


def drive_time_control(url: str, page_html: str) -> list[float]:
    """Move one visitor's time slider through STEPS; ms until each readout update arrived."""
    client = WidgetClient(url, kernel_id(page_html))
    try:
        states = client.widget_states()
        slider = find_model(states, "IntSliderModel", "iss-time")
        readout = find_model(states, "HTMLModel", "iss-readout")
        timings = []
        for index, expected in STEPS:
            start = time.perf_counter()
            client.set_value(slider, index)
            update = client.receive(
                lambda m, e=expected: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == readout
                and e in str(m["content"]["data"].get("state", {}).get("value", "")), 120)
            assert update is not None, f"the readout never showed {expected}"
            timings.append((time.perf_counter() - start) * 1000)
        return timings
    finally:
        client.close()


def open_pages_at_once(url: str, n: int) -> list[tuple[int, float, str]]:
    """n concurrent GETs of the dashboard: (status, seconds, body) each."""
    def get(_):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=600) as response:
            return response.status, time.perf_counter() - start, response.read().decode("utf-8")

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(get, range(n)))


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
    # cull sooner than the real 10 minutes, but never before a page under load has connected
    proc = start_voila(port, cull_idle_s=60)
    url = f"http://127.0.0.1:{port}/"
    contexts = []
    try:
        wait_http(url)
        time.sleep(3)

        # 1. thirty visitors at the same moment: every page comes back rendered
        results = open_pages_at_once(url, CLIENTS)
        assert [status for status, _, _ in results] == [200] * CLIENTS
        for _, _, body in results:
            assert "application/vnd.jupyter.widget-view+json" in body and "Traceback" not in body
        page_s = [seconds for _, seconds, _ in results]
        kernels = kernel_rss_mb(proc.pid)
        assert len(kernels) >= CLIENTS

        # ... and each of the 30 drives the time control over the kernel channel, as its page
        # would; every readout update must come back
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            drives = list(pool.map(lambda r: drive_time_control(url, r[2]), results))
        steps_ms = [ms for d in drives for ms in d]
        assert len(steps_ms) == CLIENTS * len(STEPS)

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
        for page in pages:
            assert "12:34:35" in page.inner_text(".iss-readout")
            assert page.locator(".oe-error").count() == 0
        total = kernel_rss_mb(proc.pid)
        record_property("pages_at_once_s_max", round(max(page_s), 1))
        record_property("kernel_channel_update_ms_p95", round(float(np.percentile(steps_ms, 95)), 1))
        record_property("kernel_rss_mb_median", round(statistics.median(kernels), 1))
        record_property("update_latency_s_median", round(statistics.median(latencies), 2))
        print(f"\n{CLIENTS} visitors each moved the slider {len(STEPS)} times over the kernel channel: "
              f"all {len(steps_ms)} updates arrived, median {np.median(steps_ms):.0f} ms, "
              f"p95 {np.percentile(steps_ms, 95):.0f} ms")
        print(f"{CLIENTS} pages at once: all rendered, slowest in {max(page_s):.1f} s "
              f"(median {statistics.median(page_s):.1f} s); {len(kernels)} kernels, median "
              f"{statistics.median(kernels):.0f} MB each; with {BROWSER_CLIENTS} browsers too: "
              f"{len(total)} kernels, {sum(total) / 1024:.1f} GB; update latency under load median "
              f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s")

        # 3. visitors leave: their kernels are culled and the memory is returned
        for ctx in contexts:
            ctx.close()
        contexts.clear()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and len(kernel_rss_mb(proc.pid)) > 2:
            time.sleep(5)
        left = kernel_rss_mb(proc.pid)
        assert len(left) <= 2, f"{len(left)} kernels still running after the visitors left"
        print(f"after the visitors left: {len(left)} kernel(s), {sum(left):.0f} MB")
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
