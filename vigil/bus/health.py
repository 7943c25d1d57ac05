"""A consumer process's liveness and readiness, served beside its metrics (``/healthz``, ``/readyz``).

The consumer loop reports each round of each stage (:func:`HEALTH.beat <Health.beat>`): when it came
round and whether the stage's consumer is in its group (partitions assigned, or a stable member
with none left for it). Commands add the checks of what else the stage needs (the warehouse).

- **alive**: every stage came round within ``stall_after_s`` (``bus.stall_after_s``), and none
  has ended; a process whose stages have not started yet is alive (it is starting);
- **ready**: alive, every stage has started and is in its group, and every check passes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Check = Callable[[], tuple[bool, str]]


@dataclass
class _Beat:
    at: float
    in_group: bool
    ended: bool = False


class Health:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._beats: dict[str, _Beat] = {}
        self._checks: dict[str, Check] = {}

    def beat(self, stage: str, in_group: bool) -> None:
        with self._lock:
            self._beats[stage] = _Beat(time.monotonic(), in_group)

    def ended(self, stage: str) -> None:
        with self._lock:
            if stage in self._beats:
                self._beats[stage].ended = True

    def add_check(self, name: str, check: Check) -> None:
        with self._lock:
            self._checks[name] = check

    def clear(self) -> None:
        with self._lock:
            self._beats.clear()
            self._checks.clear()

    def liveness(self, stall_after_s: float) -> tuple[bool, dict[str, Any]]:
        now = time.monotonic()
        with self._lock:
            beats = dict(self._beats)
        stages = {name: {"last_round_s": round(now - beat.at, 1), "ended": beat.ended} for name, beat in beats.items()}
        alive = all(not beat.ended and now - beat.at <= stall_after_s for beat in beats.values())
        return alive, {"status": "ok" if alive else "stalled", "stages": stages}

    def readiness(self, stall_after_s: float) -> tuple[bool, dict[str, Any]]:
        alive, body = self.liveness(stall_after_s)
        with self._lock:
            beats, checks = dict(self._beats), dict(self._checks)
        for name, beat in beats.items():
            body["stages"][name]["in_group"] = beat.in_group
        results = {}
        for name, check in checks.items():
            try:
                ok, detail = check()
            except Exception as exc:  # noqa: BLE001 - a failing check is an answer, not an error
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            results[name] = {"ok": ok, "detail": detail}
        ready = alive and bool(beats) and all(b.in_group for b in beats.values()) and all(
            r["ok"] for r in results.values())
        body.update(status="ready" if ready else "not ready", checks=results)
        return ready, body


HEALTH = Health()  # the process's: one consumer process, one health
