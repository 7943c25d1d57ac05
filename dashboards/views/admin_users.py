"""The admins' list of accounts (``/admin/users``)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.accounts.models import User
from dashboards.accounts.store import AccountStore
from dashboards.accounts.users import get_user, list_users
from dashboards.views.roles import ROLE_LABELS


@dataclass(frozen=True)
class RoleChoice:
    value: str
    label: str  # English; the template translates it
    current: bool


@dataclass(frozen=True)
class UserRow:
    user: User
    role_label: str  # English; the template translates it
    roles: list[RoleChoice]
    is_self: bool  # an admin cannot change their own role or disable themselves
    toggle: str  # the state change offered: "enable" or "disable" (the route's last segment)


@dataclass(frozen=True)
class AdminUsersView:
    rows: list[UserRow]
    disabled: int


def user_row(user: User, viewer: User) -> UserRow:
    return UserRow(user=user, role_label=ROLE_LABELS[user.role],
                   roles=[RoleChoice(role.value, label, role is user.role) for role, label in ROLE_LABELS.items()],
                   is_self=user.id == viewer.id, toggle="enable" if user.disabled else "disable")


def admin_users_view(accounts: AccountStore, viewer: User) -> AdminUsersView:
    everyone = list_users(accounts)
    return AdminUsersView(rows=[user_row(user, viewer) for user in everyone],
                          disabled=sum(user.disabled for user in everyone))


def row_of(accounts: AccountStore, user_id: int, viewer: User) -> UserRow | None:
    user = get_user(accounts, user_id)
    return user_row(user, viewer) if user else None
