"""Retrain from reviewers' decisions; promote the candidate only if it is no less fair to every group,
labels no more of the held-back negatives and beats the current model.

The gate compares both models, computed the same way, on three things:

- fairness first: the functional suite's neutral and positive mentions of each group
  (``group_flags``, per group and language). A candidate that flags any group's
  mentions more often than the model in force (beyond ``fairness_tolerance`` cases,
  one by default) is refused whatever its F1, and the reason names the groups: the
  CSTO statement says extremism must not be associated with any religion, nationality
  or ethnic group, and a model that does so more than the one in force is worse;
- then reviewers' work: per language, the share of the held-back negatives given any label
  (``false_positive_rate``, as ``vigil classify`` labels them). A candidate whose share is higher
  than the current model's by more than ``fpr_tolerance`` (0.02, about ten of 500 negatives) is
  refused whatever its F1: macro-F1 can rise while the queue fills with false flags;
- then one number on the same labelled rows: the mean, over languages, of the macro
  F1 of the required categories (``required_macro_f1``) on the candidate's held-back
  test split (:func:`classifiers.training.run.heldout_rows`), with rules and model
  together. The current model may have seen some of those rows in its own training,
  which can only favour it: the gate errs towards keeping what runs. The candidate is
  promoted when its gate is higher by at least ``min_gain`` and it covers every
  language the current model covers. Where both models were scored on the same rows (``score``),
  the reason also gives the paired 95% bootstrap interval of the difference
  (:func:`paired_gate`): a few hundred rows per language move macro-F1 by a few hundredths, and
  a gain inside that interval may be the rows' noise. With ``min_confidence`` above 0 the candidate
  must also be ahead in at least that share of the resamples.

Every decision, promoted or not, is recorded with its reason, both models' numbers
and the per-group comparison in ``model_decisions``.

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
    fairness: dict | None = None  # per "<group>/<language>": candidate and current [flagged, cases], worse or not
    paired: dict | None = None  # the gate's difference on the same rows, its bootstrap interval, share ahead


def group_flags(metrics: dict | None) -> dict[str, list[int]] | None:
    """A model's neutral and positive group mentions flagged, ``{"<group>/<language>": [flagged, cases]}``:
    from the gate's scores, else from a training run's suite; ``None`` when it has none."""
    metrics = metrics or {}
    flags = metrics.get("group_flags") or (metrics.get("suite") or {}).get("group_flags")
    return {k: [int(v[0]), int(v[1])] for k, v in flags.items()} if flags else None


def compare_groups(candidate: dict[str, list[int]], current: dict[str, list[int]], tolerance: int = 1) -> dict:
    """Per group and language both models' counts, and whether the candidate flags more than the
    current by over ``tolerance`` cases (rates scaled to the current's case count)."""
    out = {}
    for key in sorted(current):
        if key not in candidate or not candidate[key][1] or not current[key][1]:
            continue
        (new, n_new), (old, n_old) = candidate[key], current[key]
        worse = new / n_new * n_old > old + tolerance
        out[key] = {"candidate": [new, n_new], "current": [old, n_old], "worse": worse}
    return out


def _unfair_reason(comparison: dict, tolerance: int) -> str | None:
    worse = [(k, v) for k, v in comparison.items() if v["worse"]]
    if not worse:
        return None

    def excess(item: tuple[str, dict]) -> float:
        (new, n_new), (old, n_old) = item[1]["candidate"], item[1]["current"]
        return new / n_new - old / n_old

    parts = []
    for key, v in sorted(worse, key=lambda kv: (-excess(kv), kv[0])):
        group, _, lang = key.rpartition("/")
        (new, n_new), (old, n_old) = v["candidate"], v["current"]
        parts.append(f"{group} ({lang}): {new}/{n_new} vs {old}/{n_old}")
    return ("the candidate flags neutral mentions of " + "; ".join(parts)
            + f" more often than the current model (tolerance {tolerance} case), whatever its F1")


def gate(metrics: dict | None) -> float | None:
    """The gate score of a model's metrics: mean required macro F1 over its languages."""
    values = [v for v in ((metrics or {}).get("required_macro_f1") or {}).values() if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def more_false_flags(candidate: dict, current: dict | None, tolerance: float) -> str | None:
    """Why the candidate gives more held-back negatives a label than the current model, beyond ``tolerance``
    (a share) in some language both report; ``None`` when it does not, or either has no such figures."""
    new, old = candidate.get("false_positive_rate") or {}, (current or {}).get("false_positive_rate") or {}
    worse = [f"{lang}: {new[lang]:.3f} vs {old[lang]:.3f}" for lang in sorted(set(new) & set(old))
             if new[lang] is not None and old[lang] is not None and new[lang] > old[lang] + tolerance + 1e-9]
    if not worse:
        return None
    return ("the candidate labels more of the held-back negatives than the current model (" + "; ".join(worse)
            + f"; tolerance {tolerance}), more false flags for reviewers whatever its F1")


def paired_gate(candidate: dict, current: dict | None) -> dict | None:
    """The candidate's gate minus the current's, resampling the same held-back rows for both (each
    language on its own, averaged as the gate averages them): the difference, its 95% interval and
    the share of resamples in which the candidate is ahead. ``None`` unless both were scored on the
    same rows (``required_rows`` of :func:`classifiers.training.run.gate_scores`, equal gold labels)."""
    import numpy as np

    from classifiers.evaluation.intervals import paired_macro_f1_difference
    from classifiers.training.run import REQUIRED

    new, old = candidate.get("required_rows"), (current or {}).get("required_rows")
    if not new or not old or set(new) != set(old) or any(new[k]["gold"] != old[k]["gold"] for k in new):
        return None

    def matrix(masks: list[int]) -> np.ndarray:
        return np.array([[bool(m >> i & 1) for i in range(len(REQUIRED))] for m in masks], dtype=bool) \
            .reshape(len(masks), len(REQUIRED))

    strata = [(matrix(new[k]["gold"]), matrix(old[k]["flagged"]), matrix(new[k]["flagged"])) for k in sorted(new)]
    paired = paired_macro_f1_difference(strata)
    return paired if paired["difference"] is not None else None


def _spread(paired: dict | None) -> str:
    if not paired:
        return ""
    low, high = paired["interval"]
    return (f" (on the same rows: difference {paired['difference']:+.4f}, paired 95% interval {low:+.4f} to "
            f"{high:+.4f}, candidate ahead in {paired['share_ahead']:.0%} of {paired['rounds']} resamples)")


def decide(candidate: dict, current: dict | None, min_gain: float = 0.0, fairness_tolerance: int = 1,
           fpr_tolerance: float = 0.02, min_confidence: float = 0.0) -> Decision:
    """Promote or not, and why (pure): fairness per group first, then false flags on held-back negatives,
    then the gate score, and, with ``min_confidence`` above 0, how often the candidate stays ahead when
    the same held-back rows are resampled (:func:`paired_gate`)."""
    new, old = gate(candidate), gate(current)
    new_flags, old_flags = group_flags(candidate), group_flags(current)
    fairness = compare_groups(new_flags, old_flags, fairness_tolerance) if new_flags and old_flags else None
    paired = paired_gate(candidate, current)

    def decision(promoted: bool, reason: str) -> Decision:
        return Decision(promoted, reason, new, old, fairness, paired)

    if new is None:
        return decision(False, "the candidate has no gate score (too few labelled examples per category)")
    if old_flags and not new_flags:
        return decision(False, "the candidate has no per-group false-positive figures to compare with the current's")
    unfair = _unfair_reason(fairness or {}, fairness_tolerance)
    if unfair:
        return decision(False, unfair)
    false_flags = more_false_flags(candidate, current, fpr_tolerance)
    if false_flags:
        return decision(False, false_flags)
    if old is None:
        return decision(True, f"no current model with a gate score; candidate gate {new:.4f}")
    missing = set((current or {}).get("required_macro_f1") or {}) - set(candidate.get("required_macro_f1") or {})
    if missing:
        return decision(False, f"the candidate does not cover {sorted(missing)}")
    if not (new >= old + min_gain and new > old):
        return decision(False, f"candidate gate {new:.4f} does not beat current {old:.4f} by {min_gain}"
                        + _spread(paired))
    if min_confidence > 0 and paired is None:
        return decision(False, f"candidate gate {new:.4f} beats current {old:.4f}, but min_confidence "
                        f"{min_confidence} needs both models scored on the same rows, and they were not")
    if paired is not None and paired["share_ahead"] < min_confidence:
        return decision(False, f"candidate gate {new:.4f} beats current {old:.4f}, but not in {min_confidence:.0%} "
                        f"of the resampled rows" + _spread(paired))
    return decision(True, f"candidate gate {new:.4f} beats current {old:.4f} (min gain {min_gain})" + _spread(paired))


def record(warehouse: Warehouse, decision: Decision, candidate_version: str, current_version: str,
           candidate: dict, decided_at: datetime | None = None) -> None:
    """Store a decision in ``model_decisions`` (at ``decided_at``, default now)."""
    warehouse.insert("model_decisions", [{
        **({"decided_at": decided_at} if decided_at is not None else {}),
        "candidate_version": candidate_version, "current_version": current_version,
        "promoted": decision.promoted, "reason": decision.reason,
        "metrics": json.dumps({"candidate_gate": decision.candidate_gate, "current_gate": decision.current_gate,
                               "candidate": {k: candidate.get(k)
                                             for k in ("required_macro_f1", "false_positive_rate", "split")},
                               "fairness": decision.fairness, "paired": decision.paired}, default=str),
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
            promote_to: Path | None = None, fairness_tolerance: int = 1, fpr_tolerance: float = 0.02,
            min_confidence: float = 0.0) -> Decision:
    """Train a candidate into ``candidate_dir``, compare it with ``current_dir``, promote or not, record why.

    ``score(folder)`` gives a model's gate metrics on the shared held-out rows and the functional
    suite's group mentions; without it the metrics files the two trainings wrote are compared.
    ``promote_to`` defaults to ``current_dir``."""
    candidate = train(candidate_dir)
    current_metrics = read_metrics(current_dir)
    current_version = ((current_metrics or {}).get("config") or {}).get("model_version", "none")
    if score is not None:
        candidate = {**candidate, **score(candidate_dir)}
        current_metrics = score(current_dir) if current_dir.exists() else None
    decision = decide(candidate, current_metrics, min_gain, fairness_tolerance, fpr_tolerance, min_confidence)
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
