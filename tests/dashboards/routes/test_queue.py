"""The queue page: filters in the URL, second reviews first, "take the next item"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dashboards.accounts import second_reviews
from dashboards.accounts.models import Role
from dashboards.accounts.users import find_user, set_locale
from tests.dashboards.conftest import csrf, sign_in
from tests.dashboards.review.factories import stored_item

pytestmark = pytest.mark.warehouse


def test_the_queue_lists_items_by_priority_with_filters_from_the_url(warehouse, signed_in) -> None:
    low = stored_item(warehouse, 1, labels=("aggressive_nationalism",), hours_old=50)
    high = stored_item(warehouse, 2, labels=("incitement",), language="ru")
    client = signed_in(Role.reviewer)
    page = client.get("/queue").text
    assert page.index(f'href="/items/{high.id}"') < page.index(f'href="/items/{low.id}"')
    assert "Items to review: 2" in page
    assert '<option value="incitement">Incitement (1)</option>' in page
    filtered = client.get("/queue?language=ru&category=incitement").text
    assert f'href="/items/{high.id}?category=incitement&amp;language=ru"' in filtered
    assert f"/items/{low.id}" not in filtered
    assert '<option value="ru" selected>ru (1)</option>' in filtered
    assert 'action="/queue/next?category=incitement&amp;language=ru"' in filtered
    assert client.get("/queue?category=nonsense&state=bogus").status_code == 200  # unknown values are dropped


def test_taking_the_next_item_goes_to_the_top_of_the_queue(warehouse, signed_in) -> None:
    client = signed_in(Role.reviewer)
    token = csrf(client, "/queue")
    assert client.post("/queue/next", data={"csrf_token": token}).headers["location"] == "/queue"
    top = stored_item(warehouse, 1, labels=("incitement",))
    stored_item(warehouse, 2, labels=("racism",), hours_old=30)
    response = client.post("/queue/next?source=example-forum", data={"csrf_token": token})
    assert response.headers["location"] == f"/items/{top.id}?source=example-forum"


def test_second_reviews_come_first_and_blind(app, accounts, warehouse, make_user, signed_in) -> None:
    doc = stored_item(warehouse, 1, labels=("racism",))
    ann = signed_in(Role.reviewer)
    ann.post(f"/items/{doc.id}/decisions", data={"csrf_token": csrf(ann, f"/items/{doc.id}"), "action": "confirm",
                                                 "categories": ["racism"]})
    first = warehouse.query("SELECT decision_id FROM review_decisions")[0]["decision_id"]
    bob_user = make_user("bob", Role.reviewer)
    assert second_reviews.assign(accounts, doc.id, first, find_user(accounts, "reviewer").id)  # type: ignore[union-attr]
    bob = TestClient(app, follow_redirects=False)
    sign_in(bob, "bob")
    queue = bob.get("/queue").text
    assert "Second reviews for you" in queue and f'href="/items/{doc.id}"' in queue
    assert bob.post("/queue/next", data={"csrf_token": csrf(bob, "/queue")}).headers["location"] == f"/items/{doc.id}"
    page = bob.get(f"/items/{doc.id}").text
    assert "earlier decisions on this item are hidden" in page and "Confirmed" not in page
    assert bob.get(f"/api/v1/items/{doc.id}").json()["decisions"] == []
    assert bob.get("/audit").text.count(f"/items/{doc.id}") == 0  # the audit log does not tell either
    assert ann.get("/audit").text.count(f"/items/{doc.id}") == 1
    assert second_reviews.open_for(accounts, bob_user.id)


def test_the_queue_speaks_russian(accounts, warehouse, signed_in) -> None:
    stored_item(warehouse, 1)
    client = signed_in(Role.reviewer)
    set_locale(accounts, find_user(accounts, "reviewer").id, "ru")  # type: ignore[union-attr]
    page = client.get("/queue").text
    assert "Очередь проверки" in page and "Взять следующий материал" in page and "Ксенофобия" in page
