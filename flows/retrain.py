"""Retrain from reviewers' decisions; promote the candidate only if it beats the current model.

The gate is one number computed the same way for both models on the same
labelled rows: the mean, over languages, of the macro F1 of the required
categories (``required_macro_f1``) on the candidate's held-back test split
(:func:`classifiers.training.run.heldout_rows`), with rules and model together.
The current model may have seen some of those rows in its own training, which
can only favour it: the gate errs towards keeping what runs. The candidate is
promoted when its gate is higher by at least ``min_gain`` and it covers every
language the current model covers; every decision, promoted or not, is recorded
with its reason and both models' numbers in ``model_decisions``.

A promoted model is copied to ``promote_to`` (the flow uses
``<home>/models/current``, which ``classifier.model: default`` then resolves to);
the model that was there is kept as ``<dir>.previous``. The packaged default
model is never overwritten.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from vigil.logs import get_logger
from vigil.warehouse import Warehouse

log = get_logger(__name__)


@dataclass(frozen=True)
class Decision:
    promoted: bool
    reason: str
    candidate_gate: float | None
    current_gate: float | None


def gate(metrics: dict | None) -> float | None:
    """The gate score of a model's metrics: mean required macro F1 over its languages."""
    values = [v for v in ((metrics or {}).get("required_macro_f1") or {}).values() if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def decide(candidate: dict, current: dict | None, min_gain: float = 0.0) -> Decision:
    """Promote or not, and why (pure)."""
    new, old = gate(candidate), gate(current)
    if new is None:
        return Decision(False, "the candidate has no gate score (too few labelled examples per category)", new, old)
    if old is None:
        return Decision(True, f"no current model with a gate score; candidate gate {new:.4f}", new, old)
    missing = set((current or {}).get("required_macro_f1") or {}) - set(candidate.get("required_macro_f1") or {})
    if missing:
        return Decision(False, f"the candidate does not cover {sorted(missing)}", new, old)
    if new >= old + min_gain and new > old:
        return Decision(True, f"candidate gate {new:.4f} beats current {old:.4f} (min gain {min_gain})", new, old)
    return Decision(False, f"candidate gate {new:.4f} does not beat current {old:.4f} by {min_gain}", new, old)


def record(warehouse: Warehouse, decision: Decision, candidate_version: str, current_version: str,
           candidate: dict, decided_at: datetime | None = None) -> None:
    """Store a decision in ``model_decisions`` (at ``decided_at``, default now)."""
    warehouse.insert("model_decisions", [{
        **({"decided_at": decided_at} if decided_at is not None else {}),
        "candidate_version": candidate_version, "current_version": current_version,
        "promoted": decision.promoted, "reason": decision.reason,
        "metrics": json.dumps({"candidate_gate": decision.candidate_gate, "current_gate": decision.current_gate,
                               "candidate": {k: candidate.get(k) for k in ("required_macro_f1", "split")}},
                              default=str),
    }])


def read_metrics(folder: Path) -> dict | None:
    path = folder / "metrics.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def promote(candidate_dir: Path, current_dir: Path) -> None:
    """Replace the current model's folder with the candidate's (the old one kept as ``<dir>.previous``).

    The copy is made beside the target first and then renamed into place, so a classifier that
    reloads when the folder changes never reads a half-copied model."""
    staging = current_dir.with_name(current_dir.name + ".incoming")
    previous = current_dir.with_name(current_dir.name + ".previous")
    for leftover in (staging, previous):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(candidate_dir, staging)
    if current_dir.exists():
        current_dir.rename(previous)
    staging.rename(current_dir)


def retrain(warehouse: Warehouse, train: Callable[[Path], dict], candidate_dir: Path, current_dir: Path,
            candidate_version: str, min_gain: float = 0.0, *, score: Callable[[Path], dict] | None = None,
            promote_to: Path | None = None) -> Decision:
    """Train a candidate into ``candidate_dir``, compare it with ``current_dir``, promote or not, record why.

    ``score(folder)`` gives a model's gate metrics on the shared held-out rows; without it the
    metrics files the two trainings wrote are compared. ``promote_to`` defaults to ``current_dir``."""
    candidate = train(candidate_dir)
    current_metrics = read_metrics(current_dir)
    current_version = ((current_metrics or {}).get("config") or {}).get("model_version", "none")
    if score is not None:
        candidate = {**candidate, **score(candidate_dir)}
        current_metrics = score(current_dir) if current_dir.exists() else None
    decision = decide(candidate, current_metrics, min_gain)
    if decision.promoted:
        promote(candidate_dir, promote_to or current_dir)
    record(warehouse, decision, candidate_version, current_version, candidate)
    log.info("retrain decision", extra={"promoted": decision.promoted, "reason": decision.reason})
    return decision


def classifiers_training(warehouse: Warehouse, model_version: str
                         ) -> tuple[Callable[[Path], dict], Callable[[Path], dict]]:
    """The classifiers' training run, with reviewers' decisions from ``warehouse`` as extra
    examples, and the gate that scores any model folder on that run's held-out rows."""
    from classifiers.training.config import load_config
    from classifiers.training.reviews import reviewed_examples
    from classifiers.training.run import gate_scores, heldout_rows, run_training

    config = load_config(model_version=model_version)
    extra = reviewed_examples(warehouse, config.categories)
    rows: list[dict] = []

    def train(output_dir: Path) -> dict:
        return run_training(load_config(model_version=model_version, output_dir=output_dir), extra)

    def score(folder: Path) -> dict:
        if not rows:
            rows.extend(heldout_rows(config, extra))
        return gate_scores(folder, rows)

    return train, score
