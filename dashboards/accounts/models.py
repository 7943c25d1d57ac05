"""The records of the accounts database as the rest of the dashboards see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum


class Role(str, Enum):
    """What a user may do: each role includes the ones before it (an admin can do everything, a
    reviewer can also read the analysts' pages, an analyst cannot decide reviews)."""

    analyst = "analyst"
    reviewer = "reviewer"
    admin = "admin"

    def includes(self, other: Role) -> bool:
        """Whether this role may do everything ``other`` may."""
        order = list(Role)
        return order.index(self) >= order.index(other)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    locale: str | None  # None: follow the browser's Accept-Language
    blur_media: bool  # blur flagged media in the review queue (read by the reviewer pages)
    disabled: bool
    created_at: datetime
    last_sign_in_at: datetime | None

    def can(self, role: Role) -> bool:
        return self.role.includes(role)


@dataclass(frozen=True)
class ApiToken:
    """A personal API token as listed; its secret is shown once, at creation, and stored hashed."""

    id: int
    user_id: int
    name: str
    prefix: str  # the secret's first characters, to tell tokens apart
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def to_datetime(epoch: float | None) -> datetime | None:
    """A stored time (seconds since the epoch, UTC) as an aware datetime."""
    return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc)
