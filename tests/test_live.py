"""Live mode against a local HTTP server on 127.0.0.1 (no outside network is used)."""

import hashlib
import json
import socket
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from explainer import paths
from explainer.astro.tle import checksum
from explainer.data import TLE_FILE, live, tles
from explainer.paths import data_dir

TIMEOUT_S = 0.5
SLOW_S = 5.0  # the slow route waits this long (or until teardown) before answering

# The first shipped set: epoch 2025 day 305.52050362 = 2025-11-01T12:29:31.5128 UTC
GOOD_LINES = (data_dir() / TLE_FILE).read_text(encoding="ascii").splitlines()[:3]
GOOD = "\n".join(GOOD_LINES) + "\n"
GOOD_EPOCH = np.datetime64("2025-11-01T12:29:31.5128", "ns")
NOW = GOOD_EPOCH + np.timedelta64(1, "D")


def _with_checksum(line: str) -> str:
    return line[:68] + str(checksum(line))


def _other_satellite(satnum: str) -> str:
    """The good set re-labelled as another satellite, with valid checksums."""
    _, l1, l2 = GOOD_LINES
    return "HST\n" + "\n".join(_with_checksum(s[:2] + satnum + s[7:]) for s in (l1, l2)) + "\n"


def _bad_checksum() -> str:
    name, l1, l2 = GOOD_LINES
    return f"{name}\n{l1[:68]}{(int(l1[68]) + 1) % 10}\n{l2}\n"


