"""Flow runs left behind by a scheduler that died: mark them crashed when the next one starts.

A flow run started by ``vigil flows serve`` runs in a child of that process. When the scheduler is
killed (SIGKILL, an out-of-memory kill, a lost machine), Prefect still believes the run is running:
its state stays RUNNING and it keeps the deployment's concurrency slot (``concurrency_limit=1``)
until the engine's lease, renewed every 300 s by the now dead process, runs out. The next scheduled
run of that deployment waits that long.

When a scheduler is the only one serving its deployments (``vigil up`` holds one per home and says
so with ``--crash-orphans``), every run of those deployments still RUNNING, PENDING or CANCELLING when
it starts belongs to a scheduler that is gone. It marks each CRASHED, with the reason, which frees
the slot at once and leaves the run visible as crashed rather than silently running forever. The
crawl such a run left cut short is recorded failed (``crawlers.run``), so its pages come again.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from vigil.logs import get_logger

log = get_logger(__name__)
LEFT_BEHIND = ("RUNNING", "PENDING", "CANCELLING")


def crash_orphaned_runs(deployment_ids: Iterable[UUID], reason: str = "its scheduler stopped without "
                        "finishing it (found by the next scheduler at start)") -> list[str]:
    """Mark every left-behind run of ``deployment_ids`` CRASHED; return their ids."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterDeploymentId,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.states import Crashed

    ids = list(deployment_ids)
    if not ids:
        return []
    crashed = []
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=ids),
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType[s] for s in LEFT_BEHIND]))))
        for run in runs:
            client.set_flow_run_state(run.id, Crashed(message=reason), force=True)
            crashed.append(str(run.id))
            log.warning("flow run left behind by a stopped scheduler marked crashed",
                        extra={"flow_run": str(run.id), "flow_run_name": run.name, "was": run.state_type.value
                               if run.state_type else None})
    return crashed
