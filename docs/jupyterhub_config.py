"""JupyterHub for a class on one school server: each student signs in and lands on the Orbit
Explainer dashboard, in a Jupyter server of their own.

Install on the server (Linux), in the environment that has the kit:

    python3 -m pip install -e . jupyterhub jupyterhub-idle-culler
    npm install -g configurable-http-proxy@5.3.0
    sudo $(which jupyterhub) -f docs/jupyterhub_config.py

Students sign in with their accounts on this machine (JupyterHub's default PAM login, run as root)
and each one's server runs as that student, so nobody can reach another student's server or files.
Tested end to end by tests/browser/test_jupyterhub.py: eleven students (there with JupyterHub's
DummyAuthenticator and SimpleLocalProcessSpawner instead of accounts) sign in from a browser, each
lands on a working dashboard, and none can reach another's server.
For Kubernetes, use docs/z2jh-values.yaml instead.

Settings you may change: ``EXPLAINER_HUB_URL`` (where the hub listens; default every address of
the machine, port 8000; put it behind HTTPS, see JupyterHub's documentation) and
``EXPLAINER_HUB_IDLE_S`` (stop a student's server after this many idle seconds; default 1800).
"""

import os
import sys
from importlib.util import find_spec

from explainer.paths import notebooks_dir

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

c.JupyterHub.bind_url = os.environ.get("EXPLAINER_HUB_URL", "http://:8000")

# Every student's server: the Python that runs the hub (which has the kit), rooted at the kit's
# files, opening on the dashboard (the notebooks stay one click away at /lab).
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = str(notebooks_dir().parent)
c.Spawner.default_url = "/voila/render/notebooks/dashboard.ipynb"
c.Spawner.environment = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
c.Spawner.args = [
    # a closed tab's kernel is shut down after 10 minutes, as `explainer dashboard` does
    "--MappingKernelManager.cull_idle_timeout=600",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False",
    # the dashboard shows no formulas: its page does not fetch MathJax from a CDN (as on Binder)
    '--ServerApp.tornado_settings={"mathjax_url": None, "mathjax_config": None}',
    # the dashboard as Binder serves it (voila.json, which Voila reads only from the server's
    # working folder, here each student's home): the kit's page template, no sources, no files.
    # Lists must be written as lists: a bare `=jupyterlab-plotly` is silently dropped by the
    # single-user server (Voila then answers 500 for every dashboard).
    "--VoilaConfiguration.template=orbit-explainer",
    "--VoilaConfiguration.strip_sources=True",
    "--VoilaConfiguration.show_tracebacks=False",
    "--VoilaConfiguration.file_allowlist=[]",
    # plotly's JupyterLab extension renders plotly *outputs*, which the dashboard never makes; the
    # kit's own lab extension lays out JupyterLab, not Voila
    "--VoilaConfiguration.extension_denylist="
    '["jupyterlab-plotly", "@voila-dashboards/jupyterlab-preview", "orbit-explainer-lab"]',
]
# Each server with its dashboard kernel takes about 366 MB resident (194 MB server + 172 MB kernel,
# measured by tests/browser/test_jupyterhub.py); the limit leaves room for two more kernels (a
# notebook, a reloaded tab's). Spawners that enforce limits (systemd, Docker, Kubernetes) use these.
c.Spawner.mem_guarantee = "400M"
c.Spawner.mem_limit = "768M"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# A student's server that nobody has used for 30 minutes is stopped, returning its memory.
if find_spec("jupyterhub_idle_culler"):
    idle_s = int(os.environ.get("EXPLAINER_HUB_IDLE_S", "1800"))
    c.JupyterHub.services = [{
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle_s}", "--cull-every=60"],
    }]
    c.JupyterHub.load_roles = [{
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }]
