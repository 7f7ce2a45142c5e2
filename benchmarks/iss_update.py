"""Server-side cost of moving the MS-28 time control: what the kernel does per slider step
(slice the precomputed track, footprint, night every minute, readout and description).

Run: python benchmarks/iss_update.py
Last line: build_s=<s> update_p50_ms=<a> update_p95_ms=<b> (goal: p95 under 20 ms)
"""

import time

import numpy as np

from explainer.stories.ms28.app import IssApp


def main():
    start = time.perf_counter()
    app = IssApp()
    build_s = time.perf_counter() - start
    rng = np.random.default_rng(1)
    steps = np.concatenate([np.arange(0, app.slider.max, 37), rng.integers(0, app.slider.max, 300)])
    timings = []
    for view in ("region", "globe"):
        app.view_toggle.value = view
        for i in steps:
            t0 = time.perf_counter()
            app.slider.value = int(i)
            timings.append(time.perf_counter() - t0)
    ms = np.array(timings) * 1000
    print(f"{len(ms)} updates over both views")
    print(f"build_s={build_s:.2f} update_p50_ms={np.percentile(ms, 50):.1f} "
          f"update_p95_ms={np.percentile(ms, 95):.1f}")


if __name__ == "__main__":
    main()
