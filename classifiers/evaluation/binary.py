"""Binary flagging at a fixed false-positive rate: the operating point a moderation team can afford.

The binary score of a text is the highest of its category scores; the threshold is the lowest
one at which at most ``max_fpr`` of the negatives score at or above it (the most permissive
operating point within the budget, not the one that happens to maximise F1 on this data).
"""

from __future__ import annotations

from collections.abc import Sequence


def f1_at_fpr(scores: Sequence[float], gold: Sequence[bool], max_fpr: float = 0.05) -> dict:
    """Precision, recall and F1 when flagging ``score >= threshold``, with the threshold chosen as
    the lowest score whose false-positive rate on the negatives is at most ``max_fpr``.

    With no positives or no negatives the figures are undefined (``None``). When even the highest
    score flags too many negatives, nothing is flagged (``threshold`` is ``None``, F1 0)."""
    if len(scores) != len(gold):
        raise ValueError("scores and gold differ in length")
    positives = sum(bool(g) for g in gold)
    negatives = len(gold) - positives
    out = {"rows": len(gold), "positives": positives, "negatives": negatives, "max_fpr": max_fpr,
           "threshold": None, "precision": None, "recall": None, "f1": None, "fpr": None}
    if not positives or not negatives:
        return out
    allowed = int(max_fpr * negatives + 1e-9)  # negatives that may be flagged
    pairs = sorted(zip(scores, gold), key=lambda sg: -sg[0])
    best = (None, 0, 0)  # threshold, true positives, false positives
    tp = fp = 0
    i = 0
    while i < len(pairs):  # walk down the distinct scores; ties share a threshold
        score = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == score:
            tp += bool(pairs[i][1])
            fp += not pairs[i][1]
            i += 1
        if fp > allowed:
            break
        best = (score, tp, fp)
    threshold, tp, fp = best
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / positives
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {**out, "threshold": None if threshold is None else round(float(threshold), 6),
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "fpr": round(fp / negatives, 4)}
