"""Real dashboard servers and a real headless browser (Debian's chromium via Playwright).

The dashboard has two doors, both served here from this checkout:

- ``dashboard``: `explainer dashboard` (standalone Voila, a preheated kernel) at ``/``;
- ``binder``: JupyterLab started as Binder starts it, from the repository root under
  ``/user/student/``, with the configuration that ``binder/postBuild`` and the kit's installation
  put in place (``jupyter-config/``, ``binder/jupyter_server_config.json``, ``voila.json``); the
  dashboard is at ``voila/render/notebooks/dashboard.ipynb``.

Tests take ``dashboard_url`` (the dashboard door only) unless their module sets
``DOORS = ("dashboard", "binder")``: then they run once per door.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from explainer.serve import JUPYTER_DATA, voila_launch
from explainer.ui.plotly_widget import bundle_path

from .server_watch import free_port

ROOT = Path(__file__).resolve().parents[2]
BINDER_BASE = "/user/student/"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]

# Console errors that are expected and harmless (documented in benchmarks/README.md). No request
# may fail: the dashboard's page template drops Voila's only CDN fetch (an icon font).
ALLOWED_CONSOLE = (
    "Unsatisfied version",  # Voila 0.5's JupyterLab 4.2.5 vs newer widget extensions: binder/README.md
    "No satisfying version",
    "Notebook dashboard.ipynb is not trusted",
)


def wait_http(url: str, timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout_s} s")


def start_voila(port: int, preheat: bool = True, **options) -> subprocess.Popen:
    """Voila serving the dashboard as `explainer dashboard` does; its log goes to a temporary file
    (a pipe nobody reads would fill up and stall the server)."""
    launch = voila_launch(port, preheat=preheat, base_env=dict(os.environ, PYTHONWARNINGS="ignore"),
                          **options)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(launch.cmd, stdout=log, stderr=subprocess.STDOUT, env=launch.env)
    proc.log = log
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.log.close()


def binder_launch(port: int, base_env: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """How Binder starts the server (``jupyter lab`` from the repository root under a
    ``/user/<name>/`` prefix), with the configuration an installation of the kit and
    ``binder/postBuild`` give it, taken from this checkout: the kit's server extension and
    page template (``jupyter-config/``, ``explainer/share``) and Binder's server settings."""
    cmd = [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser", f"--port={port}",
           f"--ServerApp.base_url={BINDER_BASE}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
           "--IdentityProvider.token=", "--ServerApp.password=",
           f"--config={ROOT / 'binder' / 'jupyter_server_config.json'}",
           "--LabApp.expose_app_in_browser=True"]  # lets the JupyterLab tests drive the notebook
    env = dict(os.environ if base_env is None else base_env)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [str(ROOT / "jupyter-config"),
                                                               env.get("JUPYTER_CONFIG_PATH")]))
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(JUPYTER_DATA), env.get("JUPYTER_PATH")]))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return cmd, env


class Door(str):
    """A door's dashboard URL, with where its server serves plotly's bundle."""

    bundle_url: str
    base_url: str
    log: object


def start_binder(port: int, workspaces: Path, root: Path = ROOT) -> subprocess.Popen:
    """The Binder-like server (:func:`binder_launch`) started in ``root`` (a repository's root: its
    ``voila.json`` and ``notebooks/``); its log goes to a temporary file and JupyterLab keeps its
    workspaces in ``workspaces`` (no layout left by earlier runs)."""
    cmd, env = binder_launch(port, dict(os.environ, PYTHONWARNINGS="ignore"))
    cmd.append(f"--LabApp.workspaces_dir={workspaces}")
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    proc.log = log
    return proc


@pytest.fixture(scope="session")
def local_door():
    port = free_port()
    proc = start_voila(port)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_http(base)
        # let the preheated pool refill after the readiness request used a kernel
        time.sleep(3)
        door = Door(base)
        door.base_url, door.bundle_url, door.log = base, f"{base}{bundle_path()}", proc.log
        yield door
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def binder_door(tmp_path_factory):
    port = free_port()
    proc = start_binder(port, tmp_path_factory.mktemp("workspaces"))
    base = f"http://127.0.0.1:{port}{BINDER_BASE}"
    try:
        wait_http(f"{base}api/status")
        door = Door(f"{base}voila/render/notebooks/dashboard.ipynb")
        door.base_url, door.bundle_url, door.log = base, f"{base}{bundle_path()}", proc.log
        yield door
    finally:
        stop(proc)


def pytest_generate_tests(metafunc):
    if "dashboard_url" in metafunc.fixturenames:
        doors = getattr(metafunc.module, "DOORS", ("dashboard",))
        metafunc.parametrize("dashboard_url", doors, indirect=True)


@pytest.fixture()
def dashboard_url(request):
    """The dashboard's URL behind the door named by the test's parameter (see the module doc)."""
    return request.getfixturevalue({"dashboard": "local_door", "binder": "binder_door"}[request.param])


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run tools/test.sh, which installs Debian's chromium")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver):
    b = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


class PageWatch:
    """Collects console errors and warnings, page errors and failed requests of one page."""

    def __init__(self, page):
        self.errors, self.warnings, self.failed = [], [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("console", lambda m: m.type == "warning" and self.warnings.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.failed.append(r.url))

    def unexpected(self):
        errors = [e for e in self.errors if not any(a in e for a in ALLOWED_CONSOLE)]
        return errors + [f"request failed: {url}" for url in self.failed]


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    pg.watch = PageWatch(pg)
    yield pg
    context.close()
