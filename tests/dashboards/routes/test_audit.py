"""The audit log page, its CSV export, and the agreement page."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import pytest

from dashboards.accounts import decision_times, second_reviews
from dashboards.accounts.models import Role
from vigil.schemas import ReviewDecision
from vigil.warehouse.rows import review_row

pytestmark = pytest.mark.warehouse
AT = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def _store(warehouse, *decisions: ReviewDecision) -> None:
    warehouse.insert("review_decisions", [review_row(d) for d in decisions])


def test_the_log_filters_and_exports_what_it_shows(warehouse, signed_in) -> None:
    _store(warehouse,
           ReviewDecision(document_id="a" * 32, reviewer="ann", verdict="confirm", labels=["racism"], decided_at=AT),
           ReviewDecision(document_id="b" * 32, reviewer="bob", verdict="reject", note="<i>news</i>", decided_at=AT))
    client = signed_in(Role.reviewer)
    page = client.get("/audit").text
    assert "Decisions: 2" in page and "&lt;i&gt;news&lt;/i&gt;" in page and f'href="/items/{"a" * 32}"' in page
    filtered = client.get("/audit?reviewer=bob&since=2026-06-01&until=2026-06-01").text
    assert "Decisions: 1" in filtered and f'/items/{"a" * 32}' not in filtered
    assert 'href="/audit?reviewer=bob&amp;since=2026-06-01&amp;until=2026-06-01&amp;format=csv"' in filtered
    response = client.get("/audit?reviewer=bob&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    [row] = csv.DictReader(io.StringIO(response.text))
    assert (row["reviewer"], row["verdict"], row["note"], row["document_id"]) == ("bob", "reject", "<i>news</i>", "b" * 32)


def test_the_agreement_page_shows_kappa_counts_and_median_times(accounts, warehouse, make_user, signed_in) -> None:
    ann, bob = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    pairs = [(["racism"], ["racism"]), (["racism"], []), ([], []), (["racism", "incitement"], ["racism"])]
    for n, (first_labels, second_labels) in enumerate(pairs):
        doc = f"{n:032x}"
        first = ReviewDecision(document_id=doc, reviewer="ann", verdict="confirm" if first_labels else "reject",
                               labels=first_labels, decided_at=AT)
        second = ReviewDecision(document_id=doc, reviewer="bob", verdict="confirm" if second_labels else "reject",
                                labels=second_labels, decided_at=AT)
        _store(warehouse, first, second)
        second_reviews.assign(accounts, doc, first.decision_id, ann.id)
        second_reviews.complete(accounts, doc, bob.id, second.decision_id)
        decision_times.record(accounts, first.decision_id, ann.id, doc, AT, AT.replace(minute=n + 1))
    page = signed_in(Role.admin).get("/audit/agreement").text  # signed in after: bob was the only choice
    assert "Second reviews compared: 4; still open: 0" in page
    # propaganda at all: ann yes, yes, no, yes; bob yes, no, no, yes -> p_o 0.75, p_e 0.75*0.5+0.25*0.5 = 0.5
    assert "<tr><td>Propaganda at all</td><td>4</td><td>3</td>\n        <td>0.5</td></tr>" in page
    assert "<tr><td>ann</td><td>4</td><td>3</td><td>0</td><td>1</td><td>0</td><td>0</td>" in page  # by verdict
    assert "150 s" in page  # ann's median: 1, 2, 3, 4 minutes -> 2.5 minutes
