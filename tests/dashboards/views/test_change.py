"""Change between two counts, and shares: division by zero never happens, it is said."""

from __future__ import annotations

import pytest

from dashboards.views.change import change, percent_change, points, share


@pytest.mark.parametrize("before, after, delta, percent, trend", [
    (10, 15, 5, 50.0, "up"), (20, 5, -15, -75.0, "down"), (7, 7, 0, 0.0, "same"),
    (0, 4, 4, None, "new"), (0, 0, 0, None, "none"), (3, 0, -3, -100.0, "down"), (3, 4, 1, 33.3, "up"),
])
def test_change_from_before_to_after(before: int, after: int, delta: int, percent: float | None, trend: str) -> None:
    found = change(before, after)
    assert (found.before, found.after, found.delta, found.percent, found.trend) == (before, after, delta, percent,
                                                                                    trend)


def test_a_percentage_needs_a_base() -> None:
    assert percent_change(0, 10) is None and percent_change(0, 0) is None
    assert percent_change(8, 10) == 25.0


def test_shares_and_their_difference_in_points() -> None:
    assert share(1, 3) == 33.33 and share(0, 5) == 0.0 and share(2, 0) is None
    assert points(10.0, 12.5) == 2.5 and points(None, 3.0) is None and points(4.0, None) is None
