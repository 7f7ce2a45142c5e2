"""Each notebook opened in JupyterLab, run from top to bottom in a real browser, renders its widgets
and figures (the labextensions for ipywidgets, plotly and anywidget come with the pip packages)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import free_port, stop, wait_http

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = sorted(p.name for p in (Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    for name in NOTEBOOKS:
        shutil.copy(Path(__file__).parents[2] / "notebooks" / name, root / name)
    port = free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
           "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
           "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={root}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
    proc.log = open(os.devnull, "wb")  # noqa: SIM115 - closed by stop()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/api/status")
        yield url
    finally:
        stop(proc)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders_widgets_and_figures_in_jupyterlab(page, lab, name):
    page.set_default_timeout(120_000)
    page.goto(f"{lab}/lab/tree/{name}?reset")
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-NotebookPanel')")
    # the kernel must be connected and idle before "run all", or the command is dropped
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.status === 'idle' && k.connectionStatus === 'connected'; }")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    page.wait_for_selector(f"{panel} .jp-OutputArea .js-plotly-plot .main-svg", timeout=180_000)
    page.wait_for_selector(f"{panel} .jp-OutputArea .widget-slider, {panel} .jp-OutputArea .widget-inline-hbox",
                           timeout=60_000)
    # wait for the run to finish, then check that no cell failed
    page.wait_for_function(
        f"() => document.querySelector(\"{panel} .jp-Notebook-ExecutionIndicator\")"
        ".getAttribute('data-status') === 'idle'", timeout=240_000)
    errors = page.locator(f"{panel} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_inner_texts() if "Error" in t or "Traceback" in t]
    assert tracebacks == []
    assert page.locator(f"{panel} .jp-OutputArea .js-plotly-plot").count() >= 1
