"""The kit's public surface: what a notebook, a worksheet or another project imports.

Everything here is stable: it is re-exported from the module that implements it, so the inner
layout can change without breaking code that imports from ``explainer.api``. Names are resolved
on first use, so ``import explainer.api`` stays light (the astronomy core does not pull in
plotly or ipywidgets until an app or a figure is asked for).

Conventions: times are UTC (``numpy.datetime64[ns]``; :func:`parse_time` reads ISO 8601),
angles are degrees, distances kilometres; positions are in TEME (SGP4's frame) or ITRS
(Earth-fixed), geodetic coordinates on WGS84. Propagation follows Vallado et al. 2006,
"Revisiting Spacetrack Report #3", AIAA 2006-6753.

Times and element sets
    :func:`parse_time`, :func:`iso`, :func:`time_range`, :class:`TimeError`;
    :class:`ElementSet`, :func:`parse_tles`, :func:`nearest`, :func:`select`,
    :class:`TleError`, :class:`TleRangeError`, :class:`TleAgeWarning`.
Orbits, the Sun and a place on the ground
    :func:`subpoints` (sub-satellite points, altitude, speeds), :func:`ground_track`,
    :func:`split_track`, :func:`footprint`, :func:`ground_distance_km`,
    :func:`teme_to_itrs`, :func:`geodetic_to_itrs`;
    :func:`subsolar_point`, :func:`is_sunlit`, :func:`sun_elevation_deg`, :func:`night_polygon`;
    :func:`parse_place`, :func:`look_angles`, :func:`closest_approach` (:class:`Closest`),
    :func:`passes` (:class:`Pass`, with the naked-eye window), :class:`PlaceError`.
Shipped data (checked against ``data/manifest.json`` as they load)
    :func:`tles`, :func:`places`, :func:`ms28_facts`, :func:`fact_time`,
    :func:`soyuz_flights`, :func:`ports`, :func:`port_visits`, :class:`DataError`.
The three stories
    Soyuz MS-28's approach: :func:`approach`, :func:`save_approach_map` (print map).
    The eight ports: :func:`occupancy_at`, :func:`state_at`, :func:`full_episodes`,
    :func:`claim_check`, :func:`first_all_current_full`.
    Sixty years of Soyuz: :func:`flights_per_year`, :func:`rendezvous_hours`,
    :func:`rendezvous_eras`, :func:`crewed_ordinals`.
Apps and the dashboard (ipywidgets + plotly)
    :class:`IssApp`, :class:`PlaceFinder`, :class:`PortsApp`, :class:`SoyuzApp`,
    :func:`build_dashboard`, :func:`serve_dashboard`.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "explainer.astro.timeutil": ["TimeError", "iso", "parse_time", "time_range"],
    "explainer.astro.tle": ["ElementSet", "TleAgeWarning", "TleError", "TleRangeError", "nearest",
                            "parse_tles", "select"],
    "explainer.astro.orbit": ["footprint", "ground_distance_km", "ground_track", "split_track",
                              "subpoints"],
    "explainer.astro.frames": ["geodetic_to_itrs", "teme_to_itrs"],
    "explainer.astro.sun": ["is_sunlit", "night_polygon", "subsolar_point", "sun_elevation_deg"],
    "explainer.astro.observer": ["Closest", "Pass", "PlaceError", "closest_approach", "look_angles",
                                 "parse_place", "passes"],
    "explainer.data": ["DataError", "fact_time", "ms28_facts", "places", "port_visits", "ports",
                       "soyuz_flights", "tles"],
    "explainer.stories.ms28.approach": ["approach"],
    "explainer.stories.ms28.printmap": ["save_approach_map"],
    "explainer.stories.ms28.app": ["IssApp"],
    "explainer.stories.ms28.place_app": ["PlaceFinder"],
    "explainer.stories.ports": ["PortsApp", "claim_check", "first_all_current_full", "full_episodes",
                                "occupancy_at", "state_at"],
    "explainer.stories.soyuz": ["SoyuzApp", "crewed_ordinals", "flights_per_year", "rendezvous_eras",
                                "rendezvous_hours"],
    "explainer.dashboard": ["build_dashboard"],
    "explainer.serve": ["serve_dashboard"],
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"explainer.api has no {name!r}; see help(explainer.api) for what it offers")
    value = getattr(import_module(module), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return __all__
