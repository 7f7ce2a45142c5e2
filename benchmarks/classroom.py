"""A class of thirty arriving at once, and one visitor who tries to break the server (issue 12).

Loopback only, bounded: 30 visitors, 3 slider steps each, 3 attacks, every wait with a timeout.

- arrivals: 30 visitors, each with its own cookies as a browser has, ask for the dashboard within
  one second. A visitor's *first map* is the time from its request until its page has arrived and
  the kernel has sent the widget states (the map figure among them): what a browser needs before
  it draws. Then each moves the time slider 3 times over the kernel websocket (the binary v1
  protocol a page speaks); an *update* is the time until the readout's new value arrives.
- kernel_mb: median proportional set size (PSS: shared pages counted in part, as the kernel
  really costs the machine) of the visitors' kernels while all 30 are open; the resident size
  (RSS, shared pages counted in full) is printed too.
- kernel_start_cpu_s: median CPU time a visitor's kernel had used when its page arrived: starting
  Python and the kernel, and running the dashboard.
- hostile_ok: 1 if each attack (the legacy ``request_states`` frame, 1,000 comm messages on one
  websocket, 100 page requests in a loop with and without cookies) raises the server's memory
  (Voila and all its kernels, RSS) by less than 200 MB and delays another visitor's first map by
  less than 1 s against that visitor's first map measured just before.
- leftover_kernels: visitors' kernels still running 5 s after all 30 closed their tab (a page
  closing sends ``POST voila/api/shutdown/<kernel>`` with its ``_xsrf`` cookie).

The anchor, in the same run: the same dashboard on upstream Voila as ``explainer dashboard`` ran it
before (``python -m voila``, a pool of one kernel), the same 30 arrivals (no attacks: the first one
hangs that server).

Run: flock /tmp/heavy.lock python benchmarks/classroom.py   (EXPLAINER_TEST_PORTS=first-last to choose ports)
Last line: arrivals=30 first_map_p95_s=<a> update_p95_ms=<b> kernel_mb=<c> kernel_start_cpu_s=<d>
hostile_ok=<0|1> leftover_kernels=<n>
"""

import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.conftest import start_voila, stop, wait_http  # noqa: E402
from tests.browser.kernel_client import (  # noqa: E402
    Visitor,
    WidgetClient,
    send_legacy_request_states,
    time_slider_steps,
)
from tests.browser.server_watch import (  # noqa: E402
    cpu_s,
    free_port,
    kernel_pid,
    kernel_pids,
    kernel_rss_mb,
    log_excerpt,
    rss_mb,
    server_mb,
)

ARRIVALS = 30
POOL = 30
"""The kit's preheated pool in this benchmark: sized for the class."""


def pss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    raise ValueError("no Pss")


class Arrival:
    """One visitor: page, widget states, three slider steps; the tab stays open until close()."""

    def __init__(self, url: str, server_pid: int):
        self.url, self.server_pid = url, server_pid
        self.visitor = Visitor(url)
        self.client = None

    def arrive(self) -> None:
        start = time.perf_counter()
        html, self.kernel = self.visitor.open_page(timeout_s=300)
        pid = kernel_pid(self.server_pid, self.kernel)
        self.start_cpu = cpu_s(pid) if pid else float("nan")
        self.client = WidgetClient(self.url, self.kernel)
        states = self.client.widget_states(timeout_s=300)
        self.first_map_s = time.perf_counter() - start
        self.updates_ms = time_slider_steps(self.client, states)

    def close(self) -> None:
        """What a closing tab does: the shutdown request, then the websocket closes."""
        if self.client is not None:
            self.visitor.close_page(self.kernel)
            self.client.close()


def first_map_s(url: str) -> float:
    """One more visitor's first map (page + widget states), tab closed afterwards."""
    arrival = Arrival(url, 0)
    start = time.perf_counter()
    html, arrival.kernel = arrival.visitor.open_page(timeout_s=120)
    arrival.client = WidgetClient(url, arrival.kernel)
    arrival.client.widget_states(timeout_s=120)
    elapsed = time.perf_counter() - start
    arrival.close()
    return elapsed


