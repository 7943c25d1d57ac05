"""The sources pages, ``/sources`` and ``/sources/{source_id}``, and their data under ``/api/v1``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from dashboards.deps import AnalystUser, RendererDep, WarehouseDep
from dashboards.i18n import N_
from dashboards.paths import API_PREFIX
from dashboards.routes.analyst_deps import FiltersDep, LabelsDep, query_of
from dashboards.views.filter_form import read_scope
from dashboards.views.source import SourceDetail, source_detail, source_view
from dashboards.views.sources import SourceList, source_list, sources_view

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix=API_PREFIX, tags=["sources"])
NO_SUCH_SOURCE = N_("No such source.")
Page = Annotated[int, Query(ge=1, le=100_000, description="page of the source's documents, 25 a page")]


@router.get("/sources")
def sources_page(request: Request, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep,
                 filters: FiltersDep, labels: LabelsDep) -> HTMLResponse:
    return render.page("pages/sources.html", sources_view(warehouse, filters, labels, query_of(request)))


@router.get("/sources/{source_id}")
def source_page(source_id: str, request: Request, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep,
                filters: FiltersDep, labels: LabelsDep, page: Page = 1) -> HTMLResponse:
    view = source_view(warehouse, source_id, filters, page, labels, query_of(request))
    if view is None:
        raise HTTPException(404, NO_SUCH_SOURCE)
    return render.page("pages/source.html", view)


@api.get("/sources")
def sources_api(user: AnalystUser, warehouse: WarehouseDep, filters: FiltersDep, labels: LabelsDep) -> SourceList:
    """Every source: activity and flagged share in the range against the period before, crawl health
    (runs, failures, errors, skipped pages, last good crawl); and the link and forward targets the
    registry does not hold."""
    return source_list(warehouse, filters, read_scope(warehouse, filters), labels)


@api.get("/sources/{source_id}")
def source_api(source_id: str, user: AnalystUser, warehouse: WarehouseDep, filters: FiltersDep,
               labels: LabelsDep, page: Page = 1) -> SourceDetail:
    """One source: its row, its latest crawl runs, its links both ways and a page of its documents."""
    detail = source_detail(warehouse, source_id, filters, read_scope(warehouse, filters), page, labels)
    if detail is None:
        raise HTTPException(404, NO_SUCH_SOURCE)
    return detail
