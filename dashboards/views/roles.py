"""How roles are named on pages (English; templates translate)."""

from __future__ import annotations

from dashboards.accounts.models import Role
from dashboards.i18n import N_

ROLE_LABELS: dict[Role, str] = {Role.analyst: N_("Analyst"), Role.reviewer: N_("Reviewer"), Role.admin: N_("Administrator")}
