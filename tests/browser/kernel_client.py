"""A minimal Jupyter kernel-protocol client over the dashboard's websocket, for the security and load
tests: it does what a page visitor's browser does, or what a curious one could do by hand."""

import json
import re
import time
import urllib.request
import uuid
from datetime import UTC, datetime

import websocket


def open_page(base_url: str) -> tuple[str, str]:
    """GET the dashboard (Voila runs it in a kernel) and return (html, kernel_id)."""
    with urllib.request.urlopen(base_url, timeout=180) as response:
        html = response.read().decode("utf-8")
    return html, kernel_id(html)


def kernel_id(html: str) -> str:
    """The id of the kernel Voila started for this page (from the page's configuration)."""
    match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
    if not match:
        raise AssertionError("no kernel id in the dashboard page")
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


def find_model(states: dict, model_name: str, dom_class: str) -> str:
    for model_id, state in states.items():
        if state.get("_model_name") == model_name and dom_class in state.get("_dom_classes", []):
            return model_id
    raise AssertionError(f"no {model_name} with class {dom_class}")
