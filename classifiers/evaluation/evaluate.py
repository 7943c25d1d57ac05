"""``vigil evaluate``: score a labelled JSON-lines file and the functional suite; write a card and metrics.

The data file has one object per line with ``text``, ``labels`` (the gold categories)
and optionally ``language``. Figures use the full labeller (model, rules, known items),
i.e. what ``vigil classify`` outputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from classifiers.evaluation.suite import run_suite
from classifiers.labeller import Labeller


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


def evaluate_rows(labeller: Labeller, rows: list[dict]) -> dict:
    from classifiers.training.metrics import expected_calibration_error, macro_f1
    from sklearn.metrics import average_precision_score, precision_recall_fscore_support

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
    return {"rows": len(rows), "categories": per, "macro_f1": macro_f1(per, labeller.taxonomy.names),
            "languages": coverage, "outside_coverage": sum(not d.in_coverage for d in decisions)}


def render_evaluation_card(model_version: str, data: str, figures: dict, suite: dict, training_card: str | None) -> str:
    lines = [f"# Evaluation: {model_version}", "", f"Data: `{data}` ({figures['rows']} rows). Languages: {figures['languages']}; "
             f"outside coverage (routed to review): {figures['outside_coverage']}.", "",
             "| category | support | precision | recall | F1 | PR-AUC | ECE |", "|---|---|---|---|---|---|---|"]
    for cat, m in figures["categories"].items():
        lines.append(f"| {cat} | {m['support']} | {m['precision']} | {m['recall']} | {m['f1']} | {m['pr_auc']} | {m['ece']} |")
    lines += ["", f"Macro-F1 (categories with support >= 5): {figures['macro_f1']}", ""]
    if figures.get("by_language"):
        lines += ["## By language (rows with a `language` field)", "",
                  "| language | rows | macro-F1 | " + " | ".join(f"{c} F1" for c in figures["categories"]) + " |",
                  "|---|---|---|" + "---|" * len(figures["categories"])]
        for lang, block in figures["by_language"].items():
            lines.append(f"| {lang} | {block['rows']} | {block['macro_f1']} | "
                         + " | ".join(str(block["categories"][c]["f1"]) for c in figures["categories"]) + " |")
        lines.append("")
    if figures.get("skipped_lines"):
        lines += [f"Skipped malformed lines: {figures['skipped_lines']}", ""]
    lines += [
              "## Functional suite", "| functionality/language | accuracy |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in suite["accuracy"].items()]
    lines += ["", "| identity group or news/counter-speech | false-positive rate |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in suite["false_positive_rate"].items()]
    if training_card:
        lines += ["", "## The model's own card (training data, licences, thresholds, limits)", "", training_card]
    return "\n".join(lines) + "\n"


def evaluate(labeller: Labeller, data_path: Path, out_dir: Path, model_folder: Path | None,
             on_bad: Callable[[int, str], None] | None = None) -> dict:
    skipped: list[int] = []

    def bad(number: int, reason: str) -> None:
        skipped.append(number)
        if on_bad is not None:
            on_bad(number, reason)

    rows = read_labelled(data_path, bad)
    if not rows:
        raise ValueError(f"{data_path}: no valid labelled lines")
    figures = evaluate_rows(labeller, rows)
    by_language: dict[str, list[dict]] = {}
    for row in rows:
        if row.get("language"):
            by_language.setdefault(row["language"], []).append(row)
    figures["by_language"] = {lang: evaluate_rows(labeller, part) for lang, part in sorted(by_language.items())}
    figures["skipped_lines"] = skipped
    suite = run_suite(labeller)
    card_path = model_folder / "README.md" if model_folder else None
    training_card = card_path.read_text(encoding="utf-8") if card_path and card_path.is_file() else None
    metrics = {"model_version": labeller.version, "data": str(data_path), "figures": figures, "suite": suite}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(
        render_evaluation_card(labeller.version, str(data_path), figures, suite, training_card), encoding="utf-8")
    return metrics
