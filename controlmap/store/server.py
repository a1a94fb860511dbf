"""Start and stop a local Oxigraph SPARQL server (PyPI ``oxigraph``) on loopback, for tests, benchmarks and analysts."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

from ..errors import StoreError, StoreUnavailableError
from .remote import RemoteStore, _is_loopback

__all__ = ["OxigraphServer", "free_port", "oxigraph_binary"]


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server program (installed by ``pip install 'controlmap[server]'``)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreUnavailableError("the Oxigraph server program is not installed: pip install 'controlmap[server]' "
                                    "(PyPI package oxigraph)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` as a context manager.

    Only loopback addresses are accepted: a shared server for several municipalities runs behind the
    reverse proxy of ``deploy/`` (see docs/shared-server.md).
    """

    def __init__(self, location: str | Path | None, *, host: str = "127.0.0.1", port: int | None = None,
                 log: str | Path | None = None, startup_timeout: float = 20.0):
        if not _is_loopback(host):
            raise StoreError(f"{host}: this helper serves on loopback only; put a shared server behind the proxy "
                             "of deploy/ (docs/shared-server.md)")
        self.location = Path(location) if location is not None else None
        self.host = host
        self.port = port or free_port(host)
        self.log = Path(log) if log else None
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self._log_handle: BinaryIO | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        cmd = [oxigraph_binary(), "serve", "--bind", f"{self.host}:{self.port}"]
        if self.location is not None:
            cmd[2:2] = ["--location", str(self.location)]
        return cmd

    def start(self) -> OxigraphServer:
        if self.location is not None:
            self.location.mkdir(parents=True, exist_ok=True)
        out: int | BinaryIO = subprocess.DEVNULL
        if self.log:
            self._log_handle = self.log.open("ab")
            out = self._log_handle
        self.process = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        probe = RemoteStore(self.url, timeout=1.0, retries=0)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            status = self.process.poll()
            if status is not None:
                self.stop()
                raise StoreUnavailableError(f"oxigraph serve exited with status {status}"
                                            + (f"; see {self.log}" if self.log else ""), url=self.url)
            try:
                probe.ping()
                return self
            except StoreError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise StoreUnavailableError(f"oxigraph serve did not answer within {self.startup_timeout:g} s",
                                                url=self.url) from None
                time.sleep(0.05)

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def __enter__(self) -> OxigraphServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()
