"""``vigil evaluate``: real held-back text, the functional suite and the statement, per language.

Real-text figures come from the test part of the training split
(:func:`classifiers.training.run.heldout_rows`, rows of real sets only: no templates, seeds,
contrasts, perturbed copies or synthetic sentences) or from a labelled JSON-lines file (one
object per line with ``text``, ``labels`` and optionally ``language``). Per language: the
macro-F1 over the model's categories and the binary F1 at a false-positive rate of at most 5%
(:func:`classifiers.evaluation.binary.f1_at_fpr`), each with its 95% bootstrap interval
(:mod:`classifiers.evaluation.intervals`). The functional suite and the statement's
paragraphs need no shared data, so they always run. Figures use the full labeller (model, rules,
known items), i.e. what ``vigil classify`` outputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from classifiers.evaluation.binary import f1_at_fpr
from classifiers.evaluation.intervals import chosen, figure_intervals, label_matrix, macro_f1_samples, paired_figures
from classifiers.evaluation.suite import run_suite
from classifiers.labeller import Labeller

MAX_FPR = 0.05


def read_labelled(path: Path, on_bad: Callable[[int, str], None] | None = None) -> list[dict]:
    """Labelled rows of ``path``; a bad line is reported to ``on_bad(line_number, reason)`` and skipped
    (without ``on_bad`` it raises ValueError)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str) \
                    or not isinstance(row.get("labels"), list):
                raise ValueError("each line needs 'text' (string) and 'labels' (list)")
        except ValueError as exc:
            if on_bad is None:
                raise ValueError(f"{path}:{number}: {exc}") from None
            on_bad(number, str(exc))
            continue
        rows.append(row)
    return rows


def is_real(row: dict) -> bool:
    """A held-back row of a real set (not a template, seed, contrast, perturbed or synthetic sentence)."""
    return row.get("kind", "real") == "real" and row.get("source") != "synthetic"


def heldout_real_rows(config_path: Path | None = None, data_dir: Path | None = None) -> tuple[list[dict], Path]:
    """The real rows of the training split's test part, and the data folder they came from
    (no rows when that folder is absent)."""
    from classifiers.training.config import DEFAULT_CONFIG, load_config
    from classifiers.training.run import heldout_rows

    config = load_config(config_path or DEFAULT_CONFIG, **({"data_dir": data_dir} if data_dir else {}))
    if not config.data_dir.is_dir():
        return [], config.data_dir
    return [r for r in heldout_rows(config) if is_real(r)], config.data_dir


def model_categories(labeller: Labeller) -> tuple[str, ...]:
    return tuple(labeller.model.categories) if labeller.model is not None else labeller.taxonomy.names


def evaluate_rows(labeller: Labeller, rows: list[dict], decisions: list | None = None) -> dict:
    """Per-category figures over every taxonomy category; ``macro_f1`` over the model's categories
    (support >= 5); ``binary``: flagged at all, at a false-positive rate of at most 5%."""
    from sklearn.metrics import average_precision_score, precision_recall_fscore_support

    from classifiers.training.metrics import expected_calibration_error, macro_f1

    if decisions is None:
        decisions = labeller.label_texts([r["text"] for r in rows], [r.get("language") for r in rows])
    per = {}
    for category in labeller.taxonomy.names:
        gold = np.array([category in r["labels"] for r in rows], dtype=float)
        scores = np.array([d.scores[category] for d in decisions])
        flagged = np.array([category in d.labels for d in decisions])
        p, r, f, _ = precision_recall_fscore_support(gold, flagged, average="binary", zero_division=0)
        per[category] = {"support": int(gold.sum()), "precision": round(float(p), 4), "recall": round(float(r), 4),
                         "f1": round(float(f), 4), "ece": round(expected_calibration_error(scores, gold), 4),
                         "pr_auc": round(float(average_precision_score(gold, scores)), 4) if 0 < gold.sum() < len(gold) else None}
    languages = sorted({d.language for d in decisions})
    coverage = {lang: sum(d.language == lang for d in decisions) for lang in languages}
    highest = [max(d.scores.values(), default=0.0) for d in decisions]
    binary = f1_at_fpr(highest, [bool(r["labels"]) for r in rows], MAX_FPR)
    categories = model_categories(labeller)
    spread = figure_intervals(label_matrix([r["labels"] for r in rows], categories),
                              label_matrix([d.labels for d in decisions], categories), np.array(highest), MAX_FPR)
    return {"rows": len(rows), "categories": per, "macro_f1": macro_f1(per, categories),
            "binary_at_fpr": binary, "binary_labels": binary_of_labels(rows, decisions), "intervals": spread,
            "languages": coverage, "outside_coverage": sum(not d.in_coverage for d in decisions)}


