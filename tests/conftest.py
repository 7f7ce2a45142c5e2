import os

import numpy as np
import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def iss_sets():
    from explainer import data

    return list(data.tles())


@pytest.fixture(scope="session")
def iss(iss_sets):
    """The set nearest the MS-28 docking (epoch 2025-11-29 20:01 UTC)."""
    from explainer.astro.tle import nearest

    return nearest(iss_sets, np.datetime64("2025-11-27T12:34:35"))


@pytest.fixture(scope="session")
def story():
    from explainer.stories.ms28.approach import approach

    return approach()


@pytest.fixture(scope="session")
def ts():
    from explainer.astro.skyfield_data import timescale

    return timescale()


def skyfield_times(ts, times):
    """Skyfield Time objects for numpy datetime64 UTC times (vectorised, leap-second safe)."""
    from explainer.astro.timeutil import to_skyfield

    return to_skyfield(times)
