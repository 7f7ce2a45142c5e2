"""Optional live mode: the current ISS element set from CelesTrak, cached next to the shipped data.

The kit works offline from the element sets shipped in ``data/``. Live mode is **off by
default**; it is on only when the environment variable ``EXPLAINER_LIVE`` is exactly ``"1"`` or
a caller passes ``live=True``. Then :func:`element_sets` downloads the ISS (NORAD 25544) set
from CelesTrak, checks it, caches it and adds it to the shipped sets. Any failure (no network,
HTTP error, timeout, oversized or malformed reply, wrong satellite, stale epoch) falls back to the
shipped sets plus the last cached live fetch, with a :class:`LiveFallbackWarning` saying why.

The cache is ``$EXPLAINER_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/orbit-explainer`` (default
``~/.cache/orbit-explainer``). It is never inside the shipped data folder, and shipped files are
never written. All times are UTC; durations are in seconds, ages in days.
"""

from __future__ import annotations

import http.client
import json
import os
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from explainer.astro.timeutil import iso, parse_time
from explainer.astro.tle import ElementSet, TleError, parse_tles
from explainer.data import tles
from explainer.paths import cache_dir, data_dir

CELESTRAK_URL = "https://celestrak.org/NORAD/elements/gp.php?CATNR=25544&FORMAT=TLE"
LIVE_ENV = "EXPLAINER_LIVE"
"""Set this environment variable to ``"1"`` to turn live mode on (any other value: off)."""
ISS_NORAD_ID = 25544
MAX_BYTES = 64 * 1024
"""Largest reply accepted, bytes (a 3-line TLE is ~165 bytes)."""
MAX_FUTURE_DAYS = 1.0
"""A fetched epoch may lie at most this many days after the current UTC time."""
MAX_OLD_DAYS = 30.0
"""A fetched epoch may lie at most this many days before the current UTC time."""
CACHE_TLE = "iss-live.tle"
CACHE_META = "iss-live.json"
_CHUNK_BYTES = 4096


class LiveError(RuntimeError):
    """A live fetch failed; the one-line message says why."""


class LiveFallbackWarning(UserWarning):
    """Live mode was on but the fetch failed: the kit uses the shipped (and cached) sets."""


def live_enabled(live: bool | None = None) -> bool:
    """``live`` if given, else whether the environment variable ``EXPLAINER_LIVE`` is ``"1"``."""
    return os.environ.get(LIVE_ENV) == "1" if live is None else live


