"""Two-line element sets (TLEs): parsing, validation, and choosing the right set for a time.

A TLE describes a mean orbit at one instant (its *epoch*) for the SGP4 model. Predictions degrade
with distance from the epoch: for the ISS, whose orbit decays and is reboosted, SGP4 errors grow by
roughly 1-3 km per day, and a reboost makes any earlier set wrong by tens of km. The kit therefore
uses a set within ``MAX_AGE_DAYS`` of the requested time and warns beyond ``WARN_AGE_DAYS``.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
from sgp4.api import WGS72, Satrec

from explainer.astro.timeutil import as_times, iso

WARN_AGE_DAYS = 3.0
"""Beyond this many days from the epoch a :class:`TleAgeWarning` is raised (errors ~5-10 km)."""
MAX_AGE_DAYS = 14.0
"""Beyond this many days from the epoch the kit refuses (:class:`TleRangeError`)."""


class TleError(ValueError):
    """A malformed element set; the message names the line, the column and the problem."""


class TleRangeError(ValueError):
    """A time too far from every available element set for an honest prediction."""


class TleAgeWarning(UserWarning):
    """A time a few days from the element set's epoch: expect errors of several km."""


# (first column, last column, what, regular expression), columns 1-based and inclusive
_LINE1_FIELDS = [
    (1, 1, "line number", r"1"),
    (3, 7, "satellite number", r"[0-9A-Z][0-9]{4}| {0,4}[0-9]{1,5}"),
    (8, 8, "classification", r"[UCS ]"),
    (10, 17, "international designator", r"[0-9 ]{2}[0-9 ]{3}[A-Z ]{3}|\s{8}"),
    (19, 20, "epoch year", r"[0-9]{2}"),
    (21, 32, "epoch day of year", r"[ 0-9]{3}\.[0-9]{8}"),
    (34, 43, "first derivative of mean motion", r"[ +-]\.[0-9]{8}"),
    (45, 52, "second derivative of mean motion", r"[ +-][0-9]{5}[+-][0-9]"),
    (54, 61, "BSTAR drag term", r"[ +-][0-9]{5}[+-][0-9]"),
    (63, 63, "ephemeris type", r"[0-9 ]"),
    (65, 68, "element set number", r"[ 0-9]{4}"),
    (69, 69, "checksum", r"[0-9]"),
]
_LINE2_FIELDS = [
    (1, 1, "line number", r"2"),
    (3, 7, "satellite number", r"[0-9A-Z][0-9]{4}| {0,4}[0-9]{1,5}"),
    (9, 16, "inclination (degrees)", r"[ 0-9]{3}\.[0-9]{4}"),
    (18, 25, "right ascension of the ascending node (degrees)", r"[ 0-9]{3}\.[0-9]{4}"),
    (27, 33, "eccentricity (implied leading decimal point)", r"[0-9]{7}"),
    (35, 42, "argument of perigee (degrees)", r"[ 0-9]{3}\.[0-9]{4}"),
    (44, 51, "mean anomaly (degrees)", r"[ 0-9]{3}\.[0-9]{4}"),
    (53, 63, "mean motion (revolutions per day)", r"[ 0-9]{2}\.[0-9]{8}"),
    (64, 68, "revolution number at epoch", r"[ 0-9]{5}"),
    (69, 69, "checksum", r"[0-9]"),
]
_RANGES = {  # line 2 angles and mean motion must be physical
    (9, 16): (0.0, 180.0),
    (18, 25): (0.0, 360.0),
    (35, 42): (0.0, 360.0),
    (44, 51): (0.0, 360.0),
    (53, 63): (0.05, 20.0),
}


def checksum(line: str) -> int:
    """The TLE checksum of columns 1-68 (0-9): digits count their value, each minus sign 1,
    modulo 10 (Hoots and Roehrich 1980, Spacetrack Report #3; CelesTrak's TLE format notes)."""
    return sum(int(c) if c.isdigit() else c == "-" for c in line[:68]) % 10


def validate_line(line: str, number: int, where: str = "") -> None:
    """Check one TLE line column by column against the published format.

    Parameters
    ----------
    line : str
        The 69-character line.
    number : int
        1 or 2.
    where : str
        A prefix for messages (e.g. the file and line).

    Raises
    ------
    TleError
        Naming the columns, the field and the problem (format, physical range, checksum).
    """
    label = f"{where}line {number}"
    if len(line) != 69:
        raise TleError(f"{label}: has {len(line)} characters; a TLE line has exactly 69")
    fields = _LINE1_FIELDS if number == 1 else _LINE2_FIELDS
    for first, last, what, pattern in fields:
        text = line[first - 1 : last]
        if not re.fullmatch(pattern, text):
            span = f"column {first}" if first == last else f"columns {first}-{last}"
            raise TleError(f"{label}, {span} ({what}): {text!r} is not in TLE format")
        if number == 2 and (first, last) in _RANGES:
            lo, hi = _RANGES[(first, last)]
            if not lo <= float(text) <= hi:
                raise TleError(
                    f"{label}, columns {first}-{last} ({what}): {text.strip()} is outside {lo}-{hi}"
                )
    expected = checksum(line)
    if int(line[68]) != expected:
        raise TleError(
            f"{label}, column 69 (checksum): the line says {line[68]} but its contents give "
            f"{expected}; the line is corrupt or mistyped"
        )


