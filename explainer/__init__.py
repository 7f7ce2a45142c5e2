"""Orbit Explainer: the ISS, Soyuz MS-28 and the eight docking ports, with real orbital mechanics.

Layers (checked by import-linter, see ``pyproject.toml``):

- ``explainer.astro``: element sets, SGP4 ground tracks, the Sun, an observer on the ground
  (numpy, sgp4 and skyfield only);
- ``explainer.data``: the shipped datasets with their provenance, checked as they load (no UI);
- ``explainer.stories``: the three stories (``ms28``, ``ports``, ``soyuz``): computations, text,
  figures and widget apps;
- ``explainer.ui``: base maps, the plotly widget, shared controls and palette;
- ``explainer.serve``, ``explainer.cli``, ``explainer.dashboard``: the Voila server, the
  ``explainer`` command and the dashboard page.

``explainer.api`` is the documented public surface. Importing the package has no side effects.
"""

__version__ = "0.1.0"
