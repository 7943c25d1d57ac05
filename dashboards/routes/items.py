"""One item (``/items/{document_id}``): every signed-in user may read it (the analysts' pages link
here); reviewers and admins claim it by opening it, decide it, or release it. The queue's filters
travel in the query, so "next" stays in the same slice of the queue."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboards.accounts import claims
from dashboards.deps import AccountsDep, AnalystUser, RendererDep, ReviewerUser, SettingsDep, WarehouseDep
from dashboards.i18n import N_
from dashboards.review.item import StoredDocument, latest_classification, load_document
from dashboards.review.workflow import Choice, Refused, next_item, open_item, submit
from dashboards.routes.queue import FiltersDep, queue_or_item
from dashboards.views.item import FormState, item_view
from vigil.warehouse import Warehouse

router = APIRouter(prefix="/items", include_in_schema=False)
PAGE = "pages/item.html"
DOCUMENT_ID = re.compile(r"[0-9a-f]{32}")


def find_document(warehouse: Warehouse, document_id: str) -> StoredDocument:
    """The stored document, or 404."""
    document = load_document(warehouse, document_id) if DOCUMENT_ID.fullmatch(document_id) else None
    if document is None:
        raise HTTPException(404, N_("No such item."))
    return document


@router.get("/{document_id}")
def item_page(document_id: str, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep,
              accounts: AccountsDep, settings: SettingsDep, filters: FiltersDep) -> HTMLResponse:
    document = find_document(warehouse, document_id)
    claim = open_item(accounts, settings, user, document.id)
    return render.page(PAGE, item_view(warehouse, accounts, settings, user, document, claim, filters))


@router.post("/{document_id}/decisions")
def decide_item(document_id: str, user: ReviewerUser, render: RendererDep, warehouse: WarehouseDep,
                accounts: AccountsDep, settings: SettingsDep, filters: FiltersDep,
                action: Annotated[str, Form()], categories: Annotated[list[str] | None, Form()] = None,
                note: Annotated[str, Form(max_length=5000)] = "") -> Response:
    """Decide the item, then go on to the next one (or back to the queue when it is empty)."""
    document = find_document(warehouse, document_id)
    choice = Choice(action, tuple(categories or ()), note)
    try:
        submit(settings, accounts, warehouse, user, document.id, choice, latest_classification(warehouse, document.id))
    except Refused as refused:
        view = item_view(warehouse, accounts, settings, user, document, claims.current(accounts, document.id),
                         filters, FormState(choice.categories, note, refused.message))
        return render.page(PAGE, view, status_code=refused.status)
    return RedirectResponse(queue_or_item(next_item(accounts, warehouse, settings, user, filters), filters), 303)


@router.post("/{document_id}/release")
def release_item(document_id: str, user: ReviewerUser, accounts: AccountsDep, filters: FiltersDep) -> Response:
    """Give the item back to the queue."""
    claims.release(accounts, document_id, user.id)
    return RedirectResponse(queue_or_item(None, filters), 303)
