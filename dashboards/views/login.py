"""The login page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoginView:
    next: str  # where to go after signing in (a local path)
    name: str = ""  # the name typed, kept after a failed try
    error: str | None = None  # translated
