"""Children as process groups: started in their own session, signalled, checked for life.

Each child leads its own process group, so the supervisor can reach what the child started (Prefect's
server under ``vigil flows server``, a crawl's Scrapy process) when the child is gone or will not stop.
A pid is identified with its start time (``/proc/<pid>/stat``), so a pid the kernel reused is never
taken for a child.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from vigil.supervisor.spec import ProcessSpec


def start(spec: ProcessSpec) -> subprocess.Popen:
    """Start ``spec`` in a new session, its output appended to its log file (else inherited)."""
    log = None
    if spec.log_file is not None:
        spec.log_file.parent.mkdir(parents=True, exist_ok=True)
        log = spec.log_file.open("ab")
    try:
        return subprocess.Popen(list(spec.argv), env={**os.environ, **spec.env}, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT if log else None, start_new_session=True)
    finally:
        if log is not None:
            log.close()


def start_ticks(pid: int) -> int | None:
    """When ``pid`` started, in clock ticks since boot (Linux); None where /proc does not tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        return int(stat[stat.rindex(")") + 2:].split()[19])  # field 22, counted after "pid (comm)"
    except (ValueError, IndexError):
        return None


def alive(pid: int, ticks: int | None = None) -> bool:
    """Is ``pid`` running (and, when ``ticks`` is known, the same process that started then)?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    if ticks is not None:
        now = start_ticks(pid)
        return now is None or now == ticks
    return True


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def end_group(pgid: int, timeout_s: float = 5.0) -> None:
    """What is left of a process group after its leader: SIGTERM, then SIGKILL after ``timeout_s``."""
    if not group_alive(pgid):
        return
    signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    signal_group(pgid, signal.SIGKILL)
