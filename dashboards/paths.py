"""The app's fixed paths, and which of them answer in JSON rather than HTML."""

from __future__ import annotations

API_PREFIX = "/api/v1"
STATIC_PREFIX = "/static"
LOGIN = "/login"
PROBES = ("/healthz", "/readyz")


def answers_json(path: str) -> bool:
    """Whether ``path`` is for programs (the API, the probes): errors there are JSON, and an anonymous
    request gets 401 instead of a redirect to the login page."""
    return path.startswith(API_PREFIX + "/") or path in PROBES
