"""The reviewers' JSON API under ``/api/v1``: the queue, one item, claims and decisions. Programs use a
personal API token (``Authorization: Bearer``) of a reviewer or admin; analysts may read items only.
Reading an item through the API does not claim it: ``POST .../claim`` does, and a decision claims the
item itself when it is free (409 when another reviewer holds it)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Response
from pydantic import BaseModel, Field

from dashboards.accounts import claims, second_reviews
from dashboards.accounts.claims import Claim
from dashboards.deps import AccountsDep, AnalystUser, ReviewerUser, SettingsDep, WarehouseDep
from dashboards.i18n import N_
from dashboards.paths import API_PREFIX
from dashboards.review import item as stored
from dashboards.review.audit import decisions_on
from dashboards.review.queue import QueueItem, items_by_id, queue_page
from dashboards.review.related import RelatedDocument, near_duplicates, thread
from dashboards.review.wellbeing import should_blur
from dashboards.review.workflow import Choice, Refused, hidden, submit
from dashboards.routes.items import find_document
from dashboards.routes.queue import FiltersDep

router = APIRouter(prefix=API_PREFIX, tags=["review"])


class QueueAnswer(BaseModel):
    items: list[QueueItem]  # the queue's own rows (a dataclass pydantic validates as it is)
    total: int
    page: int
    second_reviews: list[QueueItem] = Field(description="items waiting for your blind second review")


class ClaimAnswer(BaseModel):
    document_id: str
    holder: str
    yours: bool
    claimed_at: datetime
    expires_at: datetime


class DecisionOut(BaseModel):
    decision_id: str
    reviewer: str
    verdict: str
    labels: list[str]
    note: str
    decided_at: datetime


class RelatedOut(BaseModel):
    id: str
    source_id: str
    posted_at: datetime
    snippet: str
    distance: int | None


class ItemAnswer(BaseModel):
    document: dict[str, Any]
    classification: dict[str, Any] | None
    sensitive: bool = Field(description="graphic or dehumanising: the pages blur it by default")
    claim: ClaimAnswer | None
    blind: bool = Field(description="your second review is open: earlier decisions are left out")
    decisions: list[DecisionOut]
    thread: list[RelatedOut]
    near_duplicates: list[RelatedOut]


class DecisionIn(BaseModel):
    action: Literal["confirm", "reject", "escalate", "unsure"]
    categories: list[str] = Field(default_factory=list, description="for confirm: the categories that apply "
                                                                     "(a set other than the model's is a relabel)")
    note: str = Field(default="", max_length=5000)


@router.get("/queue")
def review_queue(user: ReviewerUser, warehouse: WarehouseDep, accounts: AccountsDep, settings: SettingsDep,
                 filters: FiltersDep, page: int = 1) -> QueueAnswer:
    """Flagged items not yet decided, highest priority first (query: category, language, source, state)."""
    now, half_life = datetime.now(timezone.utc), settings.dashboards.priority_half_life_hours
    found = queue_page(warehouse, filters, hidden(accounts, user), now, half_life, max(page, 1))
    waiting = [review.document_id for review in second_reviews.open_for(accounts, user.id)]
    return QueueAnswer(items=found.items, total=found.total, page=max(page, 1),
                       second_reviews=items_by_id(warehouse, waiting, now, half_life))


@router.get("/items/{document_id}")
def review_item(document_id: str, user: AnalystUser, warehouse: WarehouseDep, accounts: AccountsDep) -> ItemAnswer:
    """One document with its latest classification, decisions, thread and near-duplicates."""
    document = find_document(warehouse, document_id)
    classification = stored.latest_classification(warehouse, document.id)
    blind = second_reviews.blind_for(accounts, document.id, user.id) is not None
    before, after = thread(warehouse, document)
    return ItemAnswer(
        document=document.raw, classification=classification.raw if classification else None,
        sensitive=should_blur(classification.labels if classification else [], True),
        claim=_claim(claims.current(accounts, document.id), user.id), blind=blind,
        decisions=[] if blind else [DecisionOut(**{k: getattr(d, k) for k in DecisionOut.model_fields})
                                    for d in decisions_on(warehouse, document.id)],
        thread=[_related(r) for r in before + after],
        near_duplicates=[_related(r) for r in near_duplicates(warehouse, document)])


@router.post("/items/{document_id}/claim")
def claim_item(document_id: str, user: ReviewerUser, warehouse: WarehouseDep, accounts: AccountsDep,
               settings: SettingsDep) -> ClaimAnswer:
    """Claim the item (or renew your claim); 409 when another reviewer holds it."""
    document = find_document(warehouse, document_id)
    holder = claims.claim(accounts, document.id, user.id, settings.dashboards.claim_minutes)
    if holder.user_id != user.id:
        raise HTTPException(409, N_("Another reviewer is working on this item."))
    return _claim(holder, user.id)  # type: ignore[return-value]


@router.delete("/items/{document_id}/claim", status_code=204)
def release_claim(document_id: str, user: ReviewerUser, accounts: AccountsDep) -> Response:
    """Give the item back to the queue."""
    claims.release(accounts, document_id, user.id)
    return Response(status_code=204)


@router.post("/items/{document_id}/decisions", status_code=201)
def decide_item(document_id: str, body: DecisionIn, user: ReviewerUser, warehouse: WarehouseDep,
                accounts: AccountsDep, settings: SettingsDep) -> DecisionOut:
    """Decide the item: confirm (with its categories), reject, escalate or unsure."""
    document = find_document(warehouse, document_id)
    try:
        decision = submit(settings, accounts, warehouse, user, document.id,
                          Choice(body.action, tuple(body.categories), body.note),
                          stored.latest_classification(warehouse, document.id))
    except Refused as refused:
        raise HTTPException(refused.status, refused.message) from None
    return DecisionOut(decision_id=decision.decision_id, reviewer=decision.reviewer, verdict=decision.verdict,
                       labels=decision.labels, note=decision.note or "", decided_at=decision.decided_at)


def _claim(claim: Claim | None, user_id: int) -> ClaimAnswer | None:
    if claim is None:
        return None
    return ClaimAnswer(document_id=claim.document_id, holder=claim.user_name, yours=claim.user_id == user_id,
                       claimed_at=claim.claimed_at, expires_at=claim.expires_at)


def _related(related: RelatedDocument) -> RelatedOut:
    return RelatedOut(id=related.id, source_id=related.source_id, posted_at=related.posted_at,
                      snippet=related.snippet, distance=related.distance)
