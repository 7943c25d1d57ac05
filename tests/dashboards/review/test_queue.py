"""The queue: labelled, undecided documents by priority; filters; claimed and decided items left out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dashboards.review.queue import PAGE_SIZE, QueueFilters, State, items_by_id, queue_ids, queue_page
from tests.dashboards.review import factories
from tests.dashboards.review.factories import stored_item
from vigil.schemas import CATEGORIES, Classification, ReviewDecision
from vigil.warehouse.rows import review_row
from vigil.warehouse.sink import Located, write_classifications

pytestmark = pytest.mark.warehouse
NOW = datetime.now(timezone.utc)


def _decide(warehouse, document_id: str, verdict: str, labels: list[str] | None = None) -> None:
    warehouse.insert("review_decisions", [review_row(ReviewDecision(
        document_id=document_id, reviewer="r1", verdict=verdict, labels=labels or []))])  # type: ignore[arg-type]


def test_the_queue_holds_flagged_undecided_items_highest_priority_first(warehouse) -> None:
    critical = stored_item(warehouse, 1, labels=("incitement",), hours_old=1)
    high = stored_item(warehouse, 2, labels=("xenophobia",), hours_old=1)
    old = stored_item(warehouse, 3, labels=("incitement",), hours_old=24 * 7)
    viral = stored_item(warehouse, 4, labels=("aggressive_nationalism",), hours_old=1, views=100_000)
    stored_item(warehouse, 5, labels=())  # classified, no label: not flagged
    stored_item(warehouse, 6, labels=None)  # not classified
    decided = stored_item(warehouse, 7, labels=("racism",))
    _decide(warehouse, decided.id, "reject")
    page = queue_page(warehouse, QueueFilters(), [], NOW, 24.0)
    assert [item.id for item in page.items] == [viral.id, critical.id, high.id, old.id]
    assert page.total == 4 and page.items[1].labels == ["incitement"] and page.items[1].snippet
    assert page.facets["category"] == {"aggressive_nationalism": 1, "incitement": 2, "xenophobia": 1}
    assert queue_ids(warehouse, QueueFilters(), [critical.id], NOW, 24.0) == [viral.id, high.id, old.id]


def test_the_latest_classification_decides_whether_an_item_is_flagged(warehouse) -> None:
    doc = stored_item(warehouse, 1, labels=("racism",))
    write_classifications(warehouse, [Located(Classification(
        document_id=doc.id, model_version="newer-model", scores={c: 0.1 for c in CATEGORIES}, labels=[],
        classified_at=factories.NOW + timedelta(hours=1)))])
    assert queue_page(warehouse, QueueFilters(), [], NOW, 24.0).items == []


def test_filters_by_category_language_and_source(warehouse) -> None:
    en = stored_item(warehouse, 1, labels=("xenophobia", "incitement"))
    ru = stored_item(warehouse, 2, labels=("xenophobia",), language="ru", source_id="ru-channel",
                     source_kind="telegram")

    def ids(**filters: str) -> list[str]:
        return [i.id for i in queue_page(warehouse, QueueFilters(**filters), [], NOW, 24.0).items]

    assert ids(category="incitement") == [en.id]
    assert sorted(ids(category="xenophobia")) == sorted([en.id, ru.id])
    assert ids(language="ru") == [ru.id] and ids(source="ru-channel") == [ru.id]
    assert ids(language="ru", category="incitement") == []
    page = queue_page(warehouse, QueueFilters(language="ru"), [], NOW, 24.0)
    assert page.facets["language"] == {"en": 1, "ru": 1}  # the facets count the whole state


def test_the_escalated_state_holds_items_whose_latest_decision_is_escalate_or_unsure(warehouse) -> None:
    escalated, unsure, settled = (stored_item(warehouse, n) for n in (1, 2, 3))
    _decide(warehouse, escalated.id, "escalate")
    _decide(warehouse, unsure.id, "unsure")
    _decide(warehouse, settled.id, "confirm", ["xenophobia"])
    assert queue_page(warehouse, QueueFilters(), [], NOW, 24.0).items == []
    found = queue_page(warehouse, QueueFilters(state=State.escalated), [], NOW, 24.0)
    assert sorted(item.id for item in found.items) == sorted([escalated.id, unsure.id])


def test_items_by_id_keeps_the_order_given_whatever_their_state(warehouse) -> None:
    one, two = stored_item(warehouse, 1), stored_item(warehouse, 2)
    _decide(warehouse, one.id, "reject")
    assert [i.id for i in items_by_id(warehouse, [two.id, one.id, "f" * 32], NOW, 24.0)] == [two.id, one.id]


def test_paging(warehouse) -> None:
    for n in range(PAGE_SIZE + 3):
        stored_item(warehouse, n, hours_old=n)
    second = queue_page(warehouse, QueueFilters(), [], NOW, 24.0, page=2)
    assert (second.total, len(second.items)) == (PAGE_SIZE + 3, 3)
