"""The overview, ``/`` (the landing page of every role), and its data, ``/api/v1/trends``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dashboards.deps import AnalystUser, RendererDep, WarehouseDep
from dashboards.paths import API_PREFIX
from dashboards.routes.analyst_deps import FiltersDep, LabelsDep, query_of
from dashboards.views.filter_form import read_scope
from dashboards.views.overview import Trends, overview_view, trends

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix=API_PREFIX, tags=["trends"])


@router.get("/")
def overview(request: Request, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep,
             filters: FiltersDep, labels: LabelsDep) -> HTMLResponse:
    return render.page("pages/overview.html", overview_view(warehouse, filters, labels, query_of(request)))


@api.get("/trends")
def trends_api(user: AnalystUser, warehouse: WarehouseDep, filters: FiltersDep, labels: LabelsDep) -> Trends:
    """Flagged documents over time per category, language and leading source; the top-N tables against
    the period before; model changes and incomplete data."""
    return trends(warehouse, filters, read_scope(warehouse, filters), labels)
