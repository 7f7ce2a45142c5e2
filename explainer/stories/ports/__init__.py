"""The ISS's visiting-vehicle ports and every stay, 1998 to 2026: the story of "all eight ports".

Modules, one concern each:

- :mod:`.occupancy`: who was on which port at an instant, the step function of counts
  (no plotting or widget library: ``explainer ports --json`` uses only this);
- :mod:`.queries`: the first time all eight were full, every time all *usable* ports were full,
  the claim of 27 Nov 2025, events, the busiest moment of each era, utilisation;
- :mod:`.text`: dates, names and sentences; :mod:`.style`: colours, shapes and patterns;
- :mod:`.schematic`, :mod:`.charts`: plotly figures; :mod:`.app`: the ipywidgets app.

The data, their checks and the rules for uncertain times live in :mod:`explainer.data.docking`.
The figure and app names below are imported on first use, so importing this package stays
light.
"""

from __future__ import annotations

from importlib import import_module

from explainer.data.docking import (
    ARM,
    COVERAGE_END,
    load_port_eras,
    load_ports,
    load_stays,
    load_time_ranges,
)

from .occupancy import (
    PortState,
    first_stay_start,
    intervals_with_count,
    ms28_docking,
    occupancy_at,
    occupancy_series,
    state_at,
)
from .queries import (
    AllPortsFull,
    ClaimCheck,
    busiest_moments,
    claim_check,
    current_ports_by_kind,
    events,
    first_all_current_full,
    full_episodes,
    utilisation,
)
from .text import day_text, describe_events, describe_state, short_name

_LAZY = {"PortsApp": ".app", "gantt_figure": ".charts", "count_figure": ".charts", "gantt_chart": ".charts",
         "count_chart": ".charts"}

__all__ = ["ARM", "COVERAGE_END", "AllPortsFull", "ClaimCheck", "PortState", "PortsApp",
           "busiest_moments", "claim_check", "count_chart", "count_figure", "current_ports_by_kind",
           "day_text", "describe_events", "describe_state", "events", "first_all_current_full",
           "first_stay_start", "full_episodes", "gantt_chart", "gantt_figure", "intervals_with_count",
           "load_port_eras", "load_ports", "load_stays", "load_time_ranges", "ms28_docking",
           "occupancy_at", "occupancy_series", "short_name", "state_at", "utilisation"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
