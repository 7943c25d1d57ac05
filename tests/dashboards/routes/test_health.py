"""Liveness and readiness."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dashboards.app import create_app
from dashboards.deps import get_warehouse
from vigil.warehouse import WarehouseError


def test_healthz_answers_without_a_warehouse(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_is_503_when_the_warehouse_does_not_answer(app: FastAPI, client: TestClient) -> None:
    def unreachable():
        raise WarehouseError("cannot reach chDB at /nowhere")

    app.dependency_overrides[get_warehouse] = unreachable
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "/nowhere" not in response.text  # the reason is logged, not shown


@pytest.mark.warehouse
def test_readyz_is_ready_when_the_warehouse_answers(warehouse_settings, tmp_path) -> None:
    settings = warehouse_settings.model_copy(update={"dashboards": warehouse_settings.dashboards.model_copy(
        update={"accounts_path": tmp_path / "accounts.sqlite3"})})
    assert TestClient(create_app(settings)).get("/readyz").json() == {"status": "ready"}
