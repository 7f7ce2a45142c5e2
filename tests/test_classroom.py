"""The classroom server's guards, without a server: frame checks and seats."""

import asyncio
import concurrent.futures
import json
import logging
import os
import subprocess
import time

import pytest
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

from explainer.classroom.guard import MAX_PARTS, offers_v1, v1_frame_problem
from explainer.classroom.limits import CLAIM_S, SEAT, Seat, Seats, refusal_page, watch_kernel_manager


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own: in the whole suite, Playwright's sync API
    keeps an event loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


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
    seats.record("k1", seats.take("ann"))
    assert seats.take("ann") == "tabs"
    bob = seats.take("bob")
    assert isinstance(bob, Seat) and seats.take("bob") == "tabs"  # a page being served counts
    seats.record("k2", bob)
    seats.served(bob)
    assert isinstance(seats.take("cat"), Seat) and seats.take("dan") == "full"
    running.discard("k1")  # ann's kernel was culled
    assert isinstance(seats.take("ann"), Seat)
    seats.forget("k2")  # bob's tab is closing
    assert seats.visitor_kernels() == 0


class FakeKernelManager:
    """The parts of Voila's kernel manager that :func:`watch_kernel_manager` wraps: a preheated
    pool whose ``get_rendered_notebook`` hands out a kernel and starts a refill, as Voila's does
    (``fill_if_needed`` creates the refill task from inside the page's request)."""

    def __init__(self):
        self.kernels, self.count, self.log = set(), 0, logging.getLogger("fake")

    def new_kernel(self) -> str:
        self.count += 1
        self.kernels.add(f"k{self.count}")
        return f"k{self.count}"

    async def get_rendered_notebook(self, *args, **kwargs):
        kernel_id = self.new_kernel()
        asyncio.get_running_loop().create_task(self.start_kernel())  # the refill, in this context
        return None, [], kernel_id

    async def start_kernel(self, *args, **kwargs):
        return self.new_kernel()

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        self.kernels.discard(kernel_id)

    def notify_connect(self, kernel_id):
        pass


def test_a_page_counts_once_while_it_is_served():
    """The flaky 503 of tests/browser/test_load.py: 30 visitors at once under a limit of 40. A page
    that had its kernel but was still being sent counted twice (its reservation and its kernel),
    so with 20 of them still streaming the 21st visitor was told the class was full. The pool's
    refills, started from within the pages' requests, must not count as anyone's either."""
    km = FakeKernelManager()
    seats = Seats(lambda: km.kernels, per_visitor=1, total=40)
    watch_kernel_manager(km, seats)
    streaming = asyncio.Event()
    answers = {}

    async def page(visitor: str) -> None:  # what ClassroomPageHandler does for one page
        seat = seats.take(visitor)
        answers[visitor] = seat if isinstance(seat, str) else 200
        if isinstance(seat, str):
            return
        SEAT.set(seat)
        await km.get_rendered_notebook("dashboard.ipynb")
        await streaming.wait()  # the page is still being sent
        seats.served(seat)

    async def a_class_arrives() -> None:
        first = [asyncio.create_task(page(f"visitor{i}")) for i in range(20)]
        await asyncio.sleep(0.01)  # their kernels are handed over, their pages still streaming
        rest = [asyncio.create_task(page(f"visitor{i}")) for i in range(20, 34)]
        await asyncio.sleep(0.01)
        streaming.set()
        await asyncio.gather(*first, *rest)

    run_async(a_class_arrives())
    assert [v for v, status in answers.items() if status != 200] == []
    assert seats.visitor_kernels() == 34 and len(km.kernels) == 68  # 34 pages, 34 refills


