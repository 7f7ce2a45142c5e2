"""The dashboard's shared plotly front end: the trimmed bundle, the figures' loader, the server side."""

import re
import warnings

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


def test_figures_are_plotlys_own_unless_the_server_serves_the_bundle(monkeypatch):
    monkeypatch.delenv(pw.MODULE_ENV, raising=False)
    fig = pw.figure_widget(data=[go.Scatter(x=[1, 2], y=[3, 4])])
    assert not isinstance(fig, pw.SharedBundleFigureWidget) and len(fig._esm) > 1_000_000
    monkeypatch.setenv(pw.MODULE_ENV, "0.0.1")  # a server with another plotly version
    assert not isinstance(pw.figure_widget(), pw.SharedBundleFigureWidget)


def test_served_figures_carry_a_small_loader(monkeypatch):
    monkeypatch.setenv(pw.MODULE_ENV, plotly.__version__)
    fig = pw.figure_widget(data=[go.Scattergeo(lon=[0], lat=[0]), go.Bar(x=[1], y=[2])])
    assert isinstance(fig, pw.SharedBundleFigureWidget)
    assert len(fig._esm) < 2000 and f'"{pw.BUNDLE_PATH}"' in fig._esm
    assert "fullLabextensionsUrl" in fig._esm and "export default" in fig._esm
    assert "ResizeObserver" in fig._esm  # follows its box's width (tested in the browser)
    fig.add_scatter(x=[1], y=[1])  # still an ordinary FigureWidget to the kit's code
    assert [t.type for t in fig.data] == ["scattergeo", "bar", "scatter"]
    with pytest.raises(ValueError, match="trace type pie is not in the dashboard's plotly bundle"):
        pw.figure_widget(data=[go.Pie(values=[1, 2])])


def test_every_kit_figure_uses_only_served_trace_types(monkeypatch):
    from explainer.stories import soyuz
    from explainer.stories.ms28.app import IssApp
    from explainer.stories.ports import PortsApp

    monkeypatch.setenv(pw.MODULE_ENV, plotly.__version__)
    iss, flights, story = IssApp(), soyuz.SoyuzApp(), soyuz.load_flights()
    figures = [iss.figures["region"], iss._figure("globe", 0), PortsApp().schematic,
               flights.timeline, flights.per_year, soyuz.rendezvous_figure(story),
               soyuz.durations_figure(story), soyuz.crew_size_figure(story)]
    assert all(isinstance(f, pw.SharedBundleFigureWidget) for f in figures)
    assert {t.type for f in figures for t in f.data} <= set(pw.TRACE_TYPES)


def test_server_keeps_one_trimmed_copy_in_the_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    root = serve.static_modules_dir()
    served = root / pw.BUNDLE_PATH
    assert served.read_text(encoding="utf-8") == pw.trim_bundle(FULL)
    assert [p.name for p in root.rglob("*") if p.is_file()] == ["widgetbundle.js"]
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
    monkeypatch.setattr(serve, "bundle_file", lambda: other)
    with pytest.warns(UserWarning, match="serving plotly's full widget bundle"):
        root = serve.static_modules_dir()
    assert (root / pw.BUNDLE_PATH).read_text(encoding="utf-8") == other.read_text(encoding="utf-8")


def test_voila_serves_the_bundle_the_template_and_the_kernels_agree_on(monkeypatch, tmp_path):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cmd, env = serve.voila_launch(18998, base_env={"JUPYTER_PATH": "/elsewhere", "PATH": "/usr/bin"})
    assert f"--template={serve.TEMPLATE}" in cmd
    assert f"--VoilaConfiguration.extra_labextensions_path={tmp_path / 'voila-static'}" in cmd
    assert "--VoilaConfiguration.extension_denylist=jupyterlab-plotly" in cmd
    template = serve.JUPYTER_DATA / "voila" / "templates" / serve.TEMPLATE / "index.html.j2"
    imports = re.findall(r'import\("\{\{ resources\.base_url \}\}voila/labextensions/([^"]+)"\)',
                         template.read_text())
    assert imports == [pw.BUNDLE_PATH]
    assert env["JUPYTER_PATH"].split(":") == [str(serve.JUPYTER_DATA), "/elsewhere"]
    assert env[pw.MODULE_ENV] == plotly.__version__ and env["OPENBLAS_NUM_THREADS"] == "1"


def test_unwritable_cache_serves_plotlys_own_widgets(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(blocker))
    with pytest.warns(UserWarning, match="cannot write .*every figure will carry its own copy"):
        cmd, env = serve.voila_launch(18998, base_env={"PATH": "/usr/bin"})
    assert not any(c.startswith(("--template", "--VoilaConfiguration.extra_")) for c in cmd)
    assert pw.MODULE_ENV not in env and "JUPYTER_PATH" not in env
