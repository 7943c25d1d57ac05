"""`vigil serve` in embedded mode: with no owner, it becomes the warehouse's owner and serves it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from vigil.warehouse import read_owner


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.mark.slow
@pytest.mark.warehouse
def test_serve_owns_and_serves_the_embedded_warehouse(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "vigil", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "VIGIL_HOME": str(tmp_path)})
    try:
        status, deadline = 0, time.monotonic() + 120
        while status != 200 and time.monotonic() < deadline and proc.poll() is None:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/readyz")
            except OSError:
                time.sleep(0.3)
        assert status == 200 and proc.poll() is None, proc.stdout.read() if proc.poll() is not None else status
        owner = read_owner(tmp_path / "warehouse")
        assert owner is not None and owner.pid == proc.pid and owner.endpoint  # served to other processes
        status, page = _get(f"http://127.0.0.1:{port}/login")
        assert status == 200 and "Sign in" in page
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, output
    assert read_owner(tmp_path / "warehouse") is None  # the lock is released on the way out
