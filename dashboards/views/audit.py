"""The audit log page (``/audit``): decisions with who and when, filterable, exportable as CSV."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from dashboards.accounts import second_reviews
from dashboards.accounts.models import User
from dashboards.accounts.store import AccountStore
from dashboards.review.audit import PAGE_SIZE, AuditFilters, AuditRow, audit_log, reviewers
from dashboards.views.queue import Option
from dashboards.views.review_labels import VERDICT_LABELS, category_label
from vigil.schemas import CATEGORIES
from vigil.warehouse import Warehouse


@dataclass(frozen=True)
class AuditEntry:
    row: AuditRow
    verdict_label: str  # English
    labels: list[str]  # English


@dataclass(frozen=True)
class AuditView:
    since: str  # the date inputs' values (ISO dates or empty)
    until: str
    entries: list[AuditEntry]
    total: int
    page: int
    previous_page: str | None
    next_page: str | None
    csv_href: str
    reviewers: list[Option]
    verdicts: list[Option]
    categories: list[Option]


def audit_filters(reviewer: str, verdict: str, category: str, since: str, until: str) -> AuditFilters:
    """Filters from the URL; values that name nothing are dropped."""
    return AuditFilters(reviewer=reviewer.strip()[:200], verdict=verdict if verdict in VERDICT_LABELS else "",
                        category=category if category in CATEGORIES else "", since=_day(since), until=_day(until))


def blind_documents(accounts: AccountStore, user: User) -> list[str]:
    """The documents whose decisions ``user`` may not see yet: their own open second reviews."""
    return [review.document_id for review in second_reviews.open_for(accounts, user.id)]


def audit_view(warehouse: Warehouse, accounts: AccountStore, user: User, filters: AuditFilters, page: int) -> AuditView:
    rows, total = audit_log(warehouse, filters, blind_documents(accounts, user), page)
    query = filters.query()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    names = reviewers(warehouse)
    return AuditView(
        total=total, page=page,
        since=filters.since.isoformat() if filters.since else "", until=filters.until.isoformat() if filters.until else "",
        entries=[AuditEntry(row, VERDICT_LABELS.get(row.verdict, row.verdict), [category_label(c) for c in row.labels])
                 for row in rows],
        previous_page=_page(query, page - 1) if page > 1 else None,
        next_page=_page(query, page + 1) if page < pages else None,
        csv_href="/audit?" + (f"{query}&" if query else "") + "format=csv",
        reviewers=[Option(name, name, None, name == filters.reviewer) for name in names],
        verdicts=[Option(value, label, None, value == filters.verdict) for value, label in VERDICT_LABELS.items()],
        categories=[Option(c, category_label(c), None, c == filters.category) for c in CATEGORIES],
    )


def _page(query: str, page: int) -> str:
    return "/audit?" + (f"{query}&" if query else "") + f"page={page}"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None
