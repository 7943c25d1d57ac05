"""A reviewer's work on one item, from claim to decision, shared by the pages and the API.

1. Opening an item claims it for ``dashboards.claim_minutes`` (``accounts.claims``); analysts only look.
2. A decision is one of :data:`ACTIONS`: *confirm* the categories ticked (ticked exactly as the model
   labelled: ``confirm``; any other non-empty set: ``relabel``), *reject* as a false positive,
   *escalate*, or *unsure*; the verdicts in ``dashboards.reason_required_for`` need a note.
3. The reviewer must hold the claim (it is taken again, atomically, if it lapsed and nobody took it).
4. The decision goes down the one write path (``review.decide``); then the claim is marked decided,
   the time since the claim is recorded, and second reviews are settled: the decision completes the
   reviewer's own open second review of the document, or else, if it judged the item (confirm,
   relabel, reject), :func:`sampled` may send it, blind, to a second reviewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from kafka.errors import KafkaError

from dashboards.accounts import claims, decision_times, second_reviews
from dashboards.accounts.models import Role, User
from dashboards.accounts.store import AccountStore
from dashboards.i18n import N_
from dashboards.review.decide import decide
from dashboards.review.item import StoredClassification
from dashboards.review.queue import QueueFilters, queue_ids
from vigil.bus import BusError
from vigil.schemas import CATEGORIES, ReviewDecision
from vigil.settings import Settings
from vigil.warehouse import Warehouse

ACTIONS = ("confirm", "reject", "escalate", "unsure")
JUDGED = frozenset({"confirm", "relabel", "reject"})  # verdicts a second review can agree with


class Refused(Exception):
    """The decision cannot be taken; ``message`` (English, marked for translation) says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Choice:
    """What the reviewer chose on the form or in the API request."""

    action: str
    categories: tuple[str, ...] = ()
    note: str = ""


def open_item(accounts: AccountStore, settings: Settings, user: User, document_id: str) -> claims.Claim | None:
    """Claim the item for a reviewer (or see who holds it); None for analysts, who cannot decide."""
    if not user.can(Role.reviewer):
        return claims.current(accounts, document_id)
    return claims.claim(accounts, document_id, user.id, settings.dashboards.claim_minutes)


def verdict_of(choice: Choice, model_labels: Sequence[str]) -> tuple[str, list[str]]:
    """The verdict and labels a choice stands for."""
    if choice.action not in ACTIONS:
        raise Refused(400, N_("Unknown decision."))
    unknown = set(choice.categories) - set(CATEGORIES)
    if unknown:
        raise Refused(400, N_("Unknown category."))
    if choice.action != "confirm":
        return choice.action, []
    if not choice.categories:
        raise Refused(400, N_("Tick the categories that apply, or reject the item as a false positive."))
    labels = [c for c in CATEGORIES if c in choice.categories]
    return ("confirm" if set(labels) == set(model_labels) else "relabel"), labels


def submit(settings: Settings, accounts: AccountStore, warehouse: Warehouse, user: User, document_id: str,
           choice: Choice, classification: StoredClassification | None) -> ReviewDecision:
    """Decide ``document_id`` as ``choice`` says; raise :class:`Refused` when that is not possible."""
    verdict, labels = verdict_of(choice, classification.labels if classification else [])
    note = choice.note.strip()
    if verdict in settings.dashboards.reason_required_for and not note:
        raise Refused(400, N_("This decision needs a reason: write it in the note."))
    minutes = settings.dashboards.claim_minutes
    holder = claims.claim(accounts, document_id, user.id, minutes)
    if holder.user_id != user.id:
        raise Refused(409, N_("Another reviewer is working on this item."))
    decision = ReviewDecision(document_id=document_id, reviewer=user.name, verdict=verdict,  # type: ignore[arg-type]
                              labels=labels, note=note or None,
                              model_version=classification.model_version if classification else None)
    try:
        decide(settings, warehouse, decision)
    except (BusError, KafkaError) as exc:
        raise Refused(503, N_("The decision could not be delivered; try again in a minute.")) from exc
    held = claims.mark_decided(accounts, document_id, user.id, minutes)
    if held is not None:
        decision_times.record(accounts, decision.decision_id, user.id, document_id, held.claimed_at,
                              decision.decided_at)
    if not second_reviews.complete(accounts, document_id, user.id, decision.decision_id):
        if verdict in JUDGED and sampled(decision.decision_id, settings.dashboards.second_review_rate):
            second_reviews.assign(accounts, document_id, decision.decision_id, user.id)
    return decision


def sampled(decision_id: str, rate: float) -> bool:
    """Whether a decision falls in the second-review sample: its (random) id, read as a number in [0, 1),
    is below ``rate``, so a share ``rate`` of decisions is sampled, and always the same ones."""
    return int(decision_id[:8], 16) < rate * 16 ** 8


def hidden(accounts: AccountStore, user: User) -> list[str]:
    """Items the queue does not offer ``user``: claimed by others, or decided moments ago."""
    return claims.hidden_from(accounts, user.id)


def next_item(accounts: AccountStore, warehouse: Warehouse, settings: Settings, user: User,
              filters: QueueFilters) -> str | None:
    """The item to take next: the oldest second review waiting for ``user``, else the queue's first."""
    waiting = second_reviews.open_for(accounts, user.id)
    if waiting:
        return waiting[0].document_id
    ids = queue_ids(warehouse, filters, hidden(accounts, user), _now(), settings.dashboards.priority_half_life_hours)
    return ids[0] if ids else None


def neighbours(accounts: AccountStore, warehouse: Warehouse, settings: Settings, user: User, filters: QueueFilters,
               current: str) -> tuple[str | None, str | None]:
    """The items before and after ``current`` in the queue (after it: the queue's first when it is not in it)."""
    ids = queue_ids(warehouse, filters, hidden(accounts, user), _now(), settings.dashboards.priority_half_life_hours)
    if current not in ids:
        return None, ids[0] if ids else None
    at = ids.index(current)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)


def _now() -> datetime:
    return datetime.now(timezone.utc)