@dataclass(frozen=True)
class ElementSet:
    """One validated element set.

    ``epoch`` is UTC (``datetime64[ns]``); ``satrec`` is the sgp4 package's record (WGS72, as
    SGP4 requires); ``source`` says where the set was published, if known.
    """

    name: str
    line1: str
    line2: str
    satrec: Satrec
    epoch: np.datetime64
    source: str = ""

    @property
    def satnum(self) -> int:
        return self.satrec.satnum

    @property
    def inclination_deg(self) -> float:
        return float(np.degrees(self.satrec.inclo))

    @property
    def period_min(self) -> float:
        """Orbital period from the mean motion, minutes."""
        return float(2 * np.pi / self.satrec.no_kozai)

    def age_days(self, times) -> np.ndarray:
        """Signed days from the epoch to each time (positive after the epoch)."""
        return (as_times(times) - self.epoch) / np.timedelta64(86_400, "s")

    def __repr__(self) -> str:
        return f"ElementSet({self.name!r}, epoch={iso(self.epoch)})"


def element_set(line1: str, line2: str, name: str = "", source: str = "", where: str = "") -> ElementSet:
    """Validate two TLE lines and build an :class:`ElementSet` (SGP4 initialised with WGS72,
    as Vallado et al. 2006, AIAA 2006-6753, recommend for TLEs).

    Raises :class:`TleError` for a malformed line, mismatched satellite numbers or an SGP4
    initialisation error.
    """
    line1, line2 = line1.rstrip(), line2.rstrip()
    validate_line(line1, 1, where)
    validate_line(line2, 2, where)
    if line1[2:7] != line2[2:7]:
        raise TleError(
            f"{where}lines 1 and 2, columns 3-7: satellite numbers differ "
            f"({line1[2:7].strip()} vs {line2[2:7].strip()})"
        )
    sat = Satrec.twoline2rv(line1, line2, WGS72)
    if sat.error:
        raise TleError(f"{where}element set rejected by SGP4 initialisation (error {sat.error})")
    return ElementSet(name.strip() or line1[2:7].strip(), line1, line2, sat, satrec_epoch(sat), source)


def satrec_epoch(sat: Satrec) -> np.datetime64:
    """The epoch of an sgp4 ``Satrec`` as UTC ``datetime64[ns]`` (rounded to the nanosecond)."""
    days = (sat.jdsatepoch - 2433281.5) + sat.jdsatepochF  # since 1949-12-31T00:00 UTC
    return np.datetime64("1949-12-31T00:00", "ns") + np.timedelta64(int(round(days * 86_400e9)), "ns")


def parse_tles(text: str, source: str = "") -> list[ElementSet]:
    """Every element set in TLE text, 2-line or 3-line (name line first), in order.

    Blank lines are ignored. Raises :class:`TleError` naming the line number in the text.
    """
    lines = [(i + 1, raw.rstrip("\r\n")) for i, raw in enumerate(text.splitlines())]
    lines = [(n, s) for n, s in lines if s.strip()]
    sets: list[ElementSet] = []
    i = 0
    while i < len(lines):
        n, s = lines[i]
        name = ""
        if not s.startswith("1 "):
            if s.startswith("2 "):
                raise TleError(f"text line {n}: a line 2 without its line 1")
            name = s[2:] if s.startswith("0 ") else s
            i += 1
        if i + 1 >= len(lines):
            raise TleError(f"text line {n}: the element set is incomplete (needs lines 1 and 2)")
        (n1, l1), (n2, l2) = lines[i], lines[i + 1]
        if not l1.startswith("1"):
            raise TleError(f"text line {n1}: expected line 1 of an element set, found {l1[:20]!r}")
        validate_line(l1.rstrip(), 1, f"text line {n1}: ")
        validate_line(l2.rstrip(), 2, f"text line {n2}: ")
        sets.append(element_set(l1, l2, name, source, where=f"text lines {n1}-{n2}: "))
        i += 2
    if not sets:
        raise TleError("no element set found in the text")
    return sets


