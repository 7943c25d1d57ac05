"""The signed-in user's own page (``/account``): language and display preferences, the header's
language switch, and personal API tokens (created and revoked here; a new token's secret is shown
once). Token changes answer htmx with the tokens component alone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboards.accounts import tokens, users
from dashboards.deps import (
    AccountsDep,
    CurrentUser,
    RendererDep,
    RowId,
    SettingsDep,
    SignedIn,
)
from dashboards.i18n import LANGUAGES, N_
from dashboards.security.redirects import local_path
from dashboards.views.account import account_view

router = APIRouter(prefix="/account", include_in_schema=False)
PAGE = "pages/account.html"
TOKENS = "components/api_tokens.html"


@router.get("")
def account_page(identity: SignedIn, render: RendererDep, accounts: AccountsDep,
                 settings: SettingsDep) -> HTMLResponse:
    return render.page(PAGE, account_view(accounts, identity, settings.dashboards))


@router.post("/preferences")
def save_preferences(user: CurrentUser, accounts: AccountsDep, locale: Annotated[str, Form()] = "",
                     blur_media: Annotated[bool, Form()] = False) -> Response:
    """Store the language (empty: follow the browser) and whether the review queue blurs media."""
    users.set_preferences(accounts, user.id, locale=_language(locale) if locale else None, blur_media=blur_media)
    return RedirectResponse("/account", 303)


@router.post("/language")
def switch_language(user: CurrentUser, accounts: AccountsDep, locale: Annotated[str, Form()],
                    next: Annotated[str, Form()] = "/") -> Response:
    """The header's language switch: store the choice and go back to the page it was used on."""
    users.set_locale(accounts, user.id, _language(locale))
    return RedirectResponse(local_path(next), 303)


@router.post("/tokens")
def create_token(identity: SignedIn, render: RendererDep, accounts: AccountsDep, settings: SettingsDep,
                 name: Annotated[str, Form(max_length=tokens.NAME_MAX)] = "") -> HTMLResponse:
    """Create a token and show its secret, this once."""
    _, secret = tokens.create_token(accounts, identity.user.id, name)
    view = account_view(accounts, identity, settings.dashboards, new_token=secret)
    return render.page_or_component(PAGE, TOKENS, view, status_code=201)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: RowId, identity: SignedIn, render: RendererDep, accounts: AccountsDep,
                 settings: SettingsDep) -> Response:
    if not tokens.revoke_token(accounts, identity.user.id, token_id):
        raise HTTPException(404, N_("You have no such token, or it is revoked already."))
    return render.component_or_redirect(TOKENS, account_view(accounts, identity, settings.dashboards), "/account")


def _language(code: str) -> str:
    if code not in LANGUAGES:
        raise HTTPException(400, N_("Unknown language."))
    return code
