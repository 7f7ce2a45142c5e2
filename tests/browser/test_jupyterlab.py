"""Each notebook opened in JupyterLab, run from top to bottom in a real browser, renders its widgets
and figures; the figures share the kit's plotly bundle and fit their box. JupyterLab runs as Binder
starts it (conftest's ``binder_launch``: ``/user/student/`` prefix, the kit's server extension and
configuration), from a temporary copy of the notebooks so that running them changes no file here."""

import contextlib
import json
import shutil
import subprocess
import tempfile

import pytest

from explainer.ui.screen import NARROW_PX

from .conftest import BINDER_BASE, ROOT, binder_launch, free_port, stop, wait_http
from .layout import HEIGHTS, WIDTHS, layout_report, resize_window, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("output", ".*"))
    port = free_port()
    cmd, env = binder_launch(port)
    cmd.append(f"--LabApp.workspaces_dir={tmp_path_factory.mktemp('workspaces')}")
    # JupyterLab lays out a cell out of view only when it is scrolled to (windowing): every cell
    # is laid out here, so that the layout checks measure where each really is
    settings = tmp_path_factory.mktemp("settings")
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    cmd.append(f"--LabApp.user_settings_dir={settings}")
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=root, env=env)
    proc.log = log
    url = f"http://127.0.0.1:{port}{BINDER_BASE}"
    try:
        wait_http(f"{url}api/status")
        yield url
    finally:
        stop(proc)


def run_notebook(page, lab, name):
    """Open ``notebooks/name`` in JupyterLab, run all its cells and wait until they have run."""
    page.set_default_timeout(120_000)
    page.goto(f"{lab}lab/tree/notebooks/{name}?reset")
    page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-NotebookPanel')")
    # the kernel must be connected and idle before "run all", or the command is dropped
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.status === 'idle' && k.connectionStatus === 'connected'; }")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden)"
    page.wait_for_selector(f"{panel} .jp-OutputArea .js-plotly-plot .main-svg", timeout=180_000)
    # some widgets are hidden on purpose (a width probe, a phone-only list): wait for a shown control
    page.wait_for_function(
        "(sel) => [...document.querySelectorAll(sel)].some(e => e.getClientRects().length > 0)",
        arg=f"{panel} .jp-OutputArea .widget-slider, {panel} .jp-OutputArea .widget-inline-hbox",
        timeout=60_000)
    # wait for the run to finish: no cell waiting or running ("[*]"), the kernel idle (on a phone
    # JupyterLab hides the toolbar's execution indicator)
    page.wait_for_function(
        "(panel) => { const w = window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return k && k.status === 'idle'"
        " && ![...document.querySelectorAll(panel + ' .jp-InputPrompt')].some(p => p.textContent.includes('*')); }",
        arg=panel, timeout=240_000)
    return panel


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_renders_widgets_and_figures_in_jupyterlab(page, lab, name):
    panel = run_notebook(page, lab, name)
    errors = page.locator(f"{panel} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_inner_texts() if "Error" in t or "Traceback" in t]
    assert tracebacks == []
    assert page.locator(f"{panel} .jp-OutputArea .js-plotly-plot").count() >= 1
    assert page.locator(".Toastify__toast").all_inner_texts() == []  # no "Jupyter news" question


WIDGET_FIGURES = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets > .js-plotly-plot')]
  .filter(p => p.getBoundingClientRect().width > 0)
  .map(p => [p.querySelector('.main-svg').getBoundingClientRect().width, p.parentElement.getBoundingClientRect().width])"""


def test_figures_share_the_bundle_fill_their_box_and_follow_a_resize(browser, lab):
    """plotly's own widget draws 700 px wide whatever its box (the ISS map overflowed its box and
    hid under the readout); the kit's figures take their box's width and follow it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from explainer.ui.plotly_widget import bundle_path

    def settled():
        fitted = f"() => ({WIDGET_FIGURES})().length > 0 && ({WIDGET_FIGURES})().every(([f, b]) => Math.abs(f - b) <= 2)"
        with contextlib.suppress(PlaywrightTimeout):  # if it never fits, the assertion shows the widths
            page.wait_for_function(fitted, timeout=5_000, polling=100)
        return page.evaluate(WIDGET_FIGURES)

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    bundles = []
    page.on("request", lambda r: "plotly" in r.url and "/lab/extensions/" not in r.url and bundles.append(r.url))
    try:
        run_notebook(page, lab, "01_iss_over_the_mediterranean.ipynb")
        page.locator(".jupyter-widgets > .js-plotly-plot").first.scroll_into_view_if_needed()
        wide = settled()
        assert wide and all(abs(f - b) <= 2 for f, b in wide), wide
        resize_window(page, 1000, 900)
        narrow = settled()
        assert narrow and all(abs(f - b) <= 2 for f, b in narrow), narrow
        assert narrow[0][0] < wide[0][0] - 50  # it followed its box
        assert bundles == [f"{lab}{bundle_path()}"]  # one served copy, not 5 MB per figure
    finally:
        context.close()


