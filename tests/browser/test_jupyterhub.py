"""Past one machine, for real: the shipped docs/jupyterhub_config.py runs a JupyterHub (from PyPI)
with configurable-http-proxy (from npm) on loopback, and eleven students sign in from real headless
Chromium, each in a browser context of their own.

The shipped configuration is the thing under test. The test overrides only what a test must: the
login (JupyterHub's DummyAuthenticator with one shared password, instead of the machine's
accounts), the spawner (SimpleLocalProcessSpawner: every student's server runs as the test's user,
with a home folder in a temporary folder), loopback ports, the database and cookie secret in a
temporary folder, ``--allow-root`` when the test runs as root, and ``PYTHONPATH`` so that the
servers import this checkout. Each student must land on the dashboard at the default URL
(issue 12: "at least 10 users whose default URL is the dashboard"), see the map drawn and the readout
follow a control, and must not reach another student's server: neither the dashboard, nor its
REST API, nor a kernel's websocket. Nothing may be left running afterwards.

configurable-http-proxy: tools/test.sh installs it with npm into ``.cache/chp`` (pinned version);
one on PATH is used otherwise.
"""

import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from .conftest import free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "docs" / "jupyterhub_config.py"
VALUES = ROOT / "docs" / "z2jh-values.yaml"
LOCAL_CHP = ROOT / ".cache" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
USERS = [f"student{i:02d}" for i in range(1, 12)]
# who signs in together: one alone first (the anchor of the timings), then two waves of five
WAVES = [USERS[:1], USERS[1:6], USERS[6:]]
PASSWORD = "orbit-class"
DASHBOARD = "voila/render/notebooks/dashboard.ipynb"  # the default URL issue 12 asks for
GEO = ".js-plotly-plot .geo >> visible=true"
LAND_FILL = "rgb(217, 212, 199)"  # explainer.ui.basemap.LAND_COLOUR, as tests/browser/test_dashboard.py


def proxy_command() -> str:
    """configurable-http-proxy: the one tools/test.sh installs into .cache/chp, else one on PATH."""
    found = str(LOCAL_CHP) if LOCAL_CHP.exists() else shutil.which("configurable-http-proxy")
    if found is None:
        pytest.fail("configurable-http-proxy is missing: run tools/test.sh, which installs Node.js (Debian's "
                    "nodejs, npm) and configurable-http-proxy from npm into .cache/chp")
    if shutil.which("node") is None:
        pytest.fail("node is missing: run tools/test.sh, which installs Debian's nodejs")
    return found


def loopback_ports(n: int) -> list[int]:
    """n loopback ports: HUB_TEST_PORT_BASE=<p> gives p, p+1, ...; else free ones."""
    base = os.environ.get("HUB_TEST_PORT_BASE")
    if base:
        return [int(base) + i for i in range(n)]
    chosen: set[int] = set()
    while len(chosen) < n:
        chosen.add(free_port())
    return sorted(chosen)


def write_test_config(tmp: Path, proxy: str, ports: list[int]) -> Path:
    """The shipped configuration, loaded as it is, and then only the test's overrides."""
    hub, proxy_api, hub_api, *user_ports = ports
    path = tmp / "jupyterhub_test_config.py"
    path.write_text(f"""
c = get_config()  # noqa: F821
load_subconfig({str(SHIPPED)!r})  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{hub}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_api}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{tmp / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(tmp / 'cookie_secret')!r}
c.JupyterHub.pid_file = {str(tmp / 'hub.pid')!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allowed_users = set({USERS!r})
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp / 'home' / '{username}')!r}
c.Spawner.ip = "127.0.0.1"
if {os.geteuid() == 0}:  # every server runs as the test's user; Jupyter refuses root unless told
    c.Spawner.args = [*c.Spawner.args, "--allow-root"]
if {os.environ.get("PYTHONPATH")!r}:  # the servers import this checkout, as the test does
    c.Spawner.environment = {{**c.Spawner.environment, "PYTHONPATH": {os.environ.get("PYTHONPATH")!r}}}
USER_PORTS = dict(zip({USERS!r}, {user_ports!r}))
def _port(spawner):
    spawner.port = USER_PORTS[spawner.user.name]
c.Spawner.pre_spawn_hook = _port
""")
    return path


