"""Signing in with a name and password, and signing out.

A successful sign-in opens a server-side session and gives the browser a fresh session cookie
(new CSRF token, so a token seen before signing in is worthless after). Failures count against
the rate limit (``dashboards.login_attempts`` per name and address per ``login_window_s``); past it,
429 without checking the password.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dashboards.accounts.sessions import end_session, start_session
from dashboards.accounts.sign_in import SignInError, TooManyAttempts, sign_in
from dashboards.deps import AccountsDep, IdentityDep, RendererDep, SettingsDep, get_current_user
from dashboards.i18n import N_
from dashboards.paths import LOGIN
from dashboards.security.redirects import local_path
from dashboards.views.login import LoginView

router = APIRouter(include_in_schema=False)


@router.get(LOGIN)
def login_page(render: RendererDep, identity: IdentityDep, next: str | None = None) -> Response:
    if identity is not None:
        return RedirectResponse(local_path(next), 303)
    return render.page("pages/login.html", LoginView(next=local_path(next)))


@router.post(LOGIN)
def login(request: Request, render: RendererDep, accounts: AccountsDep, settings: SettingsDep,
          name: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=1024)],
          next: Annotated[str, Form()] = "/") -> Response:
    address = request.client.host if request.client else ""
    target = local_path(next)
    try:
        user = sign_in(accounts, settings.dashboards, name.strip(), password, address)
    except TooManyAttempts:
        message = N_("Too many failed sign-ins. Wait a few minutes, then try again.")
        return render.page("pages/login.html", LoginView(target, name, render.gettext(message)), status_code=429)
    except SignInError:
        message = N_("Wrong user name or password.")
        return render.page("pages/login.html", LoginView(target, name, render.gettext(message)), status_code=401)
    previous = request.session.get("sid")
    if isinstance(previous, str):
        end_session(accounts, previous)
    session_id = start_session(accounts, user.id, settings.dashboards.session_max_age_s)
    request.session.clear()
    request.session.update(sid=session_id, csrf=secrets.token_urlsafe(32))
    return RedirectResponse(target, 303)


@router.post("/logout", dependencies=[Depends(get_current_user)])
def logout(request: Request, accounts: AccountsDep) -> Response:
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        end_session(accounts, session_id)
    request.session.clear()
    return RedirectResponse(LOGIN, 303)
