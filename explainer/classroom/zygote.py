"""The kernel zygote: one process that does a dashboard kernel's shared work once, then forks kernels.

Every visitor's kernel imports the same libraries (ipykernel, numpy, pandas, plotly, ipywidgets)
and computes the same things (the MS-28 track, the base maps, the places) before it builds its
widgets. Here that is done once, in a process started with the server
(``python -m explainer.classroom.zygote SOCKET``); a new kernel is a ``fork()`` of it, which
starts in a fraction of the time and shares those pages with every other kernel until it writes
to them (copy-on-write). The child then runs ipykernel's ``IPKernelApp`` exactly as
``python -m ipykernel_launcher -f CONNECTION_FILE`` would.

Requests arrive on a Unix socket, one JSON line each: ``{"args": [...], "env": {...},
"cwd": "..."}`` (the arguments after ``ipykernel_launcher``); the answer is ``{"pid": n}``.
Nothing here starts a thread or a ZeroMQ context before forking. The zygote exits when its parent
(the server) does.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import sys


def preload() -> None:
    """Import what a dashboard kernel imports, and compute what every visitor gets the same."""
    from explainer.dashboard import prepare_kernel

    prepare_kernel()
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import plotly.graph_objects as go

    go.FigureWidget  # noqa: B018 - plotly imports its widget class lazily
    from explainer import data
    from explainer.data.natural_earth import over_land
    from explainer.stories.ms28 import app, place_app  # noqa: F401
    from explainer.stories.ms28.approach import approach
    from explainer.ui.basemap import base_traces

    data.places()
    data.ms28_facts()
    track = approach().track
    app.night_rings(track.time[0], len(track.time))
    base_traces("50m", app.MED_BOUNDS)
    base_traces("110m", borders=False)
    over_land(0.0, 0.0)


def run_kernel(args: list[str], env: dict[str, str], cwd: str) -> None:
    """In the forked child: become a kernel process, as ``python -m ipykernel_launcher ARGS``."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    # as jupyter_client's launcher does: the kernel watches its parent (the zygote) and exits
    # with it. IPKernelApp reads JPY_PARENT_PID when ipykernel.kernelapp is imported, which
    # preload() did before this kernel existed: without parent_handle the kernel watched nobody
    # and outlived a stopped server.
    zygote = os.getppid()
    os.environ["JPY_PARENT_PID"] = str(zygote)
    sys.argv = ["ipykernel_launcher", *args]
    import ipywidgets
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance(parent_handle=zygote)
    app.initialize(args)
    # ipywidgets registers its comm targets when it is imported into a running kernel; here it
    # was imported (by preload) before this kernel existed
    ipywidgets.register_comm_target()
    app.start()


def serve(path: str) -> None:
    """Fork a kernel for every request on the Unix socket ``path``, until the parent exits."""
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    listener.settimeout(1.0)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    gc.freeze()  # keep the preloaded objects out of the collector: their pages stay shared
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(10)
            try:
                request = json.loads(conn.makefile("rb").readline())
            except (OSError, ValueError):
                continue
            pid = os.fork()
            if pid == 0:
                listener.close()
                conn.close()
                code = 1
                try:
                    run_kernel(request["args"], request["env"], request["cwd"])
                    code = 0
                except SystemExit as end:
                    code = end.code if isinstance(end.code, int) else 0
                finally:
                    os._exit(code)  # a forked child never returns into the zygote's loop
            conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def main() -> None:
    path = sys.argv[1]
    preload()
    serve(path)


if __name__ == "__main__":
    main()
