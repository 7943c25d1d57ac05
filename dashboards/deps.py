"""Typed dependencies for routes: ``Annotated`` aliases to put in a route's signature.

- ``SettingsDep``, ``AccountsDep``: the settings and the accounts database the app was created with.
- ``IdentityDep``: who is asking and how (or None), see ``security.identity``.
- ``CurrentUser``: the signed-in user; anonymous requests are sent to the login page (HTML) or get
  401 (API). Every router of ``app.SIGNED_IN`` already requires it. ``SignedIn``: the same as an
  ``Identity`` (the user, how they signed in, since when).
- ``AnalystUser``, ``ReviewerUser``, ``AdminUser``: the signed-in user if their role includes that
  role, else 403 (``require_role(role)`` makes more).
- ``RendererDep``: renders templates in the user's language (``rendering.Renderer``).
- ``WarehouseDep``: the warehouse (``vigil.warehouse.connect``) for the length of the request; when it
  cannot be reached the response is 503.
- ``RowId``: a path's id of an accounts-database row (a user, a token): 422 outside SQLite's 64-bit
  integers, which the database would refuse with an error (a 500).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from dashboards.accounts.models import Role, User
from dashboards.accounts.store import AccountStore
from dashboards.errors import NotAuthenticated
from dashboards.i18n import N_
from dashboards.rendering import Renderer
from dashboards.security.identity import Identity, identify
from vigil.settings import Settings
from vigil.warehouse import Warehouse, connect


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_accounts(request: Request) -> AccountStore:
    return request.app.state.accounts


AccountsDep = Annotated[AccountStore, Depends(get_accounts)]


def get_identity(request: Request, accounts: AccountsDep, settings: SettingsDep) -> Identity | None:
    identity = identify(request, accounts, settings.dashboards, request.app.state.trusted_proxies)
    request.state.identity = identity  # for the error pages, which run outside the dependencies
    return identity


IdentityDep = Annotated[Identity | None, Depends(get_identity)]


def get_signed_in(identity: IdentityDep) -> Identity:
    if identity is None:
        raise NotAuthenticated()
    return identity


SignedIn = Annotated[Identity, Depends(get_signed_in)]


def get_current_user(signed_in: SignedIn) -> User:
    return signed_in.user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(role: Role) -> Callable[[User], User]:
    """A dependency that returns the signed-in user if their role includes ``role``, else raises 403."""

    def check(user: CurrentUser) -> User:
        if not user.can(role):
            raise HTTPException(403, N_("Your role does not give access to this page."))
        return user

    return check


AnalystUser = Annotated[User, Depends(require_role(Role.analyst))]
ReviewerUser = Annotated[User, Depends(require_role(Role.reviewer))]
AdminUser = Annotated[User, Depends(require_role(Role.admin))]


def get_renderer(request: Request, identity: IdentityDep) -> Renderer:
    return Renderer.for_request(request, identity)


RendererDep = Annotated[Renderer, Depends(get_renderer)]


def get_warehouse(settings: SettingsDep) -> Iterator[Warehouse]:
    with connect(settings) as warehouse:
        yield warehouse


WarehouseDep = Annotated[Warehouse, Depends(get_warehouse)]
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
