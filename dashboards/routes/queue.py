"""The review queue (``/queue``), for reviewers and admins: filters in the URL's query, and "take the
next item", which goes to the first waiting second review or the top of the queue (opening it claims it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse

from dashboards.deps import AccountsDep, RendererDep, ReviewerUser, SettingsDep, WarehouseDep
from dashboards.review.queue import QueueFilters
from dashboards.review.workflow import next_item
from dashboards.views.queue import queue_filters, queue_view

router = APIRouter(prefix="/queue", include_in_schema=False)


def get_filters(category: str = "", language: str = "", source: str = "", state: str = "") -> QueueFilters:
    """The queue's filters from the URL's query (also carried by the item pages' links and forms)."""
    return queue_filters(category, language, source, state)


FiltersDep = Annotated[QueueFilters, Depends(get_filters)]


@router.get("")
def queue_page(user: ReviewerUser, render: RendererDep, warehouse: WarehouseDep, accounts: AccountsDep,
               settings: SettingsDep, filters: FiltersDep, page: int = 1) -> HTMLResponse:
    return render.page("pages/queue.html", queue_view(warehouse, accounts, settings, user, filters, max(page, 1)))


@router.post("/next")
def take_next(user: ReviewerUser, warehouse: WarehouseDep, accounts: AccountsDep, settings: SettingsDep,
              filters: FiltersDep) -> RedirectResponse:
    return RedirectResponse(queue_or_item(next_item(accounts, warehouse, settings, user, filters), filters), 303)


def queue_or_item(document_id: str | None, filters: QueueFilters) -> str:
    """The item's page, or the queue when there is none, keeping the filters."""
    query = filters.query()
    path = f"/items/{document_id}" if document_id else "/queue"
    return path + (f"?{query}" if query else "")