def process_table() -> tuple[dict[int, list[int]], dict[int, int]]:
    """Children of every process, and each one's resident memory (kB), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid = int(status.parent.name)
        children.setdefault(int(fields["PPid"]), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    return children, rss


def descendants(pid: int, children: dict[int, list[int]]) -> list[int]:
    found = []
    for child in children.get(pid, []):
        found += [child, *descendants(child, children)]
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_memory_mb(hub_pid: int) -> dict[str, tuple[float, list[float]]]:
    """Resident memory (MB) of each student's single-user server and of each of its kernels."""
    children, rss = process_table()
    sizes = {}
    for pid in children.get(hub_pid, []):
        if "jupyterhub.singleuser" in cmdline(pid):
            user = Path(f"/proc/{pid}/cwd").resolve().name  # its home: <tmp>/home/<user>
            kernels = [p for p in descendants(pid, children) if "ipykernel" in cmdline(p)]
            sizes[user] = rss.get(pid, 0) / 1024, [rss.get(k, 0) / 1024 for k in kernels]
    return sizes


@contextlib.contextmanager
def running_hub(tmp: Path):
    """JupyterHub started with the test's configuration; yields its URL and process. On leaving,
    the hub is stopped and every process it started is waited for; those still alive after 20 s
    are killed and listed in ``proc.leftovers``."""
    ports = loopback_ports(3 + len(USERS))
    config = write_test_config(tmp, proxy_command(), ports)
    log_path = tmp / "hub.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=tmp,
                                stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONWARNINGS="ignore"))
    proc.log_path, proc.leftovers = log_path, {}
    url = f"http://127.0.0.1:{ports[0]}/"
    started: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "hub/health", timeout=5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterHub did not start:\n" + log_path.read_text(errors="replace")[-3000:])
                time.sleep(0.5)
        yield url, proc
    finally:
        started = set(descendants(proc.pid, process_table()[0]))
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        deadline = time.monotonic() + 20
        while (alive := [p for p in started if cmdline(p)]) and time.monotonic() < deadline:
            time.sleep(0.5)
        proc.leftovers = {pid: cmdline(pid)[:120] for pid in alive}
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def sign_in(context, url, user):
    """Open the hub's login page and sign in; returns the page and when the button was pressed."""
    page = context.new_page()
    # requests that fail other than by a navigation cancelling them (say, a fetch from a CDN)
    page.failed = []
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and page.failed.append(f"{r.url} {r.failure}"))
    page.goto(url + "hub/login", timeout=60_000)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    t0 = time.monotonic()
    page.click("input[type=submit], button[type=submit]", no_wait_after=True)
    return page, t0


def check_dashboard(page, user) -> None:
    """The student's dashboard: the map drawn with land, and a control moves the readout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_selector(".iss-readout table", timeout=60_000)
    # the kernel's map: the readout can arrive a moment before it is drawn in place of the page's
    # early first map (explainer/ui/first_map_bundle.py)
    land = f"""() => [...document.querySelectorAll('#rendered_cells .js-plotly-plot .geo .scatterlayer path.js-line')]
        .filter(e => e.getBoundingClientRect().width > 0 && e.style.fill === '{LAND_FILL}')
        .map(e => (e.getAttribute('d') || '').length)"""
    with contextlib.suppress(PlaywrightTimeout):  # if it never comes, the assertion shows what there is
        page.wait_for_function(f"() => Math.max(0, ...({land})()) > 20000", timeout=60_000)
    lengths = page.evaluate(land)
    assert max(lengths, default=0) > 20_000, (user, lengths)  # real coastlines, as tests/browser/test_dashboard.py
    assert "2025-11-27 12:34:35" in page.inner_text(".iss-readout")  # opens at docking
    page.get_by_role("button", name="Nearest Barcelona").click()
    page.wait_for_function("() => document.querySelector('.iss-readout').innerText.includes('12:31:38')",
                           timeout=30_000)
    assert page.locator(".oe-error").count() == 0
    assert page.failed == [], page.failed


FETCH = """async (url) => {
  const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
  const r = await fetch(url, {headers: {'X-XSRFToken': xsrf}});
  return [r.status, await r.text()];
}"""
WEBSOCKET = """(url) => new Promise(done => {
  const ws = new WebSocket(url);
  ws.onopen = () => { ws.close(); done('open'); };
  ws.onclose = () => done('refused');
  setTimeout(() => done('timeout'), 15000);
})"""


def kernel_ids(page, base) -> list[str]:
    """The kernels of the server at ``base`` as the page's own scripts see them (its cookies, its
    XSRF token); fails unless the server answers 200."""
    status, body = page.evaluate(FETCH, f"{base}api/kernels")
    assert status == 200, (base, status, body[:200])
    return [k["id"] for k in json.loads(body)]


def check_isolation(url, contexts, pages, user, other) -> None:
    """``user`` reaches their own server and none of ``other``'s: each check is paired with the same
    request to the user's own server, which must succeed."""
    mine, theirs = f"{url}user/{user}/", f"{url}user/{other}/"
    page, ws_base = pages[user], url.replace("http", "ws", 1)
    own_kernel = kernel_ids(page, mine)[0]
    their_kernel = kernel_ids(pages[other], theirs)[0]
    # the REST API, from the student's own page (their cookies, their XSRF token)
    status, body = page.evaluate(FETCH, f"{theirs}api/kernels")
    assert status == 403 and their_kernel not in body, (user, other, status, body[:200])
    assert page.evaluate(FETCH, f"{mine}api/contents/notebooks")[0] == 200  # their files: yes
    status, body = page.evaluate(FETCH, f"{theirs}api/contents/notebooks")
    assert status == 403, (user, other, status, body[:200])  # the other's files: no
    # a kernel's websocket: their own opens, the other's does not
    assert page.evaluate(WEBSOCKET, f"{ws_base}user/{user}/api/kernels/{own_kernel}/channels") == "open"
    assert page.evaluate(WEBSOCKET, f"{ws_base}user/{other}/api/kernels/{their_kernel}/channels") == "refused"
    # the hub's API: the student sees themself, not the other
    assert contexts[user].request.get(f"{url}hub/api/users/{user}").status == 200
    assert contexts[user].request.get(f"{url}hub/api/users/{other}").status in (403, 404)
    # the other's dashboard, opened in a tab of the student's browser: the hub refuses
    tab = contexts[user].new_page()
    try:
        response = tab.goto(f"{theirs}{DASHBOARD}", timeout=60_000)
        assert response.status == 403, (user, other, response.status, tab.url)
        assert "You do not have permission" in tab.inner_text("body")
        assert tab.locator(".iss-readout").count() == 0
    finally:
        tab.close()


