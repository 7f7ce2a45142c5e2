"""The dashboard as a visitor sees it, in headless Chromium (Playwright, Debian's /usr/bin/chromium),
against an anchor measured in the same run.

- anchor_first_plot_s_warm: the anchor, plain Voila (preheated, its own page template and
  widgets) serving a one-cell notebook with one ``plotly.graph_objects.FigureWidget`` holding one
  scatter trace, what a newcomer to these libraries would build: from navigation to the trace
  drawn; median of the loads.
- first_plot_s_warm: the kit's dashboard as `explainer dashboard` serves it (preheated): from
  navigation to the first map drawn with land; median. Anchor and kit loads alternate (with the
  Binder door's), so that noise on this shared machine hits them alike.
- binder_first_plot_s_warm: the same dashboard on a Binder-like server (JupyterLab under
  ``/user/student/``, its ``voila/render/`` page; a kernel started per page, as on Binder),
  after a first page load; median.
- first_plot_s_cold: `explainer dashboard` with a kernel started per page (no preheating); median.
- lab_first_plot_s: notebook 01 opened in JupyterLab on the Binder-like server, "run all" at once:
  from navigation to the first figure drawn.
- update_p50_ms / update_p95_ms: from a keyboard step of the time slider to the changed map
  title in the page (kernel round trip + plotly redraw), measured in the page, 60 steps.
- ws_bytes_per_page: bytes a dashboard page receives over the kernel's websocket with all three
  tabs opened (`explainer dashboard`).

The kit's first map is drawn from the server's copy of it before the kernel answers
(explainer/stories/ms28/first_map.py), with plotly.js's small geo bundle
(explainer/ui/first_map_bundle.py), before Voila's own scripts start; the lines before the last also
give the time until the kernel's own map has replaced it ("kernel map").

Run (shared machine: serialise heavy runs): flock /tmp/heavy.lock python benchmarks/dashboard.py
(servers on ten ports from $EXPLAINER_BENCH_PORT, default 9420)
Last line: first_plot_s_warm=<a> first_plot_s_cold=<b> anchor_first_plot_s_warm=<c>
binder_first_plot_s_warm=<d> lab_first_plot_s=<e> update_p50_ms=<f> update_p95_ms=<g> ws_bytes_per_page=<h>
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    start_binder,
    start_voila,
    stop,
    wait_http,
)
from tests.browser.test_dashboard import COUNT_WEBSOCKET_BYTES, open_tab  # noqa: E402

PORTS = iter(range(FIRST_PORT := int(os.environ.get("EXPLAINER_BENCH_PORT", "9420")), FIRST_PORT + 10))
"""This benchmark's ports: ten from $EXPLAINER_BENCH_PORT (default 9420)."""
ROUNDS = 5

LAND = ("() => [...document.querySelectorAll('.js-plotly-plot .geo .scatterlayer path.js-line')]"
        ".some(e => e.getBoundingClientRect().width > 0 && e.style.fill === 'rgb(217, 212, 199)'"
        " && (e.getAttribute('d') || '').length > 20000)")
KERNEL_MAP = LAND.replace("document.querySelectorAll('", "document.querySelectorAll('#rendered_cells ")
TRACE = ("() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer .trace path.js-line')]"
         ".some(e => e.getBoundingClientRect().width > 0 && (e.getAttribute('d') || '').length > 10)")

STEP = """async () => {
  const plot = [...document.querySelectorAll('#rendered_cells .js-plotly-plot')]
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

ANCHOR_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "anchor", "metadata": {}, "outputs": [],
               "source": ["import plotly.graph_objects as go\n",
                          "go.FigureWidget(data=[go.Scatter(x=[1, 2, 3, 4], y=[10, 11, 12, 13])])"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def load(browser, url, ready, also=None) -> tuple[float, float | None]:
    """Seconds from navigation to ``ready`` (and to ``also``, if given) in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(ready, timeout=180_000, polling=50)
    first = time.perf_counter() - start
    second = None
    if also:
        page.wait_for_function(also, timeout=180_000, polling=50)
        second = time.perf_counter() - start
    context.close()
    return first, second


def lab_first_plot(browser, base) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(f"{base}lab/tree/notebooks/01_iss_over_the_mediterranean.ipynb?reset", wait_until="commit")
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.status === 'idle' && k.connectionStatus === 'connected'; }", timeout=180_000, polling=50)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function("() => document.querySelector('.jp-OutputArea .js-plotly-plot .main-svg')",
                           timeout=180_000, polling=50)
    elapsed = time.perf_counter() - start
    page.wait_for_function(  # let the run finish before the context closes
        "() => document.querySelector('.jp-Notebook-ExecutionIndicator').getAttribute('data-status') === 'idle'",
        timeout=300_000)
    context.close()
    return elapsed


def update_times(browser, url, steps=60) -> list[float]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(KERNEL_MAP, timeout=120_000)
    page.wait_for_timeout(1000)
    times = []
    for _ in range(steps):
        times.append(page.evaluate(STEP))
        page.wait_for_timeout(100)
    context.close()
    return times


