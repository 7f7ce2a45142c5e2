"""A real dashboard server and a real headless browser (Debian's chromium via Playwright)."""

import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

from explainer.serve import voila_launch

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]

# Console errors that are expected and harmless (documented in benchmarks/README.md). No request
# may fail: the dashboard's page template drops Voila's only CDN fetch (an icon font).
ALLOWED_CONSOLE = (
    "Unsatisfied version",  # Voila 0.5's bundled JupyterLab 4.2 vs installed labextensions
    "No satisfying version",
    "Notebook dashboard.ipynb is not trusted",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture(scope="session")
def dashboard_url():
    port = free_port()
    proc = start_voila(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url)
        # let the preheated pool refill after the readiness request used a kernel
        time.sleep(3)
        yield url
    finally:
        stop(proc)


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
    """Collects console errors, page errors and failed requests of one page."""

    def __init__(self, page):
        self.errors, self.failed = [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
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
