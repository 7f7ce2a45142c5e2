"""Skyfield's timescale and the JPL DE421 ephemeris, both from installed packages: nothing here
touches the network."""

from __future__ import annotations

import atexit
from functools import cache
from pathlib import Path


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
