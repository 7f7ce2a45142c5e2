"""Serve the kit's dashboard notebook with Voila: code hidden, a kernel preheated, loopback only.

Voila runs the notebook server-side and sends the page; visitors can use the widgets but cannot
run code of their own. Idle kernels are culled so a classroom's memory is returned.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import warnings

from .paths import notebooks_dir

DASHBOARD = "dashboard.ipynb"
CULL_IDLE_S = 600
"""Kernels idle (no widget messages) for this long are shut down."""


def voila_command(port: int, ip: str = "127.0.0.1", open_browser: bool = False,
                  preheat: bool = True, pool_size: int = 1,
                  cull_idle_s: int = CULL_IDLE_S) -> list[str]:
    """The Voila command line that serves the dashboard."""
    notebook = notebooks_dir() / DASHBOARD
    cmd = [
        sys.executable, "-m", "voila", str(notebook),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
        f"--MappingKernelManager.cull_interval={min(60, max(1, cull_idle_s // 3))}",
        "--MappingKernelManager.cull_connected=False",
        "--theme=light",
    ]
    if preheat:
        cmd += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def is_loopback(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def serve_dashboard(port: int = 8866, open_browser: bool = True, ip: str = "127.0.0.1",
                    pool_size: int = 1) -> int:
    """Start Voila in the foreground and print the URL; returns Voila's exit status."""
    if not is_loopback(ip):
        warnings.warn(
            f"serving on {ip}: anyone who can reach this machine on port {port} can open the "
            "dashboard (they can use its widgets, not run code). Use the default 127.0.0.1 unless "
            "you mean to share it on your network.",
            stacklevel=2,
        )
    host = "127.0.0.1" if ip in ("0.0.0.0", "::") else ip
    print(f"Orbit Explainer dashboard: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    voila = subprocess.Popen(voila_command(port, ip, open_browser, pool_size=pool_size), env=env)
    # stopping this command (Ctrl+C or a SIGTERM from a process manager) stops Voila with it
    signal.signal(signal.SIGTERM, lambda *_: voila.terminate())
    try:
        return voila.wait()
    except KeyboardInterrupt:
        voila.terminate()
        return 0
    finally:
        if voila.poll() is None:
            voila.terminate()
            voila.wait(timeout=30)