def websocket_bytes(browser, url) -> int:
    """Bytes a fresh page receives over the kernel's websocket until all three tabs are drawn."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.add_init_script(COUNT_WEBSOCKET_BYTES)
    page.goto(url)
    page.wait_for_function(KERNEL_MAP, timeout=120_000)
    open_tab(page, "Eight ports")
    page.wait_for_selector(".ports-schematic .scatterlayer .point", timeout=60_000)
    open_tab(page, "Sixty years of Soyuz")
    page.wait_for_selector(".soyuz-timeline .js-plotly-plot .scatterlayer .point", timeout=60_000)
    page.wait_for_timeout(1000)
    received = page.evaluate("window.__wsBytes")
    context.close()
    return received


def start_anchor(port: int, folder: Path) -> subprocess.Popen:
    notebook = folder / "anchor.ipynb"
    notebook.write_text(json.dumps(ANCHOR_NOTEBOOK))
    cmd = [sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--Voila.ip=127.0.0.1",
           "--Voila.port_retries=0", "--no-browser", "--preheat_kernel=True", "--pool_size=1"]
    env = {k: v for k, v in os.environ.items() if k != "EXPLAINER_PLOTLY_MODULE"}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
    proc.log = log
    return proc


def fmt(values) -> str:
    return ", ".join(f"{x:.2f}" for x in values)


def main():
    servers = []
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            kit_port, anchor_port, binder_port, cold_port = (next(PORTS) for _ in range(4))
            servers.append(start_voila(kit_port))
            servers.append(start_anchor(anchor_port, Path(tmp)))
            # Binder's server runs from a copy of the repository's notebooks: JupyterLab may save them
            shutil.copytree(ROOT / "notebooks", Path(tmp) / "repo" / "notebooks",
                            ignore=shutil.ignore_patterns("output", ".*"))
            shutil.copy(ROOT / "voila.json", Path(tmp) / "repo")
            servers.append(start_binder(binder_port, Path(tmp), Path(tmp) / "repo"))
            kit = f"http://127.0.0.1:{kit_port}/"
            anchor = f"http://127.0.0.1:{anchor_port}/"
            binder_base = f"http://127.0.0.1:{binder_port}/user/student/"
            binder = f"{binder_base}voila/render/notebooks/dashboard.ipynb"
            wait_http(kit)
            wait_http(anchor)
            wait_http(f"{binder_base}api/status")
            wait_http(f"{binder_base}voila/labextensions/orbit-explainer/first-map.json", timeout_s=120)
            load(browser, binder, LAND)  # Binder's first visitor; the lines below are warm
            time.sleep(8)  # let the preheated pools refill after the readiness requests
            warm, kernel_warm, anchors, binders, kernel_binder = [], [], [], [], []
            for _ in range(ROUNDS):
                anchors.append(load(browser, anchor, TRACE)[0])
                first, kernel_map = load(browser, kit, LAND, KERNEL_MAP)
                warm.append(first)
                kernel_warm.append(kernel_map)
                first, kernel_map = load(browser, binder, LAND, KERNEL_MAP)
                binders.append(first)
                kernel_binder.append(kernel_map)
                time.sleep(3)
            lab = lab_first_plot(browser, binder_base)
            ws_bytes = websocket_bytes(browser, kit)
            time.sleep(8)  # the preheated kernel's pool refills
            updates = update_times(browser, kit)
            for proc in servers:
                stop(proc)
            servers = [start_voila(cold_port, preheat=False)]
            cold_url = f"http://127.0.0.1:{cold_port}/"
            wait_http(cold_url)
            time.sleep(3)
            cold, kernel_cold = [], []
            for _ in range(3):
                first, kernel_map = load(browser, cold_url, LAND, KERNEL_MAP)
                cold.append(first)
                kernel_cold.append(kernel_map)
                time.sleep(1)
            browser.close()
    finally:
        for proc in servers:
            if proc.poll() is None:
                stop(proc)
    warm_s, anchor_s, binder_s = statistics.median(warm), statistics.median(anchors), statistics.median(binders)
    print("anchor loads (s):", fmt(anchors))
    print("kit warm loads (s):", fmt(warm), " kernel map:", fmt(kernel_warm))
    print("Binder-like warm loads (s):", fmt(binders), " kernel map:", fmt(kernel_binder))
    print("kit cold loads (s):", fmt(cold), " kernel map:", fmt(kernel_cold))
    print(f"first map / anchor: explainer dashboard {warm_s / anchor_s:.2f}, Binder-like {binder_s / anchor_s:.2f} "
          f"(kernel map: {statistics.median(kernel_warm) / anchor_s:.2f}, "
          f"{statistics.median(kernel_binder) / anchor_s:.2f})")
    print(f"{len(updates)} slider steps (ms): min {min(updates):.0f}, max {max(updates):.0f}")
    print(f"first_plot_s_warm={warm_s:.2f} first_plot_s_cold={statistics.median(cold):.2f} "
          f"anchor_first_plot_s_warm={anchor_s:.2f} binder_first_plot_s_warm={binder_s:.2f} "
          f"lab_first_plot_s={lab:.2f} update_p50_ms={np.percentile(updates, 50):.0f} "
          f"update_p95_ms={np.percentile(updates, 95):.0f} ws_bytes_per_page={ws_bytes}")


if __name__ == "__main__":
    main()