def test_eleven_students_each_get_their_own_working_dashboard(browser, tmp_path):
    contexts, pages, first_map_s = {}, {}, {}
    with running_hub(tmp_path) as (url, proc):
        print(f"hub log: {proc.log_path}")
        try:
            for wave in WAVES:
                pressed = {}
                for user in wave:
                    contexts[user] = browser.new_context(viewport={"width": 1100, "height": 900})
                    pages[user], pressed[user] = sign_in(contexts[user], url, user)
                for user in wave:  # each lands on their own server at the default URL, the dashboard
                    pages[user].wait_for_url(f"**/user/{user}/**", timeout=180_000)
                    assert pages[user].url.split("?")[0] == f"{url}user/{user}/{DASHBOARD}", pages[user].url
                    pages[user].wait_for_selector(GEO, timeout=120_000)
                    first_map_s[user] = time.monotonic() - pressed[user]
                for user in wave:
                    check_dashboard(pages[user], user)

            sizes = server_memory_mb(proc.pid)
            assert sorted(sizes) == USERS, sizes
            assert all(len(kernels) == 1 for _, kernels in sizes.values()), sizes  # one dashboard each

            for user, other in zip(USERS, USERS[1:] + USERS[:1], strict=True):
                check_isolation(url, contexts, pages, user, other)
        finally:
            for context in contexts.values():
                context.close()
    assert proc.leftovers == {}, f"still running after the hub stopped: {proc.leftovers}"

    alone = first_map_s[USERS[0]]
    together = sorted(first_map_s[user] for wave in WAVES[1:] for user in wave)
    server = max(s for s, _ in sizes.values())
    kernel = max(k for _, kernels in sizes.values() for k in kernels)
    print(f"\n{len(USERS)} students: sign-in to first map {alone:.1f} s for one alone (anchor); in waves of "
          f"{len(WAVES[1])} at once median {statistics.median(together):.1f} s, max {together[-1]:.1f} s "
          f"({statistics.median(together) / alone:.1f}x, {together[-1] / alone:.1f}x the anchor). RSS per student, "
          f"max over students: server {server:.0f} MB + dashboard kernel {kernel:.0f} MB = "
          f"{max(s + k[0] for s, k in sizes.values()):.0f} MB")
    # docs/z2jh-values.yaml: the guarantee holds a student's server with its dashboard; the limit
    # also a notebook kernel and a reloaded tab's kernel not yet culled (three kernels)
    memory = yaml.safe_load(VALUES.read_text())["singleuser"]["memory"]
    guarantee_mb, limit_mb = (int(memory[key].removesuffix("M")) for key in ("guarantee", "limit"))
    assert server + kernel <= guarantee_mb and server + 3 * kernel <= limit_mb, (sizes, memory)
