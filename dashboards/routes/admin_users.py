"""Accounts, for admins (``/admin/users``): the list, and changing a role, disabling, enabling.

An admin cannot change their own role or disable themselves (409), so the last admin stays one.
Adding accounts is ``vigil users add``. Changes answer htmx with the changed row alone.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, Response

from dashboards.accounts import users
from dashboards.accounts.models import Role, User
from dashboards.accounts.store import AccountStore
from dashboards.deps import AccountsDep, AdminUser, RendererDep, RowId
from dashboards.i18n import N_
from dashboards.views.admin_users import admin_users_view, row_of

router = APIRouter(prefix="/admin/users", include_in_schema=False)
PAGE = "/admin/users"
ROW = "components/user_row.html"


@router.get("")
def list_page(admin: AdminUser, render: RendererDep, accounts: AccountsDep) -> HTMLResponse:
    return render.page("pages/admin_users.html", admin_users_view(accounts, admin))


@router.post("/{user_id}/role")
def change_role(user_id: RowId, role: Annotated[Role, Form()], admin: AdminUser, render: RendererDep,
                accounts: AccountsDep) -> Response:
    _check_other(accounts, user_id, admin)
    users.set_role(accounts, user_id, role)
    return render.component_or_redirect(ROW, row_of(accounts, user_id, admin), PAGE)


@router.post("/{user_id}/disable")
def disable(user_id: RowId, admin: AdminUser, render: RendererDep, accounts: AccountsDep) -> Response:
    _check_other(accounts, user_id, admin)
    users.set_disabled(accounts, user_id, True)
    return render.component_or_redirect(ROW, row_of(accounts, user_id, admin), PAGE)


@router.post("/{user_id}/enable")
def enable(user_id: RowId, admin: AdminUser, render: RendererDep, accounts: AccountsDep) -> Response:
    _check_other(accounts, user_id, admin)
    users.set_disabled(accounts, user_id, False)
    return render.component_or_redirect(ROW, row_of(accounts, user_id, admin), PAGE)


def _check_other(accounts: AccountStore, user_id: int, admin: User) -> None:
    if users.get_user(accounts, user_id) is None:
        raise HTTPException(404, N_("No such user."))
    if user_id == admin.id:
        raise HTTPException(409, N_("You cannot change your own role or disable yourself."))
