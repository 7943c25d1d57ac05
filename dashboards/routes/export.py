"""Downloads, ``/export/{dataset}?format=csv|parquet`` with the page's own parameters (see
``dashboards.exports``); the file's name carries the filters (``Content-Disposition``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from dashboards.deps import AccountsDep, AnalystUser, WarehouseDep
from dashboards.exports import DATASETS, export
from dashboards.routes.analyst_deps import LabelsDep, query_of

router = APIRouter(include_in_schema=False)


@router.get("/export/{dataset}")
def export_table(dataset: str, request: Request, user: AnalystUser, warehouse: WarehouseDep, accounts: AccountsDep,
                 labels: LabelsDep,
                 file_format: Annotated[Literal["csv", "parquet"], Query(alias="format")] = "csv") -> Response:
    if dataset not in DATASETS:
        raise HTTPException(404)
    found = export(dataset, file_format, (warehouse, accounts, query_of(request), labels))
    return Response(found.content, media_type=found.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{found.filename}"'})
