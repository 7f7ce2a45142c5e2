"""Words for the ports story: dates, vehicle names, sentences for screen readers and the
verdict on the "all eight ports" claim. Formatting happens here and only here."""

from __future__ import annotations

import re

import pandas as pd

from explainer.data.docking import ARM, COVERAGE_END, load_ports

from .occupancy import PortState
from .queries import ClaimCheck, events

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")
_BRACKETED = re.compile(r"\s*\([^)]*\)$")


def words(n: int) -> str:
    """``7`` -> ``seven`` (up to fifteen; digits above)."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def day_text(t) -> str:
    """``27 Nov 2025``."""
    t = pd.Timestamp(t)
    return f"{t.day} {t:%b %Y}"


def day_range_text(earliest, latest) -> str:
    """``1 Dec 2025`` when both fall on one day, else ``24-26 Nov 2025`` (or the full dates)."""
    a, b = pd.Timestamp(earliest), pd.Timestamp(latest)
    if a.normalize() == b.normalize():
        return day_text(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}-{b.day} {b:%b %Y}"
    return f"{day_text(a)} - {day_text(b)}"


def short_name(name: str) -> str:
    """Drop a bracketed suffix: ``Progress MS-32 (Progress 93)`` -> ``Progress MS-32``,
    ``Harmony forward (PMA-2)`` -> ``Harmony forward``."""
    return _BRACKETED.sub("", name)


def when_text(stamp, has_time: bool, earliest=None, latest=None) -> str:
    """An event time as shown: ``27 Nov 2025 12:34 UTC``, ``1 Dec 2025 (time of day not
    sourced)``, or ``24-26 Nov 2025 (sources differ)`` when the range spans days."""
    if earliest is not None and pd.notna(earliest) and (
            pd.Timestamp(earliest).normalize() != pd.Timestamp(latest).normalize()):
        return f"{day_range_text(earliest, latest)} (sources differ)"
    stamp = pd.Timestamp(stamp)
    if has_time:
        return f"{day_text(stamp)} {stamp:%H:%M} UTC"
    return f"{day_text(stamp)} (time of day not sourced)"


def stay_dates(r) -> tuple[str, str]:
    """``("arrived ...", "departed ...")`` for one row of the stays table."""
    arrived = "arrived " + when_text(r.arrival_utc, r.arrival_utc_has_time, r.arrival_earliest,
                                     r.arrival_latest)
    if r.end_status == "open":
        departed = f"still attached at the end of the data ({day_text(COVERAGE_END)})"
    elif r.end_status == "unknown":
        departed = (f"departure not found (left by {day_text(r.end)} {pd.Timestamp(r.end):%H:%M}"
                    " UTC, the next arrival)")
    else:
        departed = "departed " + when_text(r.departure_utc, r.departure_utc_has_time,
                                           r.departure_earliest, r.departure_latest)
    return arrived, departed


def join(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_state(state: PortState, *, day_only: bool = False) -> str:
    """A sentence for screen readers: how many ports were occupied, by what, and the arm."""
    n, k = len(state.ports), state.n_occupied
    when = day_text(state.time) if day_only else f"{day_text(state.time)} {state.time:%H:%M} UTC"
    if n == 1:
        head = f"On {when} the one port in service was {'occupied' if k else 'empty'}"
    elif k == n:
        head = f"On {when} all {words(n)} ports were occupied"
    elif k == 0:
        head = f"On {when} none of the {words(n)} ports was occupied"
    else:
        head = f"On {when} {words(k)} of the {words(n)} ports {'was' if k == 1 else 'were'} occupied"
    parts = [f"{p}: {state.vehicle(p)}" for p, i in state.ports.items() if i is not None]
    text = head + (": " + "; ".join(parts) if parts else "")
    empty = state.empty_ports
    if empty and k and n > 1:
        text += f"; {join(empty)} {'was' if len(empty) == 1 else 'were'} empty"
    for vehicle in state.held_on_arm:
        text += f"; {vehicle} was held on the robotic arm (Canadarm2)"
    return text + "."


def describe_events(start, end) -> str:
    """The arrivals and departures between ``start`` and ``end`` as sentences (a text
    alternative for a zoomed chart)."""
    ports = load_ports()
    mechanism = dict(zip(ports.port, ports.mechanism, strict=True))
    parts = []
    for r in events(start, end).itertuples():
        when = when_text(r.time, r.has_time, r.earliest, r.latest).replace(
            " (time of day not sourced)", "")
        if r.port == ARM:
            what = ("is taken off its port and held on the robotic arm" if r.event == "arrives"
                    else "leaves the robotic arm")
        else:
            verb = "is berthed at" if mechanism.get(r.port) == "berthing" else "docks at"
            what = f"{verb if r.event == 'arrives' else 'leaves'} {r.port}"
        parts.append(f"{when}: {r.vehicle} {what} ({r.attached} on ports)")
    return "; ".join(parts) + "." if parts else "No arrivals or departures."


def full_text(check: ClaimCheck) -> str:
    """When all eight were full, with the uncertainty of the start (Markdown)."""
    f = check.full
    lo, hi = f.days_range
    start = (f"{day_text(f.start)} at {f.start:%H:%M} UTC" if f.start_has_time
             else f"{day_range_text(*f.start_range)} (time of day not sourced)")
    length = (f"**{f.days:.1f} days**" if hi - lo < 0.05
              else f"between **{lo:.1f} and {hi:.1f} days** (the start time is not known)")
    return (f"all eight ports were occupied from {start}, when {f.completed_by} was berthed "
            f"again, until {f.ended_by} undocked on {day_text(f.end)} at {f.end:%H:%M} UTC: "
            f"{length}")


def verdict_markdown(check: ClaimCheck, claim: str, claim_note: str, nasa_title: str) -> str:
    """The claim, what the ports show at the docking and on 1 December, and the verdict, in
    the honest frame: the first time eight, not the first time the station was full."""
    s = check.at_docking
    arm = join(s.held_on_arm) if s.held_on_arm else ""
    empty = join(s.empty_ports) if s.empty_ports else "no port"
    at_docking = (f"when Soyuz MS-28 docked at {check.docking:%H:%M:%S} UTC, "
                  f"**{s.n_occupied} of the {len(s.ports)}** ports were occupied; {empty} "
                  f"{'was' if len(s.empty_ports) == 1 else 'were'} empty.")
    if arm:
        at_docking += (f" Its cargo ship, **{arm}**, was held on the Canadarm2 robotic arm, "
                       "attached to the station but to no port: NASA moved it to keep loads off "
                       "Cygnus and its solar arrays while the Soyuz docked to the neighbouring "
                       "Rassvet port.")
    earlier = check.earlier_full
    frame = ""
    if len(earlier):
        top = earlier[earlier.usable_ports == earlier.usable_ports.max()]
        frame = (f"\n\n**First time eight, not first time full.** Before December 2025 every "
                 f"port that could take a vehicle was occupied {words(len(earlier))} times, "
                 f"the fullest with {words(int(top.usable_ports.iloc[0]))} "
                 f"usable ports, on {join([day_text(t) for t in top.start])}. Ports that could "
                 "not take a vehicle then (Harmony's forward port between the last Shuttle and "
                 "its new docking adapter) or that were only a backup berth (Harmony zenith) do "
                 "not count. So the record of December 2025 is the first time **eight** "
                 "vehicles were on ports at once, and the first time all eight of today's ports "
                 "were full; it is not the first time the station was full.")
    return (f"**What the caption said:** *\"{claim}\"* ({claim_note}). NASA's headline, "
            f"*\"{nasa_title}\"*, belongs to a post dated 1 December.\n\n"
            f"**What the ports show on {day_text(check.docking)}:** {at_docking}\n\n"
            f"**What the ports show afterwards:** {full_text(check)}.\n\n"
            f"**Verdict:** the record is real, but it began {check.days_after_docking} days "
            f"after the docking in the photo. Counting every spacecraft attached to the station, "
            f"the one on the arm included, there were {check.attached_at_docking} on "
            f"{day_text(check.docking)}; counting ports, there were {s.n_occupied}." + frame)


def episodes_table(episodes: pd.DataFrame) -> pd.DataFrame:
    """The times all usable ports were full, for people: plain column names, dates as text,
    no index numbers or NaT."""
    def start(r):
        if r.start_earliest.normalize() != r.start_latest.normalize() or r.start != r.start_latest:
            return f"{day_range_text(r.start_earliest, r.start_latest)} (time not sourced)"
        return f"{r.start:%Y-%m-%d %H:%M} UTC"

    return pd.DataFrame({
        "From (UTC)": [start(r) for r in episodes.itertuples()],
        "To (UTC)": [f"{t:%Y-%m-%d %H:%M}" for t in episodes.end],
        "Usable ports, all occupied": episodes.usable_ports.to_numpy(),
        "Ports in service": episodes.ports_in_service.to_numpy(),
        "Days": [f"{d:.1f}" for d in episodes.days],
        "In service but not usable": [v or "none" for v in episodes.not_usable],
    })
