"""The ``explainer`` command: where the ISS was, passes over a place, port occupancy, dashboard.

Times are ISO 8601 UTC (``2025-11-27T12:34:35Z``); places are ``LAT,LON`` in degrees (north and
east positive). With ``--json`` each command prints one JSON document; errors print one line to
stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import json
import math
import os
import re
import socket
import sys
import warnings

from explainer.astro.timeutil import TimeError

MAX_POOL = 64
"""The most kernels ``dashboard --pool-size`` keeps preheated (each takes about 60 MB, PSS)."""
_PLACE = re.compile(r"^-\d+(\.\d*)?\s*,")
"""A place in the southern hemisphere, ``-33.87,151.21``, which argparse would take for an option."""


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

    lat, lon = parse_place(args.place)
    start, end = parse_time(args.start), parse_time(args.end)
    if end <= start:
        raise TimeError(f"--end ({args.end}) must be after --start ({args.start})")
    return closest_approach(_sets(args), lat, lon, start, end).as_dict()


def _passes(args) -> list:
    from explainer.astro.observer import parse_place, passes
    from explainer.astro.timeutil import parse_time

    lat, lon = parse_place(args.place)
    found = passes(_sets(args), lat, lon, parse_time(args.start), days=args.days,
                   min_elevation_deg=args.min_elevation)
    return [p.as_dict() for p in found]


def _ports(args) -> dict:
    from explainer.astro.timeutil import parse_time
    from explainer.stories.ports.occupancy import occupancy_at

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


def _check_port_free(ip: str, port: int) -> None:
    """Refuse a port that another program already listens on, before any URL is printed."""
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((ip, port))
        except OSError as error:
            if error.errno == errno.EADDRNOTAVAIL:
                raise OSError(f"{ip} is not an address of this machine; use --ip 127.0.0.1 (this "
                              "machine only) or 0.0.0.0 (every network)") from None
            if error.errno == errno.EADDRINUSE:
                raise OSError(f"port {port} on {ip} is in use; choose another with --port") from None
            raise OSError(f"cannot listen on {ip} port {port}: {error.strerror}") from None


def _dashboard(args) -> int:
    from explainer.serve import default_pool_size, serve_dashboard

    _check_port_free(args.ip, args.port)
    pool_size = default_pool_size(args.ip) if args.pool_size is None else args.pool_size
    return serve_dashboard(port=args.port, open_browser=not args.no_browser, ip=args.ip,
                           pool_size=pool_size)


def _print_ports(result: dict) -> None:
    print(f"At {result['time_utc']}:")
    width = max(len(p["port"]) for p in result["ports"])
    for p in result["ports"]:
        print(f"  {p['port']:<{width}}  {p['vehicle'] or '(free)'}")
    for vehicle in result.get("held_on_arm", []):
        print(f"  {'Canadarm2':<{width}}  {vehicle} (held by the robotic arm, not at a port)")


def _print_passes(result: list[dict]) -> None:
    if not result:
        print("no passes in that window")
    for p in result:
        day, rise = p["rise_utc"][:10], p["rise_utc"][11:19]
        line = (f"{day}  rises {rise}  highest {p['culmination_utc'][11:19]} at "
                f"{p['max_elevation_deg']:.0f} deg  sets {p['set_utc'][11:19]} UTC")
        if p.get("visible_start_utc"):
            line += (f"  naked eye {p['visible_start_utc'][11:19]}-{p['visible_end_utc'][11:19]}, "
                     f"{p['visible_start_compass']} to {p['visible_end_compass']}")
        else:
            line += "  not visible to the naked eye"
        print(line)


def _print_human(name: str, result) -> None:
    if name == "ports":
        _print_ports(result)
        return
    if name == "passes":
        _print_passes(result)
        return
    for key, value in result.items():
        print(f"{key:>18}: {value}")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``explainer closest: <what is wrong> (see --help)``, exit 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, not {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
    return value


def _days(text: str) -> float:
    from explainer.astro.observer import MAX_PASS_DAYS

    value = _number(text)
    if not 0 < value <= MAX_PASS_DAYS:
        raise argparse.ArgumentTypeError(
            f"must be more than 0 and at most {MAX_PASS_DAYS:g} (the element sets are good for "
            f"about two weeks), not {text}")
    return value


def _elevation(text: str) -> float:
    value = _number(text)
    if not 0 <= value < 90:
        raise argparse.ArgumentTypeError(
            f"must be at least 0 (the horizon) and less than 90 degrees (straight "
            f"up), not {text}")
    return value


def _whole(text: str, low: int, high: int, why: str = "") -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be between {low} and {high}{why}, not {text}")
    return value


def _port(text: str) -> int:
    return _whole(text, 1, 65535)


def _pool_size(text: str) -> int:
    return _whole(text, 0, MAX_POOL, " (each kernel takes about 60 MB)")


def _ip(text: str) -> str:
    if text == "localhost":
        return text
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an IP address of this machine such as 127.0.0.1 or 0.0.0.0, not {text!r}"
        ) from None


def _shield_places(argv: list[str]) -> list[str]:
    """Let ``-33.87,151.21`` through as a place: argparse reads any word that starts with ``-``
    and is not a plain number as an option. A leading space makes it a positional argument;
    :func:`~explainer.astro.observer.parse_place` ignores spaces."""
    return [f" {word}" if _PLACE.match(word) else word for word in argv]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    p.add_argument("--days", type=_days, default=1.0, help="length of the window in days")
    p.add_argument("--min-elevation", type=_elevation, default=0.0,
                   help="lowest peak elevation to list, degrees above the horizon (0-90)")
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
    p.add_argument("--port", type=_port, default=8866)
    p.add_argument("--no-browser", action="store_true")
    p.add_argument("--ip", type=_ip, default="127.0.0.1",
                   help="interface to listen on; anything but loopback exposes the page (warns)")
    p.add_argument("--pool-size", type=_pool_size, default=None,
                   help="kernels kept preheated, about 60 MB each (default: 1 on 127.0.0.1, for one "
                   "person; 30 with any other --ip, for a class)")
    p.set_defaults(run=_dashboard)
    return parser


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(_shield_places(argv))
    except SystemExit as done:  # --help, or a one-line usage error from _Parser.error
        return done.code
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = _one_line_warning
            result = args.run(args)
        if args.command == "dashboard":
            return result
    except (ValueError, RuntimeError, OSError) as exc:
        # every kit error (TleError, TleRangeError, TimeError, PlaceError, DataError) is a ValueError
        print(f"explainer {args.command}: {exc}", file=sys.stderr)
        return 2
    try:
        if args.json:
            json.dump(result, sys.stdout, indent=2)
            print()
        else:
            _print_human(args.command, result)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader (``| head``) has gone: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
