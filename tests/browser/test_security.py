"""Safe to expose: a visitor can use the widgets, not run code, read sources or list files, and
cannot hang the server or fill its memory."""

import subprocess
import threading
import time
import urllib.error
import urllib.request
import warnings

import pytest

from explainer.serve import is_loopback, serve_dashboard, voila_launch

from .conftest import start_voila, stop, wait_http
from .kernel_client import (
    Visitor,
    WidgetClient,
    find_model,
    open_page,
    send_legacy_request_states,
    send_v1_frame,
)
from .server_watch import free_port, kernel_pids, rss_mb

pytestmark = [pytest.mark.slow]


def test_page_does_not_carry_the_notebook_source(dashboard_url):
    html, _ = open_page(dashboard_url)
    assert "build_dashboard" not in html and "import" not in html.split("<body")[1].split("<script")[0]


def test_a_visitor_cannot_execute_code_through_the_kernel_channel(dashboard_url, tmp_path):
    _, kernel = open_page(dashboard_url)
    target = tmp_path / "pwned.txt"
    client = WidgetClient(dashboard_url, kernel)
    try:
        attack = client.send("execute_request", {
            "code": f"import pathlib; pathlib.Path({str(target)!r}).write_text('ran')",
            "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        # a harmless, allowed request after it proves the channel and the kernel are alive
        probe = client.send("kernel_info_request", {})
        answers = []

        def watch(msg):
            if msg["parent_header"].get("msg_id") == attack:
                answers.append(msg)
            return msg["msg_type"] == "kernel_info_reply" and msg["parent_header"].get("msg_id") == probe

        assert client.receive(watch, 30) is not None, "the kernel answered nothing at all"
        client.receive(lambda m: watch(m) and False, 3)  # time for a late execute_reply to show up
        assert answers == []  # no busy status, no execute_reply, no output: the request was dropped
        assert not target.exists()
        # the same visitor can still use the widgets: moving the time slider works
        states = client.widget_states()
        client.set_value(find_model(states, "IntSliderModel", "iss-time"), 100)
        readout = find_model(states, "HTMLModel", "iss-readout")
        assert client.receive(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == readout
                              and "09:19:37" in str(m["content"]["data"]), 60) is not None
    finally:
        client.close()


@pytest.mark.parametrize("path", [
    "/api/kernels", "/api/sessions", "/api/contents", "/api/contents/dashboard.ipynb", "/tree",
    "/voila/tree", "/lab", "/files/dashboard.ipynb", "/voila/files/dashboard.ipynb",
    "/voila/files/", "/voila/files/%2e%2e/pyproject.toml", "/voila/render/dashboard.ipynb",
    "/notebooks/dashboard.ipynb", "/dashboard.ipynb", "/api/terminals", "/terminals/1",
    "/api/kernelspecs", "/static/", "/voila/files/data/manifest.json",
])
def test_curious_paths_reveal_nothing(dashboard_url, path):
    url = dashboard_url.rstrip("/") + path
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        status, body = err.code, err.read().decode("utf-8", "replace")
    assert status in (403, 404, 405), (path, status)
    for secret in ("build_dashboard", "ipynb\"", "\"cells\"", "explainer", "[project]"):
        assert secret not in body


def test_loopback_by_default_and_a_warning_otherwise(monkeypatch):
    cmd = voila_launch(18999).cmd
    assert "--Voila.ip=127.0.0.1" in cmd and "--strip_sources=True" in cmd
    assert any(c.startswith("--MappingKernelManager.cull_idle_timeout=") for c in cmd)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")
    started = []

    class FakePopen:
        def __init__(self, cmd, env):
            started.append(cmd)

        def wait(self):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr("explainer.serve.static_modules_dir", lambda: None)  # no bundle to write here
    monkeypatch.setattr("explainer.serve.subprocess.Popen", FakePopen)
    with pytest.warns(UserWarning, match="anyone who can reach this machine on port 18999"):
        serve_dashboard(port=18999, open_browser=False, ip="0.0.0.0")
    assert "--Voila.ip=0.0.0.0" in started[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        serve_dashboard(port=18999, open_browser=False)


@pytest.fixture()
def own_server():
    """A dashboard server of this test's own (one that may be hung by the attack is killed)."""
    port = free_port()
    proc = start_voila(port)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_http(url)
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # hung: no time to lose while its memory grows
            proc.kill()
        stop(proc)


def answers_within(url: str, timeout_s: float) -> bool:
    """True if a cheap request (a static file) is answered within timeout_s."""
    done = threading.Event()

    def get():
        try:
            urllib.request.urlopen(url + "voila/static/voila.js", timeout=timeout_s).read()
            done.set()
        except OSError:
            pass

    threading.Thread(target=get, daemon=True).start()
    return done.wait(timeout_s)


def test_hostile_frames_neither_hang_nor_bloat_the_server(own_server):
    """Issue 12: a legacy-protocol client asking for the widget states made Voila 0.5.13 count to
    5.8e17 (read_header_from_binary_message); a v1 frame claiming 2**63 offsets does the same in
    jupyter_server's deserialize_msg_from_ws_v1. Both must be stopped before they are parsed."""
    proc, url = own_server
    visitor = Visitor(url)
    _, kernel = visitor.open_page()
    assert answers_within(url, 10)
    before = rss_mb(proc.pid)
    send_legacy_request_states(url, kernel)
    assert answers_within(url, 5), "the server hangs after a legacy request_states"
    send_v1_frame(url, kernel, (2**63).to_bytes(8, "little") + bytes(64))
    assert answers_within(url, 5), "the server hangs after a v1 frame claiming 2**63 offsets"
    time.sleep(2)
    assert rss_mb(proc.pid) - before < 50, "the server's memory grew"
    # the visitor still has a working dashboard over the v1 protocol
    client = WidgetClient(url, kernel)
    try:
        states = client.widget_states(timeout_s=60)
        assert find_model(states, "IntSliderModel", "iss-time")
    finally:
        client.close()


def test_closing_a_tab_shuts_its_kernel_down_and_a_visitor_cannot_pile_up_kernels(own_server):
    """A page closing sends POST voila/api/shutdown/<id> with the _xsrf cookie's value; Voila never
    set that cookie, so the request was refused (voila-dashboards/voila#1458) and kernels piled up:
    ten GETs made ten kernels. Now the kernel goes, and one visitor holds one."""
    proc, url = own_server
    visitor = Visitor(url)
    _, kernel = visitor.open_page()
    pool = len(kernel_pids(proc.pid)) - 1
    assert visitor.close_page(kernel) == 204
    statuses = [visitor.get()[0] for _ in range(10)]
    assert statuses[0] == 200 and set(statuses[1:]) == {429}, statuses
    status, body = visitor.get()
    assert status == 429 and "already open in your other tabs" in body
    # a client that keeps no cookies at all is one visitor per address (the server's readiness
    # check above holds its one kernel: it never connects to it, so for CLAIM_S, 60 s)
    statuses = []
    for _ in range(4):
        try:
            statuses.append(urllib.request.urlopen(url, timeout=120).status)
        except urllib.error.HTTPError as err:
            statuses.append(err.code)
    assert statuses == [429] * 4, statuses
    time.sleep(3)  # the pool refills
    assert len(kernel_pids(proc.pid)) <= pool + 3
