"""Kernels forked from the zygote (:mod:`explainer.classroom.zygote`) instead of started afresh.

:class:`ForkedKernelManager` is jupyter_server's kernel manager with a provisioner
(:class:`ForkProvisioner`) that asks the zygote for a kernel process instead of running the
kernelspec's command; everything else (connection files, ports, restarts after a kill, interrupts,
shutdown) is jupyter_client's. A kernelspec that is not ``python -m ipykernel_launcher -f FILE``, or
a server without a zygote, gets a kernel started the usual way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.connect import LocalPortCache
from jupyter_client.provisioning import LocalProvisioner
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets.config import MultipleInstanceError

LAUNCHER = "ipykernel_launcher"
START_TIMEOUT_S = 120


class Zygote:
    """The zygote process of this server: started by :meth:`start`, reached at ``socket``."""

    current: Zygote | None = None
    """The running server's zygote (one per server process)."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="oe-zygote-")
        self.socket = str(Path(self.folder) / "zygote.sock")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the zygote (it preloads in the background; requests wait for its socket)."""
        self.process = subprocess.Popen([sys.executable, "-m", "explainer.classroom.zygote", self.socket])
        Zygote.current = self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        Path(self.socket).unlink(missing_ok=True)
        Path(self.folder).rmdir()

    async def fork(self, args: list[str], env: dict[str, str], cwd: str) -> int | None:
        """A new kernel process running ``ipykernel_launcher ARGS``: its pid, or None if the
        zygote is not running (it failed to start, or stopped)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not Path(self.socket).exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.1)
        try:
            reader, writer = await asyncio.open_unix_connection(self.socket)
        except OSError:
            return None
        try:
            request = {"args": args, "env": env, "cwd": cwd}
            writer.write(json.dumps(request).encode() + b"\n")
            await writer.drain()
            answer = await asyncio.wait_for(reader.readline(), START_TIMEOUT_S)
            return int(json.loads(answer)["pid"])
        except (TimeoutError, OSError, ValueError, KeyError):
            return None
        finally:
            writer.close()


class ForkedProcess:
    """A kernel process forked by the zygote, with the part of ``Popen``'s interface that
    jupyter_client uses. It is the zygote's child, not ours: its exit status is not known (the
    system reaps it), so it is reported as 0 once the process is gone."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid

    def poll(self) -> int | None:
        try:
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return 0
        return 0 if state in ("Z", "X") else None

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class KernelPorts(LocalPortCache):
    """jupyter_client's cache of kernel ports, choosing them below the system's ephemeral range.

    jupyter_client picks a kernel's five ports by binding port 0 (an ephemeral port), closing it
    and writing it to the connection file; the kernel binds it later. Meanwhile any outgoing
    connection may be given that port as its local port (jupyter/jupyter_client#487), and the
    kernel dies with "Address already in use": with a class arriving, this server opens hundreds
    of connections to its kernels while the pool refills, and a visitor got half a page. Ports
    below the ephemeral range are never handed out that way. :meth:`install` before the kernel
    manager starts any kernel; without a usable range, ports are chosen as upstream does.
    """

    FIRST = 20000
    """The lowest port used (ports below are more often taken by other services)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        try:
            ephemeral = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            ephemeral = 0
        self.ports = range(self.FIRST, ephemeral) if ephemeral - self.FIRST >= 1000 else range(0)

    @classmethod
    def install(cls) -> None:
        """Make this the port cache of every local kernel provisioner of this process (unless
        one was made already: then kernels keep upstream's ports)."""
        with contextlib.suppress(MultipleInstanceError):
            cls.instance()

    def find_available_port(self, ip: str) -> int:
        for _ in range(200 if self.ports else 0):
            port = random.choice(self.ports)
            if port in self.currently_used_ports:
                continue
            with socket.socket() as probe:
                try:
                    probe.bind((ip, port))
                except OSError:
                    continue
            self.currently_used_ports.add(port)
            return port
        return super().find_available_port(ip)


class ForkProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching ipykernel by a fork of the zygote."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        zygote = Zygote.current
        if zygote is None or LAUNCHER not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        args = cmd[cmd.index(LAUNCHER) + 1:]
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or Path.cwd())
        pid = await zygote.fork(args, env, cwd)
        if pid is None:
            self.log.warning("the kernel zygote is not running: starting a kernel afresh")
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)
        self.pid = self.pgid = pid  # the child calls setsid(): its own process group
        self.cwd = cwd
        return self.connection_info


class ForkedKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager, whose kernels are forked by :class:`ForkProvisioner`."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                               parent=self)
        return await super()._async_pre_start_kernel(**kw)
