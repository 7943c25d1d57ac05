"""The queue's order: which flagged item a reviewer sees first.

    priority = severity × score × reach × recency

- **severity × score**: the largest, over the document's labels *c*, of ``weight(severity(c)) × score(c)``:
  severities from ``classifiers/taxonomy.yaml`` weighted critical 3, high 2, medium 1, low 0.5; the
  score is the latest classification's calibrated score of *c* (0 to 1).
- **reach** = ``1 + ln(1 + n)``, *n* the largest of ``views``, ``forwards`` and ``replies`` the crawler
  stored with the document (its ``extra``); 0 when it stored none, so unknown reach counts 1.
- **recency** = ``2 ** (-age_hours / dashboards.priority_half_life_hours)``: the age runs from
  ``published_at`` (else ``fetched_at``) to now; with the default 24 h, a day-old item weighs half.

The queue computes it in SQL (:data:`SQL`); the item page explains it with :func:`priority`, the same
formula in Python (a test checks that both agree).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from classifiers.taxonomy import load_taxonomy

SEVERITY_WEIGHTS: dict[str, float] = {"critical": 3.0, "high": 2.0, "medium": 1.0, "low": 0.5}
REACH_FIELDS = ("views", "forwards", "replies")

# Over the columns scores, labels, extra and posted_at; parameters from sql_params().
SQL = (
    "arrayMax(arrayMap(c -> {severity:Map(String, Float64)}[c] * toFloat64(scores[c]), labels))"
    " * (1 + log(1 + greatest(" + ", ".join(f"JSONExtractUInt(extra, '{field}')" for field in REACH_FIELDS) + ")))"
    " * pow(2, -greatest(0, dateDiff('millisecond', posted_at, {now:DateTime64(3, 'UTC')}) / 3600000)"
    " / {half_life_hours:Float64})"
)


@dataclass(frozen=True)
class Priority:
    """A document's priority and its factors (what the item page shows)."""

    category: str | None  # the label that gives the largest severity × score
    severity_score: float
    reach: float
    recency: float

    @property
    def value(self) -> float:
        return self.severity_score * self.reach * self.recency


@cache
def severity_weights() -> dict[str, float]:
    """Each taxonomy category's severity weight."""
    return {name: SEVERITY_WEIGHTS[category.severity] for name, category in load_taxonomy().categories.items()}


def reach_count(extra: Mapping[str, Any]) -> int:
    """The largest of the document's views, forwards and replies (0 when none is known)."""
    counts = [value for field in REACH_FIELDS if isinstance(value := extra.get(field), int) and value > 0]
    return max(counts, default=0)


def priority(scores: Mapping[str, float], labels: Sequence[str], extra: Mapping[str, Any], posted_at: datetime,
             now: datetime, half_life_hours: float) -> Priority:
    weights = severity_weights()
    best = max(labels, key=lambda c: weights.get(c, 0.0) * scores.get(c, 0.0), default=None)
    severity_score = weights.get(best, 0.0) * scores.get(best, 0.0) if best else 0.0
    age_hours = max(0.0, (now - posted_at).total_seconds() / 3600)
    return Priority(category=best, severity_score=severity_score, reach=1 + math.log(1 + reach_count(extra)),
                    recency=2 ** (-age_hours / half_life_hours))


def sql_params(now: datetime, half_life_hours: float) -> dict[str, Any]:
    """The parameters :data:`SQL` binds."""
    return {"severity": severity_weights(), "now": now, "half_life_hours": half_life_hours}
