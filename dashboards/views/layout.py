"""What the frame of every page shows: the user, the navigation, the language switch and the CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from dashboards.accounts.models import User
from dashboards.i18n import LANGUAGES
from dashboards.route_table import get_paths
from dashboards.security.csrf import csrf_token
from dashboards.security.identity import Identity
from dashboards.views.nav import NavLink, nav_links


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str  # in its own language
    current: bool


@dataclass(frozen=True)
class Layout:
    locale: str
    csrf_token: str
    path: str  # the current path and query, where the language switch returns to
    user: User | None
    can_sign_out: bool  # False under single sign-on, where the proxy decides
    nav: list[NavLink]
    languages: list[LanguageChoice]


def layout(request: Request, identity: Identity | None, locale: str, gettext: Callable[[str], str]) -> Layout:
    user = identity.user if identity else None
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Layout(
        locale=locale, csrf_token=csrf_token(request), path=path, user=user,
        can_sign_out=identity is not None and identity.via == "session",
        nav=nav_links(user, get_paths(request.app), request.url.path, gettext) if user else [],
        languages=[LanguageChoice(code, name, code == locale) for code, name in LANGUAGES.items()],
    )
