"""Holds a class: 30 visitors open the dashboard at once (real headless Chromium pages against one
Voila server on loopback) and each moves the time control; every page renders and every update
arrives. Idle kernels are then culled and their memory returned. Bounded: 30 pages, 3 updates each,
a few minutes at most on 2 cores."""

import os
import statistics
import time
from pathlib import Path

import pytest

from .conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_voila, stop, wait_http

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "30"))
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


def test_thirty_visitors_at_once(browser, record_property):
    port = free_port()
    # short culling so the test can see memory returned (the real server culls after 10 min)
    proc = start_voila(port, cull_idle_s=15)
    url = f"http://127.0.0.1:{port}/"
    contexts = []
    try:
        wait_http(url)
        time.sleep(3)
        start = time.perf_counter()
        pages = []
        for _ in range(CLIENTS):
            ctx = browser.new_context(viewport={"width": 1100, "height": 900})
            contexts.append(ctx)
            page = ctx.new_page()
            page.goto(url, wait_until="commit", timeout=900_000)
            pages.append(page)
        render_s = []
        for page in pages:
            page.wait_for_selector(".iss-readout table", timeout=900_000)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.js-plotly-plot path.js-line')]"
                ".some(e => e.style.fill === 'rgb(217, 212, 199)')", timeout=900_000)
            render_s.append(time.perf_counter() - start)
        assert len(render_s) == CLIENTS
        kernels = kernel_rss_mb(proc.pid)
        assert len(kernels) >= CLIENTS

        # every visitor drives the time control; every update must arrive in that visitor's page
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
        record_property("render_all_s", round(max(render_s), 1))
        record_property("kernel_rss_mb_median", round(statistics.median(kernels), 1))
        record_property("update_latency_s_median", round(statistics.median(latencies), 2))
        print(f"\n{CLIENTS} pages rendered by {max(render_s):.1f} s; kernels {len(kernels)}, "
              f"median {statistics.median(kernels):.0f} MB each, total {sum(kernels):.0f} MB; "
              f"update latency under load median {statistics.median(latencies):.2f} s, "
              f"max {max(latencies):.2f} s")

        # visitors leave: their kernels are culled and the memory is returned
        for ctx in contexts:
            ctx.close()
        contexts.clear()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and len(kernel_rss_mb(proc.pid)) > 2:
            time.sleep(3)
        left = kernel_rss_mb(proc.pid)
        assert len(left) <= 2, f"{len(left)} kernels still running after the visitors left"
        print(f"after the visitors left: {len(left)} kernel(s), {sum(left):.0f} MB")
    finally:
        for ctx in contexts:
            ctx.close()
        stop(proc)
