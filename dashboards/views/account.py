"""The user's own page: preferences, API tokens, the current session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboards.accounts.models import ApiToken, User
from dashboards.accounts.store import AccountStore
from dashboards.accounts.tokens import list_tokens
from dashboards.i18n import LANGUAGES
from dashboards.security.identity import Identity
from dashboards.views.layout import LanguageChoice
from dashboards.views.roles import ROLE_LABELS
from vigil.settings import DashboardsSettings


@dataclass(frozen=True)
class AccountView:
    user: User
    role_label: str  # English; the template translates it
    languages: list[LanguageChoice]  # the stored choice is current; none is when following the browser
    tokens: list[ApiToken]
    new_token: str | None  # a token's secret, shown once right after it was created
    session_started: datetime | None  # None when signed in by single sign-on
    session_hours: float  # how long a sign-in lasts


def account_view(accounts: AccountStore, identity: Identity, settings: DashboardsSettings,
                 new_token: str | None = None) -> AccountView:
    user = identity.user
    return AccountView(
        user=user,
        role_label=ROLE_LABELS[user.role],
        languages=[LanguageChoice(code, name, code == user.locale) for code, name in LANGUAGES.items()],
        tokens=list_tokens(accounts, user.id),
        new_token=new_token,
        session_started=identity.session_started,
        session_hours=round(settings.session_max_age_s / 3600, 2),
    )
