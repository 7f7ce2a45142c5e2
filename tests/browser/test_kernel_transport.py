"""The dashboard's kernels talk to Voila over Unix sockets, not TCP ports picked in advance.

Over TCP, jupyter_client reserves each kernel's ports by binding port 0 and releasing it, and when
thirty kernels start at once another connection can take one of them first: the kernel dies with
"Address already in use", its restarter retries the same ports, and a visitor's page never gets
its widgets (jupyter/jupyter_client#487; seen in a fresh virtualenv by test_load.py).
"""

import json
import os
import stat
from pathlib import Path

import pytest

from explainer.serve import IPC_ROOT

from .conftest import free_port, start_voila, stop, wait_http
from .kernel_client import open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(os.name != "posix", reason="Unix sockets: POSIX only")]


def connection_file(kernel: str) -> Path:
    """The connection file a running kernel was started with. Voila keeps it in a private folder
    under :data:`~explainer.serve.IPC_ROOT`; a kernel forked by the class server
    (:mod:`explainer.classroom.zygote`) shows its parent's command line, so the folder is searched,
    not the processes."""
    found = list(Path(IPC_ROOT).glob(f"*/kernel-{kernel}.json"))
    assert len(found) == 1, f"kernel {kernel}: connection files {found}"
    return found[0]


def test_dashboard_kernels_use_private_unix_sockets():
    port = free_port()
    proc = start_voila(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url)
        html, kernel = open_page(url)
        assert "application/vnd.jupyter.widget-view+json" in html
        conn = connection_file(kernel)
        info = json.loads(conn.read_text())
        assert info["transport"] == "ipc"
        for channel in ("shell", "iopub", "stdin", "hb", "control"):
            assert Path(f"{info['ip']}-{info[channel + '_port']}").is_socket(), channel
        assert stat.S_IMODE(conn.parent.stat().st_mode) & 0o077 == 0  # no other user can connect
    finally:
        stop(proc)
