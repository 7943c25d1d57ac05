"""The supervisor: start children tier by tier, keep them alive, stop them cleanly.

Every round (a fraction of a second) it reaps children that exited and restarts them after their
backoff; every ``health_interval_s`` it asks each child's probes: a child becomes ready when its
readiness probe first answers, and once ready, a child whose liveness probe fails
``liveness_failures`` times in a row is taken as hung and restarted (SIGTERM, then SIGKILL after its
stop timeout), as is a child that is not ready within ``ready_timeout_s`` of its start. Each start,
exit, readiness and restart is logged with the child's restart count, and the state file is
rewritten after every change. :meth:`Supervisor.run` returns once ``stop`` is set and every child
has stopped, tier by tier in reverse.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vigil.logs import get_logger
from vigil.supervisor import process
from vigil.supervisor.spec import ProcessSpec
from vigil.supervisor.state import write_state

log = get_logger("vigil.supervisor")
LEFTOVER_TIMEOUT_S = 5.0  # what a dead child left in its group gets between SIGTERM and SIGKILL


@dataclass
class Child:
    spec: ProcessSpec
    process: subprocess.Popen | None = None
    state: str = "waiting"  # waiting, starting, ready, backoff, stopping, stopped
    started: float = 0.0  # monotonic
    started_at: datetime | None = None
    ticks: int | None = None
    launches: int = 0
    failures_in_a_row: int = 0
    liveness_misses: int = 0
    ready: bool = False
    ever_ready: bool = False
    restart_at: float = 0.0
    stop_deadline: float = 0.0
    restart_after_stop: bool = False
    last_exit: int | None = None
    detail: str = ""
    next_probe: float = 0.0

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def restarts(self) -> int:
        return max(self.launches - 1, 0)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def row(self) -> dict[str, Any]:
        spec = self.spec
        return {
            "name": self.name, "state": self.state, "pid": self.process.pid if self.running else None,
            "ticks": self.ticks if self.running else None,
            "started_at": self.started_at.isoformat() if self.started_at and self.running else None,
            "restarts": self.restarts, "last_exit": self.last_exit, "ready": self.ready, "detail": self.detail,
            "liveness": spec.liveness.url if spec.liveness else None,
            "readiness": spec.ready_probe.url if spec.ready_probe else None,
            "log": str(spec.log_file) if spec.log_file else None, "argv": list(spec.argv),
        }


@dataclass
class Supervisor:
    specs: Iterable[ProcessSpec]
    state_file: Path | None = None
    health_interval_s: float = 5.0
    ready_timeout_s: float = 300.0
    meta: Mapping[str, Any] = field(default_factory=dict)
    tick_s: float = 0.2

    def __post_init__(self) -> None:
        self.children = [Child(spec) for spec in self.specs]
        names = [child.name for child in self.children]
        if len(set(names)) != len(names):
            raise ValueError(f"children share a name: {names}")
        self.state = "starting"
        self.started_at = datetime.now(timezone.utc)
        self._leftovers: dict[int, float] = {}  # process group -> when to SIGKILL it
        self._dirty = True
        self._probes = ThreadPoolExecutor(max_workers=8, thread_name_prefix="probe")

    def child(self, name: str) -> Child:
        return next(child for child in self.children if child.name == name)

    @property
    def tiers(self) -> list[list[Child]]:
        levels = sorted({child.spec.tier for child in self.children})
        return [[child for child in self.children if child.spec.tier == level] for level in levels]

    # -- the loop ---------------------------------------------------------------------------------

    def run(self, stop: threading.Event, kill_now: threading.Event | None = None) -> None:
        """Start every child, supervise until ``stop`` is set, then stop them all (at once with
        SIGKILL if ``kill_now`` is set meanwhile)."""
        try:
            self._start_all(stop)
            if not stop.is_set():
                self.state = "running"
                self._dirty = True
            while not stop.is_set():
                self._round()
                stop.wait(self.tick_s)
        finally:
            self._stop_all(kill_now or threading.Event())
            self._probes.shutdown(wait=False, cancel_futures=True)

    def _start_all(self, stop: threading.Event) -> None:
        for tier in self.tiers:
            began = time.monotonic()
            for child in tier:
                self._launch(child)
            while not stop.is_set() and not all(child.ready for child in tier):
                if time.monotonic() - began > self.ready_timeout_s:
                    waiting = [child.name for child in tier if not child.ready]
                    log.warning("starting the next parts although some are not ready",
                                extra={"not_ready": waiting, "after_s": round(time.monotonic() - began)})
                    break
                self._round()
                stop.wait(self.tick_s)
            if stop.is_set():
                return
        log.info("all parts started", extra={"parts": [child.name for child in self.children],
                                              "ready": all(child.ready for child in self.children)})

    def _round(self) -> None:
        now = time.monotonic()
        for child in self.children:
            if child.process is not None and child.process.poll() is not None:
                self._exited(child)
            elif child.state == "backoff" and now >= child.restart_at and self.state != "stopping":
                self._launch(child)
            elif child.state == "stopping" and now >= child.stop_deadline and child.running:
                log.warning("child did not stop in time; killing its process group",
                            extra={"part": child.name, "pid": child.process.pid})  # type: ignore[union-attr]
                process.signal_group(child.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
                child.stop_deadline = now + 3600  # once
        for pgid, deadline in list(self._leftovers.items()):
            if not process.group_alive(pgid):
                del self._leftovers[pgid]
            elif now >= deadline:
                process.signal_group(pgid, signal.SIGKILL)
                del self._leftovers[pgid]
        if self.state != "stopping":
            self._probe_due(now)
        if self._dirty:
            self.write()

    # -- children ---------------------------------------------------------------------------------

    def _launch(self, child: Child) -> None:
        child.launches += 1
        child.ready = child.ever_ready = False
        child.liveness_misses = 0
        child.next_probe = 0.0
        child.started = time.monotonic()
        child.started_at = datetime.now(timezone.utc)
        try:
            child.process = process.start(child.spec)
        except OSError as exc:
            child.process = None
            child.failures_in_a_row += 1
            self._schedule_restart(child, f"could not start: {exc}")
            return
        child.ticks = process.start_ticks(child.process.pid)
        child.state = "starting"
        child.detail = ""
        if child.spec.ready_probe is None:
            child.ready = child.ever_ready = True
            child.state = "ready"
        fields = {"part": child.name, "pid": child.process.pid, "restarts": child.restarts}
        if child.launches == 1:
            log.info("started", extra=fields)
        else:
            log.warning("restarted", extra={**fields, "failures_in_a_row": child.failures_in_a_row})
        self._dirty = True

    def _exited(self, child: Child) -> None:
        assert child.process is not None
        code = child.process.returncode
        pid = child.process.pid
        ran = time.monotonic() - child.started
        child.last_exit = code
        child.ready = False
        child.process = None
        if process.group_alive(pid):  # what it started and left behind
            process.signal_group(pid, signal.SIGTERM)
            self._leftovers[pid] = time.monotonic() + LEFTOVER_TIMEOUT_S
        self._dirty = True
        if self.state == "stopping":
            child.state = "stopped"
            log.info("stopped", extra={"part": child.name, "pid": pid, "exit_code": code,
                                        "restarts": child.restarts})
            return
        if child.restart_after_stop:
            child.restart_after_stop = False
            self._schedule_restart(child, child.detail)
            return
        if ran >= child.spec.restart.reset_after_s:
            child.failures_in_a_row = 0
        child.failures_in_a_row += 1
        self._schedule_restart(child, f"exited with code {code} after {ran:.1f}s", tail=_tail(child.spec.log_file))

    def _schedule_restart(self, child: Child, why: str, tail: str | None = None) -> None:
        delay = child.spec.restart.delay(max(child.failures_in_a_row, 1))
        child.state = "backoff"
        child.restart_at = time.monotonic() + delay
        child.detail = why
        extra: dict[str, Any] = {"part": child.name, "reason": why, "restarts": child.restarts,
                                 "failures_in_a_row": child.failures_in_a_row, "restart_in_s": round(delay, 2)}
        if tail:
            extra["log_tail"] = tail
        log.warning("child down; restarting after its backoff", extra=extra)
        self._dirty = True

    def _stop_for_restart(self, child: Child, why: str) -> None:
        log.warning("restarting a child that is not healthy", extra={
            "part": child.name, "pid": child.process.pid if child.process else None, "reason": why,
            "restarts": child.restarts})
        child.failures_in_a_row += 1
        child.detail = why
        child.restart_after_stop = True
        self._terminate(child)

    def _terminate(self, child: Child) -> None:
        if child.running:
            try:
                os.kill(child.process.pid, signal.SIGTERM)  # type: ignore[union-attr]
            except ProcessLookupError:
                pass
        child.state = "stopping"
        child.stop_deadline = time.monotonic() + child.spec.stop_timeout_s
        self._dirty = True

    # -- probes -----------------------------------------------------------------------------------

    def _probe_due(self, now: float) -> None:
        """Ask the probes of the children due: every ``health_interval_s``, every second while starting."""
        asked = [child for child in self.children
                 if child.running and child.state in {"starting", "ready"} and now >= child.next_probe]
        if not asked:
            return
        for child in asked:
            child.next_probe = now + (self.health_interval_s if child.ever_ready else min(self.health_interval_s, 1.0))
        answers = list(self._probes.map(_ask, asked))
        now = time.monotonic()
        for child, (ready, alive) in zip(asked, answers):
            if not child.running or child.state not in {"starting", "ready"}:
                continue  # changed meanwhile
            if ready is not None:
                ok, detail = ready
                if ok and not child.ever_ready:
                    log.info("ready", extra={"part": child.name, "pid": child.process.pid,  # type: ignore[union-attr]
                                             "after_s": round(now - child.started, 1), "restarts": child.restarts})
                if ok != child.ready:
                    self._dirty = True
                child.ready = ok
                child.ever_ready = child.ever_ready or ok
                child.state = "ready" if child.ever_ready else "starting"
                child.detail = "" if ok else f"not ready: {detail}"
                if not child.ever_ready and now - child.started > self.ready_timeout_s:
                    self._stop_for_restart(child, f"not ready after {self.ready_timeout_s:.0f}s ({detail})")
                    continue
            if alive is not None and child.ever_ready:
                ok, detail = alive
                child.liveness_misses = 0 if ok else child.liveness_misses + 1
                if not ok:
                    child.detail = f"liveness failed {child.liveness_misses}x: {detail}"
                    self._dirty = True
                if child.liveness_misses >= child.spec.restart.liveness_failures:
                    self._stop_for_restart(child, f"liveness failed {child.liveness_misses} times in a row ({detail})")

    # -- stopping ---------------------------------------------------------------------------------

    def _stop_all(self, kill_now: threading.Event) -> None:
        self.state = "stopping"
        self._dirty = True
        log.info("stopping every part", extra={"parts": [c.name for c in self.children if c.running]})
        for child in self.children:
            if not child.running:
                child.state = "stopped"
        for tier in reversed(self.tiers):
            for child in tier:
                if child.running:
                    self._terminate(child)
            while any(child.running for child in tier):
                if kill_now.is_set():
                    for child in tier:
                        if child.running:
                            process.signal_group(child.process.pid, signal.SIGKILL)  # type: ignore[union-attr]
                self._round()
                time.sleep(self.tick_s / 2)
            for child in tier:
                if child.process is not None:  # exited between the last round and the check
                    self._exited(child)
        deadline = time.monotonic() + LEFTOVER_TIMEOUT_S + 1
        while self._leftovers and time.monotonic() < deadline:
            self._round()
            time.sleep(0.1)
        self.state = "stopped"
        self.write()
        log.info("every part stopped", extra={"restarts": {c.name: c.restarts for c in self.children}})

    # -- state ------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {
            "supervisor": {
                "pid": os.getpid(), "ticks": process.start_ticks(os.getpid()), "state": self.state,
                "started_at": self.started_at.isoformat(), "ready": all(child.ready for child in self.children),
                "updated_at": datetime.now(timezone.utc).isoformat(), **self.meta,
            },
            "parts": [child.row() for child in self.children],
        }

    def write(self) -> None:
        self._dirty = False
        if self.state_file is not None:
            write_state(self.state_file, self.snapshot())


def _ask(child: Child) -> tuple[tuple[bool, str] | None, tuple[bool, str] | None]:
    spec = child.spec
    ready = spec.ready_probe.check() if spec.ready_probe is not None else None
    if spec.liveness is None:
        return ready, None
    if spec.liveness is spec.ready_probe and ready is not None:
        return ready, ready
    return ready, spec.liveness.check()


def _tail(path: Path | None, lines: int = 5, limit: int = 4096) -> str | None:
    """The last lines a child wrote to its log (for the message that says it died)."""
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            handle.seek(max(handle.seek(0, os.SEEK_END) - limit, 0))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return None
    return "\n".join(text.strip().splitlines()[-lines:]) or None
