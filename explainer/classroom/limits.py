"""Kernels per visitor and in total: a class fills the server's memory, never more.

Every page of the dashboard runs in a kernel of its own (about 60-130 MB). :class:`Seats` counts the
pages each visitor holds (a visitor is a browser's ``oe_visitor`` cookie, or for a client that
keeps no cookies its IP address) and the pages of all visitors, and refuses a page beyond either
limit with a short page of its own (:func:`refusal_page`) instead of starting another kernel.

A page is one :class:`Seat` from its request until its kernel stops: reserved when the request
arrives, then held by the kernel the page got. A kernel whose page was served but never connected
to it (the client gave up before the page arrived, or fetched it without running it) is shut down
after ``CLAIM_S``: otherwise a visitor whose first page never arrived would be "already open in
another tab" until the idle cull, ten minutes later.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import html
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

CLAIM_S = 60.0
"""Seconds a served page has to connect to its kernel before the kernel counts as abandoned."""

SEAT: contextvars.ContextVar[Seat | None] = contextvars.ContextVar("oe_seat", default=None)
"""The seat of the page request being served (set by the page handler); the kernel manager's
wrapped methods read it to know which page a kernel serves. Tasks started while serving a page
inherit it: only the first kernel recorded for a seat is the page's."""


@dataclass(eq=False)
class Seat:
    """One page of one visitor: reserved by :meth:`Seats.take`, then held by its kernel."""

    visitor: str
    kernel_id: str | None = None
    """The kernel the page got (None while the request waits for one)."""
    served_at: float | None = None
    """When the page's response finished (the seats' clock), None while it is being served."""
    claimed: bool = False
    """True once a websocket connected to the kernel (the page is running in a browser)."""


class Seats:
    """Which visitor holds which seat, and whether one more page may have one.

    Parameters
    ----------
    running : callable
        Returns the ids of the kernels the server is running now (kernels shut down or culled
        free their seats by themselves).
    per_visitor : int
        Pages (tabs, each with its kernel) one visitor may hold.
    total : int
        Pages all visitors together may hold (the preheated pool not included).
    abandon : callable, optional
        Called with the id of a kernel whose page never connected to it within ``CLAIM_S`` of
        being served; it should shut the kernel down.
    clock : callable, optional
        Seconds, monotonic (default :func:`time.monotonic`).
    """

    def __init__(self, running: Callable[[], Iterable[str]], per_visitor: int, total: int,
                 abandon: Callable[[str], None] = lambda kernel_id: None,
                 clock: Callable[[], float] = time.monotonic):
        self.running, self.per_visitor, self.total = running, per_visitor, total
        self.abandon, self.clock = abandon, clock
        self.seats: list[Seat] = []

    def _live(self) -> list[Seat]:
        """The seats still taken: requests being served and kernels running for a page."""
        alive, now, live = set(self.running()), self.clock(), []
        for seat in self.seats:
            if seat.kernel_id is not None and seat.kernel_id not in alive:
                continue  # shut down or culled
            if (seat.kernel_id is not None and not seat.claimed and seat.served_at is not None
                    and now - seat.served_at > CLAIM_S):
                self.abandon(seat.kernel_id)
                continue
            live.append(seat)
        self.seats = live
        return live

    def take(self, visitor: str) -> Seat | str:
        """A seat for one page of ``visitor`` (hand it to :meth:`served` when the response ends),
        or why not: ``"tabs"`` (the visitor's limit) or ``"full"`` (everyone's)."""
        live = self._live()
        if sum(seat.visitor == visitor for seat in live) >= self.per_visitor:
            return "tabs"
        if len(live) >= self.total:
            return "full"
        seat = Seat(visitor)
        self.seats.append(seat)
        return seat

    def record(self, kernel_id: str, seat: Seat | None = None) -> None:
        """``kernel_id`` serves the page of ``seat`` (default: the current request's). The seat
        is now held by the kernel; it still counts once."""
        seat = seat or SEAT.get()
        if seat is not None and seat.kernel_id is None:
            seat.kernel_id = kernel_id

    def served(self, seat: Seat) -> None:
        """The response of ``seat``'s page has ended: a page without a kernel frees its seat."""
        if seat.kernel_id is None:
            with contextlib.suppress(ValueError):
                self.seats.remove(seat)
        else:
            seat.served_at = self.clock()

    def claim(self, kernel_id: str) -> None:
        """A websocket connected to ``kernel_id``: its page is running."""
        for seat in self.seats:
            if seat.kernel_id == kernel_id:
                seat.claimed = True

    def forget(self, kernel_id: str) -> None:
        """``kernel_id`` is being shut down: its seat is free now."""
        self.seats = [seat for seat in self.seats if seat.kernel_id != kernel_id]

    def visitor_kernels(self) -> int:
        """Kernels held by visitors' pages now (the preheated pool not included)."""
        return sum(seat.kernel_id is not None for seat in self._live())


