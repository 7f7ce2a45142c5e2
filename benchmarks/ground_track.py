"""Sub-satellite points per second: the kit's vectorised path against Skyfield's default path.

Both compute WGS84 latitude, longitude and height of the ISS from the same element set at the same
random times (one core). Skyfield's path applies IAU 2000A nutation at every time, which is where
its time goes; the kit rotates TEME by GMST (see explainer/orbit.py).

Run: python benchmarks/ground_track.py
Last line: subpoints_per_s=<N> skyfield_per_s=<M> ratio=<R> max_diff_m=<D>
"""

import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from skyfield.api import EarthSatellite, wgs84  # noqa: E402
from skyfield.framelib import itrs  # noqa: E402

from explainer import data  # noqa: E402
from explainer.astro.orbit import geodetic, itrs_states  # noqa: E402
from explainer.astro.skyfield_data import timescale  # noqa: E402
from explainer.astro.timeutil import to_skyfield  # noqa: E402
from explainer.astro.tle import nearest  # noqa: E402

N_KIT = 1_000_000
N_SKYFIELD = 20_000
REPEATS = 5


def kit_subpoints(elset, times):
    pos, _ = itrs_states(elset, times)
    return geodetic(pos), pos


def best_of(fn, repeats=REPEATS):
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    elset = nearest(list(data.tles()), np.datetime64("2025-11-27T12:34:35"))
    rng = np.random.default_rng(0)
    offsets = rng.uniform(-3 * 86400, 3 * 86400, N_KIT)
    times = np.sort(elset.epoch + (offsets * 1e9).astype("int64").astype("timedelta64[ns]"))

    kit_s, _ = best_of(lambda: kit_subpoints(elset, times))
    kit_rate = N_KIT / kit_s

    subset = times[rng.choice(N_KIT, N_SKYFIELD, replace=False)]
    sat = EarthSatellite(elset.line1, elset.line2, "ISS", timescale())

    def skyfield_path():
        position = sat.at(to_skyfield(subset))
        return wgs84.geographic_position_of(position), position

    sky_s, (_, position) = best_of(skyfield_path, repeats=3)
    sky_rate = N_SKYFIELD / sky_s
    _, ours = kit_subpoints(elset, subset)
    diff_m = np.linalg.norm(position.frame_xyz(itrs).km.T - ours, axis=1).max() * 1000

    print(f"kit: {N_KIT:,} sub-points in {kit_s * 1000:.0f} ms (best of {REPEATS})")
    print(f"skyfield: {N_SKYFIELD:,} sub-points in {sky_s * 1000:.0f} ms (best of 3)")
    print(f"subpoints_per_s={kit_rate:.0f} skyfield_per_s={sky_rate:.0f} "
          f"ratio={kit_rate / sky_rate:.1f} max_diff_m={diff_m:.4f}")


if __name__ == "__main__":
    main()
