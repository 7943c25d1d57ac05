"""The search page, ``/search``, and its data, ``/api/v1/documents``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from dashboards.deps import AnalystUser, RendererDep, WarehouseDep
from dashboards.paths import API_PREFIX
from dashboards.routes.analyst_deps import FiltersDep, LabelsDep
from dashboards.views.documents import DocumentPage
from dashboards.views.filter_form import read_scope
from dashboards.views.search import MAX_TEXT, SearchParams, search_results, search_view

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix=API_PREFIX, tags=["documents"])


def get_search(
    filters: FiltersDep,
    q: Annotated[str, Query(description='text: words and "quoted phrases", every one must occur')] = "",
    link: Annotated[str, Query(description="documents linking to, or forwarded from, this source key")] = "",
    page: Annotated[int, Query(ge=1, le=100_000, description="page, 25 documents each")] = 1,
) -> SearchParams:
    return SearchParams(filters, q.strip()[:MAX_TEXT], link.strip()[:MAX_TEXT], page)


SearchDep = Annotated[SearchParams, Depends(get_search)]


@router.get("/search")
def search_page(request: Request, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep,
                params: SearchDep, labels: LabelsDep) -> HTMLResponse:
    return render.page("pages/search.html", search_view(warehouse, params, labels))


@api.get("/documents")
def documents_api(user: AnalystUser, warehouse: WarehouseDep, params: SearchDep, labels: LabelsDep) -> DocumentPage:
    """Documents matching the text and the filters, newest first, 25 a page, each with its item page."""
    return search_results(warehouse, params, read_scope(warehouse, params.filters), labels)
