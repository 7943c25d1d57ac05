"""``/admin/system``: the registry as the crawler validates it, the thresholds, the model in force."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from classifiers.model.predict import DEFAULT_MODEL_DIR, MANIFEST
from dashboards.accounts.models import Role
from dashboards.accounts.passwords import hash_password
from dashboards.accounts.users import add_user
from dashboards.app import create_app
from flows.retrain import Decision, record
from tests.dashboards.conftest import PASSWORD, sign_in
from vigil.settings import load_settings
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse
VALID = """sources:
  - id: river-news
    kind: rss
    url: https://news.example.org/feed.xml
    language: en
"""


def admin_page(tmp_path: Path, warehouse: Warehouse, registry: str, role: Role = Role.admin):
    sources = tmp_path / "sources.yaml"
    sources.write_text(registry, encoding="utf-8")
    app = create_app(load_settings(
        home=tmp_path, crawl={"sources_file": sources}, dashboards={"accounts_path": tmp_path / "accounts.sqlite3"},
        warehouse={"path": warehouse.path, "database": warehouse.database}))
    add_user(app.state.accounts, "root", role, hash_password(PASSWORD))
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "root")
    return client.get("/admin/system")


def test_the_admin_sees_registry_thresholds_and_model_history(tmp_path: Path, warehouse: Warehouse) -> None:
    record(warehouse, Decision(False, "candidate gate 0.61 is not above current 0.63", 0.61, 0.63),
           "vigil-heads-0.2.0", "vigil-heads-0.1.0", {}, datetime(2026, 11, 1, tzinfo=timezone.utc))
    page = admin_page(tmp_path, warehouse, VALID)
    assert page.status_code == 200
    assert "river-news" in page.text and "https://news.example.org/feed.xml" in page.text
    assert "xenophobia" in page.text and "minilm/en" in page.text and "e5/ru" in page.text  # the packaged model's
    assert json.loads((DEFAULT_MODEL_DIR / MANIFEST).read_text())["version"] in page.text  # the model in force
    assert "candidate gate 0.61 is not above current 0.63" in page.text


def test_an_invalid_registry_shows_its_problems(tmp_path: Path, warehouse: Warehouse) -> None:
    page = admin_page(tmp_path, warehouse, "sources:\n  - id: broken\n    kind: carrier-pigeon\n")
    assert page.status_code == 200
    assert "The registry is invalid" in page.text and "broken" in page.text


@pytest.mark.parametrize("role", [Role.analyst, Role.reviewer])
def test_only_admins_see_it(tmp_path: Path, warehouse: Warehouse, role: Role) -> None:
    assert admin_page(tmp_path, warehouse, VALID, role).status_code == 403
