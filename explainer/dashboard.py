"""The Voila dashboard: the three stories of the kit in one page, built from the same pieces the
notebooks use. Errors while building a section are shown in the page, never as a traceback."""

from __future__ import annotations

import html
import sys
import traceback

import ipywidgets as widgets

from explainer import data

UNNEEDED_MODULES = ("nbformat", "rfc3987_syntax")
"""Modules a dashboard kernel never needs, but plotly would import: plotly's FigureWidget imports
nbformat (only to check its version before rendering notebook *outputs*, which the dashboard never
makes), whose jsonschema imports rfc3987_syntax, which compiles a grammar at import (about 1 s
here). Together about 12 MB and 0.2-1.2 s of every kernel's start."""

INTRO = """
<div class="oe-intro">
<h1>Soyuz MS-28 and the ISS, 27 November 2025</h1>
<p>At {launch} UTC a Soyuz rocket lifted off from Baikonur with Sergey Kud-Sverchkov, Sergei Mikaev
and NASA's Chris Williams. Two orbits and about three hours later, at {docking} UTC, their Soyuz MS-28
docked to the International Space Station's Rassvet module. A NASA photo of the final approach
placed the station above the Mediterranean near Barcelona. Days later, for the first time in the
station's 25 years, all eight of its visiting-vehicle ports were occupied.</p>
<p>Everything below is computed from real orbital data (element sets published for the ISS) and
sourced facts. Move the controls to explore.</p>
</div>
"""

CSS = """
<style>
.oe-intro h1 { font-size: 1.7em; margin: 0.2em 0; }
.oe-intro p { font-size: 1.05em; max-width: 60em; line-height: 1.45; }
.readout th { text-align: left; padding-right: 0.8em; font-weight: 600; }
.readout td, .readout th { font-size: 1.05em; padding: 2px 4px; }
.oe-error { border-left: 4px solid #D55E00; padding: 0.5em 1em; background: #fff4ec; }
</style>
"""


def prepare_kernel() -> None:
    """Set up the Python process of a dashboard kernel, before the dashboard is built: mark
    :data:`UNNEEDED_MODULES` as absent for this process, so they are not imported. Called
    explicitly where the dashboard kernel starts (``notebooks/dashboard.ipynb``); importing this
    module changes nothing."""
    for name in UNNEEDED_MODULES:
        sys.modules.setdefault(name, None)


def error_box(title: str, exc: BaseException) -> widgets.HTML:
    """A readable message for the page instead of a traceback (the traceback goes to the log)."""
    traceback.print_exception(exc)
    return widgets.HTML(
        f"<div class='oe-error' role='alert'><b>{html.escape(title)}</b>: "
        f"{html.escape(str(exc))}</div>"
    )


def _section(title: str, build) -> widgets.Widget:
    try:
        return build()
    except Exception as exc:  # noqa: BLE001 - the page must show a message, not a traceback
        return error_box(f"{title} could not be shown", exc)


def _iss_section() -> widgets.Widget:
    from explainer.stories.ms28.app import IssApp
    from explainer.stories.ms28.place_app import PlaceFinder

    return widgets.VBox([IssApp().widget, PlaceFinder().widget])


def _ports_section() -> widgets.Widget:
    from explainer.stories.ports import PortsApp

    return PortsApp().widget


def _soyuz_section() -> widgets.Widget:
    from explainer.stories.soyuz import SoyuzApp

    return SoyuzApp().widget


SECTIONS = [
    ("Where was the ISS?", _iss_section),
    ("Eight ports", _ports_section),
    ("Sixty years of Soyuz", _soyuz_section),
]


def lazy_tabs(sections) -> widgets.Tab:
    """Tabs whose content is built the first time each tab is opened, so the page shows its first
    map without waiting for the others."""
    placeholders = [widgets.HTML("<p>Loading…</p>") for _ in sections]
    tabs = widgets.Tab(placeholders)
    for i, (title, _) in enumerate(sections):
        tabs.set_title(i, title)
    built = set()

    def build(index: int) -> None:
        if index is None or index in built:
            return
        built.add(index)
        title, make = sections[index]
        children = list(tabs.children)
        children[index] = _section(title, make)
        tabs.children = children

    tabs.observe(lambda change: build(change["new"]), names="selected_index")
    build(0)
    return tabs


def build_dashboard() -> widgets.Widget:
    """The dashboard's widget tree: an introduction and three tabs (ISS map, ports, Soyuz)."""
    facts = data.ms28_facts()
    intro = widgets.HTML(CSS + INTRO.format(
        launch=html.escape(facts["launch_utc"].value[11:19]),
        docking=html.escape(facts["docking_utc"].value[11:19]),
    ))
    return widgets.VBox([intro, lazy_tabs(SECTIONS)])
