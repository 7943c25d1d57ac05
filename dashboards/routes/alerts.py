"""The alerts pages, ``/alerts`` and ``/alerts/{alert_id}``, the acknowledgement of an alert (a POST
with the CSRF token; who and when go to the accounts database), and their data under ``/api/v1``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from dashboards.accounts.alert_acks import NOTE_MAX, acknowledge
from dashboards.deps import AccountsDep, AnalystUser, RendererDep, WarehouseDep
from dashboards.i18n import N_
from dashboards.paths import API_PREFIX
from dashboards.queries.alerts import alert as find_alert
from dashboards.routes.analyst_deps import FiltersDep, LabelsDep, query_of
from dashboards.views.alert import AlertDetail, alert_detail, alert_view
from dashboards.views.alerts import AlertList, alert_list, alerts_view
from dashboards.views.filter_form import read_scope

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix=API_PREFIX, tags=["alerts"])
NO_SUCH_ALERT = N_("No such alert.")


@router.get("/alerts")
def alerts_page(request: Request, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep,
                accounts: AccountsDep, filters: FiltersDep, labels: LabelsDep) -> HTMLResponse:
    return render.page("pages/alerts.html", alerts_view(warehouse, accounts, filters, labels, query_of(request)))


@router.get("/alerts/{alert_id}")
def alert_page(alert_id: str, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep,
               accounts: AccountsDep, labels: LabelsDep) -> HTMLResponse:
    view = alert_view(warehouse, accounts, alert_id, labels)
    if view is None:
        raise HTTPException(404, NO_SUCH_ALERT)
    return render.page("pages/alert.html", view)


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge_alert(alert_id: str, user: AnalystUser, warehouse: WarehouseDep, accounts: AccountsDep,
                      note: Annotated[str, Form(max_length=NOTE_MAX)] = "") -> RedirectResponse:
    """Mark the alert as seen by the user (the first acknowledgement stands), then show it."""
    if find_alert(warehouse, alert_id) is None:
        raise HTTPException(404, NO_SUCH_ALERT)
    acknowledge(accounts, alert_id, user.id, note)
    return RedirectResponse(f"/alerts/{quote(alert_id, safe='')}", 303)


@api.get("/alerts")
def alerts_api(user: AnalystUser, warehouse: WarehouseDep, accounts: AccountsDep, filters: FiltersDep,
               labels: LabelsDep) -> AlertList:
    """Spike alerts whose window starts in the range (every model version unless one is chosen), live and
    late apart, with their acknowledgements; and the emerging terms of the latest run in the range."""
    return alert_list(warehouse, accounts, filters, read_scope(warehouse, filters).model, labels)


@api.get("/alerts/{alert_id}")
def alert_api(alert_id: str, user: AnalystUser, warehouse: WarehouseDep, accounts: AccountsDep,
              labels: LabelsDep) -> AlertDetail:
    """One alert and what drove it: top sources, rising terms, near-duplicate clusters, model version."""
    detail = alert_detail(warehouse, accounts, alert_id, labels)
    if detail is None:
        raise HTTPException(404, NO_SUCH_ALERT)
    return detail
