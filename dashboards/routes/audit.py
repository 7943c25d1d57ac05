"""The audit log (``/audit``; ``?format=csv`` exports what the filters select) and the agreement of
second reviews (``/audit/agreement``), for reviewers and admins."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from dashboards.deps import AccountsDep, RendererDep, ReviewerUser, WarehouseDep
from dashboards.review.audit import export
from dashboards.views.agreement import agreement_view
from dashboards.views.audit import audit_filters, audit_view, blind_documents

router = APIRouter(prefix="/audit", include_in_schema=False)


@router.get("")
def audit_page(user: ReviewerUser, render: RendererDep, warehouse: WarehouseDep, accounts: AccountsDep,
               reviewer: str = "", verdict: str = "", category: str = "", since: str = "", until: str = "",
               page: int = 1, format: Literal["html", "csv"] = "html") -> Response:
    filters = audit_filters(reviewer, verdict, category, since, until)
    if format == "csv":
        return Response(export(warehouse, filters, blind_documents(accounts, user)), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="vigil-decisions.csv"'})
    return render.page("pages/audit.html", audit_view(warehouse, accounts, user, filters, max(page, 1)))


@router.get("/agreement")
def agreement_page(user: ReviewerUser, render: RendererDep, warehouse: WarehouseDep,
                   accounts: AccountsDep) -> HTMLResponse:
    return render.page("pages/agreement.html", agreement_view(warehouse, accounts))
