"""Safe to expose: a visitor can use the widgets, not run code, read sources or list files."""

import urllib.error
import urllib.request
import warnings

import pytest

from explainer.serve import is_loopback, serve_dashboard, voila_launch

from .kernel_client import WidgetClient, find_model, open_page

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

    monkeypatch.setattr("explainer.serve.subprocess.Popen", FakePopen)
    with pytest.warns(UserWarning, match="anyone who can reach this machine on port 18999"):
        serve_dashboard(port=18999, open_browser=False, ip="0.0.0.0")
    assert "--Voila.ip=0.0.0.0" in started[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        serve_dashboard(port=18999, open_browser=False)
