"""`vigil flows serve`'s runner drains on SIGTERM: no new runs, the running ones get their grace period."""

from __future__ import annotations

import asyncio
import time

from flows.scheduler import DrainingRunner


def runner_with(counts: list[int], grace_s: float) -> tuple[DrainingRunner, list[float]]:
    """A runner whose running flow runs are ``counts`` in turn (the last one from then on); the times
    at which it stopped are recorded instead of stopping a real runner."""
    runner = DrainingRunner(grace_s=grace_s)
    stopped: list[float] = []
    runner.running_flow_runs = lambda: counts.pop(0) if len(counts) > 1 else counts[0]  # type: ignore[method-assign]

    async def astop() -> None:
        stopped.append(time.monotonic())

    runner.astop = astop  # type: ignore[method-assign]
    return runner, stopped


def test_it_stops_as_soon_as_the_running_flow_runs_are_done() -> None:
    runner, stopped = runner_with([1, 1, 1, 0], grace_s=30)
    began = time.monotonic()
    asyncio.run(runner.drain_then_stop(poll_s=0.05))
    assert len(stopped) == 1 and stopped[0] - began < 5


def test_it_stops_after_the_grace_period_when_a_run_goes_on(caplog) -> None:
    runner, stopped = runner_with([1], grace_s=0.3)
    began = time.monotonic()
    asyncio.run(runner.drain_then_stop(poll_s=0.05))
    assert len(stopped) == 1 and 0.3 <= stopped[0] - began < 5
    assert any("still running after the grace period" in r.getMessage() for r in caplog.records)


def test_stopping_takes_no_new_runs() -> None:
    runner = DrainingRunner(grace_s=10)
    runner.stop_taking_runs()
    assert runner.stopping is True and runner.grace_s == 10
