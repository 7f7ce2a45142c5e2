"""The dashboard's shared plotly front end: the trimmed bundle, the figures' loader, the server side."""

import base64
import json
import os
import re
import time
import warnings

import numpy as np
import plotly
import plotly.graph_objects as go
import pytest

from explainer import serve
from explainer.ui import plotly_widget as pw

FULL = pw.bundle_file().read_text(encoding="utf-8")


def registered_modules(text: str) -> list[str]:
    """The plotly.js modules a bundle registers, read independently of trim_bundle's code."""
    (calls,) = re.findall(r'\{"lib/index\.js"\(\w+,\w+\)\{var \w+=[\w$]+\(\);\w+\.register\(\[([^\]]*)\]\)', text)
    modules = []
    for call in re.findall(r"([\w$]+)\(\)", calls):
        (module,) = re.findall(rf'[,;]{re.escape(call)}=[\w$]+\(\{{"lib/(\w+)\.js"', text)
        modules.append(module)
    return modules


def test_installed_bundle_registers_every_trace_type():
    modules = registered_modules(FULL)
    assert len(modules) > 40 and {"bar", "scattergeo", "sankey", "scatter3d"} <= set(modules)


def test_trimmed_bundle_registers_only_the_kits_trace_types():
    trimmed = pw.trim_bundle(FULL)
    assert sorted(registered_modules(trimmed)) == ["bar", "scattergeo"]  # scatter: in plotly's core
    # the only change is the registration list: every module's code is still there
    assert len(FULL) - len(trimmed) < 1000
    head = FULL.index('{"lib/index.js"(')  # the minifier's names vary between plotly versions
    assert trimmed[:head] == FULL[:head]
    assert trimmed.endswith(FULL[-100_000:])


def test_trim_bundle_refuses_what_it_does_not_recognise():
    with pytest.raises(pw.BundleError, match="found 0"):
        pw.trim_bundle("export default {};")
    with pytest.raises(pw.BundleError, match="no trace type sunflower"):
        pw.trim_bundle(FULL, ("scatter", "sunflower"))
    registration = re.search(r'=[\w$]+\(\{"lib/index\.js".*?\]\)', FULL).group(0)
    with pytest.raises(pw.BundleError, match="found 2"):
        pw.trim_bundle(FULL + ";x" + registration)
    with pytest.raises(pw.BundleError, match="cannot tell which"):
        pw.trim_bundle(FULL.replace(".register([", ".register([mystery(),", 1))


def served_here(monkeypatch, path=None):
    """As if this process were a kernel started by a server that serves the bundle at ``path``."""
    monkeypatch.setenv(pw.MODULE_ENV, path or pw.bundle_path())
    monkeypatch.setenv(pw.VERSION_ENV, plotly.__version__)


def test_figures_are_plotlys_own_unless_the_server_serves_the_bundle(monkeypatch):
    monkeypatch.delenv(pw.MODULE_ENV, raising=False)
    monkeypatch.delenv(pw.VERSION_ENV, raising=False)
    fig = pw.figure_widget(data=[go.Scatter(x=[1, 2], y=[3, 4])])
    assert not isinstance(fig, pw.SharedBundleFigureWidget) and len(fig._esm) > 1_000_000
    served_here(monkeypatch)
    monkeypatch.setenv(pw.VERSION_ENV, "0.0.1")  # a server with another plotly
    assert not isinstance(pw.figure_widget(), pw.SharedBundleFigureWidget)
    monkeypatch.delenv(pw.VERSION_ENV)  # a server that does not say which plotly
    assert not isinstance(pw.figure_widget(), pw.SharedBundleFigureWidget)


