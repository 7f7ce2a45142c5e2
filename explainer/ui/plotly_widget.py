"""Plotly figure widgets whose front end the browser fetches once per page, wherever the kit is served.

plotly's ``FigureWidget`` is an anywidget: every figure's state carries plotly's whole front-end
bundle (``widgetbundle.js``, about 5 MB of JavaScript) as its ``_esm`` text. Each figure sends it
down the kernel's websocket and the browser decodes, compiles and runs it again; on the dashboard
that, not the kernel, was most of the time to the first map.

The kit's servers serve that file once, as a static module at :func:`bundle_path`, relative to the
page's base URL, and tell the kernels so (``EXPLAINER_PLOTLY_MODULE``, with the plotly version in
``EXPLAINER_PLOTLY_VERSION``):

- `explainer dashboard` (:mod:`explainer.serve`): standalone Voila serves the kit's folder
  under its ``voila/labextensions/`` URL;
- any Jupyter server with the kit installed (JupyterLab, Binder, Voila as a server extension):
  the kit's server extension (:mod:`explainer.ui.bundle_server`) answers at the same URL.

:func:`figure_widget` then gives figures whose ``_esm`` is a few lines that import the module by
URL, resolved against the page's base URL (any URL prefix, e.g. Binder's ``/user/<name>/``): the
browser fetches and runs it once per page and every figure shares it. Where no server said so, or
it serves another plotly version, it gives plotly's own self-contained ``FigureWidget``.

The served copy is trimmed (:func:`trim_bundle`) to register only the trace types the kit draws
(:data:`TRACE_TYPES`), the way plotly.js's own partial bundles do: starting the full bundle,
every trace type from 3-D meshes to Sankey diagrams, was the biggest single cost of a page load.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from functools import cache
from pathlib import Path

import plotly
import plotly.graph_objects as go

MODULE_ENV = "EXPLAINER_PLOTLY_MODULE"
"""Set by the kit's servers, for their kernels, to the URL path of the served bundle relative to
the page's base URL (:func:`bundle_path`). Servers send the bundle with ``Cache-Control:
no-cache`` and an ETag: browsers revalidate it on each visit, so a cached copy never outlives a
plotly upgrade or a change of the kit's trim."""
VERSION_ENV = "EXPLAINER_PLOTLY_VERSION"
"""Set with :data:`MODULE_ENV` to the plotly version whose bundle the server serves: a kernel with
another plotly (another environment) keeps plotly's own widgets."""
SERVED_DIR = "orbit-explainer"
SERVED_URL = f"voila/labextensions/{SERVED_DIR}/"
"""Where the kit's servers serve plotly's bundle (and the dashboard's first map,
:mod:`explainer.stories.ms28.first_map`), relative to the page's base URL: under Voila's labextensions URL,
where `explainer dashboard` has Voila serve the kit's folder, and where the kit's Jupyter server
extension answers on other servers (JupyterLab, Binder), ahead of Voila's own handler."""
FIRST_MAP_FILE = "first-map.json"
"""The dashboard's first map, written by :mod:`explainer.stories.ms28.first_map` beside the
served bundle."""
TRACE_TYPES = ("scatter", "scattergeo", "bar")
"""The plotly trace types the kit's figures use; the dashboard's bundle registers only these."""

_REGISTER = re.compile(
    r'=(?P<helper>[\w$]+)\(\{"lib/index\.js"\([\w$]+,[\w$]+\)\{'
    r"var (?P<plotly>[\w$]+)=[\w$]+\(\);(?P=plotly)\.register\(\[(?P<calls>[^\]]*)\]\)"
)
"""plotly.js's ``lib/index.js`` as bundled: the core (which registers scatter), then one
``register([...])`` call listing a module initialiser per trace type."""


class BundleError(ValueError):
    """plotly's widget bundle is not laid out as :func:`trim_bundle` expects."""


def bundle_file() -> Path:
    """plotly's front-end bundle for FigureWidget, as installed."""
    return Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"


def bundle_path() -> str:
    """Where the kit's servers serve :func:`served_bundle`: its URL path relative to the page's base
    URL, the same on every door (the kit's page template imports it from there too)."""
    return f"{SERVED_URL}plotly.js"


def served_bundle() -> bytes:
    """The bundle the kit's servers serve: :func:`bundle_file` trimmed by :func:`trim_bundle`, or
    whole, with a warning, if it is not laid out as expected (pages then load slower)."""
    text = bundle_file().read_text(encoding="utf-8")
    try:
        text = trim_bundle(text)
    except BundleError as error:
        warnings.warn(f"serving plotly's full widget bundle (pages load slower): {error}", stacklevel=2)
    return text.encode("utf-8")