def _read_body(response, deadline: float, timeout_s: float) -> bytes:
    """The reply body, read in chunks; :class:`LiveError` past ``deadline`` or ``MAX_BYTES``."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_BYTES:
            raise LiveError(f"reply too large: more than {MAX_BYTES} bytes (limit)")
        if time.monotonic() > deadline:
            raise LiveError(f"timed out: the reply took longer than {timeout_s:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _download(url: str, timeout_s: float) -> bytes:
    """The body at ``url``, in at most about ``2 * timeout_s`` seconds once headers arrive."""
    deadline = time.monotonic() + timeout_s
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return _read_body(response, deadline, timeout_s)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise LiveError(f"HTTP error {exc.code} ({exc.reason}) from {url}") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            raise LiveError(f"timed out after {timeout_s:g} s waiting for {url}") from None
        raise LiveError(f"cannot download {url}: {reason}") from None


def _check_iss(sets: list[ElementSet], what: str) -> None:
    """:class:`LiveError` unless every set is the ISS (NORAD 25544)."""
    for s in sets:
        if s.satnum != ISS_NORAD_ID:
            raise LiveError(
                f"wrong satellite in {what}: NORAD {s.satnum} ({s.name}), expected {ISS_NORAD_ID}"
            )


def _check_epochs(sets: list[ElementSet], now: np.datetime64) -> None:
    """:class:`LiveError` unless every epoch is within the allowed days of ``now`` (UTC)."""
    for s in sets:
        age = float(s.age_days(now)[0])
        if age > MAX_OLD_DAYS:
            raise LiveError(
                f"stale epoch {iso(s.epoch)}: {age:.1f} days old (limit {MAX_OLD_DAYS:g})"
            )
        if age < -MAX_FUTURE_DAYS:
            raise LiveError(
                f"epoch {iso(s.epoch)} is {-age:.1f} days in the future "
                f"(limit {MAX_FUTURE_DAYS:g}; is the clock wrong?)"
            )


def fetch_tles(url: str = CELESTRAK_URL, timeout_s: float = 5.0, now=None) -> list[ElementSet]:
    """Download and validate the ISS element sets at ``url``.

    ``timeout_s`` (seconds) bounds the connection and each read; a reply that trickles in is
    abandoned after about ``2 * timeout_s``. ``now`` is the UTC time the epochs are checked
    against (default: the current time): no more than ``MAX_OLD_DAYS`` before it and
    ``MAX_FUTURE_DAYS`` after. Raises :class:`LiveError` with a one-line reason.
    """
    body = _download(url, timeout_s)
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as exc:
        raise LiveError(f"reply is not ASCII text (byte {body[exc.start]:#04x} at offset "
                        f"{exc.start})") from None
    fetched = datetime.now(UTC)
    try:
        sets = parse_tles(text, source=f"CelesTrak live fetch, {iso(fetched)}")
    except TleError as exc:
        raise LiveError(f"malformed TLE from {url}: {exc}") from None
    _check_iss(sets, "the reply")
    _check_epochs(sets, parse_time(now if now is not None else fetched))
    return sets


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (ASCII) to ``path`` via a temporary file and ``os.replace``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="ascii", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_to_cache(sets: list[ElementSet], url: str = CELESTRAK_URL) -> Path:
    """Cache ``sets`` as ``iss-live.tle`` plus ``iss-live.json`` (UTC fetch time, URL).

    Returns the TLE file's path. Refuses (:class:`LiveError`) a cache folder inside the shipped
    data folder.
    """
    folder = cache_dir().resolve()
    shipped = data_dir().resolve()
    if folder == shipped or folder.is_relative_to(shipped):
        raise LiveError(f"cache folder {folder} is inside the shipped data {shipped}; refusing")
    folder.mkdir(parents=True, exist_ok=True)
    tle_path = folder / CACHE_TLE
    _write_atomic(tle_path, "".join(f"{s.name}\n{s.line1}\n{s.line2}\n" for s in sets))
    meta = {"fetched_utc": iso(datetime.now(UTC)), "url": url}
    _write_atomic(folder / CACHE_META, json.dumps(meta, indent=2) + "\n")
    return tle_path


def cached_tles() -> list[ElementSet]:
    """The element sets of the last successful live fetch, or [] if there is none.

    A corrupt cache (unreadable, malformed TLE, wrong satellite, bad sidecar) is ignored with a
    :class:`LiveFallbackWarning`. Cached epochs are not age-checked: the shipped and cached sets
    are history, and :func:`explainer.astro.tle.nearest` refuses times too far from any epoch.
    """
    folder = cache_dir()
    tle_path = folder / CACHE_TLE
    if not tle_path.is_file():
        return []
    try:
        meta = json.loads((folder / CACHE_META).read_text(encoding="utf-8"))
        source = f"CelesTrak live fetch, {meta['fetched_utc']} (cached)"
        sets = parse_tles(tle_path.read_text(encoding="ascii"), source=source)
        _check_iss(sets, CACHE_TLE)
    except (OSError, ValueError, KeyError, TypeError, LiveError) as exc:
        warnings.warn(f"ignoring the live-mode cache in {folder}: {exc}", LiveFallbackWarning,
                      stacklevel=2)
        return []
    return sets


def _merged(extra: list[ElementSet]) -> list[ElementSet]:
    """The shipped sets plus ``extra``, in epoch order (shipped first on equal epochs)."""
    return sorted([*tles(), *extra], key=lambda s: s.epoch)


def element_sets(
    live: bool | None = None, url: str = CELESTRAK_URL, timeout_s: float = 5.0, now=None
) -> tuple[list[ElementSet], str]:
    """The element sets to use and a one-line status.

    Live off (the default, see :func:`live_enabled`): the shipped sets, status ``"shipped"``.
    Live on: fetch (see :func:`fetch_tles` for ``timeout_s`` in seconds and ``now`` in UTC),
    cache, and return the shipped plus fetched sets with status ``"live: fetched <epoch>"``. On
    any failure: the shipped plus cached sets, a :class:`LiveFallbackWarning` and status
    ``"shipped (live fetch failed: <reason>)"``.
    """
    if not live_enabled(live):
        return list(tles()), "shipped"
    try:
        fetched = fetch_tles(url, timeout_s, now)
        save_to_cache(fetched, url)
    except (LiveError, OSError) as exc:
        cached = cached_tles()
        warnings.warn(
            f"live fetch failed: {exc}; using the shipped element sets"
            f" plus {len(cached)} cached live set(s)",
            LiveFallbackWarning,
            stacklevel=2,
        )
        return _merged(cached), f"shipped (live fetch failed: {exc})"
    newest = max(s.epoch for s in fetched)
    return _merged(fetched), f"live: fetched {iso(newest)}"
