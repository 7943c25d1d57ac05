"""The evaluation report as text: terminal tables for ``vigil evaluate`` and the Markdown card.

Both render the same sections from the metrics :func:`classifiers.evaluation.evaluate.evaluate`
returns: real text per language, the suite's summary, accuracy per functionality, the
false-positive rate per group, and the statement's paragraphs flagged. No case text is shown.
"""

from __future__ import annotations

from classifiers.evaluation.intervals import interval_text
from classifiers.evaluation.suite import SUMMARY_ROWS


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _span(bounds: list[float] | None) -> str | None:
    """An interval as "0.610 to 0.680", or "-0.029 to 0.057" for a difference (``None`` when the figures
    have none: older metrics files)."""
    return None if not bounds else interval_text(bounds)


def table(headers: list[str], rows: list[list[object]], markdown: bool = False) -> list[str]:
    cells = [[_fmt(c) for c in row] for row in rows]
    if markdown:
        return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)] + \
               ["| " + " | ".join(row) + " |" for row in cells]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    return [line, "  ".join("-" * w for w in widths)] + ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]


def _real_text(metrics: dict, markdown: bool) -> list[str]:
    figures = metrics.get("figures")
    if not figures:
        return [metrics.get("note") or "No real-text figures."]
    cats = metrics["categories_scored"]
    headers = ["language", "rows", "macro-F1", "95% interval", "binary F1 @FPR<=5%", "95% interval", "threshold",
               "precision", "recall", "FPR", "labels: binary F1", "labels: FPR", *(f"{c} F1" for c in cats)]
    blocks = {**figures.get("by_language", {}), "all": figures}
    rows = []
    for lang, block in blocks.items():
        b, labels = block["binary_at_fpr"], block.get("binary_labels") or {}
        spread = block.get("intervals") or {}
        rows.append([lang, block["rows"], block["macro_f1"], _span(spread.get("macro_f1")), b["f1"],
                     _span(spread.get("binary_f1")), b["threshold"], b["precision"], b["recall"],
                     b["fpr"], labels.get("f1"), labels.get("fpr"),
                     *(block["categories"][c]["f1"] if c in block["categories"] else None for c in cats)])
    lines = [f"Data: {metrics['data']}. Macro-F1 over the model's categories with support >= 5; binary: any "
             "category, threshold on the highest score such that at most 5% of negatives are flagged; labels: "
             "any label at the calibrated thresholds (what `vigil classify` flags) against any gold label. "
             "Intervals: 95% bootstrap over the rows (1,000 resamples); a difference between two models "
             "smaller than their width may be the rows' noise.", ""]
    lines += table(headers, rows, markdown)
    if figures.get("by_source"):
        rows = [[source, block["rows"], block["binary_at_fpr"]["positives"], block["macro_f1"],
                 block["binary_at_fpr"]["f1"], block["binary_at_fpr"]["recall"]]
                for source, block in figures["by_source"].items()]
        lines += ["", "Per data set (binary: its own threshold at FPR <= 5%):", "",
                  *table(["set", "rows", "positives", "macro-F1", "binary F1 @FPR<=5%", "recall"], rows, markdown)]
    if markdown:
        rows = [[lang, c, m["support"], m["precision"], m["recall"], m["f1"], m["pr_auc"], m["ece"]]
                for lang, block in blocks.items() for c, m in block["categories"].items()]
        lines += ["", *table(["language", "category", "support", "precision", "recall", "F1", "PR-AUC", "ECE"],
                             rows, markdown)]
    if figures.get("skipped_lines"):
        lines += ["", f"Skipped malformed lines: {figures['skipped_lines']}"]
    return lines


def suite_lines(suite: dict, markdown: bool) -> list[str]:
    """The suite's summary, accuracy per functionality, FPR per group and the statement (a model card may reuse it)."""
    languages = sorted(suite["by_language"])
    lines = table(["summary", *languages],
                  [[label, *(suite["by_language"][lang]["summary"][key] for lang in languages)]
                   for key, label in SUMMARY_ROWS], markdown)
    functionalities = sorted({k.rsplit("/", 1)[0] for k in suite["accuracy"]})
    rows = [[f, *(suite["accuracy"].get(f"{f}/{lang}") for lang in languages),
             *(suite["cases"].get(f"{f}/{lang}") for lang in languages)] for f in functionalities]
    lines += ["", *table(["functionality", *(f"{lang} accuracy" for lang in languages),
                          *(f"{lang} cases" for lang in languages)], rows, markdown)]
    groups = sorted({k.rsplit("/", 1)[0] for k in suite["group_flags"]})
    rows = [[g, *(_group_cell(suite, g, lang) for lang in languages)] for g in groups]
    contrast = [suite["false_positive_rate"].get(f"news_counter_speech/{lang}") for lang in languages]
    lines += ["", *table(["group (neutral and positive mentions)", *(f"{lang} FPR (flagged/cases)" for lang in languages)],
                         rows + [["news, counter-speech, negation, history, statement", *contrast]], markdown)]
    st = suite["statement"]
    lines += ["", f"CSTO statement paragraphs flagged: {st['flagged']} of {st['paragraphs']} (must be 0)."]
    return lines


def _group_cell(suite: dict, group: str, lang: str) -> str:
    counts = suite["group_flags"].get(f"{group}/{lang}")
    if not counts:
        return "-"
    flagged, cases = counts
    return f"{flagged / cases:.3f} ({flagged}/{cases})"


def against_lines(metrics: dict, markdown: bool) -> list[str]:
    """This model against another on the same real rows (``vigil evaluate --against``); nothing without one."""
    if "against" not in metrics:
        return []
    compared = metrics["against"]
    if not compared:
        return ["No real rows to compare the models on."]
    rows = []
    for lang, block in {**compared["by_language"], "all": compared["all"]}.items():
        for figure, name in (("macro_f1", "macro-F1"), ("binary_f1", "binary F1 @FPR<=5%")):
            paired = block["paired"].get(figure) or {}
            share = paired.get("share_ahead")
            rows.append([lang, name, block["other"][figure], block["this"][figure], paired.get("difference"),
                         _span(paired.get("interval")), None if share is None else f"{share:.0%}"])
    return [f"This model against {compared['model_version']} on the same {compared['all']['rows']} rows: the "
            "difference (this minus that), its paired 95% bootstrap interval (both models scored on the same "
            "1,000 resamples of the rows) and the share of resamples in which this model is ahead.", "",
            *table(["language", "figure", "that model", "this model", "difference", "95% interval", "ahead in"],
                   rows, markdown)]


def render_terminal(metrics: dict) -> str:
    lines = [f"Model: {metrics['model_version']}", "", "Real held-back text", *_real_text(metrics, False), ""]
    if "against" in metrics:
        lines += ["Against another model", *against_lines(metrics, False), ""]
    lines += ["Functional suite (synthetic, English and Russian)", *suite_lines(metrics["suite"], False)]
    return "\n".join(lines) + "\n"


def render_evaluation_card(metrics: dict, training_card: str | None = None) -> str:
    lines = [f"# Evaluation: {metrics['model_version']}", "", "## Real held-back text", "", *_real_text(metrics, True), ""]
    if "against" in metrics:
        lines += ["## Against another model", "", *against_lines(metrics, True), ""]
    lines += ["## Functional suite (synthetic, English and Russian)", "", *suite_lines(metrics["suite"], True)]
    if training_card:
        lines += ["", "## The model's own card (training data, licences, thresholds, limits)", "", training_card]
    return "\n".join(lines) + "\n"