def trim_bundle(text: str, trace_types: tuple[str, ...] = TRACE_TYPES) -> str:
    """plotly's widget bundle ``text`` with only ``trace_types`` registered (scatter always is).

    The bundle keeps every module's code; only the list that plotly.js's ``lib/index.js`` hands
    to ``Plotly.register`` changes, so the modules of other trace types are never started.
    Raises :class:`BundleError` if the bundle is not laid out as expected (e.g. another plotly
    version) or lacks one of ``trace_types``.
    """
    found = list(_REGISTER.finditer(text))
    if len(found) != 1:
        raise BundleError(f"expected one plotly.js trace registration in the bundle, found {len(found)}")
    match = found[0]
    module_of = {}  # initialiser name -> plotly.js module, from `name=helper({"lib/<module>.js"`
    for m in re.finditer(rf'={re.escape(match["helper"])}\(\{{"lib/(\w+)\.js"', text):
        name = re.search(r"[\w$]+$", text[max(0, m.start() - 40):m.start()])
        if name:
            module_of[name[0]] = m[1]
    registered = {}
    for call in re.findall(r"([\w$]+)\(\)", match["calls"]):
        if call not in module_of:
            raise BundleError(f"cannot tell which plotly.js module {call}() registers")
        registered[module_of[call]] = call
    wanted = [t for t in trace_types if t != "scatter"]
    missing = [t for t in wanted if t not in registered]
    if missing:
        raise BundleError(f"the bundle has no trace type {', '.join(missing)}")
    calls = ",".join(f"{registered[t]}()" for t in wanted)
    return text[:match.start("calls")] + calls + text[match.end("calls"):]


def loader_esm(path: str) -> str:
    """An ES module that imports the bundle served at ``path``, relative to the page's base URL (the
    ``baseUrl`` of the page's Jupyter config: ``/`` for `explainer dashboard`, ``/user/<name>/`` on
    Binder, in Voila and JupyterLab alike), and gives plotly's widget, made as wide as its
    container and following that width: plotly's own figure takes the width of its content when it
    first draws (700 px, whatever the screen or notebook: cut off on a phone, a third of a
    projector left empty, wider than its box in JupyterLab) and nothing resizes it later. A figure
    with an explicit layout width keeps it."""
    return f"""\
const config = document.getElementById("jupyter-config-data");
const base = new URL((config && JSON.parse(config.textContent).baseUrl) || "/", document.baseURI);
const url = new URL({json.dumps(path)}, base).href;
let bundle;
try {{
  bundle = await import(url);
}} catch (error) {{
  throw new Error(`Orbit Explainer: cannot load plotly's widget bundle from ${{url}}: ${{error}}`);
}}
const Plotly = window.Plotly;  // set by the bundle
export default () => {{
  const figure = bundle.default();
  return {{
    initialize: (context) => figure.initialize(context),
    render(context) {{
      const el = context.el;
      Object.assign(el.style, {{width: "100%", minWidth: "0"}});  // as wide as its container
      const stop = figure.render(context);
      // redraw at the box's width when the box changes and after plotly draws: plotly may draw
      // at its default 700 px while the box is still detached, or redraw at it after a resize
      let tries = 0, triedAt = -1;
      const fit = (frames = 0) => {{
        const drawn = el._fullLayout;
        if (!drawn) {{
          if (frames < 1200) requestAnimationFrame(() => fit(frames + 1));
          return;
        }}
        if (!el.oeFollowsDrawing && el.on) {{
          el.oeFollowsDrawing = true;
          el.on("plotly_afterplot", () => fit());
        }}
        const width = el.offsetWidth;
        if (width > 0 && Math.abs(drawn.width - width) > 1) {{
          tries = width === triedAt ? tries + 1 : 0;  // a few tries per width: never a redraw loop
          triedAt = width;
          if (tries < 3) Plotly.Plots.resize(el).catch(() => {{}});
        }}
      }};
      const follow = new ResizeObserver(() => fit());
      follow.observe(el);
      return () => {{ follow.disconnect(); stop(); }};
    }},
  }};
}};
"""


def served_path() -> str | None:
    """The served bundle's URL path relative to the page's base URL, as the server announced it in
    ``EXPLAINER_PLOTLY_MODULE``; None if no server did, or if it serves another plotly version."""
    if os.environ.get(VERSION_ENV) != plotly.__version__:
        return None
    return os.environ.get(MODULE_ENV) or None


class SharedBundleFigureWidget(go.FigureWidget):
    """A plotly ``FigureWidget`` whose front end is imported from a served bundle
    (:func:`shared_bundle_class` gives the class for a given URL path)."""


@cache
def shared_bundle_class(path: str) -> type[SharedBundleFigureWidget]:
    """The :class:`SharedBundleFigureWidget` class whose figures import the bundle at ``path``."""
    return type("SharedBundleFigureWidget", (SharedBundleFigureWidget,), {"_esm": loader_esm(path)})


def figure_widget(**kwargs) -> go.FigureWidget:
    """A plotly ``FigureWidget(**kwargs)``: sharing the served bundle if the server said it serves
    this plotly version's bundle (``EXPLAINER_PLOTLY_MODULE``, ``EXPLAINER_PLOTLY_VERSION``), else
    plotly's own widget.
    Raises ValueError for a trace type the served bundle does not register (:data:`TRACE_TYPES`):
    better here than a figure that stays blank in the browser."""
    path = served_path()
    if path is None:
        return go.FigureWidget(**kwargs)
    fig = shared_bundle_class(path)(**kwargs)
    unknown = sorted({trace.type for trace in fig.data} - set(TRACE_TYPES))
    if unknown:
        raise ValueError(f"trace type {', '.join(unknown)} is not in the dashboard's plotly bundle "
                         f"(explainer.ui.plotly_widget.TRACE_TYPES)")
    return fig
