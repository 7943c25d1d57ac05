"""`vigil consume`: a stage as a long-running consumer with its metrics on HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_consume_classify_serves_metrics_and_exits_when_idle(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vigil", "consume", "classify", "--idle-exit", "2", "--metrics-port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "VIGIL_HOME": str(tmp_path)})
    try:
        body, deadline = "", time.monotonic() + 120
        while not body and time.monotonic() < deadline and proc.poll() is None:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
            except OSError:
                time.sleep(0.2)
        out, err = proc.communicate(timeout=180)
    finally:
        proc.kill()
    assert "# TYPE vigil_bus_batch_seconds histogram" in body, err
    assert proc.returncode == 0, err
    assert "raw-documents: 0 consumed, 0 classified, 0 dead letters" in out
