"""The review queue page (``/queue``): the second reviews waiting for this reviewer, then one page of
flagged items, highest priority first, with filters that live in the URL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone

from dashboards.accounts import second_reviews
from dashboards.accounts.models import User
from dashboards.accounts.store import AccountStore
from dashboards.i18n import N_
from dashboards.review.queue import PAGE_SIZE, QueueFilters, QueueItem, State, items_by_id, queue_page
from dashboards.review.wellbeing import should_blur
from dashboards.review.workflow import hidden
from dashboards.views.review_labels import category_label
from vigil.schemas import CATEGORIES
from vigil.settings import Settings
from vigil.warehouse import Warehouse

STATE_LABELS = {State.new: N_("Not yet decided"), State.escalated: N_("Escalated or unsure")}


@dataclass(frozen=True)
class Option:
    value: str
    label: str  # English for categories and states (the template translates); as stored otherwise
    count: int | None
    selected: bool


@dataclass(frozen=True)
class QueueRow:
    item: QueueItem
    href: str
    labels: list[str]  # English category labels
    blurred: bool


@dataclass(frozen=True)
class QueueView:
    filters_query: str
    rows: list[QueueRow]
    second_reviews: list[QueueRow]
    total: int
    page: int
    pages: int
    previous_page: str | None
    next_page: str | None
    categories: list[Option]
    languages: list[Option]
    sources: list[Option]
    states: list[Option]
    hidden: int  # items left out because others hold them or just decided them


def queue_filters(category: str, language: str, source: str, state: str) -> QueueFilters:
    """Filters from the URL; values that name nothing are dropped."""
    return QueueFilters(category=category if category in CATEGORIES else "", language=language.strip()[:20],
                        source=source.strip()[:100],
                        state=State(state) if state in {s.value for s in State} else State.new)


def queue_view(warehouse: Warehouse, accounts: AccountStore, settings: Settings, user: User,
               filters: QueueFilters, page: int) -> QueueView:
    now = datetime.now(timezone.utc)
    half_life = settings.dashboards.priority_half_life_hours
    left_out = hidden(accounts, user)
    found = queue_page(warehouse, filters, left_out, now, half_life, page)
    waiting = [review.document_id for review in second_reviews.open_for(accounts, user.id)]
    query = filters.query()
    pages = max(1, math.ceil(found.total / PAGE_SIZE))
    facets = found.facets
    return QueueView(
        filters_query=query,
        rows=[_row(item, user, query) for item in found.items],
        second_reviews=[_row(item, user, "") for item in items_by_id(warehouse, waiting, now, half_life)],
        total=found.total, page=page, pages=pages,
        previous_page=_page_href(filters, page - 1) if page > 1 else None,
        next_page=_page_href(filters, page + 1) if page < pages else None,
        categories=[Option(c, category_label(c), facets["category"].get(c, 0), c == filters.category)
                    for c in CATEGORIES],
        languages=_options(facets["language"], filters.language),
        sources=_options(facets["source"], filters.source),
        states=[Option(s.value, label, None, s is filters.state) for s, label in STATE_LABELS.items()],
        hidden=len(left_out),
    )


def _row(item: QueueItem, user: User, query: str) -> QueueRow:
    return QueueRow(item=item, href=f"/items/{item.id}" + (f"?{query}" if query else ""),
                    labels=[category_label(label) for label in item.labels],
                    blurred=should_blur(item.labels, user.blur_media))


def _options(counts: dict[str, int], selected: str) -> list[Option]:
    values = dict(counts)
    if selected and selected not in values:
        values[selected] = 0
    return [Option(value, value, count, value == selected) for value, count in sorted(values.items()) if value]


def _page_href(filters: QueueFilters, page: int) -> str:
    query = filters.query()
    return "/queue?" + (f"{query}&" if query else "") + f"page={page}"