def wait_for_pool(server_pid: int, size: int, timeout_s: float = 240) -> None:
    """Until ``size`` kernels run and have been idle (no CPU) for a second."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pids = kernel_pids(server_pid)
        if len(pids) >= size:
            try:
                before = sum(cpu_s(p) for p in pids)
                time.sleep(1.5)
                if sum(cpu_s(p) for p in pids) - before < 0.05:
                    return
            except FileNotFoundError:  # a kernel stopped meanwhile (an abandoned page's): look again
                pass
        time.sleep(1)
    raise TimeoutError(f"the pool did not reach {size} idle kernels in {timeout_s} s")


def class_arrives(proc, url: str) -> dict:
    arrivals = [Arrival(url, proc.pid) for _ in range(ARRIVALS)]
    with ThreadPoolExecutor(max_workers=ARRIVALS) as pool:
        list(pool.map(lambda a: a.arrive(), arrivals))
    firsts = [a.first_map_s for a in arrivals]
    updates = [ms for a in arrivals for ms in a.updates_ms]
    pids = [p for p in (kernel_pid(proc.pid, a.kernel) for a in arrivals) if p]
    figures = {
        "first_map_p50_s": statistics.median(firsts), "first_map_p95_s": np.percentile(firsts, 95),
        "update_p50_ms": statistics.median(updates), "update_p95_ms": np.percentile(updates, 95),
        "kernel_pss_mb": statistics.median(pss_mb(p) for p in pids),
        "kernel_rss_mb": statistics.median(rss_mb(p) for p in pids),
        "kernel_start_cpu_s": statistics.median(a.start_cpu for a in arrivals),
        "all_kernels_gb": sum(kernel_rss_mb(proc.pid)) / 1024,
    }
    for a in arrivals:
        a.close()
    time.sleep(5)
    figures["leftover_kernels"] = sum(kernel_pid(proc.pid, a.kernel) is not None for a in arrivals)
    return figures


def attack(proc, url: str, name: str, action) -> bool:
    """Run ``action`` in a thread; meanwhile another visitor arrives. True if the server's memory
    grew by < 200 MB and that visitor's first map was < 1 s later than just before."""
    time.sleep(2)
    before_s = first_map_s(url)
    time.sleep(2)
    before_mb = server_mb(proc.pid)
    worker = threading.Thread(target=action, daemon=True)
    worker.start()
    time.sleep(0.3)
    try:
        during_s = first_map_s_bounded(url, 30)
    finally:
        worker.join(300)
    time.sleep(2)
    grown_mb = server_mb(proc.pid) - before_mb
    ok = grown_mb < 200 and during_s - before_s < 1 and not worker.is_alive()
    print(f"  {name}: memory {grown_mb:+.0f} MB, another visitor's first map {before_s:.2f} s -> "
          f"{during_s:.2f} s: {'ok' if ok else 'FAILED'}", flush=True)
    return ok


def first_map_s_bounded(url: str, timeout_s: float) -> float:
    result = []
    worker = threading.Thread(target=lambda: result.append(first_map_s(url)), daemon=True)
    worker.start()
    worker.join(timeout_s)
    return result[0] if result else float("inf")


def hostile(proc, url: str) -> bool:
    def legacy_frame():
        attacker = Visitor(url)
        _, kernel = attacker.open_page()
        send_legacy_request_states(url, kernel)
        attacker.close_page(kernel)

    def comm_flood():
        attacker = Visitor(url)
        _, kernel = attacker.open_page()
        client = WidgetClient(url, kernel)
        for i in range(1000):
            client.send("comm_msg", {"comm_id": uuid.uuid4().hex if i % 2 else "x" * 32,
                                     "data": {"method": "update", "state": {"value": i}}})
        client.close()
        attacker.close_page(kernel)

    def page_loop():
        keeps_cookies = Visitor(url)
        for _ in range(50):
            keeps_cookies.get(timeout_s=60)
        for _ in range(50):  # curl keeps no cookies; -L follows the server's cookie redirect
            subprocess.run(["curl", "-sL", "-o", "/dev/null", "--max-time", "60", url], check=False)

    return all([attack(proc, url, "legacy request_states frame", legacy_frame),
                attack(proc, url, "1,000 comm messages", comm_flood),
                attack(proc, url, "100 page requests in a loop", page_loop)])


def run(kit: bool) -> dict:
    port = free_port()
    proc = start_voila(port, pool_size=POOL if kit else 1, cull_idle_s=600)
    if not kit:
        proc.terminate()
        proc.wait()
        proc.log.close()
        proc = start_upstream_voila(port)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url, timeout_s=300)
        wait_for_pool(proc.pid, POOL if kit else 1, timeout_s=400)
        figures = class_arrives(proc, url)
        if kit:
            wait_for_pool(proc.pid, POOL, timeout_s=400)
            figures["hostile_ok"] = int(hostile(proc, url))
        return figures
    except Exception:
        print("the server's log, its first errors and last lines:", log_excerpt(proc), sep="\n",
              file=sys.stderr)
        raise
    finally:
        stop(proc)


def start_upstream_voila(port: int):
    """The anchor: the same launch, on ``python -m voila``, with a pool of one."""
    import os
    import tempfile

    from explainer.serve import voila_launch

    launch = voila_launch(port, pool_size=1, base_env=dict(os.environ, PYTHONWARNINGS="ignore"))
    cmd = [c if c != "explainer.classroom" else "voila" for c in launch.cmd]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=launch.env)
    proc.log = log
    return proc


def show(name: str, f: dict) -> None:
    print(f"{name}: first map p50 {f['first_map_p50_s']:.1f} s, p95 {f['first_map_p95_s']:.1f} s; "
          f"update p50 {f['update_p50_ms']:.0f} ms, p95 {f['update_p95_ms']:.0f} ms; kernel "
          f"{f['kernel_pss_mb']:.0f} MB PSS ({f['kernel_rss_mb']:.0f} MB RSS), "
          f"{f['kernel_start_cpu_s']:.2f} s CPU to start; {ARRIVALS} kernels "
          f"{f['all_kernels_gb']:.1f} GB RSS; {f['leftover_kernels']} left 5 s after closing",
          flush=True)


def main():
    anchor = run(kit=False)
    show("anchor (upstream Voila, pool 1)", anchor)
    kit = run(kit=True)
    show(f"kit (classroom server, pool {POOL})", kit)
    print(f"arrivals={ARRIVALS} first_map_p95_s={kit['first_map_p95_s']:.1f} "
          f"update_p95_ms={kit['update_p95_ms']:.0f} kernel_mb={kit['kernel_pss_mb']:.0f} "
          f"kernel_start_cpu_s={kit['kernel_start_cpu_s']:.2f} hostile_ok={kit['hostile_ok']} "
          f"leftover_kernels={kit['leftover_kernels']}")


if __name__ == "__main__":
    main()
