"""A run left RUNNING by a dead scheduler holds its deployment's only slot until the next scheduler
marks it crashed (a real Prefect server)."""

from __future__ import annotations

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.responses import SetStateStatus
from prefect.states import Pending, Running

from flows.orphans import crash_orphaned_runs

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


@flow(name="vigil-test-orphans")
def _crawl_like() -> None:
    """Never run here: only its deployment and flow runs are used."""


@pytest.fixture(scope="module")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def test_the_slot_of_a_run_left_running_is_freed_and_nothing_else_changes(prefect_harness) -> None:
    served = _crawl_like.to_deployment(name="crawl", concurrency_limit=1).apply()
    other = _crawl_like.to_deployment(name="other").apply()
    with get_client(sync_client=True) as client:
        left = client.create_flow_run_from_deployment(served)
        assert client.set_flow_run_state(left.id, Pending()).status == SetStateStatus.ACCEPT
        assert client.set_flow_run_state(left.id, Running()).status == SetStateStatus.ACCEPT
        elsewhere = client.create_flow_run_from_deployment(other)
        client.set_flow_run_state(elsewhere.id, Pending())
        client.set_flow_run_state(elsewhere.id, Running())
        waiting = client.create_flow_run_from_deployment(served)
        # the scheduler died: the run stays RUNNING and the next one cannot have the slot
        assert client.set_flow_run_state(waiting.id, Pending()).status != SetStateStatus.ACCEPT

        assert crash_orphaned_runs([served]) == [str(left.id)]

        crashed = client.read_flow_run(left.id).state
        assert crashed.type == StateType.CRASHED and "scheduler" in crashed.message
        assert client.read_flow_run(elsewhere.id).state.type == StateType.RUNNING  # another deployment's run
        assert client.set_flow_run_state(waiting.id, Pending()).status == SetStateStatus.ACCEPT  # the slot is free
        assert crash_orphaned_runs([]) == []
