"""Plotly figure widgets whose front end the browser fetches once per page, when the dashboard can.

plotly's ``FigureWidget`` is an anywidget: every figure's state carries plotly's whole front-end
bundle (``widgetbundle.js``, about 5 MB of JavaScript) as its ``_esm`` text. Each figure sends it
down the kernel's websocket and the browser decodes, compiles and runs it again; on the dashboard
that, not the kernel, was most of the time to the first map.

`explainer dashboard` (:mod:`explainer.serve`) also serves that file as a static module,
under Voila's ``voila/labextensions/`` URL at :data:`BUNDLE_PATH`, and tells the kernels so by
setting ``EXPLAINER_PLOTLY_MODULE`` to the plotly version it serves. Its page template starts
loading that module as soon as the page arrives. :func:`figure_widget` then gives figures whose
``_esm`` is a few lines that import the module by URL: the browser fetches and runs it once per
page and every figure shares it. Anywhere else (JupyterLab, Binder, Voila started by hand) it
gives plotly's own self-contained ``FigureWidget``.

The served copy is trimmed (:func:`trim_bundle`) to register only the trace types the kit draws
(:data:`TRACE_TYPES`), the way plotly.js's own partial bundles do: starting the full bundle,
every trace type from 3-D meshes to Sankey diagrams, was the biggest single cost of a page load.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go

MODULE_ENV = "EXPLAINER_PLOTLY_MODULE"
"""Set by `explainer dashboard` to the plotly version whose bundle the server serves."""
BUNDLE_PATH = "orbit-explainer/plotly/widgetbundle.js"
"""Where the dashboard serves :func:`bundle_file`, relative to the page's labextensions URL.
The server sends it with ``Cache-Control: no-cache``: browsers revalidate it on each visit, so
a cached copy never outlives a plotly upgrade."""
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
    """An ES module that imports the bundle served at ``path`` under the labextensions URL that
    the page's Jupyter config names (Voila: ``<base_url>voila/labextensions``) and gives plotly's
    widget, made as wide as its container and following that width: plotly's own figure takes
    the width of its content when it first draws (700 px, whatever the screen: cut off on a
    phone, a third of a projector left empty) and nothing resizes it later. A figure with an
    explicit layout width keeps it."""
    return f"""\
const config = document.getElementById("jupyter-config-data");
const base = config && JSON.parse(config.textContent).fullLabextensionsUrl;
if (!base) throw new Error("Orbit Explainer: this page has no labextensions URL to load plotly from");
const url = new URL(`${{base.replace(/\\/$/, "")}}/${{{json.dumps(path)}}}`, document.baseURI).href;
let bundle;
try {{
  bundle = await import(url);
}} catch (error) {{
  throw new Error(`Orbit Explainer: cannot load plotly's widget bundle from ${{url}}: ${{error}}`);
}}
export default () => {{
  const figure = bundle.default();
  return {{
    initialize: (context) => figure.initialize(context),
    render(context) {{
      const el = context.el;
      Object.assign(el.style, {{width: "100%", minWidth: "0"}});  // as wide as its container
      const stop = figure.render(context);
      const follow = new ResizeObserver(() => {{
        const drawn = el._fullLayout;
        if (drawn && el.offsetWidth > 0 && Math.abs(drawn.width - el.offsetWidth) > 1) {{
          window.Plotly.Plots.resize(el);
        }}
      }});
      follow.observe(el);
      return () => {{ follow.disconnect(); stop(); }};
    }},
  }};
}};
"""


class SharedBundleFigureWidget(go.FigureWidget):
    """A plotly ``FigureWidget`` whose front end is imported from the served bundle."""

    _esm = loader_esm(BUNDLE_PATH)


def figure_widget(**kwargs) -> go.FigureWidget:
    """A plotly ``FigureWidget(**kwargs)``: sharing the served bundle if the server said it serves
    this plotly version's bundle (``EXPLAINER_PLOTLY_MODULE``), else plotly's own widget.
    Raises ValueError for a trace type the served bundle does not register (:data:`TRACE_TYPES`):
    better here than a figure that stays blank in the browser."""
    if os.environ.get(MODULE_ENV) != plotly.__version__:
        return go.FigureWidget(**kwargs)
    fig = SharedBundleFigureWidget(**kwargs)
    unknown = sorted({trace.type for trace in fig.data} - set(TRACE_TYPES))
    if unknown:
        raise ValueError(f"trace type {', '.join(unknown)} is not in the dashboard's plotly bundle "
                         f"(explainer.ui.plotly_widget.TRACE_TYPES)")
    return fig
