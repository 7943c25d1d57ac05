"""The compare page, ``/compare``, and its data, ``/api/v1/compare``: sides A and B are the usual
filters with the prefixes ``a_`` and ``b_`` (A defaults to the period before B)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from dashboards.deps import AnalystUser, RendererDep, WarehouseDep
from dashboards.filters import Filters
from dashboards.paths import API_PREFIX
from dashboards.routes.analyst_deps import LabelsDep, query_of
from dashboards.views.compare import Comparison, compare_filters, compare_view, comparison
from dashboards.views.filter_form import read_scope

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix=API_PREFIX, tags=["trends"])


def get_sides(
    a_start: Annotated[str, Query(description="side A's first day; default: the period before B")] = "",
    a_end: Annotated[str, Query(description="side A's last day")] = "",
    a_source: str = "", a_language: str = "", a_model: str = "",
    b_start: Annotated[str, Query(description="side B's first day; default: 30 days before b_end")] = "",
    b_end: Annotated[str, Query(description="side B's last day; default today")] = "",
    b_source: str = "", b_language: str = "", b_model: str = "",
) -> tuple[Filters, Filters]:
    return compare_filters(dict(a_start=a_start, a_end=a_end, a_source=a_source, a_language=a_language,
                                a_model=a_model, b_start=b_start, b_end=b_end, b_source=b_source,
                                b_language=b_language, b_model=b_model))


SidesDep = Annotated[tuple[Filters, Filters], Depends(get_sides)]


@router.get("/compare")
def compare(request: Request, user: AnalystUser, render: RendererDep, warehouse: WarehouseDep, sides: SidesDep,
            labels: LabelsDep) -> HTMLResponse:
    a, b = sides
    return render.page("pages/compare.html", compare_view(warehouse, a, b, labels, query_of(request)))


@api.get("/compare")
def compare_api(user: AnalystUser, warehouse: WarehouseDep, sides: SidesDep, labels: LabelsDep) -> Comparison:
    """Per category: flagged documents on sides A and B, the change, the percentage change (null from
    zero) and each side's flagged share."""
    a, b = sides
    return comparison(warehouse, a, b, read_scope(warehouse, a).model, read_scope(warehouse, b).model, labels)
