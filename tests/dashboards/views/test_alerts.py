"""The alerts page's view model on the warehouse: live and late alerts apart with their
acknowledgements, and the emerging terms of the latest run, each linked to its documents."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboards.accounts.alert_acks import acknowledge
from dashboards.accounts.models import Role
from dashboards.filters import Filters
from dashboards.views.alerts import alert_list
from dashboards.views.labels import Labels
from tests.dashboards.warehouse_data import MODEL, add_alert, add_terms
from tests.flows.conftest import T0
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse
EN = Labels("en")
PERIOD = Filters(since=T0, until=T0 + timedelta(days=3))


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_live_and_late_alerts_apart_with_their_acknowledgements(warehouse: Warehouse, accounts, make_user) -> None:
    add_alert(warehouse, "live-1", T0 + timedelta(hours=5))
    add_alert(warehouse, "late-1", T0 + timedelta(hours=8), late=True, category="xenophobia", language="ru",
              source_id="site-b")
    add_alert(warehouse, "old", T0 - timedelta(days=5))
    acknowledge(accounts, "live-1", make_user("ann", Role.analyst).id)
    found = alert_list(warehouse, accounts, PERIOD, MODEL, EN)
    assert [a.alert_id for a in found.live] == ["live-1"] and [a.alert_id for a in found.late] == ["late-1"]
    live = found.live[0]
    assert (live.category_label, live.acknowledged.user_name, live.href) == ("Racism", "ann", "/alerts/live-1")
    assert _query(live.documents_href) == {"start": ["2026-05-04T05:00"], "end": ["2026-05-04T06:00"],
                                           "category": ["racism"], "source": ["site-a"], "language": ["en"],
                                           "model": [MODEL]}
    assert found.late[0].acknowledged is None
    only_ru = alert_list(warehouse, accounts, PERIOD.with_(language="ru"), MODEL, EN)
    assert [a.alert_id for a in only_ru.live + only_ru.late] == ["late-1"]


def test_the_emerging_terms_of_the_latest_run(warehouse: Warehouse, accounts) -> None:
    add_terms(warehouse, T0 + timedelta(days=1), [("en", "old-term", 9.0)])
    add_terms(warehouse, T0 + timedelta(days=2),
              [("en", "#rising", 5.0), ("en", "slogan", 7.5), ("ru", "слово", 4.0)])
    found = alert_list(warehouse, accounts, PERIOD, MODEL, EN)
    assert [(t.language_label, t.term) for t in found.terms] == [("English", "slogan"), ("English", "#rising"),
                                                                  ("Russian", "слово")]
    assert found.terms_window == (T0 + timedelta(days=1), T0 + timedelta(days=2))
    assert _query(found.terms[1].href)["q"] == ["#rising"] and _query(found.terms[1].href)["category"] == ["any"]
