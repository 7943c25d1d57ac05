"""Who may review: reviewers and admins decide; analysts may read an item but not decide (403)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.tokens import create_token
from dashboards.accounts.users import find_user
from tests.dashboards.conftest import csrf
from tests.dashboards.review.factories import stored_item

pytestmark = pytest.mark.warehouse
REVIEWER_PAGES = ("/queue", "/audit", "/audit/agreement", "/audit?format=csv", "/api/v1/queue")


def test_analysts_cannot_reach_the_queue_audit_or_decide(app, warehouse, signed_in) -> None:
    doc = stored_item(warehouse, 1)
    client = signed_in(Role.analyst)
    token = csrf(client, "/account")
    for path in REVIEWER_PAGES:
        assert client.get(path).status_code == 403, path
    for path in (f"/items/{doc.id}/decisions", f"/items/{doc.id}/release", "/queue/next"):
        response = client.post(path, data={"csrf_token": token, "action": "reject", "note": "no"})
        assert response.status_code == 403, path
    for method in ("POST", "DELETE"):
        assert client.request(method, f"/api/v1/items/{doc.id}/claim", headers={"X-CSRF-Token": token}).status_code == 403
    response = client.post(f"/api/v1/items/{doc.id}/decisions", json={"action": "reject", "note": "no"},
                           headers={"X-CSRF-Token": token})
    assert response.status_code == 403
    assert warehouse.query("SELECT count() AS n FROM review_decisions") == [{"n": 0}]


def test_analysts_read_items_without_claiming_them(app, accounts, warehouse, signed_in) -> None:
    doc = stored_item(warehouse, 1)
    page = signed_in(Role.analyst).get(f"/items/{doc.id}")
    assert page.status_code == 200
    assert "you can read this one" in page.text and '<fieldset disabled>' in page.text
    assert 'href="/queue"' not in page.text
    assert TestClient(app).get(f"/api/v1/items/{doc.id}", headers={"Authorization": "Bearer x"}).status_code == 401
    _, secret = create_token(accounts, find_user(accounts, "analyst").id, "t")  # type: ignore[union-attr]
    answer = TestClient(app).get(f"/api/v1/items/{doc.id}", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200 and answer.json()["claim"] is None


@pytest.mark.parametrize("role", [Role.reviewer, Role.admin])
def test_reviewers_and_admins_reach_every_review_page(warehouse, signed_in, role: Role) -> None:
    doc = stored_item(warehouse, 1)
    client = signed_in(role)
    for path in (*REVIEWER_PAGES, f"/items/{doc.id}", f"/api/v1/items/{doc.id}", "/leave"):
        assert client.get(path).status_code == 200, path
    header = client.get("/queue").text
    assert 'href="/queue" aria-current="page">Queue<' in header and 'href="/audit">Audit<' in header


def test_an_unknown_item_is_404(warehouse, signed_in) -> None:
    client = signed_in(Role.reviewer)
    for path in ("/items/" + "0" * 32, "/items/not-an-id", "/api/v1/items/" + "0" * 32):
        assert client.get(path).status_code == 404, path
