"""The registry, the taxonomy's thresholds and the model in force, for admins (``/admin/system``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from dashboards.deps import AdminUser, RendererDep, SettingsDep, WarehouseDep
from dashboards.views.admin_system import admin_system_view

router = APIRouter(prefix="/admin/system", include_in_schema=False)


@router.get("")
def system_page(admin: AdminUser, render: RendererDep, settings: SettingsDep,
                warehouse: WarehouseDep) -> HTMLResponse:
    return render.page("pages/admin_system.html", admin_system_view(settings, warehouse))