def test_served_figures_carry_a_small_loader_of_the_announced_path(monkeypatch):
    served_here(monkeypatch, "somewhere/else/plotly.js")
    fig = pw.figure_widget(data=[go.Scattergeo(lon=[0], lat=[0]), go.Bar(x=[1], y=[2])])
    assert isinstance(fig, pw.SharedBundleFigureWidget)
    assert len(fig._esm) < 3000 and 'new URL("somewhere/else/plotly.js", base)' in fig._esm
    assert ".baseUrl" in fig._esm and "export default" in fig._esm  # relative to the page's base URL
    assert "ResizeObserver" in fig._esm and "plotly_afterplot" in fig._esm  # fits its box (browser tests)
    fig.add_scatter(x=[1], y=[1])  # still an ordinary FigureWidget to the kit's code
    assert [t.type for t in fig.data] == ["scattergeo", "bar", "scatter"]
    with pytest.raises(ValueError, match="trace type pie is not in the dashboard's plotly bundle"):
        pw.figure_widget(data=[go.Pie(values=[1, 2])])
    # another server's path, another loader; the same path, the same class
    served_here(monkeypatch)
    other = pw.figure_widget()
    assert f'new URL("{pw.bundle_path()}", base)' in other._esm
    assert pw.shared_bundle_class(pw.bundle_path()) is pw.shared_bundle_class(pw.bundle_path())


def test_every_kit_figure_uses_only_served_trace_types(monkeypatch):
    from explainer.stories import soyuz
    from explainer.stories.ms28.app import IssApp
    from explainer.stories.ports import PortsApp

    served_here(monkeypatch)
    iss, flights, story = IssApp(), soyuz.SoyuzApp(), soyuz.load_flights()
    figures = [iss.figures["region"], iss._figure("globe", 0), PortsApp().schematic,
               flights.timeline, flights.per_year, soyuz.rendezvous_figure(story),
               soyuz.durations_figure(story), soyuz.crew_size_figure(story)]
    assert all(isinstance(f, pw.SharedBundleFigureWidget) for f in figures)
    assert {t.type for f in figures for t in f.data} <= set(pw.TRACE_TYPES)


def test_server_keeps_one_trimmed_copy_and_the_first_map_in_the_cache(monkeypatch, tmp_path):
    from explainer.stories.ms28.app import IssApp

    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    root = serve.static_modules_dir()
    served = root / "labextensions" / pw.SERVED_DIR / "plotly.js"
    assert served.read_text(encoding="utf-8") == pw.trim_bundle(FULL)
    assert sorted(p.name for p in root.rglob("*") if p.is_file()) == ["first-map.json", "plotly-first-map.js",
                                                                      "plotly.js"]
    # the first map is the dashboard's: the ISS map the kernel builds, in its initial state
    drawn = json.loads((served.parent / "first-map.json").read_text())
    kernels = IssApp().figures["region"]
    assert [t["name"] for t in drawn["figure"]["data"]] == [t.name for t in kernels.data]
    assert drawn["figure"]["layout"]["title"]["text"] == kernels.layout.title.text
    land = drawn["figure"]["data"][0]["lon"]  # plotly's typed array: base64 of little-endian numbers
    lon = np.frombuffer(base64.b64decode(land["bdata"]), dtype=np.dtype(land["dtype"]).newbyteorder("<"))
    np.testing.assert_array_equal(lon, np.asarray(kernels.data[0].lon, dtype=float))
    assert len(lon) > 500
    written = served.stat().st_mtime_ns
    serve.static_modules_dir()
    assert served.stat().st_mtime_ns == written  # unchanged: not rewritten
    served.write_text("stale", encoding="utf-8")
    serve.static_modules_dir()
    assert served.read_text(encoding="utf-8") == pw.trim_bundle(FULL)


def test_server_falls_back_to_the_full_bundle_with_a_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    other = tmp_path / "widgetbundle.js"
    other.write_text("export default {render() {}};", encoding="utf-8")
    monkeypatch.setattr(pw, "bundle_file", lambda: other)
    with pytest.warns(UserWarning, match="serving plotly's full widget bundle"):
        root = serve.static_modules_dir()
    assert (root / "labextensions" / pw.SERVED_DIR / "plotly.js").read_text(encoding="utf-8") == other.read_text(encoding="utf-8")


