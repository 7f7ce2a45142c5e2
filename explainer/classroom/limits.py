"""Kernels per visitor and in total: a class fills the server's memory, never more.

Every page of the dashboard runs in a kernel of its own (about 100-170 MB). :class:`Seats` counts the
kernels each visitor holds (a visitor is a browser's ``oe_visitor`` cookie, or for a client that
keeps no cookies its IP address) and the kernels of all visitors, and refuses a page beyond either
limit with a short page of its own (:func:`refusal_page`) instead of starting another kernel.
"""

from __future__ import annotations

import contextvars
import html
from collections import Counter
from collections.abc import Callable, Iterable

VISITOR: contextvars.ContextVar[str | None] = contextvars.ContextVar("oe_visitor", default=None)
"""The visitor whose page request is being served (set by the page handler); the kernel manager's
wrapped methods read it to know whose kernel they started."""


class Seats:
    """Which visitor holds which kernel, and whether one more page may start a kernel.

    Parameters
    ----------
    running : callable
        Returns the ids of the kernels the server is running now (kernels shut down or culled
        drop out of the count by themselves).
    per_visitor : int
        Kernels (open dashboard tabs) one visitor may hold.
    total : int
        Kernels all visitors together may hold (the preheated pool not included).
    """

    def __init__(self, running: Callable[[], Iterable[str]], per_visitor: int, total: int):
        self.running, self.per_visitor, self.total = running, per_visitor, total
        self.owner: dict[str, str] = {}
        self.pending: Counter[str] = Counter()

    def _held(self) -> Counter[str]:
        alive = set(self.running())
        self.owner = {k: v for k, v in self.owner.items() if k in alive}
        return Counter(self.owner.values())

    def take(self, visitor: str) -> str | None:
        """Reserve a seat for one page of ``visitor``; None if granted (give it back with
        :meth:`release` when the page is served), else why not: ``"tabs"`` or ``"full"``."""
        held = self._held()
        if held[visitor] + self.pending[visitor] >= self.per_visitor:
            return "tabs"
        if held.total() + self.pending.total() >= self.total:
            return "full"
        self.pending[visitor] += 1
        return None

    def release(self, visitor: str) -> None:
        """The page reserved by :meth:`take` is served (its kernel, if any, is recorded)."""
        self.pending[visitor] -= 1
        if self.pending[visitor] <= 0:
            del self.pending[visitor]

    def record(self, kernel_id: str, visitor: str | None = None) -> None:
        """``kernel_id`` now serves a page of ``visitor`` (default: the current request's)."""
        visitor = visitor or VISITOR.get()
        if visitor is not None:
            self.owner[kernel_id] = visitor

    def forget(self, kernel_id: str) -> None:
        """``kernel_id`` is being shut down: its seat is free now."""
        self.owner.pop(kernel_id, None)

    def visitor_kernels(self) -> int:
        """Kernels held by visitors now (the preheated pool not included)."""
        return self._held().total()


def watch_kernel_manager(kernel_manager, seats: Seats) -> None:
    """Make ``kernel_manager`` record in ``seats`` every kernel it hands to a page: a preheated one
    (Voila's ``get_rendered_notebook``) or one started for the page (``start_kernel``, called by
    Voila's page handler; the pool refills through the class's own method, not this one); and
    free a kernel's seat as soon as its shutdown is asked for (a reloading page asks just before
    it asks for its new page)."""
    rendered = getattr(kernel_manager, "get_rendered_notebook", None)  # only when preheating
    start, shutdown = kernel_manager.start_kernel, kernel_manager.shutdown_kernel

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

    if rendered is not None:
        kernel_manager.get_rendered_notebook = get_rendered_notebook
    kernel_manager.start_kernel = start_kernel
    kernel_manager.shutdown_kernel = shutdown_kernel


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
