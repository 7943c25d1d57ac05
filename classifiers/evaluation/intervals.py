"""Bootstrap intervals for the real-text figures: how far a figure would move on another draw of rows
of the same kind.

The held-back rows are a few hundred per language, so a figure such as Russian binary F1 at a
false-positive rate of at most 5% moves by several hundredths between two halves of the same data
(on 0.7.0: 0.646 on the calibration part, 0.622 on the test part). An interval says which of the
differences a report prints are larger than that.

Each of ``rounds`` resamples draws the rows with replacement (as multinomial counts, so one matrix
product scores them all) and recomputes the figure exactly as :mod:`classifiers.evaluation.evaluate`
does: macro-F1 over the categories with support >= 5 in the full rows, and the binary cut of
:func:`classifiers.evaluation.binary.f1_at_fpr` chosen afresh in each resample. The interval is the
percentile one (the 2.5th and 97.5th of the resampled figures at ``level`` 0.95). A paired interval
(two models' decisions on the same rows, the same resamples) says how sure a comparison is; it is
much narrower than two separate intervals, since both models meet the same hard rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ROUNDS = 1000
LEVEL = 0.95
SEED = 0


def resample_counts(rows: int, rounds: int = ROUNDS, seed: int = SEED) -> np.ndarray:
    """``rounds`` x ``rows``: how often each row is drawn in each resample (a bootstrap by counts)."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(rows, np.full(rows, 1.0 / rows), size=rounds).astype(np.float64)


