"""The ``explainer`` command: where the ISS was, passes over a place, port occupancy, dashboard.

Times are ISO 8601 UTC (``2025-11-27T12:34:35Z``); places are ``LAT,LON`` in degrees (north and
east positive). With ``--json`` each command prints one JSON document; errors print one line to
stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

from explainer.astro.timeutil import TimeError


def _sets(args) -> list:
    """The element sets to use: the shipped ones, plus a fresh CelesTrak set with ``--live`` (or
    EXPLAINER_LIVE=1); a failed fetch falls back to the shipped sets with a warning."""
    from explainer.data.live import element_sets

    sets, _status = element_sets(live=True if args.live else None)
    return sets


def _where(args) -> dict:
    from explainer.astro.orbit import subpoints
    from explainer.astro.sun import is_sunlit
    from explainer.astro.timeutil import iso, parse_time
    from explainer.astro.tle import nearest

    t = parse_time(args.time)
    elset = nearest(_sets(args), t)
    sp = subpoints(elset, [t])
    return {
        "time_utc": iso(t),
        "lat_deg": round(float(sp.lat_deg[0]), 4),
        "lon_deg": round(float(sp.lon_deg[0]), 4),
        "alt_km": round(float(sp.alt_km[0]), 3),
        "speed_km_s": round(float(sp.ground_speed_km_s[0]), 4),
        "orbital_speed_km_s": round(float(sp.orbital_speed_km_s[0]), 4),
        "sunlit": bool(is_sunlit(sp.itrs_km, sp.time)[0]),
        "tle_epoch_utc": iso(elset.epoch),
    }


def _closest(args) -> dict:
    from explainer.astro.observer import closest_approach, parse_place
    from explainer.astro.timeutil import parse_time
    from explainer.astro.tle import nearest

    lat, lon = parse_place(args.place)
    start, end = parse_time(args.start), parse_time(args.end)
    if end <= start:
        raise TimeError(f"--end ({args.end}) must be after --start ({args.start})")
    elset = nearest(_sets(args), start + (end - start) / 2)
    return closest_approach(elset, lat, lon, start, end).as_dict()


def _passes(args) -> list:
    from explainer.astro.observer import parse_place, passes
    from explainer.astro.timeutil import parse_time
    from explainer.astro.tle import nearest

    lat, lon = parse_place(args.place)
    if not 0 < args.days <= 14:
        raise ValueError(f"--days must be between 0 and 14, not {args.days}")
    start = parse_time(args.start)
    middle = start + (args.days * 86_400e9 / 2) * __import__("numpy").timedelta64(1, "ns")
    elset = nearest(_sets(args), middle)
    found = passes(elset, lat, lon, start, days=args.days, min_elevation_deg=args.min_elevation)
    return [p.as_dict() for p in found]


def _ports(args) -> dict:
    from explainer.astro.timeutil import parse_time
    from explainer.stories.ports import occupancy_at

    return occupancy_at(parse_time(args.time))


def _notebooks(args) -> dict:
    """Copy the shipped notebooks into ``args.dest`` (created if needed); never over a file that
    is there unless ``--overwrite``."""
    import shutil
    from pathlib import Path

    from explainer.paths import notebooks_dir

    dest = Path(args.dest).expanduser()
    sources = sorted(notebooks_dir().glob("*.ipynb"))
    clashes = [dest / src.name for src in sources if (dest / src.name).exists()]
    if clashes and not args.overwrite:
        raise ValueError(f"{clashes[0]} already exists: choose another folder, or add --overwrite "
                         "to replace the kit's notebooks there (your changes to them are lost)")
    dest.mkdir(parents=True, exist_ok=True)
    copied = [str(shutil.copyfile(src, dest / src.name)) for src in sources]
    return {"folder": str(dest.resolve()), "notebooks": copied, "open_with": f"jupyter lab {dest}"}


def _dashboard(args) -> int:
    from explainer.serve import serve_dashboard

    return serve_dashboard(port=args.port, open_browser=not args.no_browser, ip=args.ip,
                           pool_size=args.pool_size)


def _print_human(name: str, result) -> None:
    if isinstance(result, list):
        if not result:
            print("no passes in that window")
        for item in result:
            print("  ".join(f"{k}={v}" for k, v in item.items()))
        return
    for key, value in result.items():
        print(f"{key:>18}: {value}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explainer",
        description="The ISS and Soyuz MS-28 (27 Nov 2025), with real orbital mechanics and "
        "sourced data. Times are ISO 8601 UTC; places LAT,LON in degrees.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("where", help="where the ISS was at a UTC time")
    p.add_argument("time", help="ISO 8601 UTC, e.g. 2025-11-27T12:34:35Z")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=_where)
    live_help = "also fetch the current ISS element set from CelesTrak (off by default)"
    p.add_argument("--live", action="store_true", help=live_help)

    p = sub.add_parser("closest", help="closest approach of the ISS to a place in a window")
    p.add_argument("place", help="LAT,LON in degrees, e.g. 41.3851,2.1734")
    p.add_argument("--start", required=True)
    p.add_argument("--end", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--live", action="store_true", help=live_help)
    p.set_defaults(run=_closest)

    p = sub.add_parser("passes", help="passes of the ISS over a place")
    p.add_argument("place", help="LAT,LON in degrees")
    p.add_argument("--start", required=True)
    p.add_argument("--days", type=float, default=1.0)
    p.add_argument("--min-elevation", type=float, default=0.0, help="degrees above the horizon")
    p.add_argument("--json", action="store_true")
    p.add_argument("--live", action="store_true", help=live_help)
    p.set_defaults(run=_passes)

    p = sub.add_parser("ports", help="which ISS docking ports were occupied at a UTC time")
    p.add_argument("time")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_ports)

    p = sub.add_parser("notebooks", help="copy the kit's notebooks into a folder, to open in JupyterLab")
    p.add_argument("dest", help="folder to copy them into (created if missing)")
    p.add_argument("--overwrite", action="store_true", help="replace notebooks already there")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_notebooks)

    p = sub.add_parser("dashboard", help="serve the Voila dashboard (127.0.0.1 by default)")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--no-browser", action="store_true")
    p.add_argument("--ip", default="127.0.0.1",
                   help="interface to listen on; anything but loopback exposes the page (warns)")
    p.add_argument("--pool-size", type=int, default=1,
                   help="kernels kept preheated (about 200 MB each); raise it for a class")
    p.set_defaults(run=_dashboard)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "dashboard":
        return args.run(args)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = args.run(args)
        for w in caught:
            print(f"warning: {w.message}", file=sys.stderr)
    except (ValueError, RuntimeError, OSError) as exc:
        # every kit error (TleError, TleRangeError, TimeError, PlaceError, DataError) is a ValueError
        print(f"explainer {args.command}: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        _print_human(args.command, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