def test_a_page_that_never_connects_frees_its_kernel():
    """A client that gave up before its page arrived (or fetched it without running it) kept its
    kernel, and with it its one seat, until the 10-minute cull: every later page of that visitor
    was refused. This hung benchmarks/classroom.py, whose readiness check keeps no cookies (its
    visitor is its address) and gives up on a page after 5 s."""
    now = [0.0]
    running = {"k1", "k2"}
    abandoned = []
    seats = Seats(lambda: running, per_visitor=1, total=40, abandon=abandoned.append,
                  clock=lambda: now[0])
    gone = seats.take("ip:127.0.0.1")
    seats.record("k1", gone)
    seats.served(gone)
    browser = seats.take("ann")
    seats.record("k2", browser)
    seats.served(browser)
    seats.claim("k2")
    now[0] = CLAIM_S - 1
    assert seats.take("ip:127.0.0.1") == "tabs" and abandoned == []
    now[0] = CLAIM_S + 1
    assert isinstance(seats.take("ip:127.0.0.1"), Seat) and abandoned == ["k1"]
    assert seats.take("ann") == "tabs"  # a page running in a browser keeps its kernel


def test_refusal_pages_say_what_to_do():
    seats = Seats(lambda: [], per_visitor=1, total=40)
    status, retry, page = refusal_page("full", seats)
    assert (status, retry) == (503, 60) and "The class is full, try again in a minute" in page
    status, retry, page = refusal_page("tabs", seats)
    assert status == 429 and "already open in your other tabs" in page


def test_a_kernel_manager_without_preheating_is_watched_too():
    """`explainer dashboard` without preheated kernels (benchmarks/dashboard.py's cold loads): Voila's
    plain kernel manager has no ``get_rendered_notebook``; kernels it starts still take a seat."""
    from explainer.classroom.limits import watch_kernel_manager

    class Plain:
        async def start_kernel(self, **kwargs):
            return "k1"

        async def shutdown_kernel(self, kernel_id, **kwargs):
            return None

        def notify_connect(self, kernel_id):
            return None

    manager = Plain()
    seats = Seats(lambda: ["k1"], per_visitor=1, total=3)
    watch_kernel_manager(manager, seats)
    assert not hasattr(manager, "get_rendered_notebook")
    seat = seats.take("a")

    async def page():  # what the page handler does: the kernel started for the page takes its seat
        SEAT.set(seat)
        return await manager.start_kernel()

    assert run_async(page()) == "k1" and seat.kernel_id == "k1"
    assert seats.take("a") == "tabs"
    run_async(manager.shutdown_kernel("k1"))
    assert seat not in seats.seats and isinstance(seats.take("a"), Seat)


@pytest.mark.slow
@pytest.mark.enable_socket  # the zygote's Unix socket (pytest-socket blocks those too)
def test_forked_kernels_exit_with_the_zygote(tmp_path):
    """A kernel forked by the zygote must not outlive it (nor, so, the server): ipykernel reads
    JPY_PARENT_PID when it is imported, in the zygote before any kernel exists, so forked kernels
    watched no parent and stayed after every stopped server, 30 of them per classroom run."""
    from jupyter_client.connect import write_connection_file

    from explainer.classroom.forked import ForkedProcess, Zygote

    zygote = Zygote()
    zygote.start()
    try:
        connection, _ = write_connection_file(str(tmp_path / "kernel.json"), ip="127.0.0.1")
        env = {k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"}
        pid = run_async(zygote.fork(["-f", connection], env, str(tmp_path)))
        assert pid is not None
        kernel = ForkedProcess(pid)
        time.sleep(3)  # the kernel is up and (now) watching its parent
        assert kernel.poll() is None
    finally:
        zygote.stop()
    try:
        kernel.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kernel.kill()
        pytest.fail("the forked kernel outlived its zygote")


def test_kernel_ports_are_chosen_below_the_ephemeral_range():
    """Ports from the ephemeral range, chosen and released before the kernel binds them, were
    taken meanwhile by the server's own outgoing connections (jupyter/jupyter_client#487): the
    kernel died with "Address already in use" and a visitor got half a page."""
    from pathlib import Path

    from explainer.classroom.forked import KernelPorts

    ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    cache = KernelPorts()
    ports = [cache.find_available_port("127.0.0.1") for _ in range(50)]
    assert len(set(ports)) == 50 and all(KernelPorts.FIRST <= p < ephemeral for p in ports)
    cache.ports = range(0)  # no usable range: upstream's choice
    assert cache.find_available_port("127.0.0.1") >= ephemeral