def macro_f1_samples(gold: np.ndarray, flagged: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Macro-F1 per resample. ``gold`` and ``flagged`` are rows x categories (the categories already
    chosen); a category with neither gold nor flags in a resample counts 0, as sklearn's
    ``zero_division=0`` does."""
    gold, flagged = gold.astype(bool), flagged.astype(bool)
    tp = counts @ (gold & flagged)
    fp = counts @ (~gold & flagged)
    fn = counts @ (gold & ~flagged)
    denominator = 2 * tp + fp + fn
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)
    return f1.mean(axis=1)


def binary_f1_samples(scores: np.ndarray, gold: np.ndarray, counts: np.ndarray, max_fpr: float) -> np.ndarray:
    """Binary F1 per resample at the cut :func:`~classifiers.evaluation.binary.f1_at_fpr` would choose in
    it (the lowest score, ties together, flagging at most ``max_fpr`` of its negatives); NaN where a
    resample has no positives or no negatives."""
    order = np.argsort(-scores, kind="stable")
    ranked, positive = scores[order], gold[order].astype(bool)
    ends = np.flatnonzero(np.r_[ranked[1:] != ranked[:-1], True])  # the last row of each run of equal scores
    drawn = counts[:, order]
    tp = np.cumsum(drawn * positive, axis=1)[:, ends]
    fp = np.cumsum(drawn * ~positive, axis=1)[:, ends]
    positives, negatives = (drawn * positive).sum(axis=1), (drawn * ~positive).sum(axis=1)
    allowed = np.floor(max_fpr * negatives + 1e-9)
    last = (fp <= allowed[:, None]).sum(axis=1) - 1  # fp only grows down the ranking
    pick = np.maximum(last, 0)
    rows = np.arange(len(counts))
    tp_at = np.where(last >= 0, tp[rows, pick], 0.0)
    fp_at = np.where(last >= 0, fp[rows, pick], 0.0)
    f1 = 2 * tp_at / np.maximum(tp_at + fp_at + positives, 1e-12)
    return np.where((positives > 0) & (negatives > 0), f1, np.nan)


def interval(samples: np.ndarray, level: float = LEVEL) -> list[float] | None:
    """The percentile interval of ``samples`` (NaN samples left out), rounded; ``None`` without samples."""
    kept = samples[~np.isnan(samples)]
    if not len(kept):
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(kept, [tail, 100 - tail])
    return [round(float(low), 4), round(float(high), 4)]


def interval_text(bounds: Sequence[float]) -> str:
    """An interval for a table: "0.611 to 0.734" (a hyphen would read as a minus sign beside a difference)."""
    return f"{bounds[0]:.3f} to {bounds[1]:.3f}"


def chosen(gold: np.ndarray, min_support: int = 5) -> np.ndarray:
    """The columns that macro-F1 averages over: support of at least ``min_support`` in all the rows."""
    return gold.sum(axis=0) >= min_support


def figure_intervals(gold: np.ndarray, flagged: np.ndarray, scores: np.ndarray, max_fpr: float,
                     rounds: int = ROUNDS, level: float = LEVEL, seed: int = SEED) -> dict:
    """Intervals of macro-F1 (``gold``/``flagged``: rows x the model's categories) and of binary F1 at
    ``max_fpr`` (``scores``: each row's highest score; a row is positive when it has any gold label)."""
    columns = chosen(gold)
    counts = resample_counts(len(gold), rounds, seed)
    macro = macro_f1_samples(gold[:, columns], flagged[:, columns], counts) if columns.any() else np.array([np.nan])
    binary = binary_f1_samples(scores, gold.any(axis=1), counts, max_fpr)
    return {"level": level, "rounds": rounds, "macro_f1": interval(macro, level), "binary_f1": interval(binary, level)}


def difference(point: float, samples: np.ndarray, level: float = LEVEL) -> dict:
    """A paired comparison: the difference on the whole rows, the interval of the resampled differences
    (NaN resamples left out) and the share of resamples in which it is above 0."""
    kept = samples[~np.isnan(samples)]
    return {"difference": None if np.isnan(point) else round(point, 4), "interval": interval(samples, level),
            "share_ahead": round(float(np.mean(kept > 0)), 4) if len(kept) else None}


def paired_macro_f1_difference(strata: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], rounds: int = ROUNDS,
                               level: float = LEVEL, seed: int = SEED) -> dict:
    """Macro-F1 of model ``b`` minus that of model ``a``, averaged over ``strata`` (``(gold, flagged_a,
    flagged_b)`` on the same rows, one per language, as the retrain gate averages languages): the
    difference, its paired interval, and the share of resamples in which ``b`` is ahead. Each stratum
    is resampled on its own; strata whose categories all have support under 5 are left out."""
    kept = [(g[:, chosen(g)], a[:, chosen(g)], b[:, chosen(g)]) for g, a, b in strata if chosen(g).any()]
    if not kept:
        return {"difference": None, "interval": None, "share_ahead": None, "level": level, "rounds": rounds}
    samples, point = np.zeros(rounds), 0.0
    for i, (gold, flagged_a, flagged_b) in enumerate(kept):
        counts, whole = resample_counts(len(gold), rounds, seed + i), np.ones((1, len(gold)))
        samples += (macro_f1_samples(gold, flagged_b, counts) - macro_f1_samples(gold, flagged_a, counts)) / len(kept)
        point += float(macro_f1_samples(gold, flagged_b, whole)[0] - macro_f1_samples(gold, flagged_a, whole)[0]) / len(kept)
    return {**difference(point, samples, level), "level": level, "rounds": rounds}


def paired_figures(gold: np.ndarray, flagged_a: np.ndarray, flagged_b: np.ndarray, scores_a: np.ndarray,
                   scores_b: np.ndarray, max_fpr: float, rounds: int = ROUNDS, level: float = LEVEL,
                   seed: int = SEED) -> dict:
    """Model ``b`` against model ``a`` on the same rows: for macro-F1 (``gold``/``flagged_*``: rows x
    categories) and binary F1 at ``max_fpr`` (``scores_*``: each row's highest score), ``b``'s figure
    minus ``a``'s, its paired interval (both scored on the same resamples) and the share of resamples
    in which ``b`` is ahead."""
    columns = chosen(gold)
    counts, whole = resample_counts(len(gold), rounds, seed), np.ones((1, len(gold)))
    positive = gold.any(axis=1)

    def compared(figure) -> dict:
        point = float(figure(flagged_b, scores_b, whole)[0] - figure(flagged_a, scores_a, whole)[0])
        return difference(point, figure(flagged_b, scores_b, counts) - figure(flagged_a, scores_a, counts), level)

    out: dict = {"level": level, "rounds": rounds, "macro_f1": None}
    if columns.any():
        out["macro_f1"] = compared(lambda flagged, _, w: macro_f1_samples(gold[:, columns], flagged[:, columns], w))
    out["binary_f1"] = compared(lambda _, scores, w: binary_f1_samples(scores, positive, w, max_fpr))
    return out


def label_matrix(labels: Sequence[Sequence[str]], categories: Sequence[str]) -> np.ndarray:
    """Rows x ``categories``: whether each row carries each category."""
    return np.array([[c in set(row) for c in categories] for row in labels], dtype=bool).reshape(len(labels),
                                                                                                   len(categories))
