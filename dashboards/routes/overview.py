"""The landing page for every role: ``/``."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from dashboards.deps import AnalystUser, RendererDep
from dashboards.views.overview import OverviewView

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview(user: AnalystUser, render: RendererDep) -> HTMLResponse:
    return render.page("pages/overview.html", OverviewView())
