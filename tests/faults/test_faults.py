"""The fault harness (``benchmarks/faults.py``) at a small size, one test per fault.

Each runs the real stages as separate processes on a broker of its own (``vigil kafka start``, which
the faults stop and restart) and the embedded warehouse's owner (``vigil warehouse serve``), injects
its fault, then asserts the reconciliation: every document stored exactly once after dedup, each
with its classification, counted once in the daily aggregates; each poison record dead-lettered by
each stage with its reason; no offsets committed while the warehouse was away; under ``vigil up``, no
acknowledged decision lost and no flow run counted twice. The full run (20,000 documents a fault)
is ``benchmarks/faults.py`` (README, Benchmarks).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.fault_rig import Bus, Rig
from benchmarks.faults import FAULTS, SYNTHETIC, Options, run_fault
from vigil.bus.kafka_jars import HOW_TO_GET_A_BROKER

SMALL = Options(documents=500, bad_every=200, crawl_pages=700, up_pages=150, up_first_pages=30, rate=100,
                session_timeout_ms=6000, kills=2, broker_down_s=5, warehouse_down_s=6, mark_crashed=True,
                timeout_s=480)


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    """A broker and the warehouse's owner for every fault of the module (the faults stop and restart them)."""
    rig = Rig(tmp_path_factory.mktemp("faults"))
    try:
        rig.start_broker()
    except RuntimeError as exc:
        message = f"no Kafka broker: {exc}\n({HOW_TO_GET_A_BROKER})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    rig.start_owner()
    yield rig
    rig.close()


def check(result: dict) -> None:
    shown = json.dumps(result, indent=2, default=str)
    assert "error" not in result, shown
    n = result["documents_in"]
    assert result["stored"] == n and result["missing"] == 0 and result["unexpected"] == 0, shown
    assert result["duplicates_after_dedup"] == 0 and result["classification_duplicates"] == 0, shown
    assert result["classified"] == n, shown
    assert result["aggregate_documents"] == n, shown  # the daily counts did not double count a redelivery
    assert isinstance(result["recover_s"], float), shown
    assert result["ok"], shown


@pytest.mark.slow
@pytest.mark.kafka
@pytest.mark.warehouse
@pytest.mark.timeout(900)
@pytest.mark.parametrize("fault", SYNTHETIC)
def test_synthetic_documents_survive(rig: Rig, fault: str) -> None:
    with Bus(rig.bootstrap) as bus:
        result = run_fault(rig, bus, fault, SMALL, random.Random(FAULTS.index(fault)))
    check(result)
    assert result["acknowledged"] == SMALL.documents
    for stage, letters in result["dead_letters"].items():  # each poison record, once per stage, with why
        assert letters["originals"] == result["poison_in"], (stage, letters)
        assert all(("decode" in reason or "validation" in reason) for reason in letters["reasons"]), letters
    if fault == "warehouse-down":
        assert result["committed_while_down"] == 0  # the sink did not commit what it could not write
    if fault.startswith("kill-"):
        assert len(result["recoveries_s"]) == SMALL.kills


@pytest.mark.slow
@pytest.mark.kafka
@pytest.mark.warehouse
@pytest.mark.timeout(900)
def test_crawl_resumes_from_its_state(rig: Rig) -> None:
    with Bus(rig.bootstrap) as bus:
        result = run_fault(rig, bus, "crawl-resume", SMALL, random.Random(5))
    check(result)
    # The resumed crawl skipped what its state had recorded (delivered every COMMIT_EVERY documents, or sooner
    # when a document had waited DELIVER_EVERY_S), so at most a batch is emitted again.
    assert 0 <= result["re_emitted"] <= result["commit_every"] + 50, result


@pytest.mark.slow
@pytest.mark.kafka
@pytest.mark.warehouse
@pytest.mark.prefect
@pytest.mark.timeout(1200)
def test_dashboard_and_scheduler_killed_under_vigil_up(rig: Rig, tmp_path: Path) -> None:
    result = run_fault(rig, None, "kill-dashboard-scheduler", SMALL, random.Random(6))
    check(result)
    assert result["decisions_acknowledged"] > 0 and result["lost_decisions"] == 0, result
    assert result["decision_duplicates"] == 0 and result["runs_counted_twice"] == [], result
    assert all(count <= 1 for count in result["prefect_run_counts"]), result
