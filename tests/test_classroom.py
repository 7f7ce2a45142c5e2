"""The classroom server's guards, without a server: frame checks and seats."""

import json

import pytest
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

from explainer.classroom.guard import MAX_PARTS, offers_v1, v1_frame_problem
from explainer.classroom.limits import Seats, refusal_page


def frame(buffers=()) -> bytes:
    parts = [json.dumps(p).encode() for p in ({"msg_type": "comm_msg"}, {}, {}, {"data": {}})]
    return serialize_msg_to_ws_v1(parts + list(buffers), "shell")


def with_count(data: bytes, count: int) -> bytes:
    return count.to_bytes(8, "little") + data[8:]


def test_frames_a_page_sends_pass():
    assert v1_frame_problem(frame()) is None
    assert v1_frame_problem(frame([b"\x00" * 100, b""])) is None


@pytest.mark.parametrize("bad, reason", [
    (with_count(frame(), 2**63), "claims 9223372036854775808 offsets"),  # the hang: a count to 2**63
    (with_count(frame(), MAX_PARTS + 3), "offsets (expected"),
    (with_count(frame(), 5), "offsets (expected"),
    (frame()[:40], "has only 40 bytes"),
    (frame()[:-3], "past its end"),
    ("{}", "a text frame"),
    (b"\x01", "shorter than its own header"),
])
def test_malformed_frames_are_named_before_anything_is_built(bad, reason):
    assert reason in v1_frame_problem(bad)


def test_offsets_out_of_order_are_refused():
    data = bytearray(frame())
    data[16:24] = (10**6).to_bytes(8, "little")  # the channel would end past the frame
    assert "out of order or past its end" in v1_frame_problem(bytes(data))


def test_only_v1_is_offered():
    assert offers_v1("v1.kernel.websocket.jupyter.org")
    assert offers_v1("foo, v1.kernel.websocket.jupyter.org")
    assert not offers_v1(None) and not offers_v1("") and not offers_v1("v2.kernel.websocket.jupyter.org")


def test_seats_per_visitor_and_in_total():
    running = {"k1", "k2"}
    seats = Seats(lambda: running, per_visitor=1, total=3)
    seats.record("k1", "ann")
    assert seats.take("ann") == "tabs"
    assert seats.take("bob") is None and seats.take("bob") == "tabs"  # a pending page counts
    seats.release("bob")
    seats.record("k2", "bob")
    assert seats.take("cat") is None and seats.take("dan") == "full"
    running.discard("k1")  # ann's kernel was culled
    assert seats.take("ann") is None
    seats.forget("k2")  # bob's tab is closing
    assert seats.visitor_kernels() == 0


def test_refusal_pages_say_what_to_do():
    seats = Seats(lambda: [], per_visitor=1, total=40)
    status, retry, page = refusal_page("full", seats)
    assert (status, retry) == (503, 60) and "The class is full, try again in a minute" in page
    status, retry, page = refusal_page("tabs", seats)
    assert status == 429 and "already open in your other tabs" in page


def test_a_kernel_manager_without_preheating_is_watched_too():
    """`explainer dashboard` without preheated kernels (benchmarks/dashboard.py's cold loads): Voila's
    plain kernel manager has no ``get_rendered_notebook``; kernels it starts still take a seat."""
    import asyncio

    from explainer.classroom.limits import watch_kernel_manager

    class Plain:
        async def start_kernel(self, **kwargs):
            return "k1"

        async def shutdown_kernel(self, kernel_id, **kwargs):
            return None

    manager, seats = Plain(), Seats(lambda: [], per_visitor=1, total=3)
    watch_kernel_manager(manager, seats)
    assert not hasattr(manager, "get_rendered_notebook")
    assert asyncio.run(manager.start_kernel()) == "k1"
    seats.record("k1", visitor="a")
    asyncio.run(manager.shutdown_kernel("k1"))
    assert "k1" not in seats.owner
