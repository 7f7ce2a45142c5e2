"""Where the kit's shipped files live, in a checkout and in an installed wheel.

In a checkout (or an editable install) the data sit in ``<repo>/data`` and the notebooks in
``<repo>/notebooks``. A wheel carries copies of both under ``explainer/_shipped/``.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
CACHE_ENV = "EXPLAINER_CACHE_DIR"
"""Environment variable overriding the cache folder."""


def _first_existing(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    raise FileNotFoundError(
        "cannot find the kit's shipped files; looked in " + ", ".join(map(str, candidates))
    )


def data_dir() -> Path:
    """The folder holding every dataset the kit uses (``data/``)."""
    return _first_existing(_PACKAGE / "_shipped" / "data", _PACKAGE.parent / "data")


def notebooks_dir() -> Path:
    """The folder holding the kit's notebooks, including ``dashboard.ipynb``."""
    return _first_existing(_PACKAGE / "_shipped" / "notebooks", _PACKAGE.parent / "notebooks")


def natural_earth_dir() -> Path:
    """Root of the shipped Natural Earth files, laid out as cartopy expects (CARTOPY_DATA_DIR)."""
    return data_dir() / "natural_earth"


def cache_dir() -> Path:
    """The kit's own cache folder (live-mode element sets, the dashboard's static files):
    ``$EXPLAINER_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/orbit-explainer``, else
    ``~/.cache/orbit-explainer``. Never inside the shipped data folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "orbit-explainer"
