"""Every benchmark runs end to end on a tiny input, so `make bench` cannot rot unnoticed.

These assert that each benchmark completes and prints its ratio line (the baseline is measured in the same run); they time nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def bench(name: str, *args: str, home: Path) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *args], capture_output=True,
                            text=True, timeout=900, cwd=ROOT, env={**os.environ, "VIGIL_HOME": str(home)})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


@pytest.mark.slow
@pytest.mark.warehouse
def test_bench_warehouse_runs(tmp_path: Path) -> None:
    out = bench("bench_warehouse.py", "--sizes", "2000", "--sink-docs", "300", "--sink-batches", "100", "50",
                "--sink-stored", "3000", "--repeats", "2", "--raw-repeats", "1",
                "--json", str(tmp_path / "warehouse.json"), home=tmp_path)
    assert "ratio" in out.lower()
    report = json.loads((tmp_path / "warehouse.json").read_text())
    # the first batch size is the headline, the others are reported beside it
    assert report["sink"]["batch"] == 100 and list(report["sink_by_batch"]) == ["50"]
    assert report["sink_by_batch"]["50"]["documents"] == 300
    # a batch's time split by what it buys, which adds up to the whole
    sink = report["sink"]
    parts = sink["sink_cost_ms_per_batch"]
    assert {"documents insert (as plain)", "ledger rows (reconciliation of stage counts)"} <= set(parts)
    assert sum(parts.values()) == pytest.approx(sink["sink_ms_per_batch"], abs=0.5 + 0.01 * len(parts))
    # the headline batch again over stored documents (the bench asserts each was counted once)
    over = report["sink_over_stored"]["3000"]
    assert over["stored_documents"] == 3000 and over["batch"] == 100 and over["documents"] == 300


@pytest.mark.slow
@pytest.mark.warehouse
def test_bench_dashboards_runs(tmp_path: Path) -> None:
    out = bench("bench_dashboards.py", "--sizes", "3000", "--repeats", "2", home=tmp_path)
    assert "ratio p95/target" in out and "3,000 documents: worst p95" in out


@pytest.mark.slow
def test_bench_classify_runs(tmp_path: Path) -> None:
    out = bench("bench_classify.py", "--docs", "16", "--batch", "8", "--rounds", "2", "--json",
                str(tmp_path / "classify.json"), home=tmp_path)
    assert "stage/bare" in out and "bf16 / fp32 stage" in out and "fine-tuned / frozen" in out
    assert "stage peak memory" in out and "group swaps" in out
    runs = json.loads((tmp_path / "classify.json").read_text(encoding="utf-8"))["runs"]
    for run in runs:  # stage and bare alternate, each round's ratio kept beside the figure
        assert run["rounds"] == 2 and len(run["stage_over_bare_per_round"]) == 2


@pytest.mark.slow
def test_bench_crawl_runs(tmp_path: Path) -> None:
    assert "ratio full/bare" in bench("bench_crawl.py", "--pages", "20", "--concurrency", "2", home=tmp_path)


@pytest.mark.slow
@pytest.mark.kafka
def test_bench_bus_runs(tmp_path: Path, kafka_broker) -> None:
    out = bench("bench_bus.py", "--messages", "300", "--rounds", "1", "--bootstrap", kafka_broker.bootstrap,
                home=tmp_path)
    assert "ratio" in out.lower()


@pytest.mark.slow
@pytest.mark.warehouse
def test_storage_per_document_runs(tmp_path: Path) -> None:
    import json

    report = json.loads(bench("storage_per_document.py", "--documents", "400", "--batch", "200", home=tmp_path))
    assert report["stored"] == 400 and report["bytes_on_disk_per_document"] > 0
    assert {"documents", "classifications", "classification_events"} <= set(report["tables"])


@pytest.mark.slow
@pytest.mark.warehouse
@pytest.mark.prefect
@pytest.mark.timeout(900)
def test_bench_end_to_end_runs(tmp_path: Path) -> None:
    import json

    out = bench("bench_end_to_end.py", "--modes", "embedded", "--pages", "20", "--latency-docs", "10", "--rate", "5",
                "--json", str(tmp_path / "e2e.json"), home=tmp_path)
    assert "ratio" in out and "fetch to visible p50" in out
    embedded = json.loads((tmp_path / "e2e.json").read_text())["modes"]["embedded"]
    assert embedded["throughput"]["documents"] == 20 and embedded["latency"]["documents"] == 10
    assert {"warehouse", "prefect", "scheduler", "dashboard"} <= set(embedded["memory"])
