"""The supervisor with tiny child processes (child.py): restarts with backoff, the state file, a clean
stop on SIGTERM that reaches what the children started, and hung or never-ready children restarted."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from vigil.supervisor import (
    Probe,
    ProcessSpec,
    RestartPolicy,
    Supervisor,
    current_status,
)
from vigil.supervisor.parts import free_port
from vigil.supervisor.process import alive

CHILD = Path(__file__).with_name("child.py")
REPO = Path(__file__).resolve().parents[3]


def spec(name: str, tmp_path: Path, *args: str, **options) -> ProcessSpec:
    return ProcessSpec(name=name, argv=(sys.executable, str(CHILD), "--record", str(tmp_path / f"{name}.starts"),
                                        *args), log_file=tmp_path / "logs" / f"{name}.log", **options)


def starts(tmp_path: Path, name: str) -> list[tuple[int, float]]:
    path = tmp_path / f"{name}.starts"
    if not path.exists():
        return []
    return [(int(pid), float(at)) for pid, at in (line.split() for line in path.read_text().splitlines())]


def wait_for(what: str, check: Callable[[], object], timeout_s: float = 20.0) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


@contextmanager
def supervising(specs: list[ProcessSpec], tmp_path: Path, **options) -> Iterator[Supervisor]:
    supervisor = Supervisor(specs, state_file=tmp_path / "up.json", tick_s=0.05, **options)
    stop = threading.Event()
    thread = threading.Thread(target=supervisor.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield supervisor
    finally:
        stop.set()
        thread.join(30)
        assert not thread.is_alive()


def test_a_child_that_dies_is_restarted_with_a_growing_backoff(tmp_path: Path, caplog) -> None:
    policy = RestartPolicy(backoff_s=0.1, max_backoff_s=0.4, reset_after_s=60)
    caplog.set_level(logging.INFO, logger="vigil.supervisor")
    with supervising([spec("crashy", tmp_path, "--exit-after", "0.1", restart=policy)], tmp_path) as supervisor:
        wait_for("five starts", lambda: len(starts(tmp_path, "crashy")) >= 5)
        state = current_status(tmp_path / "up.json")
    at = [moment for _, moment in starts(tmp_path, "crashy")]
    gaps = [later - earlier for earlier, later in zip(at, at[1:])]
    for gap, delay in zip(gaps, [0.1, 0.2, 0.4, 0.4]):
        assert gap >= 0.1 + delay - 0.02, (gaps, delay)  # it ran 0.1 s, then waited its backoff
    assert gaps[2] > gaps[0]
    part = state["parts"][0]
    assert part["last_exit"] == 3 and part["restarts"] >= 4
    assert supervisor.child("crashy").restarts >= 4
    downs = [r for r in caplog.records if r.getMessage() == "child down; restarting after its backoff"]
    assert [r.restart_in_s for r in downs[:4]] == [0.1, 0.2, 0.4, 0.4]
    assert [r.restarts for r in downs[:4]] == [0, 1, 2, 3] and "exited with code 3" in downs[0].reason


def test_the_state_file_shows_each_part_its_pid_uptime_and_restarts(tmp_path: Path) -> None:
    port = free_port()
    first = spec("first", tmp_path, "--port", str(port), "--ready-after", "0.5", tier=0,
                 readiness=Probe(f"http://127.0.0.1:{port}/healthz"))
    second = spec("second", tmp_path, tier=1)  # no probe: ready once started
    with supervising([first, second], tmp_path) as supervisor:
        wait_for("both parts ready", lambda: supervisor.state == "running" and all(
            child.ready for child in supervisor.children))
        wait_for("the state file to say so, and both started", lambda: (current_status(
            tmp_path / "up.json") or {}).get("supervisor", {}).get("ready") and starts(tmp_path, "second"))
        state = current_status(tmp_path / "up.json")
        assert state["running"] and state["supervisor"]["pid"] == os.getpid()
        parts = {part["name"]: part for part in state["parts"]}
        assert [p["name"] for p in state["parts"]] == ["first", "second"]
        for name in ("first", "second"):
            assert parts[name]["pid"] == starts(tmp_path, name)[0][0]
            assert parts[name]["alive"] and parts[name]["ready"] and parts[name]["restarts"] == 0
            assert parts[name]["uptime_s"] >= 0 and parts[name]["state"] == "ready"
        assert parts["first"]["readiness"] == f"http://127.0.0.1:{port}/healthz"
        # tier 1 started only once tier 0 was ready
        assert starts(tmp_path, "second")[0][1] >= starts(tmp_path, "first")[0][1] + 0.5
    after = current_status(tmp_path / "up.json")
    assert not after["running"] and after["supervisor"]["state"] == "stopped"
    assert not any(part["alive"] for part in after["parts"])
    assert not any(alive(pid) for name in ("first", "second") for pid, _ in starts(tmp_path, name))


def test_sigterm_stops_every_child_and_what_they_started(tmp_path: Path) -> None:
    specs = [spec("parent", tmp_path, "--grandchild"),
             spec("stubborn", tmp_path, "--ignore-term", stop_timeout_s=1.0)]  # SIGKILL after 1 s
    script = textwrap.dedent(f"""
        import signal, threading
        from pathlib import Path
        from vigil.supervisor import ProcessSpec, Supervisor
        specs = [ProcessSpec(name=s[0], argv=tuple(s[1]), stop_timeout_s=s[2]) for s in {[
            (s.name, list(s.argv), s.stop_timeout_s) for s in specs]!r}]
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        Supervisor(specs, state_file=Path({str(tmp_path / "up.json")!r}), tick_s=0.05).run(stop)
    """)
    supervisor = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        wait_for("both children and the grandchild", lambda: starts(tmp_path, "parent") and starts(
            tmp_path, "stubborn") and (tmp_path / "parent.grandchild").exists()
            and (current_status(tmp_path / "up.json") or {}).get("supervisor", {}).get("state") == "running")
        grandchild = int((tmp_path / "parent.grandchild").read_text().split()[0])
        pids = [starts(tmp_path, "parent")[0][0], starts(tmp_path, "stubborn")[0][0], grandchild]
        assert all(alive(pid) for pid in pids)
        began = time.monotonic()
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(30) == 0
        assert time.monotonic() - began >= 1.0  # the stubborn child had its stop timeout
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    wait_for("every process gone", lambda: not any(alive(pid) for pid in pids), 5)
    state = current_status(tmp_path / "up.json")
    assert state["supervisor"]["state"] == "stopped" and not state["running"]
    assert {part["name"]: part["state"] for part in state["parts"]} == {"parent": "stopped", "stubborn": "stopped"}


def test_a_hung_child_is_restarted_when_its_liveness_probe_keeps_failing(tmp_path: Path, caplog) -> None:
    port, hang = free_port(), tmp_path / "hang"
    caplog.set_level(logging.INFO, logger="vigil.supervisor")
    hung = spec("hung", tmp_path, "--port", str(port), "--hang-file", str(hang), "--ignore-term",
                liveness=Probe(f"http://127.0.0.1:{port}/healthz", timeout_s=0.3),
                restart=RestartPolicy(backoff_s=0.1, liveness_failures=2), stop_timeout_s=0.5)
    with supervising([hung], tmp_path, health_interval_s=0.2) as supervisor:
        wait_for("the child ready", lambda: supervisor.child("hung").ready)
        first = starts(tmp_path, "hung")[0][0]
        hang.write_text(str(first))  # its /healthz stops answering; it ignores SIGTERM too
        wait_for("a second start", lambda: len(starts(tmp_path, "hung")) >= 2)
        wait_for("the new one ready", lambda: supervisor.child("hung").ready)
        assert not alive(first)  # killed (SIGKILL after its stop timeout)
        assert supervisor.child("hung").restarts == 1
    [restart] = [r for r in caplog.records if r.getMessage() == "restarting a child that is not healthy"]
    assert restart.part == "hung" and "liveness failed 2 times in a row" in restart.reason


def test_a_child_not_ready_in_time_is_restarted(tmp_path: Path) -> None:
    port = free_port()
    slow = spec("slow", tmp_path, "--port", str(port), "--ready-after", "999",
                readiness=Probe(f"http://127.0.0.1:{port}/healthz"), restart=RestartPolicy(backoff_s=0.1))
    with supervising([slow], tmp_path, ready_timeout_s=0.5, health_interval_s=0.1) as supervisor:
        wait_for("a restart", lambda: len(starts(tmp_path, "slow")) >= 2)
        assert "not ready after" in supervisor.child("slow").detail or supervisor.child("slow").restarts >= 1


def test_probes_over_tcp_and_http() -> None:
    port = free_port()
    assert Probe(f"tcp://127.0.0.1:{port}").check()[0] is False
    assert Probe(f"http://127.0.0.1:{port}/healthz", timeout_s=0.5).check()[0] is False
    assert RestartPolicy(backoff_s=1, max_backoff_s=5).delay(1) == 1
    assert [RestartPolicy(backoff_s=1, max_backoff_s=5).delay(n) for n in (2, 3, 4)] == [2, 4, 5]
