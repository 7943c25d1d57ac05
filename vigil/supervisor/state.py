"""The supervisor's state file (``<home>/run/up.json``) and what a reader makes of it.

The supervisor rewrites the file (atomically) whenever a child changes state and after every round
of probes; a reader (``vigil up --status``, ``vigil status``) checks that the supervisor and each pid
are still alive, since a supervisor killed with SIGKILL cannot say so itself.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vigil.supervisor.process import alive, end_group


def write_state(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(state, indent=2, default=str), encoding="utf-8")
    os.replace(temporary, path)


def read_state(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def current_status(path: Path, now: datetime | None = None) -> dict[str, Any] | None:
    """The state file as it stands now: ``running`` (the supervisor lives), and for each part
    ``alive`` (its pid lives) and ``uptime_s``; None when there is no state file."""
    state = read_state(path)
    if state is None:
        return None
    now = now or datetime.now(timezone.utc)
    supervisor = state.get("supervisor", {})
    running = alive(int(supervisor.get("pid") or 0), supervisor.get("ticks")) and supervisor.get("state") != "stopped"
    state["running"] = running
    for part in state.get("parts", []):
        pid = part.get("pid")
        part["alive"] = bool(running and pid and alive(int(pid), part.get("ticks")))
        since = part.get("started_at")
        part["uptime_s"] = (now - datetime.fromisoformat(since)).total_seconds() if part["alive"] and since else None
    return state


def reap_orphans(state: dict[str, Any] | None) -> list[str]:
    """Stop the children a dead supervisor left running (``state`` is its last state file), so that a
    new one does not find the warehouse owned or its ports taken; return their names."""
    if not state:
        return []
    supervisor = state.get("supervisor", {})
    if alive(int(supervisor.get("pid") or 0), supervisor.get("ticks")):
        return []
    reaped = []
    for part in state.get("parts", []):
        pid = part.get("pid")
        if pid and part.get("ticks") is not None and alive(int(pid), part["ticks"]):
            end_group(int(pid), timeout_s=10)
            reaped.append(f"{part['name']} (pid {pid})")
    return reaped


def uptime(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    if seconds < 86400:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 86400}d{seconds % 86400 // 3600:02d}h"
