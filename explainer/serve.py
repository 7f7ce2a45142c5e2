"""Serve the kit's dashboard notebook with Voila: code hidden, a kernel preheated, loopback only.

Voila runs the notebook server-side and sends the page; visitors can use the widgets but cannot
run code of their own. Idle kernels are culled so a classroom's memory is returned. Voila runs as
``python -m explainer.classroom``, with the kit's guards for a class: see :mod:`explainer.classroom.app`.

Voila also serves plotly's front-end bundle once, as a static module (:func:`static_modules_dir`),
and the kernels' figures import it instead of each carrying its 5 MB (:mod:`explainer.ui.plotly_widget`;
other Jupyter servers get it from the kit's server extension, :mod:`explainer.ui.bundle_server`).
"""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from typing import NamedTuple

import plotly

from explainer.paths import cache_dir, notebooks_dir
from explainer.ui import first_map_bundle
from explainer.ui.plotly_widget import FIRST_MAP_FILE, MODULE_ENV, SERVED_DIR, VERSION_ENV, bundle_path, served_bundle

DASHBOARD = "dashboard.ipynb"
TEMPLATE = "orbit-explainer"
"""The page template (Voila's lab template plus an early start on plotly's bundle); Voila finds it
under ``JUPYTER_DATA/voila/templates/``, on the ``JUPYTER_PATH`` that :func:`voila_launch` sets."""
JUPYTER_DATA = Path(__file__).resolve().parent / "share"
CLASS_POOL_SIZE = 30
"""Preheated kernels for a class arriving at once (each a fork of the kernel zygote, see
:mod:`explainer.classroom.zygote`: about 0.2-0.3 s of CPU to start and tens of MB of its own)."""
CULL_IDLE_S = 600
"""Kernels idle (no widget messages) for this long are shut down."""


def static_modules_dir() -> Path | None:
    """A Jupyter data folder whose ``labextensions/`` Voila serves under ``voila/labextensions/``
    (every Voila 0.5 does, for each folder on ``JUPYTER_PATH``), holding only the kit's folder:
    plotly's widget bundle trimmed to the kit's trace types
    (:func:`~explainer.ui.plotly_widget.served_bundle`), the small plotly.js that draws the first
    map (:func:`~explainer.ui.first_map_bundle.served_module`) and the dashboard's first map
    (:mod:`explainer.stories.ms28.first_map`, written by a separate process so that this one does not keep
    the kit's modules in memory). It lives in the kit's cache folder; the bundles are rewritten
    only when they change. None, with a warning, if the cache folder cannot be written."""
    root = cache_dir() / "voila-static"
    target = root / "labextensions" / SERVED_DIR / Path(bundle_path()).name
    try:
        _write_if_changed(target, served_bundle())
        _write_if_changed(target.with_name(first_map_bundle.FILE), first_map_bundle.served_module())
    except OSError as error:
        warnings.warn(f"cannot write {target} ({error.strerror}): every figure will carry its own "
                      "copy of plotly.js and pages load slower", stacklevel=2)
        return None
    writer = [sys.executable, "-m", "explainer.stories.ms28.first_map", str(target.parent / FIRST_MAP_FILE)]
    drawn = subprocess.run(writer,
                           capture_output=True, text=True, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    if drawn.returncode != 0:
        warnings.warn("the page will show its first map when the kernel sends it: "
                      f"{(drawn.stderr.strip().splitlines() or ['?'])[-1]}", stacklevel=2)
    return root


def _write_if_changed(target: Path, data: bytes) -> None:
    """Write ``data`` at ``target`` unless it holds them already, atomically (a visitor's request
    never reads half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not (target.is_file() and target.read_bytes() == data):
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(data)
        os.replace(partial, target)


class VoilaLaunch(NamedTuple):
    cmd: list[str]
    """Voila's command line."""
    env: dict[str, str]
    """The environment for Voila and its kernels."""


def voila_launch(port: int, ip: str = "127.0.0.1", open_browser: bool = False,
                 preheat: bool = True, pool_size: int = 1, cull_idle_s: int = CULL_IDLE_S,
                 base_env: dict[str, str] | None = None) -> VoilaLaunch:
    """How to start the Voila that serves the dashboard: its command line, and its environment
    (``base_env``, default this process's, plus one BLAS thread per kernel since many kernels
    share the CPU, plus the served plotly bundle announced to the kernels' figures)."""
    notebook = notebooks_dir() / DASHBOARD
    cmd = [
        # Voila with the classroom guards (explainer/classroom): v1 websocket only, kernel limits
        sys.executable, "-m", "explainer.classroom", str(notebook),
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_s}",
        f"--MappingKernelManager.cull_interval={min(60, max(1, cull_idle_s // 3))}",
        "--MappingKernelManager.cull_connected=False",
        "--theme=light",
        # jupyterlab-plotly renders plotly *outputs*, which the dashboard never makes (its figures
        # are widgets); loading it would add another copy of plotly.js (4.8 MB) to every page. The
        # kit's own lab extension lays out JupyterLab, not Voila.
        '--VoilaConfiguration.extension_denylist=["jupyterlab-plotly", "orbit-explainer-lab"]',
    ]
    env = dict(os.environ if base_env is None else base_env)
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    static = static_modules_dir()
    if static is not None:
        cmd.append(f"--template={TEMPLATE}")
        env[MODULE_ENV] = bundle_path()
        env[VERSION_ENV] = plotly.__version__
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), str(static), env.get("JUPYTER_PATH")]))
    if preheat:
        cmd += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
    if not open_browser:
        cmd.append("--no-browser")
    return VoilaLaunch(cmd, env)


def is_loopback(ip: str) -> bool:
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return False


def default_pool_size(ip: str) -> int:
    """Kernels kept preheated when none is asked for: one on loopback (one person at this
    machine), :data:`CLASS_POOL_SIZE` on any other address (the page is shared: a class)."""
    return 1 if is_loopback(ip) else CLASS_POOL_SIZE


def serve_dashboard(port: int = 8866, open_browser: bool = True, ip: str = "127.0.0.1",
                    pool_size: int | None = None) -> int:
    """Start Voila in the foreground and print the URL; returns Voila's exit status.
    ``pool_size`` None: :func:`default_pool_size` for ``ip``."""
    if pool_size is None:
        pool_size = default_pool_size(ip)
    if not is_loopback(ip):
        warnings.warn(
            f"serving on {ip}: anyone who can reach this machine on port {port} can open the "
            "dashboard (they can use its widgets, not run code). Use the default 127.0.0.1 unless "
            "you mean to share it on your network.",
            stacklevel=2,
        )
    host = "127.0.0.1" if ip in ("0.0.0.0", "::") else ip
    print(f"Orbit Explainer dashboard: http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    launch = voila_launch(port, ip, open_browser, pool_size=pool_size)
    voila = subprocess.Popen(launch.cmd, env=launch.env)
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
