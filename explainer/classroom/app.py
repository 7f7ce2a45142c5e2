"""The classroom server: Voila's app with the kit's guards, started by ``python -m explainer.classroom``
with Voila's own command-line options (see :func:`explainer.serve.voila_launch`).

Compared with ``python -m voila``:

- the kernel websocket speaks only the v1 protocol and drops malformed frames
  (:mod:`explainer.classroom.guard`);
- a page first gives its visitor a cookie, and kernels are limited per visitor and in total, with
  a page that says so (:mod:`explainer.classroom.limits`);
- the page gets the ``_xsrf`` cookie that Voila's front end sends back when the tab closes
  (``POST voila/api/shutdown/<kernel>``, packages/widgets_manager8/src/index.ts in
  voila-dashboards/voila): Voila's page handler never sets it, so the request was refused
  (403 "'_xsrf' argument missing", voila-dashboards/voila#1458) and the kernel kept running;
- kernels are forked from a zygote that did the shared work once (:mod:`explainer.classroom.zygote`,
  :mod:`explainer.classroom.forked`), and the preheated pool refills one kernel at a time;
- kernels' ports are chosen below the system's ephemeral range, where no outgoing connection
  takes them before the kernel binds them (:class:`explainer.classroom.forked.KernelPorts`).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from urllib.parse import urlencode

from traitlets import Bool, Integer, default
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from explainer.classroom.forked import KernelPorts, Zygote
from explainer.classroom.guard import GuardedConnection
from explainer.classroom.limits import SEAT, Seat, Seats, refusal_page, watch_kernel_manager

COOKIE = "oe_visitor"
"""The cookie naming a visitor (a random id; it grants nothing)."""
CHECKED = "oe_cookie"
"""Query argument marking the second request of a visitor who was just given the cookie: if it
comes back without the cookie, the client keeps none and is counted by its IP address."""
RELOAD_WAIT_STEPS = 5
"""A visitor at their limit waits up to this many 0.2-s steps for a seat before being refused."""
_VISITOR_ID = re.compile(r"[0-9a-f]{32}")


class ClassroomPageHandler(TornadoVoilaHandler):
    """Voila's page handler, with a visitor cookie, the ``_xsrf`` cookie and a seat per page."""

    seat: Seat | None = None

    async def prepare(self):
        await super().prepare()
        if self._finished or self.request.method != "GET" or any(self.path_args):
            return
        # sets the _xsrf cookie that the page's shutdown request sends back (voila#1458)
        self.xsrf_token  # noqa: B018 - read for its side effect: the cookie
        visitor = self.get_cookie(COOKIE)
        if visitor is None or not _VISITOR_ID.fullmatch(visitor):
            if self.get_argument(CHECKED, None) is None:
                self.set_cookie(COOKIE, uuid.uuid4().hex, path=self.base_url, httponly=True,
                                samesite="Lax")
                query = dict(self.request.query_arguments)
                query[CHECKED] = [b"1"]
                self.redirect(f"{self.request.path}?{urlencode(query, doseq=True)}")
                return
            visitor = f"ip:{self.request.remote_ip}"
        seats: Seats = self.settings["classroom_seats"]
        seat = seats.take(visitor)
        for _ in range(RELOAD_WAIT_STEPS):  # a reloading page's shutdown request may come second
            if seat != "tabs":
                break
            await asyncio.sleep(0.2)
            seat = seats.take(visitor)
        if isinstance(seat, str):
            status, retry, page = refusal_page(seat, seats)
            self.set_status(status)
            self.set_header("Retry-After", str(retry))
            self.set_header("Cache-Control", "no-store")
            self.finish(page)
            return
        self.seat = seat
        SEAT.set(seat)

    def on_finish(self):
        if self.seat is not None:
            self.settings["classroom_seats"].served(self.seat)
            self.seat = None
        super().on_finish()


def refill_one_at_a_time(kernel_manager) -> None:
    """Make Voila's kernel pool refill one kernel at a time: after a class has taken the pool,
    refilling it all at once (a notebook run per kernel, each driven by this server) would slow
    the server for every visitor just when they start moving the controls. Each pool kernel is
    prepared, dashboard run included, before the next one starts; the first fill at start-up is
    left as it is."""
    initialize = kernel_manager._initialize
    gate = asyncio.Semaphore(1)

    async def _initialize(notebook_path, kernel_id=None, **kwargs):
        async with gate:
            content = await initialize(notebook_path, kernel_id, **kwargs)
            with contextlib.suppress(Exception):  # the page reports its own errors
                await asyncio.shield(content["task"])
            return content

    kernel_manager._initialize = _initialize


class ClassroomVoila(Voila):
    """Voila for a class: see the module's description."""

    max_kernels = Integer(40, config=True, help="Kernels all visitors together may hold.")
    max_kernels_per_visitor = Integer(1, config=True, help="Kernels (tabs) one visitor may hold.")
    fork_kernels = Bool(True, config=True, help="Fork kernels from a preloaded zygote process "
                        "(explainer.classroom.zygote) instead of starting each afresh.")
    zygote: Zygote | None = None

    @default("kernel_websocket_connection_class")
    def _guarded_connection(self):
        return GuardedConnection

    def start(self):
        KernelPorts.install()
        if self.fork_kernels:
            self.zygote = Zygote()
            self.zygote.start()
            self.config.AsyncMappingKernelManager.kernel_manager_class = (
                "explainer.classroom.forked.ForkedKernelManager")
        super().start()

    def stop(self):
        super().stop()
        if self.zygote is not None:
            self.zygote.stop()

    def init_settings(self) -> dict:
        settings = super().init_settings()
        seats = Seats(self.kernel_manager.list_kernel_ids, self.max_kernels_per_visitor,
                      self.max_kernels)
        watch_kernel_manager(self.kernel_manager, seats)
        if hasattr(self.kernel_manager, "_initialize"):  # a preheated pool
            refill_one_at_a_time(self.kernel_manager)
        settings["classroom_seats"] = seats
        return settings

    def init_handlers(self) -> list:
        return [(pattern, ClassroomPageHandler, *rest) if handler is TornadoVoilaHandler
                else (pattern, handler, *rest) for pattern, handler, *rest in super().init_handlers()]


main = ClassroomVoila.launch_instance
