"""Watching a dashboard server from outside: its port, its memory and its kernels (Linux /proc)."""

import json
import os
import socket
from pathlib import Path

PORTS_ENV = "EXPLAINER_TEST_PORTS"
"""``FIRST-LAST``: the servers the tests and benchmarks start take free ports from this range only
(a shared machine where each user has a range); unset, any free port."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1, from the range in ``EXPLAINER_TEST_PORTS`` if set."""
    first, _, last = os.environ.get(PORTS_ENV, "").partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError(f"no free port in {PORTS_ENV}={os.environ[PORTS_ENV]}")


def _status(pid: int) -> dict[str, str]:
    text = Path(f"/proc/{pid}/status").read_text()
    return {k: v.strip() for k, v in (line.split(":", 1) for line in text.splitlines() if ":" in line)}


def rss_mb(pid: int) -> float:
    """Resident memory of one process, MB."""
    return int(_status(pid)["VmRSS"].split()[0]) / 1024


def _children(pid: int) -> list[tuple[int, bytes]]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if int(_status(int(entry.name)).get("PPid", "0")) == pid:
                found.append((int(entry.name), (entry / "cmdline").read_bytes()))
        except (OSError, KeyError, ValueError):
            continue
    return found


def kernel_pids(server_pid: int) -> list[int]:
    """The kernel processes of the server: started by it (ipykernel) or forked by its zygote."""
    pids = []
    for pid, cmdline in _children(server_pid):
        if b"ipykernel" in cmdline:
            pids.append(pid)
        elif b"explainer.classroom.zygote" in cmdline:
            pids += [kernel for kernel, _ in _children(pid)]
    return pids


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    return inodes


def kernel_pid(server_pid: int, kernel_id: str) -> int | None:
    """The process of kernel ``kernel_id``: the one listening on the shell port of its connection
    file (Voila keeps them in /tmp/voila_*/), found among :func:`kernel_pids`."""
    files = list(Path("/tmp").glob(f"voila_*/kernel-{kernel_id}.json"))
    if not files:
        return None
    try:
        inodes = _listening_inodes(json.loads(files[0].read_text())["shell_port"])
    except (OSError, ValueError, KeyError):
        return None
    for pid in kernel_pids(server_pid):
        try:
            fds = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:
            continue
        if any(fd.startswith("socket:[") and fd[8:-1] in inodes for fd in fds):
            return pid
    return None


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


def log_excerpt(proc, last: int = 30) -> str:
    """A started server's log (``proc.log``, see ``conftest.start_voila``): its first errors with
    the lines after them, and its last ``last`` lines."""
    proc.log.seek(0)
    lines = proc.log.read().decode("utf-8", "replace").splitlines()
    errors = [n for n, line in enumerate(lines) if "Traceback" in line or "ERROR" in line]
    shown = sorted({k for n in errors[:5] for k in range(n, min(n + 20, len(lines)))}
                   | set(range(max(0, len(lines) - last), len(lines))))
    return "\n".join(lines[k] for k in shown)
