"""Watching a dashboard server from outside: its port, its memory and its kernels (Linux /proc)."""

import os
import socket
from pathlib import Path

PORT_RANGE = os.environ.get("TEST_PORT_RANGE", "")
"""``first-last``: take the servers' ports from this range (machines shared by several people
running tests give each a range); empty: any free port."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1, from ``TEST_PORT_RANGE`` if set."""
    first, _, last = PORT_RANGE.partition("-")
    candidates = range(int(first), int(last) + 1) if first else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {PORT_RANGE}")


def _status(pid: int) -> dict[str, str]:
    text = Path(f"/proc/{pid}/status").read_text()
    return {k: v.strip() for k, v in (line.split(":", 1) for line in text.splitlines() if ":" in line)}


def rss_mb(pid: int) -> float:
    """Resident memory of one process, MB."""
    return int(_status(pid)["VmRSS"].split()[0]) / 1024


def kernel_pids(server_pid: int) -> list[int]:
    """The ipykernel processes started by the server."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if int(_status(int(entry.name)).get("PPid", "0")) != server_pid:
                continue
            if b"ipykernel" in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except (OSError, KeyError, ValueError):
            continue
    return pids


def kernel_rss_mb(server_pid: int) -> list[float]:
    """Resident memory (MB) of each kernel process started by the server."""
    sizes = []
    for pid in kernel_pids(server_pid):
        try:
            sizes.append(rss_mb(pid))
        except (OSError, KeyError):
            continue
    return sizes


def cpu_s(pid: int) -> float:
    """CPU time (user + system) a process has used, s."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_mb(server_pid: int) -> float:
    """Resident memory of the server and all its kernels, MB."""
    return rss_mb(server_pid) + sum(kernel_rss_mb(server_pid))
