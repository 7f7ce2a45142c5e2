"""Offline set-up: point cartopy at the shipped Natural Earth files and load the shipped ephemeris.

Nothing here touches the network. Import this module (the package does it on import) before
``cartopy`` so that ``ax.coastlines('50m')`` reads ``data/natural_earth`` instead of downloading.
"""

from __future__ import annotations

import atexit
import os
from functools import cache
from pathlib import Path

from .paths import natural_earth_dir


def configure_cartopy() -> None:
    """Make cartopy read Natural Earth from the kit's data (110m and 50m scales).

    Sets ``CARTOPY_DATA_DIR`` (read by cartopy at import) and, if cartopy is already imported,
    its ``pre_existing_data_dir`` setting too.
    """
    folder = str(natural_earth_dir())
    os.environ["CARTOPY_DATA_DIR"] = folder
    import sys

    if "cartopy" in sys.modules:
        sys.modules["cartopy"].config["pre_existing_data_dir"] = folder


@cache
def timescale():
    """Skyfield's timescale from its built-in tables (no download)."""
    from skyfield.api import load

    return load.timescale(builtin=True)


@cache
def ephemeris():
    """JPL DE421 (1899-2053) from the skyfield-data wheel, loaded without a download.

    ``skyfield_data.get_skyfield_data_path()`` warns when its bundled ``finals2000A.all`` is past
    its expiry date; the kit never uses that file, so the folder is located directly.
    """
    import skyfield_data
    from skyfield.api import Loader

    folder = Path(skyfield_data.__file__).resolve().parent / "data"
    if not (folder / "de421.bsp").is_file():
        raise FileNotFoundError(f"de421.bsp is missing from {folder}; reinstall skyfield-data")
    kernel = Loader(str(folder), verbose=False)("de421.bsp")
    atexit.register(kernel.close)  # the kernel keeps its file open; close it at exit
    return kernel
