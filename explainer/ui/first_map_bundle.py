"""The small plotly.js that draws the dashboard's first map before the kernel answers.

The page template draws the dashboard's first map (:mod:`explainer.stories.ms28.first_map`) as soon
as its head arrives. Drawing it with plotly's widget bundle meant fetching, parsing and starting 5 MB
of JavaScript first, most of the time to the first map. The first map is scattergeo traces only, so
the kit ships plotly.js's own geo partial bundle (``vendor/plotly-geo.min.js``, 1.4 MB, MIT; see
``vendor/README.md``) and its servers serve it beside plotly's bundle, at :func:`module_path`
relative to the page's base URL (`explainer dashboard`, Binder's ``/user/<name>/``, JupyterLab),
wrapped as an ES module (:func:`served_module`) whose default export is that plotly.js. It leaves
``window.Plotly`` to the widget bundle, which the kernel's figures use.

It must be the plotly.js release of the installed plotly package (:func:`plotlyjs_version`), so the
early map is drawn as the kernel's figure will be. The kit ships the release of the plotly that
Binder's lock pins (binder/requirements.txt); with another plotly the kit allows (pyproject.toml:
plotly 6 carries plotly.js 3), the served module re-exports the widget bundle's plotly.js instead:
the same picture, drawn a little later. That is a supported setup, not a fault, so it warns no one.
"""

from __future__ import annotations

import re
from pathlib import Path

from explainer.ui.plotly_widget import SERVED_URL, bundle_path

FILE = "plotly-first-map.js"
"""The served module's name, beside plotly's bundle under
:data:`~explainer.ui.plotly_widget.SERVED_URL`."""
VENDORED = Path(__file__).resolve().parent / "vendor" / "plotly-geo.min.js"
"""plotly.js's geo partial bundle as published on npm (``plotly.js-geo-dist-min``), unmodified."""
TRACE_TYPES = ("choropleth", "scatter", "scattergeo")
"""The trace types plotly.js's geo partial bundle registers."""

_HEADER = re.compile(r"\A/\*\*\s*\*\s*plotly\.js \(geo - minified\) v(\d+\.\d+\.\d+)\s")


def module_path() -> str:
    """Where the kit's servers serve :func:`served_module`: its URL path relative to the page's base
    URL, beside plotly's bundle (the page template imports it from there)."""
    return f"{SERVED_URL}{FILE}"


def vendored_version(text: str | None = None) -> str:
    """The plotly.js release of the shipped geo bundle (or of ``text``), read from its header.
    Raises ValueError if the header is not plotly.js's geo bundle's."""
    if text is None:
        text = VENDORED.read_text(encoding="utf-8")
    found = _HEADER.match(text)
    if not found:
        raise ValueError("not plotly.js's geo partial bundle (no 'plotly.js (geo - minified) v…' header)")
    return found[1]


def plotlyjs_version() -> str:
    """The plotly.js release the installed plotly package carries (its widget bundle's)."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def served_module() -> bytes:
    """The ES module served at :func:`module_path`: the shipped geo bundle, with its licence
    header, run so that it leaves ``window.Plotly`` as it found it, and exported as ``default``.
    If its plotly.js release is not the installed plotly's, a module whose default export is the
    widget bundle's plotly.js instead."""
    text = VENDORED.read_text(encoding="utf-8")
    shipped, wanted = vendored_version(text), plotlyjs_version()
    if shipped != wanted:
        widget = bundle_path().removeprefix(SERVED_URL)
        return f'import "./{widget}";\nexport default window.Plotly;\n'.encode()
    # the bundle is UMD: given a `module` it sets module.exports, and it also sets window.Plotly,
    # which belongs to the widget bundle's plotly.js (the kernel's figures use it)
    return (
        "// Orbit Explainer: plotly.js's geo partial bundle (explainer/ui/vendor/README.md) as an ES\n"
        "// module that leaves window.Plotly as it was. Its own header and MIT licence follow.\n"
        "const module = {exports: {}};\n"
        "const oeHad = Object.prototype.hasOwnProperty.call(window, \"Plotly\"), oeWas = window.Plotly;\n"
        f"{text}\n;\n"
        "if (oeHad) window.Plotly = oeWas; else delete window.Plotly;\n"
        "export default module.exports;\n"
    ).encode()
