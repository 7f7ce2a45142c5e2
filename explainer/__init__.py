"""Orbit Explainer: the ISS, Soyuz MS-28 and the eight docking ports, with real orbital mechanics.

Modules: ``tle`` (element sets), ``orbit`` (propagation, ground tracks, footprints), ``sun``
(sunlight, terminator), ``observer`` (closest approach and passes over a place), ``data``
(shipped datasets with provenance), ``basemap`` / ``figures`` / ``printmap`` (maps), ``ports``
and ``soyuz`` (the two history stories), ``cli`` (the ``explainer`` command).
"""

from .offline import configure_cartopy

configure_cartopy()

__version__ = "0.1.0"