def test_voila_serves_the_bundle_where_the_kernels_look_for_it(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cmd, env = serve.voila_launch(18998, base_env={"JUPYTER_PATH": "/elsewhere", "PATH": "/usr/bin"})
    assert f"--template={serve.TEMPLATE}" in cmd
    # every Voila 0.5 serves <JUPYTER_PATH entry>/labextensions under voila/labextensions/
    assert env["JUPYTER_PATH"].split(":") == [str(serve.JUPYTER_DATA), str(tmp_path / "voila-static"), "/elsewhere"]
    assert '--VoilaConfiguration.extension_denylist=["jupyterlab-plotly", "orbit-explainer-lab"]' in cmd
    # Voila serves the extra labextensions folder under voila/labextensions/, relative to the base URL
    assert env[pw.MODULE_ENV] == pw.bundle_path() == "voila/labextensions/orbit-explainer/plotly.js"
    assert env[pw.VERSION_ENV] == plotly.__version__
    assert (tmp_path / "voila-static" / "labextensions" / "orbit-explainer" / "plotly.js").is_file()
    assert env["OPENBLAS_NUM_THREADS"] == "1"


def test_the_page_template_imports_the_bundle_and_the_first_map_where_servers_serve_them():
    from explainer.stories.ms28 import first_map
    from explainer.ui import first_map_bundle

    template = (serve.JUPYTER_DATA / "voila" / "templates" / serve.TEMPLATE / "index.html.j2").read_text()
    # the first map's folder in the head; plotly's widget bundle when Voila starts
    found = re.findall(r'new URL\("\{\{ resources.base_url \}\}([^"]+)", document.baseURI\)', template)
    assert found == [pw.SERVED_URL, pw.bundle_path()]
    assert f'fetch(new URL("{first_map.FILE}", served))' in template
    assert f'import(new URL("{first_map_bundle.FILE}", served).href)' in template
    assert f'<link rel="modulepreload" fetchpriority="high" href="{{{{ resources.base_url }}}}{first_map_bundle.module_path()}">' in template


def test_unwritable_cache_serves_plotlys_own_widgets(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(blocker))
    with pytest.warns(UserWarning, match="cannot write .*every figure will carry its own copy"):
        cmd, env = serve.voila_launch(18998, base_env={"PATH": "/usr/bin"})
    assert not any(c.startswith(("--template", "--VoilaConfiguration.extra_")) for c in cmd)
    assert pw.MODULE_ENV not in env and "JUPYTER_PATH" not in env


def test_server_extension_routes_under_the_base_url_tells_the_kernels_and_draws_the_first_map(
        monkeypatch, tmp_path):
    """The kit's Jupyter server extension, loaded into a stand-in server (tests/browser/test_binder.py
    fetches from a real one): its routes sit under the base URL where `explainer dashboard` serves
    the same files, the bundle's names this plotly version, the server's kernels (which inherit its
    environment) hear of the path, and a separate process writes the first map."""
    import logging

    from explainer.ui import bundle_server, first_map_bundle

    monkeypatch.delenv(pw.MODULE_ENV, raising=False)
    monkeypatch.delenv(pw.VERSION_ENV, raising=False)
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    assert bundle_server._jupyter_server_extension_points() == [{"module": "explainer.ui.bundle_server"}]
    routes = []

    class WebApp:
        def add_handlers(self, host, handlers):
            routes.extend(handlers)

    server = type("Server", (), {"base_url": "/user/student/", "log": logging.getLogger("test"),
                                 "web_app": WebApp()})()
    bundle_server._load_jupyter_server_extension(server)
    (route, handler), (small_route, small_handler, small), (map_route, map_handler, options) = routes
    assert handler is small_handler is bundle_server.BundleHandler and map_handler is bundle_server.FirstMapHandler
    served = "/user/student/voila/labextensions/orbit-explainer/"
    assert re.fullmatch(route, f"{served}plotly.js")
    assert not re.fullmatch(route, "/voila/labextensions/orbit-explainer/plotly.js")
    assert re.fullmatch(small_route, f"{served}plotly-first-map.js")
    assert small["body"]()[0] == first_map_bundle.served_module()
    assert re.fullmatch(map_route, f"{served}first-map.json")
    assert os.environ[pw.MODULE_ENV] == pw.bundle_path()
    assert os.environ[pw.VERSION_ENV] == plotly.__version__
    assert isinstance(pw.figure_widget(), pw.SharedBundleFigureWidget)
    deadline = time.monotonic() + 120
    while not options["path"].is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert json.loads(options["path"].read_text())["figure"]["layout"]["geo"]