def binary_of_labels(rows: list[dict], decisions: list) -> dict:
    """Flagged at all, as `vigil classify` flags (any label at the calibrated thresholds), against labelled
    at all: what a user of the labels gets, where ``binary_at_fpr`` picks its own cut on the scores."""
    from sklearn.metrics import precision_recall_fscore_support

    gold = np.array([bool(r["labels"]) for r in rows])
    flagged = np.array([bool(d.labels) for d in decisions])
    p, r, f, _ = precision_recall_fscore_support(gold, flagged, average="binary", zero_division=0)
    negatives = int((~gold).sum())
    return {"positives": int(gold.sum()), "negatives": negatives, "precision": round(float(p), 4),
            "recall": round(float(r), 4), "f1": round(float(f), 4),
            "fpr": round(float((flagged & ~gold).sum()) / negatives, 4) if negatives else None}


def real_text_figures(labeller: Labeller, rows: list[dict], decisions: list | None = None) -> dict:
    """All rows together, per language and per data set (rows with a ``language`` or ``source`` field),
    labelled once (or given as ``decisions``)."""
    if decisions is None:
        decisions = labeller.label_texts([r["text"] for r in rows], [r.get("language") for r in rows])
    figures = evaluate_rows(labeller, rows, decisions)
    for field, name in (("language", "by_language"), ("source", "by_source")):
        parts: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            if row.get(field):
                parts.setdefault(row[field], []).append(i)
        if parts or field == "language":
            figures[name] = {key: evaluate_rows(labeller, [rows[i] for i in idx], [decisions[i] for i in idx])
                             for key, idx in sorted(parts.items())}
    return figures


def paired_comparison(labeller: Labeller, other: Labeller, rows: list[dict], decisions: list,
                      other_decisions: list) -> dict:
    """``labeller`` against ``other`` on the same rows, per language and for all rows: each one's macro-F1
    (over ``labeller``'s categories) and binary F1 at FPR <= 5%, and this model's minus the other's with
    its paired 95% bootstrap interval and the share of resamples in which this model is ahead."""
    categories = model_categories(labeller)

    def block(idx: list[int]) -> dict:
        gold = label_matrix([rows[i]["labels"] for i in idx], categories)
        flags, scores = [], []
        for made in (other_decisions, decisions):
            flags.append(label_matrix([made[i].labels for i in idx], categories))
            scores.append(np.array([max(made[i].scores.values(), default=0.0) for i in idx]))
        paired = paired_figures(gold, flags[0], flags[1], scores[0], scores[1], MAX_FPR)
        whole, kept = np.ones((1, len(idx))), chosen(gold)
        own = {}
        for name, f, sc in (("this", flags[1], scores[1]), ("other", flags[0], scores[0])):
            own[name] = {"macro_f1": round(float(macro_f1_samples(gold[:, kept], f[:, kept], whole)[0]), 4)
                         if kept.any() else None,
                         "binary_f1": f1_at_fpr(list(sc), list(gold.any(axis=1)), MAX_FPR)["f1"]}
        return {"rows": len(idx), **own, "paired": paired}

    languages: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        languages.setdefault(row.get("language") or decisions[i].language, []).append(i)
    return {"model_version": other.version, "all": block(list(range(len(rows)))),
            "by_language": {lang: block(idx) for lang, idx in sorted(languages.items())}}


def evaluate(labeller: Labeller, rows: list[dict] | None, data: str, *, note: str | None = None,
             skipped: list[int] | None = None, against: Labeller | None = None) -> dict:
    """The whole report: ``figures`` on real text (``None`` without rows, ``note`` says why), ``suite``
    (functional suite with the statement's paragraphs), and with ``against`` another model compared on
    the same real rows (``against``: :func:`paired_comparison`)."""
    figures, compared = None, None
    if rows:
        decisions = labeller.label_texts([r["text"] for r in rows], [r.get("language") for r in rows])
        figures = real_text_figures(labeller, rows, decisions)
        figures["skipped_lines"] = list(skipped or [])
        if against is not None:
            other = against.label_texts([r["text"] for r in rows], [r.get("language") for r in rows])
            compared = paired_comparison(labeller, against, rows, decisions, other)
    return {"model_version": labeller.version, "data": data, "categories_scored": list(model_categories(labeller)),
            "figures": figures, "note": note, "suite": run_suite(labeller),
            **({"against": compared} if against is not None else {})}


def write_report(metrics: dict, out_dir: Path, model_folder: Path | None) -> None:
    """``metrics.json`` and ``MODEL_CARD.md`` (with the model's own card appended when there is one)."""
    from classifiers.evaluation.report import render_evaluation_card

    card_path = model_folder / "README.md" if model_folder else None
    training_card = card_path.read_text(encoding="utf-8") if card_path and card_path.is_file() else None
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(render_evaluation_card(metrics, training_card), encoding="utf-8")
