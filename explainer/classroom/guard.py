"""The kernel websocket, guarded: only Jupyter's v1 kernel protocol, and only well-formed frames.

Two upstream parsers trust the first 8 bytes of a frame as a count and build a list of that many
offsets before looking at the frame's length:

- Voila 0.5.13, ``voila/tornado/kernel_websocket_handler.py``, ``read_header_from_binary_message``
  (voila-dashboards/voila, added in f8dd6a5 "Support progressive rendering (#1489)"; the same at
  886b74c, "Publish 0.5.12", and in the installed 0.5.13) runs on every binary frame the server
  *sends*. On a connection that did not negotiate the v1 protocol the server
  sends legacy frames (4-byte big-endian counts), which it then reads as v1: asking for the widget
  states (``comm_msg`` ``request_states`` on a ``jupyter.widget.control`` comm) makes it count to
  about 5.8e17, holding one core and growing memory, and the server answers nobody.
- jupyter_server 2.x, ``services/kernels/connection/base.py``, ``deserialize_msg_from_ws_v1``, and
  the legacy ``deserialize_binary_message`` do the same with the frames a client *sends*.

:class:`GuardedConnection` (the Voila app's ``kernel_websocket_connection_class``) refuses, before the
websocket opens, a client that does not offer the v1 protocol, so the server only ever writes v1
frames, which Voila reads correctly; and it closes the connection on a client frame whose header
(:func:`v1_frame_problem`) does not describe the frame it came in.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado import web

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
MAX_PARTS = 1024
"""At most this many parts (channel, header, parent header, metadata, content and buffers) in one
frame; the widgets the kit uses send at most a few buffers."""
_MIN_OFFSETS = 6  # channel + header, parent header, metadata, content = 5 parts, 6 offsets


def v1_frame_problem(frame: bytes | str) -> str | None:
    """Why ``frame`` is not a well-formed v1 kernel-protocol frame, or None if it is.

    A v1 frame is: n (8 bytes, little-endian), n offsets (8 bytes each, little-endian, from the
    frame's start, non-decreasing, the first just after the offsets, none past the end), then the
    channel name and the message parts between consecutive offsets. Checks only lengths: at most
    ``MAX_PARTS`` offsets are read, whatever the frame claims.
    """
    if not isinstance(frame, bytes):
        return "a text frame on a binary (v1) connection"
    if len(frame) < 8:
        return f"{len(frame)} bytes, shorter than its own header"
    count = int.from_bytes(frame[:8], "little")
    if not _MIN_OFFSETS <= count <= MAX_PARTS + 2:
        return f"claims {count} offsets (expected {_MIN_OFFSETS} to {MAX_PARTS + 2})"
    table_end = 8 * (count + 1)
    if len(frame) < table_end:
        return f"claims {count} offsets but has only {len(frame)} bytes"
    offsets = [int.from_bytes(frame[8 * i:8 * (i + 1)], "little") for i in range(1, count + 1)]
    if offsets[0] != table_end:
        return "its first part does not start after the offsets"
    if any(b < a for a, b in zip(offsets, offsets[1:], strict=False)) or offsets[-1] > len(frame):
        return "its offsets are out of order or past its end"
    return None


def offers_v1(subprotocol_header: str | None) -> bool:
    """True if a ``Sec-WebSocket-Protocol`` request header offers the v1 kernel protocol."""
    return V1_PROTOCOL in [p.strip() for p in (subprotocol_header or "").split(",")]


class GuardedConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection, for v1 clients and well-formed frames only."""

    async def prepare(self):
        """Refuse (HTTP 400, before the websocket opens) a client that does not offer v1."""
        handler = self.websocket_handler
        if not offers_v1(handler.request.headers.get("Sec-WebSocket-Protocol")):
            handler.log.warning("Refused a kernel websocket without the v1 protocol from %s",
                                handler.request.remote_ip)
            handler.set_status(400)
            handler.finish(f"this server speaks only the {V1_PROTOCOL} protocol\n")
            raise web.Finish()
        await super().prepare()

    def handle_incoming_message(self, incoming_msg) -> None:
        """Pass a well-formed frame on to the kernel; close the connection on any other."""
        problem = v1_frame_problem(incoming_msg)
        if problem is not None:
            self.log.warning("Closing a kernel websocket: a malformed frame (%s)", problem)
            self.websocket_handler.close(1003, "malformed frame")
            return
        super().handle_incoming_message(incoming_msg)