@pytest.mark.parametrize(("width", "mode", "sidebar_open"), [
    (360, "single-document", False), (390, "single-document", False),
    (768, "multiple-document", False), (1366, "multiple-document", True)])
def test_a_narrow_screen_gives_the_notebook_the_screen(browser, lab, width, mode, sidebar_open):
    """The kit's JupyterLab extension (labextension/): JupyterLab opens with its file browser
    about 250 px wide whatever the screen, which left a 390 px phone's notebook 40 px and a
    tablet's 400 px. Below 1024 px the side bars start collapsed, and a phone gets
    single-document mode; a laptop keeps JupyterLab as it is."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]})
    page = context.new_page()
    try:
        page.set_default_timeout(60_000)
        page.goto(f"{lab}lab/tree/notebooks/01_iss_over_the_mediterranean.ipynb?reset")
        page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-NotebookPanel')")
        page.evaluate("async () => { await window.jupyterapp.restored; }")
        shell = """() => { const s = window.jupyterapp.shell;
            const p = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            return {mode: s.mode, sidebarOpen: !s.leftCollapsed, notebookPx: p ? p.getBoundingClientRect().width : 0}; }"""
        expected = {"mode": mode, "sidebarOpen": sidebar_open}
        with contextlib.suppress(PlaywrightTimeout):  # the extension acts once the layout is restored
            page.wait_for_function(f"() => ({shell})().mode === {json.dumps(mode)}"
                                   f" && ({shell})().sidebarOpen === {json.dumps(sidebar_open)}", timeout=10_000)
        page.wait_for_timeout(300)  # the panels' sizes settle
        state = page.evaluate(shell)
        assert {k: state[k] for k in expected} == expected, state
        if not sidebar_open:  # only the activity bars (33 px; a phone shows the left one) are not notebook
            assert state["notebookPx"] >= width - (45 if mode == "single-document" else 80), state
    finally:
        context.close()


def test_the_right_activity_bar_comes_back_after_a_phone(browser, lab):
    """On a phone the extension hides the right activity bar; when the window widens past a
    phone's width it shows it again."""
    context = browser.new_context(viewport={"width": 390, "height": HEIGHTS[390]})
    page = context.new_page()
    visible = "() => window.jupyterapp.shell.isSideTabBarVisible('right')"
    try:
        page.set_default_timeout(60_000)
        page.goto(f"{lab}lab/tree/notebooks/01_iss_over_the_mediterranean.ipynb?reset")
        page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-NotebookPanel')")
        page.evaluate("async () => { await window.jupyterapp.restored; }")
        page.wait_for_function(f"() => !({visible})()", timeout=10_000)
        resize_window(page, 1366, 768)
        page.wait_for_function(visible, timeout=10_000)
        resize_window(page, 390, HEIGHTS[390])
        page.wait_for_function(f"() => !({visible})()", timeout=10_000)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_readable_in_jupyterlab_at_every_width(browser, lab, name, width):
    """The door students take most: the notebooks in JupyterLab, from a phone to a projector. In
    the notebook's prose and outputs no text overlaps other text, nothing is cut off, every figure
    is as wide as its box, and on a phone notebook 01's map takes the portrait shape (the kernel
    hears the box's width from the kit's width probe). Screenshots in
    tests/artifacts/layout/lab-*.png."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]})
    page = context.new_page()
    try:
        panel = run_notebook(page, lab, name)
        fitted = f"() => ({WIDGET_FIGURES})().length > 0 && ({WIDGET_FIGURES})().every(([f, b]) => Math.abs(f - b) <= 2)"
        with contextlib.suppress(PlaywrightTimeout):  # if it never fits, the report says so
            page.wait_for_function(fitted, timeout=10_000, polling="raf")
        page.wait_for_timeout(500)
        report = layout_report(page, root=f"{panel} .jp-OutputArea, {panel} .jp-MarkdownOutput")
        shot = save_screenshot(page, "lab", name.removesuffix(".ipynb"), width,
                               scroller=f"{panel} .jp-WindowedPanel-outer")
        assert report["overlaps"] == [], f"{shot}: {report['overlaps']}"
        assert report["clipped"] == [], f"{shot}: {report['clipped']}"
        figures = [f for f in report["figures"] if f["width"] > 0]
        assert figures, shot
        if width < NARROW_PX and name.startswith("01_"):
            iss_map = figures[0]
            assert iss_map["plotHeight"] >= 0.75 * iss_map["plotWidth"], (shot, iss_map)
    finally:
        context.close()
