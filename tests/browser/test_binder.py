"""Binder's door as a visitor and as Binder's server see it: JupyterLab started as Binder starts it
(conftest's ``binder_door``) keeps the local dashboard's promises. test_dashboard.py runs the
dashboard's own checks on this door too."""

import re
import urllib.error
import urllib.request
from importlib.metadata import version

import pytest

from .conftest import ROOT, PageWatch
from .test_dashboard import COUNT_WEBSOCKET_BYTES, open_dashboard, open_tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VERSION_WARNING = re.compile(r"Unsatisfied version|No satisfying version")


def test_the_page_carries_no_source_and_the_server_culls_idle_kernels(binder_door):
    with urllib.request.urlopen(binder_door, timeout=120) as response:
        html = response.read().decode()
    assert "build_dashboard" not in html and "import" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    binder_door.log.seek(0)
    log = binder_door.log.read().decode(errors="replace")
    assert "Culling kernels with idle durations > 600 seconds" in log


def test_one_bundle_and_little_websocket_traffic_with_all_tabs_open(browser, binder_door):
    from explainer.ui.first_map_bundle import module_path

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    watch = PageWatch(page)
    bundles = []
    page.on("request", lambda r: "plotly" in r.url and bundles.append(r.url))
    page.add_init_script(COUNT_WEBSOCKET_BYTES)
    try:
        open_dashboard(page, binder_door)
        open_tab(page, "Eight ports")
        page.wait_for_selector(".ports-schematic .scatterlayer .point", timeout=60_000)
        open_tab(page, "Sixty years of Soyuz")
        page.wait_for_selector(".soyuz-timeline .js-plotly-plot .scatterlayer .point", timeout=60_000)
        # plotly's bundle once, and the small plotly.js that drew the first map
        assert sorted(bundles) == sorted([binder_door.bundle_url, binder_door.base_url + module_path()])
        assert page.evaluate("window.__wsBytes") < 1_000_000
        assert watch.unexpected() == []
    finally:
        context.close()


def _locked(name: str) -> str | None:
    """The version binder/requirements.txt pins ``name`` to, if it pins it."""
    text = (ROOT / "binder" / "requirements.txt").read_text()
    found = re.search(rf"^{re.escape(name)}==([\w.]+)", text, flags=re.M | re.I)
    return found and found[1]


FRONT_END = ("voila", "jupyterlab_widgets")
"""Voila 0.5's page runs JupyterLab 4.2.5's core; jupyterlab_widgets >= 3.0.14 and Voila >= 0.5.9's
own widgets manager were built against later JupyterLab releases and ask for them (``^4.6.2``,
``^4.5.10``): one console warning per shared module. Binder's lock pins a front end that agrees."""


@pytest.mark.skipif(any(_locked(n) in (None, "") or _locked(n) != version(n) for n in FRONT_END),
                    reason="the installed Voila front end is not the one binder/requirements.txt pins")
def test_no_version_warnings_with_binders_locked_front_end(page, binder_door):
    open_dashboard(page, binder_door)
    page.wait_for_timeout(1000)
    assert [w for w in page.watch.warnings + page.watch.errors if VERSION_WARNING.search(w)] == []
    assert page.watch.unexpected() == []


def test_the_server_extension_serves_the_trimmed_bundle_then_304(binder_door):
    from explainer.ui.plotly_widget import served_bundle

    with urllib.request.urlopen(binder_door.bundle_url, timeout=60) as response:
        body, etag = response.read(), response.headers["Etag"]
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert response.headers["Cache-Control"] == "no-cache"
    assert body == served_bundle()
    request = urllib.request.Request(binder_door.bundle_url, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=60)
    answer.value.close()
    assert answer.value.code == 304
