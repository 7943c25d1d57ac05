"""``/api/docs``: Swagger UI for the API, served from the vendored swagger-ui-dist (no CDN) and
started by ``static/js/swagger-init.js`` (no inline script)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from dashboards.deps import AnalystUser, RendererDep

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def api_docs(user: AnalystUser, render: RendererDep) -> HTMLResponse:
    return render.page("pages/api_docs.html")
