"""The audit log: filters, blind second reviewers, CSV that spreadsheets cannot run."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest

from dashboards.review.audit import AuditFilters, audit_log, export, reviewers, verdict_counts
from vigil.schemas import ReviewDecision
from vigil.warehouse.rows import review_row

DAY1, DAY2 = datetime(2026, 6, 1, 10, tzinfo=timezone.utc), datetime(2026, 6, 2, 23, 59, tzinfo=timezone.utc)


def _decisions(warehouse) -> list[ReviewDecision]:
    decisions = [
        ReviewDecision(document_id="a" * 32, reviewer="ann", verdict="confirm", labels=["racism"], decided_at=DAY1),
        ReviewDecision(document_id="b" * 32, reviewer="bob", verdict="reject", note="=HYPERLINK(\"x\")", decided_at=DAY2),
        ReviewDecision(document_id="c" * 32, reviewer="ann", verdict="relabel", labels=["racism", "incitement"],
                       decided_at=DAY2.replace(hour=12)),
    ]
    warehouse.insert("review_decisions", [review_row(d) for d in decisions])
    return decisions


@pytest.mark.warehouse
def test_filters_select_by_reviewer_verdict_category_and_day(warehouse) -> None:
    first, second, third = _decisions(warehouse)

    def ids(filters: AuditFilters, blind: list[str] | None = None) -> list[str]:
        return [row.decision_id for row in audit_log(warehouse, filters, blind or [])[0]]

    assert ids(AuditFilters()) == [second.decision_id, third.decision_id, first.decision_id]  # newest first
    assert audit_log(warehouse, AuditFilters(), [])[1] == 3
    assert sorted(ids(AuditFilters(reviewer="ann"))) == sorted([first.decision_id, third.decision_id])
    assert ids(AuditFilters(verdict="reject")) == [second.decision_id]
    assert sorted(ids(AuditFilters(category="racism"))) == sorted([first.decision_id, third.decision_id])
    assert ids(AuditFilters(since=date(2026, 6, 2), category="racism")) == [third.decision_id]
    assert ids(AuditFilters(until=date(2026, 6, 1))) == [first.decision_id]
    assert ids(AuditFilters(reviewer="ann"), blind=["c" * 32]) == [first.decision_id]
    assert reviewers(warehouse) == ["ann", "bob"]
    assert verdict_counts(warehouse) == {"ann": {"confirm": 1, "relabel": 1}, "bob": {"reject": 1}}


@pytest.mark.warehouse
def test_the_export_is_csv_with_formulas_defused(warehouse) -> None:
    _decisions(warehouse)
    rows = list(csv.DictReader(io.StringIO(export(warehouse, AuditFilters(reviewer="bob"), []))))
    assert len(rows) == 1 and rows[0]["verdict"] == "reject" and rows[0]["note"] == "'=HYPERLINK(\"x\")"
    assert rows[0]["decided_at"] == DAY2.isoformat()


def test_filters_travel_in_the_url() -> None:
    assert AuditFilters(reviewer="ann", since=date(2026, 6, 1)).query() == "reviewer=ann&since=2026-06-01"
    assert AuditFilters().query() == ""
