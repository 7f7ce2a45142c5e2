"""Element sets: parsing 2- and 3-line text, validation that names line and column, age limits."""

import warnings

import numpy as np
import pytest

from explainer.astro.tle import (
    MAX_AGE_DAYS,
    TleAgeWarning,
    TleError,
    TleRangeError,
    bracketing,
    check_age,
    checksum,
    nearest,
    parse_tles,
)

NAME = "ISS (ZARYA)"
L1 = "1 25544U 98067A   25333.83453771  .00008010  00000+0  15237-3 0  9993"
L2 = "2 25544  51.6312 206.3646 0003723 184.1118 175.9840 15.49193835540850"


def test_checksums_of_a_real_set():
    assert checksum(L1) == 3 and checksum(L2) == 0


def test_three_and_two_line_text_give_the_same_set():
    (three,) = parse_tles(f"{NAME}\n{L1}\n{L2}\n")
    (two,) = parse_tles(f"{L1}\n{L2}")
    assert three.name == NAME and two.name == "25544"
    assert three.epoch == two.epoch
    # day 333.83453771 of 2025: 20:01:44.0581 UTC (TLE epochs resolve 1e-8 day = 0.9 ms)
    assert abs(three.epoch - np.datetime64("2025-11-29T20:01:44.058", "ns")) < np.timedelta64(1, "ms")
    assert three.satnum == 25544
    assert three.inclination_deg == pytest.approx(51.6312)
    assert three.period_min == pytest.approx(1440 / 15.49193835, rel=1e-4)


def test_several_sets_and_blank_lines_and_crlf():
    text = f"{NAME}\r\n{L1}\r\n{L2}\r\n\r\n{L1}\n{L2}\n"
    assert len(parse_tles(text)) == 2


def _with(line: str, col: int, text: str) -> str:
    """Replace characters starting at 1-based column ``col`` and fix nothing else."""
    return line[: col - 1] + text + line[col - 1 + len(text):]


@pytest.mark.parametrize(
    "l1, l2, message",
    [
        (L1[:-1] + "4", L2, "text line 2: line 1, column 69 (checksum): the line says 4 but its contents give 3; the line is corrupt or mistyped"),
        (L1[:60], L2, "text line 2: line 1: has 60 characters; a TLE line has exactly 69"),
        (_with(L1, 19, "2X"), L2, "text line 2: line 1, columns 19-20 (epoch year): '2X' is not in TLE format"),
        (L1, _with(L2, 9, "191.6312"), "text line 3: line 2, columns 9-16 (inclination (degrees)): 191.6312 is outside 0.0-180.0"),
        (L1, _with(L2, 27, "00037a3"), "text line 3: line 2, columns 27-33 (eccentricity (implied leading decimal point)): '00037a3' is not in TLE format"),
        (L1, "3" + L2[1:], "text line 3: line 2, column 1 (line number): '3' is not in TLE format"),
    ],
)
def test_malformed_sets_name_line_column_and_problem(l1, l2, message):
    with pytest.raises(TleError) as err:
        parse_tles(f"{NAME}\n{l1}\n{l2}\n")
    assert str(err.value) == message


def test_mismatched_satellite_numbers():
    other = _with(L2, 3, "25545")
    other = other[:68] + str(checksum(other))
    with pytest.raises(TleError, match="satellite numbers differ"):
        parse_tles(f"{L1}\n{other}")


def test_incomplete_and_empty_text():
    with pytest.raises(TleError, match="incomplete"):
        parse_tles(f"{NAME}\n{L1}\n")
    with pytest.raises(TleError, match="no element set"):
        parse_tles("\n\n")
    with pytest.raises(TleError, match="a line 2 without its line 1"):
        parse_tles(L2)


def test_age_limits(iss):
    check_age(iss, iss.epoch + np.timedelta64(2, "D"))  # fine, no warning
    with pytest.warns(TleAgeWarning, match=r"5\.0 days .* roughly 10-25 km"):
        check_age(iss, iss.epoch - np.timedelta64(5, "D"))
    with pytest.raises(TleRangeError, match=r"20\.0 days from 2025-12-19T20:01:44\.058Z"):
        check_age(iss, iss.epoch + np.timedelta64(20, "D"))


def test_nearest_and_bracketing(iss_sets):
    t = np.datetime64("2025-11-27T12:34:35")
    before, after = bracketing(iss_sets, t)
    assert str(before.epoch)[:16] == "2025-11-24T13:04" and str(after.epoch)[:16] == "2025-11-29T20:01"
    assert nearest(iss_sets, t) is after  # 2.3 days vs 3.0 days
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(TleRangeError, match=r"of 2026-01-15T12:34:35\.000Z: the element sets "
                           r"available \(2025-11-01 to 2025-12-01\) cover 2025-10-18 to 2025-12-15"):
            nearest(iss_sets, t + np.timedelta64(int(MAX_AGE_DAYS) + 35, "D"))
