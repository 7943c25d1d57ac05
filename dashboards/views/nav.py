"""The header's navigation: every page of the dashboards, planned or built, with the role it needs.

An entry shows for users whose role includes its role, and only once a GET route serves its path,
so the analysts' and reviewers' pages appear in the header as their routes are added; until then
their entries show nowhere. A new page adds its entry here (label marked with ``N_``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from dashboards.accounts.models import Role, User
from dashboards.i18n import N_


@dataclass(frozen=True)
class NavEntry:
    label: str  # English; translated when shown
    path: str
    role: Role


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    current: bool


NAV: tuple[NavEntry, ...] = (
    NavEntry(N_("Overview"), "/", Role.analyst),
    NavEntry(N_("Compare"), "/compare", Role.analyst),
    NavEntry(N_("Alerts"), "/alerts", Role.analyst),
    NavEntry(N_("Sources"), "/sources", Role.analyst),
    NavEntry(N_("Search"), "/search", Role.analyst),
    NavEntry(N_("Queue"), "/queue", Role.reviewer),
    NavEntry(N_("Audit"), "/audit", Role.reviewer),
    NavEntry(N_("Users"), "/admin/users", Role.admin),
    NavEntry(N_("System"), "/admin/system", Role.admin),
)


def nav_links(user: User, served: Collection[str], current_path: str,
              gettext: Callable[[str], str], entries: tuple[NavEntry, ...] = NAV) -> list[NavLink]:
    """The links ``user`` sees: entries their role allows whose path a route serves."""
    return [NavLink(gettext(entry.label), entry.path, _is_current(entry.path, current_path))
            for entry in entries if user.can(entry.role) and entry.path in served]


def _is_current(path: str, current_path: str) -> bool:
    if path == "/":
        return current_path == "/"
    section = path.rsplit("/", 1)[0] if path.count("/") > 1 else path
    return current_path == path or current_path.startswith(section + "/")
