"""Helpers to run warehouse code in child processes (chDB: one data directory per process)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def run_child(code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO)


@pytest.fixture
def owner_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A child process that opens an embedded warehouse, optionally serves it, and waits."""
    procs: list[subprocess.Popen[str]] = []

    def start(directory: Path, serve: bool = False) -> subprocess.Popen[str]:
        code = f"""
            import sys
            from vigil.warehouse import EmbeddedWarehouse, migrate
            wh = EmbeddedWarehouse.open({str(directory)!r}, "vigil")
            migrate(wh)
            if {serve!r}:
                from vigil.warehouse.served import serve
                serve(wh)
            print("ready", flush=True)
            sys.stdin.readline()
            wh.close()
        """
        proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line
        procs.append(proc)
        return proc

    yield start  # type: ignore[misc]
    for proc in procs:
        if proc.poll() is None:
            proc.communicate("\n", timeout=60)