def check_age(elset: ElementSet, times, max_days: float = MAX_AGE_DAYS) -> None:
    """Refuse times too far from an element set's epoch; warn when they are a few days away.

    Parameters
    ----------
    elset : ElementSet
    times : UTC times (see :func:`explainer.astro.timeutil.as_times`); may be empty.
    max_days : float
        Refuse beyond this many days from the epoch.

    Raises
    ------
    TleRangeError
        Beyond ``max_days`` (the message names the requested time, not a computed one).
    TimeError
        If a time is missing (NaT).

    Warns
    -----
    TleAgeWarning
        Beyond :data:`WARN_AGE_DAYS`.
    """
    times = as_times(times)
    if times.size == 0:
        return
    worst = max(abs(elset.age_days(times.min())[0]), abs(elset.age_days(times.max())[0]))
    if worst > max_days:
        raise TleRangeError(
            f"the element set of {iso(elset.epoch)} is {worst:.1f} days from {_span(times)}; "
            f"beyond {max_days:g} days SGP4 errors for the ISS reach tens to hundreds of km "
            "(drag, reboosts), so the kit will not predict there"
        )
    _warn_age(worst, elset.epoch, stacklevel=4)


def _warn_age(days: float, epoch, stacklevel: int) -> None:
    if days > WARN_AGE_DAYS:
        warnings.warn(
            f"the element set of {iso(epoch)} is {days:.1f} days from the requested time: "
            f"expect position errors of roughly {2 * days:.0f}-{5 * days:.0f} km",
            TleAgeWarning,
            stacklevel=stacklevel,
        )


def _span(times: np.ndarray) -> str:
    """The requested times in words: one time, or the first and last of a window."""
    first, last = times.min(), times.max()
    return iso(first) if first == last else f"the window {iso(first)} to {iso(last)}"


def select(sets: list[ElementSet], times, max_days: float = MAX_AGE_DAYS,
           requested: str | None = None) -> np.ndarray:
    """For each time, the index in ``sets`` of the set whose epoch is nearest (per sample).

    A long window is thus served by each set where it is the best one, as long as every time is
    within ``max_days`` of some set.

    Parameters
    ----------
    sets : list of ElementSet
    times : UTC times; may be empty.
    max_days : float
        Refuse if some time is further than this from every set.
    requested : str, optional
        How to name the request in an error (for example the window as the user typed it);
        by default its first and last time.

    Returns
    -------
    numpy.ndarray of int
        Index into ``sets`` per time.

    Raises
    ------
    TleRangeError
        If no sets are given or some time is beyond ``max_days`` from every set.

    Warns
    -----
    TleAgeWarning
        If some time is more than :data:`WARN_AGE_DAYS` from its nearest set.
    """
    if not sets:
        raise TleRangeError("no element sets are available")
    times = as_times(times)
    epochs = np.array([s.epoch for s in sets], dtype="datetime64[ns]")
    order = np.argsort(epochs, kind="stable")
    sorted_epochs = epochs[order]
    after = np.clip(np.searchsorted(sorted_epochs, times), 0, len(sets) - 1)
    before = np.clip(after - 1, 0, len(sets) - 1)
    d_after = np.abs(sorted_epochs[after] - times)
    d_before = np.abs(times - sorted_epochs[before])
    pick = np.where(d_after < d_before, after, before)
    age_days = np.minimum(d_after, d_before) / np.timedelta64(86_400, "s")
    if times.size and age_days.max() > max_days:
        day = np.timedelta64(int(max_days * 86_400), "s")
        raise TleRangeError(
            f"no element set within {max_days:g} days of {requested or _span(times)}: the "
            f"element sets available ({iso(sorted_epochs[0])[:10]} to "
            f"{iso(sorted_epochs[-1])[:10]}) cover {iso(sorted_epochs[0] - day)[:10]} to "
            f"{iso(sorted_epochs[-1] + day)[:10]} (use the live mode for current times)"
        )
    if times.size:
        worst = int(np.argmax(age_days))
        _warn_age(float(age_days[worst]), sorted_epochs[pick[worst]], stacklevel=4)
    return order[pick]


def nearest(sets: list[ElementSet], time, max_days: float = MAX_AGE_DAYS) -> ElementSet:
    """The set whose epoch is nearest one UTC ``time``.

    Raises :class:`TleRangeError` (naming ``time``) if none is within ``max_days``. Does not warn
    about age; :func:`check_age` and :func:`select` do.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TleAgeWarning)
        return sets[int(select(sets, as_times(time)[:1], max_days)[0])]


def bracketing(sets: list[ElementSet], time) -> tuple[ElementSet, ElementSet]:
    """The latest set with epoch at or before one UTC ``time`` and the earliest one after it.

    Raises :class:`TleRangeError` if ``time`` is not between two epochs.
    """
    t = as_times(time)[0]
    before = [s for s in sets if s.epoch <= t]
    after = [s for s in sets if s.epoch > t]
    if not before or not after:
        raise TleRangeError(f"no pair of element sets brackets {iso(t)}")
    return max(before, key=lambda s: s.epoch), min(after, key=lambda s: s.epoch)
