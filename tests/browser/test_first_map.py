"""The dashboard's first map, drawn by the page before the kernel answers (explainer/ui/first_map_bundle.py,
explainer/stories/ms28/first_map.py, the page template), on both Voila doors."""

import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DOORS = ("dashboard", "binder")  # `explainer dashboard`, and Binder's /voila/render/ (conftest)

LAND_FILL = "rgb(217, 212, 199)"  # explainer.ui.basemap.LAND_COLOUR
LAND_IN = f"""box => [...document.querySelectorAll(`${{box}} .geo .scatterlayer path.js-line`)]
  .some(e => e.getBoundingClientRect().width > 0 && e.style.fill === '{LAND_FILL}'
             && (e.getAttribute('d') || '').length > 20000)"""

NO_KERNEL_SOCKET = """
// the kernel's websocket never opens: nothing the kernel sends can reach the page
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(url, protocols) {
    if (/\\/api\\/kernels\\/[0-9a-f-]{36}\\/channels/.test(String(url))) {
      const held = new EventTarget();
      Object.assign(held, {url: String(url), readyState: 0, protocol: "", send() {}, close() {}});
      window.__heldSockets = (window.__heldSockets || 0) + 1;
      return held;
    }
    super(url, protocols);
  }
};
"""


def test_the_first_map_is_drawn_before_the_kernels_widgets_arrive(page, dashboard_url):
    """With the kernel's websocket held shut the page still draws the dashboard's ISS map, with
    land, from plotly.js's small geo bundle; no widget of the kernel's is on the page."""
    from explainer.stories.ms28.app import IssApp
    from explainer.ui import first_map_bundle
    from explainer.ui.plotly_widget import FIRST_MAP_FILE, SERVED_URL

    from .conftest import wait_http

    # Binder's server writes the first map in a separate process when it starts
    wait_http(dashboard_url.base_url + SERVED_URL + FIRST_MAP_FILE, timeout_s=120)
    page.add_init_script(NO_KERNEL_SOCKET)
    page.goto(dashboard_url, wait_until="commit")
    page.wait_for_function(f"() => ({LAND_IN})('#oe-first-map')", timeout=60_000, polling=50)
    page.wait_for_function("() => window.__heldSockets > 0", timeout=60_000)  # Voila has started
    page.wait_for_timeout(1500)
    seen = page.evaluate("""async served => ({
        kernelPlots: document.querySelectorAll('#rendered_cells .js-plotly-plot').length,
        names: [...document.querySelectorAll('#oe-first-map .legendtext')].map(e => e.textContent),
        title: document.querySelector('#oe-first-map .gtitle').textContent,
        firstMapTypes: document.getElementById('oe-first-map').data.map(t => t.type),
        smallPlotlyTypes: Object.keys((await import(served)).default.PlotSchema.get().traces).sort(),
    })""", dashboard_url.base_url + first_map_bundle.module_path())
    kernels = IssApp().figures["region"]
    assert seen["kernelPlots"] == 0
    assert seen["title"] == kernels.layout.title.text
    assert seen["names"] == [t.name for t in kernels.data if t.showlegend is not False]
    # the small plotly.js knows the geo bundle's trace types, among them every one the first map draws
    assert seen["smallPlotlyTypes"] == sorted(first_map_bundle.TRACE_TYPES)
    assert set(seen["firstMapTypes"]) == {t.type for t in kernels.data} <= set(first_map_bundle.TRACE_TYPES)
    assert [e for e in page.watch.unexpected() if "WebSocket" not in e] == []


def test_the_kernels_map_takes_over_from_the_first_map(page, dashboard_url):
    """The first map was drawn, and only then did Voila's own scripts start; then the kernel's
    interactive map replaced it: one ISS map on the page, on plotly's widget bundle
    (``window.Plotly``, the kit's trace types), and no error."""
    from explainer.ui.plotly_widget import TRACE_TYPES

    page.goto(dashboard_url, wait_until="commit")
    page.wait_for_function(f"() => ({LAND_IN})('#rendered_cells')", timeout=90_000, polling=50)
    page.wait_for_timeout(500)
    seen = page.evaluate("""() => ({
        drawnEarly: performance.getEntriesByName('oe-first-map').length,
        earlyBox: document.querySelectorAll('#oe-first-map').length,
        maps: [...document.querySelectorAll('.js-plotly-plot .geo')].filter(g => g.getBoundingClientRect().width > 0).length,
        widgetTypes: Object.keys(window.Plotly.PlotSchema.get().traces).sort(),
        voilaAfterDrawn: performance.getEntriesByType('resource').find(r => r.name.endsWith('/voila.js')).startTime
            >= performance.getEntriesByName('oe-first-map')[0].startTime,
    })""")
    assert seen == {"drawnEarly": 1, "earlyBox": 0, "maps": 1, "widgetTypes": sorted(TRACE_TYPES),
                    "voilaAfterDrawn": True}
    assert page.watch.unexpected() == []


def test_the_small_plotly_is_served_under_the_doors_base_url(dashboard_url):
    from explainer.ui import first_map_bundle

    with urllib.request.urlopen(dashboard_url.base_url + first_map_bundle.module_path(), timeout=60) as response:
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert response.read() == first_map_bundle.served_module()
