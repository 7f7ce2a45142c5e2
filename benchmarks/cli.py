"""How fast each command-line answer starts: every subcommand of the README, with --json, as a fresh
process (what a shell script or a teacher typing it pays), minimum of 5 runs.

Run: python benchmarks/cli.py [RUNS]

The anchor, ``python -c pass`` (the interpreter starting and stopping), is timed in the same run,
interleaved with the subcommands, so a busy machine slows both alike. The second-last line gives
the anchor and each subcommand as a multiple of it; the last line, the minimum wall-clock seconds:
``where_s=<a> closest_s=<b> passes_s=<c> ports_s=<d>`` (goal: each <= 1.0 s on the project's machine).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

COMMANDS = {
    "where": ["where", "2025-11-27T12:34:35Z", "--json"],
    "closest": ["closest", "41.3851,2.1734", "--start", "2025-11-27T12:00:00Z",
                "--end", "2025-11-27T12:34:35Z", "--json"],
    "passes": ["passes", "41.3851,2.1734", "--start", "2025-11-27T00:00:00Z", "--days", "2", "--json"],
    "ports": ["ports", "2025-11-27T12:40:00Z", "--json"],
}
ANCHOR = [sys.executable, "-c", "pass"]


def run_once(cmd: list[str], check_json: bool) -> float:
    """Wall-clock seconds of one fresh process; fails unless it exits 0 (with JSON, if asked)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[2:])} failed: {proc.stderr.strip()[-500:]}")
    if check_json:
        json.loads(proc.stdout)
    return seconds


def main(runs: int = 5) -> dict[str, float]:
    best = {name: float("inf") for name in ["anchor", *COMMANDS]}
    for _ in range(runs):
        best["anchor"] = min(best["anchor"], run_once(ANCHOR, check_json=False))
        for name, args in COMMANDS.items():
            best[name] = min(best[name], run_once([sys.executable, "-m", "explainer", *args], check_json=True))
    anchor = best["anchor"]
    print(f"anchor_python_s={anchor:.3f} " + " ".join(f"{n}_x={best[n] / anchor:.1f}" for n in COMMANDS))
    print(" ".join(f"{n}_s={best[n]:.2f}" for n in COMMANDS))
    return best


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
