"""A minimal Jupyter kernel-protocol client over the dashboard's websocket, for the security and load
tests: it does what a page visitor's browser does, or what a curious one could do by hand."""

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime

import websocket


class Visitor:
    """One visitor's HTTP side, as a browser has it: its own cookies (the server gives each
    visitor a cookie, and the ``_xsrf`` cookie the page sends back when it closes)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str = "", timeout_s: float = 180) -> tuple[int, str]:
        """(status, body) of a GET, errors included."""
        try:
            with self.opener.open(self.base_url + path, timeout=timeout_s) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def open_page(self, timeout_s: float = 180) -> tuple[str, str]:
        """GET the dashboard (Voila runs it in a kernel): (html, kernel_id)."""
        status, html = self.get(timeout_s=timeout_s)
        assert status == 200, f"the dashboard answered {status}"
        return html, kernel_id(html)

    def close_page(self, kernel: str) -> int:
        """What the page does when its tab closes or reloads (Voila's front end, on
        ``beforeunload``): POST voila/api/shutdown/<kernel> with the ``_xsrf`` cookie's value.
        Returns the HTTP status."""
        xsrf = next((c.value for c in self.cookies if c.name == "_xsrf"), "")
        body = urllib.parse.urlencode({"_xsrf": xsrf}).encode()
        try:
            with self.opener.open(f"{self.base_url}voila/api/shutdown/{kernel}", body, timeout=60) as r:
                return r.status
        except urllib.error.HTTPError as err:
            return err.code


def open_page(base_url: str) -> tuple[str, str]:
    """GET the dashboard as a new visitor (Voila runs it in a kernel): (html, kernel_id)."""
    return Visitor(base_url).open_page()


def kernel_id(html: str) -> str:
    """The id of the kernel Voila started for this page (from the page's configuration)."""
    match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
    if not match:
        config = re.search(r'"kernelId":[^,}]{0,60}', html)
        raise AssertionError(f"no kernel id in the dashboard page ({len(html)} characters; "
                             f"{config.group(0) if config else 'no kernelId entry'}; it begins "
                             f"{html[:160]!r})")
    return match.group(1)


class WidgetClient:
    """A page visitor without a browser: the kernel websocket in Jupyter's binary v1 protocol (as
    JupyterLab and Voila's front end speak it), enough to send any message, read widget states and
    move a widget."""

    PROTOCOL = "v1.kernel.websocket.jupyter.org"

    def __init__(self, base_url: str, kernel_id: str):
        ws_url = base_url.replace("http://", "ws://").rstrip("/")
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{ws_url}/api/kernels/{kernel_id}/channels?session_id={self.session}",
            subprotocols=[self.PROTOCOL], timeout=120)

    def close(self):
        self.ws.close()

    def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

        msg_id = uuid.uuid4().hex
        msg = {"header": {"msg_id": msg_id, "username": "visitor", "session": self.session,
                          "msg_type": msg_type, "version": "5.3",
                          "date": datetime.now(UTC).isoformat()},
               "parent_header": {}, "metadata": metadata or {}, "content": content}
        self.ws.send_binary(serialize_msg_to_ws_v1(msg, "shell", pack=lambda d: json.dumps(d).encode()))
        return msg_id

    def receive(self, until, timeout_s: float):
        from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                return None
            if not isinstance(raw, bytes):
                continue
            _channel, parts = deserialize_msg_from_ws_v1(raw)
            header, parent, _meta, content = (json.loads(p) for p in parts[:4])
            msg = {"header": header, "msg_type": header.get("msg_type"), "parent_header": parent,
                   "content": content}
            if until(msg):
                return msg
        return None

    def widget_states(self, timeout_s: float = 120) -> dict:
        """{model_id: state} of every widget in the kernel (ipywidgets' control comm)."""
        comm_id = uuid.uuid4().hex
        self.send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control",
                                "data": {}}, metadata={"version": "1.0.0"})
        self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        reply = self.receive(lambda m: m["msg_type"] == "comm_msg"
                             and m["content"]["comm_id"] == comm_id, timeout_s)
        if reply is None:
            raise AssertionError("the kernel did not send its widget states")
        return {k: v["state"] for k, v in reply["content"]["data"]["states"].items()}

    def set_value(self, model_id: str, value) -> str:
        return self.send("comm_msg", {"comm_id": model_id, "data": {
            "method": "update", "state": {"value": value}, "buffer_paths": []}})


def send_legacy_request_states(base_url: str, kernel: str) -> None:
    """The hostile client of issue 12: a websocket without a subprotocol (Jupyter's legacy
    protocol), asking the widget control comm for every widget's state. The reply carries binary
    buffers, so the server sends a legacy binary frame, which Voila 0.5.13's
    ``read_header_from_binary_message`` reads as v1 and counts to about 5.8e17. Returns once sent
    (or refused)."""
    ws_url = base_url.replace("http://", "ws://").rstrip("/")
    try:
        ws = websocket.create_connection(f"{ws_url}/api/kernels/{kernel}/channels", timeout=30)
    except websocket.WebSocketBadStatusException:
        return  # refused before the websocket opened
    comm_id = uuid.uuid4().hex

    def send(msg_type, content, metadata=None):
        ws.send(json.dumps({
            "channel": "shell", "header": {"msg_id": uuid.uuid4().hex, "username": "x",
                                           "session": "x", "msg_type": msg_type, "version": "5.3"},
            "parent_header": {}, "metadata": metadata or {}, "content": content}))

    try:
        send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
             {"version": "1.0.0"})
        send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, {"version": "1.0.0"})
        time.sleep(2)
    except (OSError, websocket.WebSocketException):
        pass
    finally:
        ws.close()


def send_v1_frame(base_url: str, kernel: str, frame: bytes) -> None:
    """Send one raw frame on a v1 kernel websocket (for frames no real page sends)."""
    ws_url = base_url.replace("http://", "ws://").rstrip("/")
    ws = websocket.create_connection(f"{ws_url}/api/kernels/{kernel}/channels",
                                     subprotocols=[WidgetClient.PROTOCOL], timeout=30)
    try:
        ws.send_binary(frame)
        time.sleep(1)
    except (OSError, websocket.WebSocketException):
        pass
    finally:
        ws.close()


def find_model(states: dict, model_name: str, dom_class: str) -> str:
    for model_id, state in states.items():
        if state.get("_model_name") == model_name and dom_class in state.get("_dom_classes", []):
            return model_id
    raise AssertionError(f"no {model_name} with class {dom_class}")


SLIDER_STEPS = [(0, "2025-11-27 09:17:57"), (4000, "2025-11-27 10:24:37"), (11798, "2025-11-27 12:34:35")]
"""Positions of the ISS tab's time slider (seconds into its window) and the UTC time the readout
shows there: launch -10 min, mid-flight, docking."""


def time_slider_steps(client: WidgetClient, states: dict) -> list[float]:
    """Move the ISS time slider through :data:`SLIDER_STEPS` over the kernel websocket, waiting each
    time for the readout to show the new time; the milliseconds each step took."""
    slider = find_model(states, "IntSliderModel", "iss-time")
    readout = find_model(states, "HTMLModel", "iss-readout")
    steps_ms = []
    for index, expected in SLIDER_STEPS:
        t0 = time.perf_counter()
        client.set_value(slider, index)
        update = client.receive(
            lambda m, e=expected: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == readout
            and e in str(m["content"]["data"].get("state", {}).get("value", "")), 120)
        assert update is not None, f"the readout never showed {expected}"
        steps_ms.append((time.perf_counter() - t0) * 1000)
    return steps_ms
