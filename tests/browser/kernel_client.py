"""A minimal Jupyter kernel-protocol client over the dashboard's websocket, for the security tests:
it does what a curious (or hostile) page visitor could do by hand."""

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
    match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
    if not match:
        raise AssertionError("no kernel id in the dashboard page")
    return html, match.group(1)


def _json_part(raw: bytes) -> bytes:
    """The JSON of a binary (buffer-carrying) websocket message, as jupyter_server frames it:
    a big-endian count, that many offsets, then the message and its buffers."""
    count = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 * (i + 1): 4 * (i + 2)], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(raw)
    return raw[offsets[0]:end]


class KernelClient:
    def __init__(self, base_url: str, kernel_id: str):
        ws_url = base_url.replace("http://", "ws://").rstrip("/")
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{ws_url}/api/kernels/{kernel_id}/channels?session_id={self.session}", timeout=30)

    def close(self):
        self.ws.close()

    def send(self, msg_type: str, content: dict, channel: str = "shell", metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "visitor", "session": self.session,
                       "msg_type": msg_type, "version": "5.3",
                       "date": datetime.now(UTC).isoformat()},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": channel, "buffers": [],
        }))
        return msg_id

    def receive(self, until, timeout_s: float):
        """Messages received until ``until(msg)`` is true or the timeout passes."""
        seen, deadline = [], time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                break
            msg = json.loads(_json_part(raw) if isinstance(raw, bytes) else raw)
            seen.append(msg)
            if until(msg):
                return seen, msg
        return seen, None
