"""A Jupyter server extension that serves plotly's trimmed widget bundle once per page, under any base URL.

Enabled by the kit's installation (``etc/jupyter/jupyter_server_config.d/orbit-explainer.json``),
it works wherever a Jupyter server runs: JupyterLab, Voila as a server extension
(``<base_url>voila/render/...``), Binder under ``/user/<name>/``. It serves
:func:`~explainer.ui.plotly_widget.served_bundle` at ``<base_url>`` +
:func:`~explainer.ui.plotly_widget.bundle_path`, and tells the kernels that this server starts
(they inherit its environment) by setting ``EXPLAINER_PLOTLY_MODULE`` to that path: their figures
(:func:`~explainer.ui.plotly_widget.figure_widget`) then import it instead of each carrying 5 MB
of plotly.js. Nothing happens on import; :func:`_load_jupyter_server_extension` does it.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from explainer.ui.plotly_widget import MODULE_ENV, bundle_path, served_bundle


@cache
def _bundle() -> tuple[bytes, str]:
    """The served bundle and its ETag, computed on the first request (about 0.1 s)."""
    body = served_bundle()
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'


class BundleHandler(JupyterHandler):
    """plotly's trimmed widget bundle as a JavaScript module. Public like the server's other
    static files (it is plotly.js, no user data); revalidated on each visit (``no-cache``), so
    an unchanged bundle costs a 304 and a changed one is never stale."""

    @allow_unauthenticated
    def get(self) -> None:
        body, etag = _bundle()
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Etag", etag)
        if self.check_etag_header():
            self.set_status(304)
            return
        self.finish(body)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "explainer.ui.bundle_server"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Serve the bundle under the server's base URL and announce it to the server's kernels."""
    route = url_path_join(serverapp.base_url, re.escape(bundle_path()))
    serverapp.web_app.add_handlers(".*$", [(route, BundleHandler)])
    os.environ[MODULE_ENV] = bundle_path()
    serverapp.log.info("Orbit Explainer: serving plotly's widget bundle at %s",
                       url_path_join(serverapp.base_url, bundle_path()))
