"""The reviewers' API: queue, item, claims and decisions with a personal API token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from dashboards.accounts.models import Role
from dashboards.accounts.tokens import create_token
from tests.dashboards.review.factories import stored_item

pytestmark = pytest.mark.warehouse


@pytest.fixture
def bearer(app, accounts, make_user):
    """``bearer(name, role)``: a client whose requests carry that new user's API token."""

    def make(name: str, role: Role) -> TestClient:
        _, secret = create_token(accounts, make_user(name, role).id, "t")
        return TestClient(app, headers={"Authorization": f"Bearer {secret}"})

    return make


def test_a_program_reads_the_queue_and_decides(warehouse, bearer) -> None:
    doc = stored_item(warehouse, 1, labels=("xenophobia",), views=10)
    client = bearer("bot", Role.reviewer)
    queue = client.get("/api/v1/queue?category=xenophobia").json()
    assert queue["total"] == 1 and queue["items"][0]["id"] == doc.id and queue["items"][0]["priority"] > 0
    item = client.get(f"/api/v1/items/{doc.id}").json()
    assert item["document"]["text"] == doc.text and item["classification"]["labels"] == ["xenophobia"]
    assert item["sensitive"] is True and item["claim"] is None  # reading does not claim
    claim = client.post(f"/api/v1/items/{doc.id}/claim").json()
    assert (claim["holder"], claim["yours"]) == ("bot", True)
    response = client.post(f"/api/v1/items/{doc.id}/decisions", json={"action": "confirm", "categories": ["racism"]})
    assert response.status_code == 201
    decision = response.json()
    assert (decision["verdict"], decision["labels"], decision["reviewer"]) == ("relabel", ["racism"], "bot")
    assert client.get("/api/v1/queue").json()["total"] == 0
    assert [d["decision_id"] for d in client.get(f"/api/v1/items/{doc.id}").json()["decisions"]] == [
        decision["decision_id"]]


def test_refusals_are_json(warehouse, bearer) -> None:
    doc = stored_item(warehouse, 1)
    ann, bob = bearer("ann", Role.reviewer), bearer("bob", Role.admin)
    assert ann.post(f"/api/v1/items/{doc.id}/decisions", json={"action": "reject"}).json() == {
        "detail": "This decision needs a reason: write it in the note."}
    assert ann.post(f"/api/v1/items/{doc.id}/decisions", json={"action": "maybe"}).status_code == 422
    assert ann.post(f"/api/v1/items/{doc.id}/claim").status_code == 200
    assert bob.post(f"/api/v1/items/{doc.id}/claim").status_code == 409
    refused = bob.post(f"/api/v1/items/{doc.id}/decisions", json={"action": "escalate", "note": "for legal"})
    assert (refused.status_code, refused.json()) == (409, {"detail": "Another reviewer is working on this item."})
    assert ann.delete(f"/api/v1/items/{doc.id}/claim").status_code == 204
    assert bob.post(f"/api/v1/items/{doc.id}/decisions", json={"action": "escalate", "note": "legal"}).status_code == 201


def test_analyst_tokens_read_but_do_not_decide(warehouse, bearer) -> None:
    doc = stored_item(warehouse, 1)
    client = bearer("ann", Role.analyst)
    assert client.get(f"/api/v1/items/{doc.id}").status_code == 200
    assert client.get("/api/v1/queue").status_code == 403
    assert client.post(f"/api/v1/items/{doc.id}/decisions", json={"action": "reject", "note": "x"}).status_code == 403


def test_the_review_routes_are_in_the_api_description(signed_in) -> None:
    paths = signed_in(Role.reviewer).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/queue", "/api/v1/items/{document_id}", "/api/v1/items/{document_id}/claim",
            "/api/v1/items/{document_id}/decisions"} <= set(paths)
