"""Retrain: promote only a better candidate on the same gate, and record why, on real chDB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.retrain import decide, gate, retrain
from vigil.warehouse import Warehouse


def metrics(version: str, **f1: float) -> dict:
    return {"config": {"model_version": version}, "required_macro_f1": f1}


def test_the_gate_and_the_decision() -> None:
    assert gate(metrics("a", en=0.6, ru=0.8)) == 0.7
    assert decide(metrics("b", en=0.7, ru=0.8), metrics("a", en=0.6, ru=0.8)).promoted
    assert not decide(metrics("b", en=0.61, ru=0.8), metrics("a", en=0.6, ru=0.8), min_gain=0.02).promoted
    lost = decide(metrics("b", en=0.9), metrics("a", en=0.6, ru=0.8))
    assert not lost.promoted and "does not cover ['ru']" in lost.reason
    assert decide(metrics("b", en=0.5), None).promoted
    assert not decide({"required_macro_f1": {"en": None}}, None).promoted


@pytest.mark.warehouse
@pytest.mark.parametrize("candidate_f1, promoted", [(0.75, True), (0.55, False)])
def test_retrain_promotes_only_a_better_model_and_records_why(warehouse: Warehouse, tmp_path: Path,
                                                              candidate_f1: float, promoted: bool) -> None:
    current = tmp_path / "current"
    current.mkdir()
    (current / "metrics.json").write_text(json.dumps(metrics("v1", en=0.6)))

    def train(output: Path) -> dict:
        output.mkdir(parents=True)
        result = metrics("v2", en=candidate_f1)
        (output / "metrics.json").write_text(json.dumps(result))
        return result

    decision = retrain(warehouse, train, tmp_path / "candidate", current, "v2")
    assert decision.promoted is promoted
    assert json.loads((current / "metrics.json").read_text())["config"]["model_version"] == ("v2" if promoted else "v1")
    assert (tmp_path / "current.previous").exists() is promoted
    row = warehouse.query("SELECT candidate_version, current_version, promoted, reason FROM model_decisions")[0]
    assert (row["candidate_version"], row["current_version"], row["promoted"]) == ("v2", "v1", promoted)
    assert ("beats" in row["reason"]) is promoted
