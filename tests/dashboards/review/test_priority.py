"""The queue's priority: severity × score × reach × recency, the same in Python and in SQL."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import pytest

from dashboards.review.priority import SQL, priority, reach_count, sql_params
from tests.dashboards.review.factories import stored_item

NOW = datetime(2026, 6, 30, 12, tzinfo=timezone.utc)


def test_the_formula_by_hand() -> None:
    scores = {"xenophobia": 0.8, "incitement": 0.5, "financing": 0.99}
    found = priority(scores, ["xenophobia", "incitement"], {"views": 99}, NOW - timedelta(hours=48), NOW, 24.0)
    # xenophobia: high (2) × 0.8 = 1.6 beats incitement: critical (3) × 0.5 = 1.5; financing is no label
    assert (found.category, found.severity_score) == ("xenophobia", 1.6)
    assert found.reach == pytest.approx(1 + math.log(100))
    assert found.recency == pytest.approx(0.25)  # two half-lives
    assert found.value == pytest.approx(1.6 * (1 + math.log(100)) * 0.25)


def test_reach_is_one_when_unknown_and_the_largest_count_otherwise() -> None:
    assert reach_count({}) == 0 and reach_count({"views": None, "forwards": "12"}) == 0
    assert reach_count({"views": 5, "forwards": 40, "replies": 7}) == 40
    assert priority({"racism": 1.0}, ["racism"], {}, NOW, NOW, 24.0).reach == 1.0


def test_a_future_date_counts_as_new() -> None:
    assert priority({"racism": 1.0}, ["racism"], {}, NOW + timedelta(hours=5), NOW, 24.0).recency == 1.0


@pytest.mark.warehouse
def test_sql_and_python_agree(warehouse) -> None:
    docs = [stored_item(warehouse, 1, labels=("xenophobia", "incitement"), scores={"xenophobia": 0.8, "incitement": 0.6},
                        hours_old=30, views=1500),
            stored_item(warehouse, 2, labels=("financing",), hours_old=2),
            stored_item(warehouse, 3, labels=("aggressive_nationalism",), hours_old=200, views=3)]
    rows = warehouse.query(
        f"SELECT id, scores, labels, extra, posted_at, {SQL} AS priority FROM (SELECT d.id AS id, c.scores AS scores, "
        "c.labels AS labels, d.extra AS extra, coalesce(d.published_at, d.fetched_at) AS posted_at "
        "FROM classifications AS c INNER JOIN documents AS d ON d.id = c.document_id)",
        sql_params(NOW, 24.0))
    assert len(rows) == len(docs)
    for row in rows:
        expected = priority(dict(row["scores"]), row["labels"], json.loads(row["extra"]), row["posted_at"], NOW, 24.0)
        assert row["priority"] == pytest.approx(expected.value, rel=1e-9)
