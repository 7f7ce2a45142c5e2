"""Refining times found on a grid: zero crossings and maxima of a function of time."""

from __future__ import annotations

import numpy as np


def secant_zero(f, a: np.ndarray, b: np.ndarray, rounds: int = 4) -> np.ndarray:
    """Zeros of ``f`` between times ``a`` and ``b`` (datetime64 arrays), vectorised.

    ``f`` maps a datetime64 array to floats with opposite signs at ``a`` and ``b``; each round
    replaces one end by the secant (regula falsi) point. Returns the end with the smaller |f|.
    """
    fa, fb = f(a), f(b)
    for _ in range(rounds):
        span = (b - a) / np.timedelta64(1, "ns")
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(fb != fa, fa / (fa - fb), 0.5)
        c = a + (np.clip(frac, 0, 1) * span).astype("int64").astype("timedelta64[ns]")
        fc = f(c)
        left = np.sign(fc) == np.sign(fa)
        a, fa = np.where(left, c, a), np.where(left, fc, fa)
        b, fb = np.where(left, b, c), np.where(left, fb, fc)
    return np.where(np.abs(fa) < np.abs(fb), a, b)


def parabola_peak(f, t: np.ndarray, step_s: float) -> np.ndarray:
    """Refine maxima of ``f`` near datetime64 times ``t``: three rounds of a three-point
    parabola, the spacing starting at ``step_s / 2`` seconds and shrinking eightfold each round."""
    h = step_s / 2
    for _ in range(3):
        dt = np.timedelta64(int(h * 1e9), "ns")
        y0, y1, y2 = f(t - dt), f(t), f(t + dt)
        denom = y0 - 2 * y1 + y2
        with np.errstate(divide="ignore", invalid="ignore"):
            shift = np.where(denom < 0, 0.5 * (y0 - y2) / denom * h, 0.0)
        t = t + (np.clip(shift, -h, h) * 1e9).astype("int64").astype("timedelta64[ns]")
        h /= 8
    return t
