"""A Jupyter server extension that serves plotly's trimmed widget bundle once per page, under any base URL.

Enabled by the kit's installation (``etc/jupyter/jupyter_server_config.d/orbit-explainer.json``),
it works wherever a Jupyter server runs: JupyterLab, Voila as a server extension
(``<base_url>voila/render/...``), Binder under ``/user/<name>/``. It answers at
:data:`~explainer.ui.plotly_widget.SERVED_URL` under the base URL, the same URL where
`explainer dashboard` serves them (extensions load in alphabetical order, so its route comes
before Voila's own ``voila/labextensions/`` handler):

- plotly's bundle (:func:`~explainer.ui.plotly_widget.served_bundle`), at
  :func:`~explainer.ui.plotly_widget.bundle_path`; the kernels this server starts inherit its
  environment, where ``EXPLAINER_PLOTLY_MODULE`` and ``EXPLAINER_PLOTLY_VERSION`` tell their figures
  (:func:`~explainer.ui.plotly_widget.figure_widget`) to import it instead of each carrying 5 MB
  of plotly.js;
- the small plotly.js that draws the dashboard's first map before the kernel answers
  (:func:`~explainer.ui.first_map_bundle.served_module`), at
  :func:`~explainer.ui.first_map_bundle.module_path`;
- the dashboard's first map (:mod:`explainer.stories.ms28.first_map`), written by a separate process when
  the server starts (204 No Content until it is ready: the page then waits for the kernel's map).

Nothing happens on import; :func:`_load_jupyter_server_extension` does it.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

import plotly
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from explainer.paths import cache_dir
from explainer.ui import first_map_bundle
from explainer.ui.plotly_widget import FIRST_MAP_FILE, MODULE_ENV, SERVED_URL, VERSION_ENV, bundle_path, served_bundle


def _with_etag(make: Callable[[], bytes]) -> Callable[[], tuple[bytes, str]]:
    """``make``'s bytes and their ETag, computed on the first request (about 0.1 s) and kept."""

    @cache
    def body_and_etag() -> tuple[bytes, str]:
        body = make()
        return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'

    return body_and_etag


_bundle = _with_etag(served_bundle)
_first_map_bundle = _with_etag(first_map_bundle.served_module)


class BundleHandler(JupyterHandler):
    """A JavaScript module of plotly.js: plotly's trimmed widget bundle, or the small one that
    draws the first map. Public like the server's other static files (it is plotly.js, no user
    data); revalidated on each visit (``no-cache``), so an unchanged bundle costs a 304 and a
    changed one is never stale."""

    def initialize(self, body: Callable[[], tuple[bytes, str]] = _bundle) -> None:
        self.body = body

    @allow_unauthenticated
    def get(self) -> None:
        body, etag = self.body()
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Etag", etag)
        if self.check_etag_header():
            self.set_status(304)
            return
        self.finish(body)


class FirstMapHandler(JupyterHandler):
    """The dashboard's first map as JSON, once the process writing it has finished; before that,
    204 No Content (the page then waits for the kernel's map, and logs no failed request)."""

    def initialize(self, path: Path) -> None:
        self.path = path

    @allow_unauthenticated
    def get(self) -> None:
        self.set_header("Cache-Control", "no-cache")
        try:
            body = self.path.read_bytes()
        except OSError:
            self.set_status(204)
            self.finish()
            return
        self.set_header("Content-Type", "application/json")
        self.finish(body)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "explainer.ui.bundle_server"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Serve the bundle and the first map under the server's base URL, announce the bundle to the
    server's kernels, and start writing the first map."""
    folder = cache_dir() / "server-static"
    drawn = folder / FIRST_MAP_FILE
    route = url_path_join(serverapp.base_url, re.escape(bundle_path()))
    serverapp.web_app.add_handlers(".*$", [
        (route, BundleHandler),
        (url_path_join(serverapp.base_url, re.escape(first_map_bundle.module_path())), BundleHandler,
         {"body": _first_map_bundle}),
        (url_path_join(serverapp.base_url, re.escape(SERVED_URL + FIRST_MAP_FILE)), FirstMapHandler,
         {"path": drawn}),
    ])
    os.environ[MODULE_ENV] = bundle_path()
    os.environ[VERSION_ENV] = plotly.__version__
    serverapp.log.info("Orbit Explainer: serving plotly's widget bundle at %s",
                       url_path_join(serverapp.base_url, bundle_path()))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        drawn.unlink(missing_ok=True)  # never a map from an older kit
    except OSError as error:
        serverapp.log.warning("Orbit Explainer: no early first map (%s: %s)", folder, error.strerror)
        return
    # a separate, low-priority process: the server starts at once and keeps none of its memory
    writer = subprocess.Popen([sys.executable, "-m", "explainer.stories.ms28.first_map", str(drawn)],
                              stdout=subprocess.DEVNULL, env=dict(os.environ, OPENBLAS_NUM_THREADS="1"),
                              preexec_fn=lambda: os.nice(10))
    threading.Thread(target=writer.wait, daemon=True).start()  # reaped when it ends
