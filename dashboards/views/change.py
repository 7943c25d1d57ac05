"""Change between two counts (a period and the one before, or the two sides of a comparison), with
division by zero handled explicitly: a percentage needs a base, so from zero there is none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Trend = Literal["up", "down", "same", "new", "none"]


@dataclass(frozen=True)
class Change:
    before: int
    after: int
    delta: int  # after - before
    percent: float | None  # (after - before) / before * 100, rounded to 0.1; None when before is 0
    trend: Trend  # "new": from 0 to more; "none": 0 both times


def change(before: int, after: int) -> Change:
    return Change(before, after, after - before, percent_change(before, after), _trend(before, after))


def percent_change(before: float, after: float) -> float | None:
    """``after`` against ``before`` in percent; None when ``before`` is 0 (there is no base to divide by)."""
    if before == 0:
        return None
    return round((after - before) / before * 100, 1)


def share(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, rounded to 0.01; None when ``whole`` is 0."""
    return None if whole == 0 else round(part / whole * 100, 2)


def points(before: float | None, after: float | None) -> float | None:
    """The difference of two percentages in percentage points; None when either is missing."""
    return None if before is None or after is None else round(after - before, 2)


def _trend(before: int, after: int) -> Trend:
    if before == 0:
        return "new" if after > 0 else "none"
    return "up" if after > before else "down" if after < before else "same"
