"""What a dead supervisor left behind: its children are found by pid and start time, and stopped."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from vigil.supervisor import ProcessSpec
from vigil.supervisor.process import alive, start, start_ticks
from vigil.supervisor.state import reap_orphans, uptime

CHILD = Path(__file__).with_name("child.py")


def test_the_children_of_a_dead_supervisor_are_stopped(tmp_path: Path) -> None:
    orphan = start(ProcessSpec("orphan", (sys.executable, str(CHILD), "--record", str(tmp_path / "starts"))))
    ticks = start_ticks(orphan.pid)
    state = {"supervisor": {"pid": 2 ** 22 + 3, "ticks": 1, "state": "running"},
             "parts": [{"name": "orphan", "pid": orphan.pid, "ticks": ticks},
                       {"name": "reused", "pid": orphan.pid, "ticks": (ticks or 0) + 1},  # another process now
                       {"name": "gone", "pid": None, "ticks": None}]}
    live = {"supervisor": {**state["supervisor"], "pid": orphan.pid, "ticks": ticks}, "parts": state["parts"]}
    assert reap_orphans(live) == []  # its supervisor lives: nothing is touched
    reaper = threading.Thread(target=orphan.wait)  # init's part for a real orphan: no zombie stays
    reaper.start()
    assert reap_orphans(state) == [f"orphan (pid {orphan.pid})"]
    reaper.join(15)
    orphan.wait(15)
    assert not alive(orphan.pid)


def test_pids_are_told_apart_by_their_start_time() -> None:
    import os

    ticks = start_ticks(os.getpid())
    assert alive(os.getpid()) and alive(os.getpid(), ticks)
    if ticks is not None:  # Linux
        assert not alive(os.getpid(), ticks + 1)
    assert not alive(0) and not alive(2 ** 22 + 5)
    assert [uptime(s) for s in (None, 5, 65, 3700, 90000)] == ["-", "5s", "1m05s", "1h01m", "1d01h"]