def watch_kernel_manager(kernel_manager, seats: Seats) -> None:
    """Make ``kernel_manager`` record in ``seats`` every kernel it hands to a page: a preheated one
    (Voila's ``get_rendered_notebook``) or one started for the page (``start_kernel``, called by
    Voila's page handler; the pool refills through the class's own method, not this one); note
    every websocket connecting to a kernel (``notify_connect``); free a kernel's seat as soon as
    its shutdown is asked for (a reloading page asks just before it asks for its new page); and
    shut down the kernels that ``seats`` finds abandoned."""
    rendered = getattr(kernel_manager, "get_rendered_notebook", None)  # only when preheating
    start, shutdown = kernel_manager.start_kernel, kernel_manager.shutdown_kernel
    connect = kernel_manager.notify_connect

    async def get_rendered_notebook(*args, **kwargs):
        result = await rendered(*args, **kwargs)
        seats.record(result[2])
        return result

    async def start_kernel(*args, **kwargs):
        kernel_id = await start(*args, **kwargs)
        seats.record(kernel_id)
        return kernel_id

    async def shutdown_kernel(kernel_id, *args, **kwargs):
        seats.forget(kernel_id)
        return await shutdown(kernel_id, *args, **kwargs)

    def notify_connect(kernel_id):
        seats.claim(kernel_id)
        return connect(kernel_id)

    async def shut_down_quietly(kernel_id):
        with contextlib.suppress(Exception):  # already gone: nothing to free
            await shutdown_kernel(kernel_id)

    def abandon(kernel_id):
        kernel_manager.log.info("Shutting down kernel %s: its page never connected to it", kernel_id)
        _TASKS.add(task := asyncio.ensure_future(shut_down_quietly(kernel_id)))
        task.add_done_callback(_TASKS.discard)

    if rendered is not None:
        kernel_manager.get_rendered_notebook = get_rendered_notebook
    kernel_manager.start_kernel = start_kernel
    kernel_manager.shutdown_kernel = shutdown_kernel
    kernel_manager.notify_connect = notify_connect
    seats.abandon = abandon


_TASKS: set[asyncio.Task] = set()
"""Shutdowns under way (the event loop keeps only weak references to its tasks)."""


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{retry}">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body {{ font: 1.1em/1.5 system-ui, sans-serif; max-width: 36em; margin: 4em auto;
padding: 0 1em; }}</style></head>
<body><h1>{title}</h1><p>{text}</p>
<p><a href="">Try again now</a> (this page also tries again by itself in {retry} seconds).</p>
</body></html>
"""


def refusal_page(reason: str, seats: Seats) -> tuple[int, int, str]:
    """(HTTP status, seconds to retry after, HTML page) for a page refused by :meth:`Seats.take`."""
    if reason == "tabs":
        retry = 15
        title = "The dashboard is already open in your other tabs"
        text = (f"One visitor can have it open in {seats.per_visitor} tabs at a time. Close one of "
                "them, or use one you already have.")
        status = 429
    else:
        retry = 60
        title = "The class is full, try again in a minute"
        text = (f"All {seats.total} places on this classroom server are taken. A place is freed as "
                "soon as someone closes their tab.")
        status = 503
    page = _PAGE.format(retry=retry, title=html.escape(title), text=html.escape(text))
    return status, retry, page
