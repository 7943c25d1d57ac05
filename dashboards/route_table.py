"""The app's routes as one flat list, each with its full path and methods.

FastAPI 0.150 keeps an included router as a single entry of ``app.routes``; ``iter_route_contexts``
unfolds it (earlier versions copied the routes themselves into ``app.routes``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def routes(app: FastAPI) -> list[Any]:
    """Objects with ``path``, ``methods``, ``name`` and ``endpoint``, included routers unfolded."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.150
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def get_paths(app: FastAPI) -> set[str]:
    """The paths a GET route serves."""
    return {route.path for route in routes(app) if "GET" in (route.methods or ())}
