"""Probes for orchestrators: ``/healthz`` (the process answers) and ``/readyz`` (the warehouse answers
``SELECT 1``; 503 when it does not). Public, JSON."""

from __future__ import annotations

from fastapi import APIRouter

from dashboards.deps import WarehouseDep

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(warehouse: WarehouseDep) -> dict[str, str]:
    warehouse.query("SELECT 1")  # a WarehouseError becomes 503 (dashboards.errors)
    return {"status": "ready"}
