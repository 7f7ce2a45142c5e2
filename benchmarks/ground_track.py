"""Sub-points per second: the kit's ``subpoints()`` against raw SGP4 and against Skyfield.

All three work on the same element set and random times within +-3 days of its epoch, on one
core, in the same process (so the ratios hold while absolute speeds drift on a shared machine):

- raw SGP4: the sgp4 package's ``SatrecArray.sgp4`` (TEME states only): the physical limit;
- the kit: ``explainer.astro.orbit.subpoints`` end to end (SGP4, UT1, TEME -> ITRS, WGS84
  geodetic, speeds), which is what every caller uses;
- Skyfield's default path (TEME -> GCRS with IAU 2000A nutation -> ITRS -> WGS84).

Then 10 million times through ``subpoints()``: its rate (best of 3) against the 1-million rate
(best of 7), and the peak of memory allocated during one call (tracemalloc, which sees numpy's
buffers). Best-of runs, interleaved, because other work on a shared machine only ever slows a run.

Run: python benchmarks/ground_track.py  (under ``flock /tmp/heavy.lock`` on the shared machine)
Last line: subpoints_per_s=<N> skyfield_per_s=<M> ratio=<N/M> sgp4_per_s=<S> ratio_to_sgp4=<N/S>
max_diff_m=<D>
"""

import os
import time
import tracemalloc
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sgp4.api import SatrecArray  # noqa: E402
from skyfield.api import EarthSatellite, wgs84  # noqa: E402
from skyfield.framelib import itrs  # noqa: E402

from explainer import data  # noqa: E402
from explainer.astro.orbit import subpoints  # noqa: E402
from explainer.astro.skyfield_data import timescale  # noqa: E402
from explainer.astro.timeutil import julian_date, to_skyfield  # noqa: E402
from explainer.astro.tle import TleAgeWarning, nearest  # noqa: E402

N_KIT = 1_000_000
N_LARGE = 10_000_000
N_SKYFIELD = 20_000
REPEATS = 7
LARGE_REPEATS = 3


def random_times(elset, n, rng):
    offsets = rng.uniform(-3 * 86400, 3 * 86400, n)
    return np.sort(elset.epoch + (offsets * 1e9).astype("int64").astype("timedelta64[ns]"))


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main():
    warnings.simplefilter("ignore", TleAgeWarning)
    elset = nearest(list(data.tles()), np.datetime64("2025-11-27T12:34:35"))
    rng = np.random.default_rng(0)
    times = random_times(elset, N_KIT, rng)
    jd, fr = julian_date(times)
    raw = SatrecArray([elset.satrec])

    # alternate the two so that both see the same state of the machine; best of REPEATS each
    kit_s = sgp4_s = np.inf
    for _ in range(REPEATS):
        sgp4_s = min(sgp4_s, timed(lambda: raw.sgp4(jd, fr))[0])
        kit_s = min(kit_s, timed(lambda: subpoints(elset, times))[0])
    kit_rate, sgp4_rate = N_KIT / kit_s, N_KIT / sgp4_s

    subset = times[rng.choice(N_KIT, N_SKYFIELD, replace=False)]
    sat = EarthSatellite(elset.line1, elset.line2, "ISS", timescale())
    sky_s = min(timed(lambda: wgs84.geographic_position_of(sat.at(to_skyfield(subset))))[0]
                for _ in range(3))
    sky_rate = N_SKYFIELD / sky_s
    theirs = sat.at(to_skyfield(subset)).frame_xyz(itrs).km.T
    diff_m = np.linalg.norm(theirs - subpoints(elset, subset).itrs_km, axis=1).max() * 1000

    large = random_times(elset, N_LARGE, rng)
    large_s = min(timed(lambda: subpoints(elset, large))[0] for _ in range(LARGE_REPEATS))
    tracemalloc.start()
    subpoints(elset, large)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    large_rate = N_LARGE / large_s

    print(f"raw SGP4: {N_KIT:,} TEME states in {sgp4_s * 1000:.0f} ms (best of {REPEATS})")
    print(f"kit subpoints(): {N_KIT:,} sub-points in {kit_s * 1000:.0f} ms (best of {REPEATS})")
    print(f"skyfield: {N_SKYFIELD:,} sub-points in {sky_s * 1000:.0f} ms (best of 3)")
    print(f"rate_1e6_per_s={kit_rate:.0f} rate_1e7_per_s={large_rate:.0f} "
          f"ratio_1e7_to_1e6={large_rate / kit_rate:.2f} peak_alloc_mb_1e7={peak / 2**20:.0f}")
    print(f"subpoints_per_s={kit_rate:.0f} skyfield_per_s={sky_rate:.0f} "
          f"ratio={kit_rate / sky_rate:.1f} sgp4_per_s={sgp4_rate:.0f} "
          f"ratio_to_sgp4={kit_rate / sgp4_rate:.2f} max_diff_m={diff_m:.6f}")


if __name__ == "__main__":
    main()
