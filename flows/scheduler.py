"""``vigil flows serve``: Prefect's runner, except that a stop lets the running flow runs finish.

Prefect's runner cancels the flow runs in progress when it gets SIGTERM. Under ``vigil up`` (or any
service manager) a stop should rather drain: on SIGTERM this runner takes no new runs and waits up to
``grace_s`` for the running ones, then stops as Prefect's does, cancelling whatever is left. A
second SIGTERM, or Ctrl-C, stops at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from prefect.exceptions import TerminationSignal
from prefect.runner import Runner

from vigil.logs import get_logger

log = get_logger(__name__)


class DrainingRunner(Runner):
    def __init__(self, *args: Any, grace_s: float = 0.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grace_s = grace_s

    def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
        if self.grace_s <= 0 or not self.started or self.stopping or self._loop is None:
            return super().handle_sigterm(*args, **kwargs)
        log.info("SIGTERM: taking no new flow runs, waiting for the running ones",
                 extra={"running": self.running_flow_runs(), "grace_s": self.grace_s})
        self.stop_taking_runs()
        self.execute_in_background(self.drain_then_stop)

    def running_flow_runs(self) -> int:
        return self._process_manager.flow_run_count()

    def stop_taking_runs(self) -> None:
        self.stopping = True  # the runner's poll for scheduled runs returns at once
        poller = getattr(self, "_scheduled_run_poller", None)
        if poller is not None:
            poller.stopping = True

    async def drain_then_stop(self, poll_s: float = 0.5) -> None:
        """Wait until no flow run is running, or ``grace_s`` has passed; then stop (cancelling the rest)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace_s
        while self.running_flow_runs() and loop.time() < deadline:
            await asyncio.sleep(poll_s)
        left = self.running_flow_runs()
        if left:
            log.warning("flow runs still running after the grace period; cancelling them",
                        extra={"running": left, "grace_s": self.grace_s})
        await self.astop()


def serve(deployments: list[Any], grace_s: float = 0.0, crash_orphans: bool = False) -> None:
    """Serve ``deployments`` until stopped (``prefect.serve``, draining for ``grace_s`` on SIGTERM).
    ``crash_orphans``: this is their only scheduler, so runs of them still running are orphans
    (``flows.orphans``)."""
    from flows.orphans import crash_orphaned_runs

    runner = DrainingRunner(pause_on_shutdown=True, grace_s=grace_s)
    ids = [runner.add_deployment(deployment) for deployment in deployments]
    if crash_orphans:
        try:
            crash_orphaned_runs(ids)
        except Exception as exc:  # noqa: BLE001 - a sweep that fails must not keep the schedules from running
            log.warning("could not look for flow runs left behind; their slots free when Prefect's lease ends",
                        extra={"error": repr(exc)})
    print(f"serving {len(deployments)} deployment(s): {', '.join(d.name for d in deployments)}", flush=True)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal) as exc:
        log.info("stopped", extra={"signal": type(exc).__name__})