BODIES = {
    "good": GOOD.encode("ascii"),
    "bad-checksum": _bad_checksum().encode("ascii"),
    "wrong-sat": _other_satellite("20580").encode("ascii"),
    "huge": GOOD.encode("ascii") * 1000,  # ~165 kB
    "not-ascii": GOOD.replace("ZARYA", "ZÄRYA").encode("utf-8"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        route = self.path.lstrip("/")
        try:
            if route == "error":
                self.send_error(500)
            elif route == "slow":
                if not self.server.stop.wait(SLOW_S):
                    self._send(BODIES["good"])
            elif route == "trickle":
                self._trickle(BODIES["good"])
            else:
                self._send(BODIES[route])
        except OSError:
            pass  # the client gave up (timeout, size limit): expected

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=us-ascii")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self, body: bytes) -> None:
        """Headers at once, then one byte every 0.1 s: each read is fast, the whole is slow."""
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for i in range(len(body)):
            self.wfile.write(body[i : i + 1])
            if self.server.stop.wait(0.1):
                return

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = False  # so server_close() joins every handler thread
    httpd.stop = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture
def dead_url():
    """A loopback URL where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/good"


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(paths.CACHE_ENV, str(folder))
    monkeypatch.delenv(live.LIVE_ENV, raising=False)
    return folder


def _shipped_digests() -> dict[str, str]:
    """SHA-256 of every shipped file (those data/manifest.json lists, and the manifest itself)."""
    root = data_dir()
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    listed = ["manifest.json", *(rel for d in manifest["datasets"] for rel in d["files"])]
    assert TLE_FILE in listed
    return {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in listed}


def _nothing_cached_in_shipped_data() -> bool:
    return not any(data_dir().rglob("iss-live*"))


def _lines(sets) -> list[tuple[str, str]]:
    return [(s.line1, s.line2) for s in sets]


SHIPPED = _lines(tles())


# --- fetching -------------------------------------------------------------------------------

def test_fetch_good_set(server):
    (s,) = live.fetch_tles(f"{server}/good", TIMEOUT_S, now=NOW)
    assert s.satnum == 25544
    assert s.name == "ISS (ZARYA)"
    assert abs(s.epoch - GOOD_EPOCH) < np.timedelta64(1, "ms")
    assert (s.line1, s.line2) == tuple(GOOD_LINES[1:])
    assert s.source.startswith("CelesTrak live fetch, ")


BAD = [
    ("bad-checksum", r"^malformed TLE .*line 1, column 69 \(checksum\)"),
    ("wrong-sat", r"^wrong satellite in the reply: NORAD 20580 \(HST\), expected 25544$"),
    ("error", r"^HTTP error 500 \(Internal Server Error\)"),
    ("huge", r"^reply too large: more than 65536 bytes"),
    ("not-ascii", r"^reply is not ASCII text \(byte 0xc3 at offset 6\)$"),
    ("slow", r"^timed out after 0.5 s"),
    ("trickle", r"^timed out: the reply took longer than 0.5 s$"),
]


@pytest.mark.parametrize(("route", "message"), BAD, ids=[r for r, _ in BAD])
def test_fetch_bad_replies(server, cache, route, message):
    start = time.monotonic()
    with pytest.raises(live.LiveError, match=message) as info:
        live.fetch_tles(f"{server}/{route}", TIMEOUT_S, now=NOW)
    assert time.monotonic() - start < 2 * TIMEOUT_S + 0.5
    assert "\n" not in str(info.value)
    assert not cache.exists()


def test_fetch_unreachable(dead_url):
    with pytest.raises(live.LiveError, match=r"^cannot download http://127\.0\.0\.1:\d+/good: "):
        live.fetch_tles(dead_url, TIMEOUT_S)


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (31, r"^stale epoch 2025-11-01T12:29:31\.512Z: 31\.0 days old \(limit 30\)$"),
        (-2, r"^epoch 2025-11-01T12:29:31\.512Z is 2\.0 days in the future"),
    ],
)
def test_fetch_rejects_epoch_far_from_now(server, days, message):
    now = GOOD_EPOCH + np.timedelta64(days, "D")
    with pytest.raises(live.LiveError, match=message):
        live.fetch_tles(f"{server}/good", TIMEOUT_S, now=now)


def test_fetch_accepts_epoch_limits(server):
    for days in (29.9, -0.9):
        now = GOOD_EPOCH + np.timedelta64(int(days * 86_400), "s")
        assert [s.satnum for s in live.fetch_tles(f"{server}/good", TIMEOUT_S, now=now)] == [25544]


# --- element_sets ---------------------------------------------------------------------------

def test_live_fetch_adds_set_and_caches_it(server, cache):
    before = _shipped_digests()
    sets, status = live.element_sets(live=True, url=f"{server}/good", timeout_s=TIMEOUT_S, now=NOW)
    assert status == "live: fetched 2025-11-01T12:29:31.512Z"
    assert len(sets) == len(SHIPPED) + 1 == 15
    assert [s.epoch for s in sets] == sorted(s.epoch for s in sets)
    fetched = [s for s in sets if s.source.startswith("CelesTrak live")]
    assert _lines(fetched) == [tuple(GOOD_LINES[1:])]
    assert sets[1] is fetched[0]  # same epoch as the first shipped set: after it, before the rest
    assert all(s.satnum == 25544 for s in sets)
    # cache: next to the shipped data, never inside it; shipped files untouched
    assert (cache / "iss-live.tle").read_text(encoding="ascii") == GOOD
    meta = json.loads((cache / "iss-live.json").read_text(encoding="utf-8"))
    assert meta["url"] == f"{server}/good"
    fetched_utc = np.datetime64(meta["fetched_utc"].rstrip("Z"))
    assert abs(fetched_utc - np.datetime64("now")) < np.timedelta64(60, "s")
    assert sorted(p.name for p in cache.iterdir()) == ["iss-live.json", "iss-live.tle"]
    assert _shipped_digests() == before
    assert _lines(tles()) == SHIPPED
    assert _nothing_cached_in_shipped_data()


@pytest.mark.parametrize(("route", "message"), BAD, ids=[r for r, _ in BAD])
def test_live_failure_falls_back_to_shipped(server, cache, route, message):
    reason = message.lstrip("^").rstrip("$")
    with pytest.warns(live.LiveFallbackWarning, match=f"^live fetch failed: {reason}") as record:
        sets, status = live.element_sets(True, f"{server}/{route}", TIMEOUT_S, now=NOW)
    assert len(record) == 1
    assert "plus 0 cached live set(s)" in str(record[0].message)
    assert status.startswith("shipped (live fetch failed: ")
    assert _lines(sets) == SHIPPED
    assert not cache.exists()


def test_fallback_uses_previously_cached_set(server, cache):
    live.element_sets(live=True, url=f"{server}/good", timeout_s=TIMEOUT_S, now=NOW)
    with pytest.warns(live.LiveFallbackWarning, match=r"HTTP error 500 .*plus 1 cached"):
        sets, status = live.element_sets(live=True, url=f"{server}/error", timeout_s=TIMEOUT_S)
    assert status.startswith("shipped (live fetch failed: HTTP error 500 (Internal Server Error)")
    assert len(sets) == len(SHIPPED) + 1
    (cached,) = [s for s in sets if s.source.endswith("(cached)")]
    assert (cached.line1, cached.line2) == tuple(GOOD_LINES[1:])
    assert abs(cached.epoch - GOOD_EPOCH) < np.timedelta64(1, "ms")
    assert sets[1] is cached  # same epoch as the first shipped set: after it, before the rest


def test_live_off_by_default_makes_no_request(dead_url):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        sets, status = live.element_sets(url=dead_url, timeout_s=TIMEOUT_S)
    assert record == []
    assert status == "shipped"
    assert _lines(sets) == SHIPPED


@pytest.mark.parametrize(("value", "on"), [("1", True), ("0", False), ("true", False), ("", False)])
def test_live_env_switch(monkeypatch, dead_url, value, on):
    monkeypatch.setenv(live.LIVE_ENV, value)
    assert live.live_enabled() is on
    assert live.live_enabled(live=False) is False
    if on:  # an attempt is made, to a port where nothing listens
        with pytest.warns(live.LiveFallbackWarning, match="cannot download"):
            _, status = live.element_sets(url=dead_url, timeout_s=TIMEOUT_S)
        assert status.startswith("shipped (live fetch failed: cannot download")
    else:
        assert live.element_sets(url=dead_url, timeout_s=TIMEOUT_S)[1] == "shipped"


# --- cache ----------------------------------------------------------------------------------

def test_corrupt_cache_is_ignored_with_warning(cache):
    cache.mkdir()
    (cache / "iss-live.tle").write_text(_bad_checksum(), encoding="ascii")
    (cache / "iss-live.json").write_text('{"fetched_utc": "2025-12-02T00:00:00.000Z"}')
    with pytest.warns(live.LiveFallbackWarning, match=r"ignoring the live-mode cache.*checksum"):
        assert live.cached_tles() == []


def test_cache_of_wrong_satellite_is_ignored(cache):
    cache.mkdir()
    (cache / "iss-live.tle").write_text(_other_satellite("20580"), encoding="ascii")
    (cache / "iss-live.json").write_text('{"fetched_utc": "2025-12-02T00:00:00.000Z"}')
    with pytest.warns(live.LiveFallbackWarning, match=r"NORAD 20580"):
        assert live.cached_tles() == []


def test_no_cache_is_empty_without_warning(cache):
    assert live.cached_tles() == []


def test_cache_dir_locations(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.CACHE_ENV, str(tmp_path / "mine"))
    assert paths.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(paths.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "orbit-explainer"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.cache_dir() == tmp_path / "home" / ".cache" / "orbit-explainer"


def test_cache_refuses_shipped_data_folder(monkeypatch, server):
    before = _shipped_digests()
    (s,) = live.fetch_tles(f"{server}/good", TIMEOUT_S, now=NOW)
    monkeypatch.setenv(paths.CACHE_ENV, str(data_dir() / "tle"))
    with pytest.raises(live.LiveError, match="inside the shipped data"):
        live.save_to_cache([s])
    assert _shipped_digests() == before
    assert _nothing_cached_in_shipped_data()
