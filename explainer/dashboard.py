"""The Voila dashboard: the three stories of the kit in one page, built from the same pieces the
notebooks use. Errors while building a section are shown in the page, never as a traceback."""

from __future__ import annotations

import html
import sys
import traceback

import ipywidgets as widgets

from explainer import data
from explainer.data.flight_schema import crew_names
from explainer.ui.screen import WidthProbe

UNNEEDED_MODULES = ("nbformat", "rfc3987_syntax")
"""Modules a dashboard kernel never needs, but plotly would import: plotly's FigureWidget imports
nbformat (only to check its version before rendering notebook *outputs*, which the dashboard never
makes), whose jsonschema imports rfc3987_syntax, which compiles a grammar at import (about 1 s
here). Together about 12 MB and 0.2-1.2 s of every kernel's start."""

INTRO = """
<div class="oe-intro">
<h1>Soyuz MS-28 and the ISS, 27 November 2025</h1>
<p>At {launch} UTC a Soyuz rocket lifted off from Baikonur with
{crew}. Two orbits and about three hours later, at {docking} UTC, their Soyuz MS-28
docked to the International Space Station's Rassvet module. NASA photographed the final approach
above the Mediterranean Sea; Space.com's photo of the day placed it "around 263 miles
(432 kilometers) above the Mediterranean Sea near Barcelona". Days later, for the first time in the
station's 25 years, eight visiting vehicles were attached at once, one at each of its eight ports
(the station had been full before, when fewer ports could take a vehicle: see "Eight ports").</p>
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
.oe-player .jupyter-button.mod-active { background: #d7e6f2; box-shadow: inset 0 0 0 1px #0072B2; }
/* tabs share the bar's width instead of each taking 144 px */
.oe-dashboard > .jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab { flex: 1 1 auto; max-width: none; }
.oe-dashboard .iss-description .widget-html-content,
.oe-dashboard .place-result .widget-html-content,
.oe-dashboard .place-intro .widget-html-content { line-height: 1.45; }
@media (max-width: 600px) {
  .oe-intro h1 { font-size: 1.35em; }
  .oe-intro p { font-size: 1em; line-height: 1.4; }
  .readout td, .readout th { font-size: 1em; }
  .oe-dashboard .place-passes td, .oe-dashboard .place-passes th { padding: 2px 3px; font-size: 0.9em; }
  /* a phone's width goes to the content, not to Voila's nested margins */
  body.jp-Notebook .lm-BoxPanel-child { padding: 4px; }
  body.jp-Notebook .jp-Cell { padding: 0; }
  body.jp-Notebook .jp-OutputArea-output { margin-left: 0; }
  .oe-dashboard > .jupyter-widgets.jupyter-widget-tab > .widget-tab-contents { padding: 8px 4px; }
}
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
    from explainer.stories.ports.app import PortsApp

    return PortsApp().widget


def _soyuz_section() -> widgets.Widget:
    from explainer.stories.soyuz import SoyuzApp

    return SoyuzApp().widget


SECTIONS = [
    ("Where was the ISS?", "The ISS", _iss_section),
    ("Eight ports", "Eight ports", _ports_section),
    ("Sixty years of Soyuz", "Soyuz", _soyuz_section),
]
"""Each tab: its title, its title on a narrow screen (a phone shows about 12 letters a tab), and
the function building its content."""


def lazy_tabs(sections, probe: WidthProbe) -> widgets.Tab:
    """Tabs whose content is built the first time each tab is opened, so the page shows its first
    map without waiting for the others. Their titles are short when ``probe`` finds a narrow
    screen."""
    placeholders = [widgets.HTML("<p>Loading…</p>") for _ in sections]
    tabs = widgets.Tab(placeholders)
    built = set()

    def titles(_change=None) -> None:
        tabs.titles = tuple(short if probe.narrow else title for title, short, _ in sections)

    def build(index: int) -> None:
        if index is None or index in built:
            return
        built.add(index)
        title, _, make = sections[index]
        children = list(tabs.children)
        children[index] = _section(title, make)
        tabs.children = children

    titles()
    probe.observe(titles, names="width")
    tabs.observe(lambda change: build(change["new"]), names="selected_index")
    build(0)
    return tabs


def build_dashboard() -> widgets.Widget:
    """The dashboard's widget tree: an introduction and three tabs (ISS map, ports, Soyuz)."""
    facts = data.ms28_facts()
    flights = data.soyuz_flights()
    names = crew_names(flights.crew[flights.flight == "Soyuz MS-28"].iat[0])  # spelt as the data
    intro = widgets.HTML(CSS + INTRO.format(
        launch=html.escape(facts["launch_utc"].value[11:19]),
        crew=html.escape(", ".join(names[:-1]) + " and " + names[-1]),
        docking=html.escape(facts["docking_utc"].value[11:19]),
    ))
    probe = WidthProbe()
    page = widgets.VBox([intro, probe, lazy_tabs(SECTIONS, probe)])
    page.add_class("oe-dashboard")
    return page
