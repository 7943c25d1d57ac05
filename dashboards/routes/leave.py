"""``/leave?url=...``: the only way to open a link from crawled content. It shows the URL as text
and a warning, and opens it only on an explicit click (in a new tab, with no referrer). Only http
and https URLs are offered; anything else (``javascript:``, ``data:``...) is refused with 400."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from dashboards.deps import CurrentUser, RendererDep
from dashboards.views.leave import leave_view

router = APIRouter(include_in_schema=False)


@router.get("/leave")
def leave(user: CurrentUser, render: RendererDep, url: str = "") -> HTMLResponse:
    view = leave_view(url)
    return render.page("pages/leave.html", view, status_code=200 if view.target or not url else 400)
