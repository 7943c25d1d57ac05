"""One alert's page (``/alerts/{alert_id}``): what drove it (its ``drivers``: the top sources of the
hour, rising terms, near-duplicate clusters, model version), the series' hours around it and who
acknowledged it; each driver links to the documents behind it. :class:`AlertDetail` is also the API's
answer. Drivers that are missing or malformed read as none."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from dashboards.accounts.alert_acks import acknowledgements
from dashboards.accounts.store import AccountStore
from dashboards.filters import Filters
from dashboards.i18n import N_
from dashboards.queries import alerts as queries
from dashboards.views.alerts import AlertRow, alert_filters, alert_row
from dashboards.views.charts import Chart, time_chart
from dashboards.views.labels import Labels
from dashboards.views.links import item_url, search_url
from dashboards.views.marks import Mark
from dashboards.views.overview import category_series
from vigil.warehouse import Warehouse

ALERT_WINDOW = N_("Alert window")
CONTEXT = timedelta(days=7)  # the series shown before an alert's window


@dataclass(frozen=True)
class DriverSource:
    source_id: str
    flagged: int
    href: str


@dataclass(frozen=True)
class DriverTerm:
    term: str
    kind: str
    z_score: float
    recent: int
    href: str


@dataclass(frozen=True)
class DocumentLink:
    document_id: str
    href: str


@dataclass(frozen=True)
class Cluster:
    signature: str
    documents: int
    examples: list[DocumentLink]


@dataclass(frozen=True)
class AlertDetail:
    alert: AlertRow
    method: str
    top_sources: list[DriverSource]
    top_terms: list[DriverTerm]
    clusters: list[Cluster]
    model_version: str  # the drivers' (the model whose series spiked)


@dataclass(frozen=True)
class AlertView:
    detail: AlertDetail
    chart: Chart  # the series' hours around the window


def alert_detail(warehouse: Warehouse, accounts: AccountStore, alert_id: str, labels: Labels) -> AlertDetail | None:
    """The alert with its drivers, or None when there is no such alert."""
    row = queries.alert(warehouse, alert_id)
    if row is None:
        return None
    drivers = _json_object(row["drivers"])
    window, model = alert_filters(row), row["model_version"]
    return AlertDetail(
        alert=alert_row(row, acknowledgements(accounts, [alert_id]).get(alert_id), labels), method=row["method"],
        top_sources=[DriverSource(str(s.get("source_id", "")), int(s.get("flagged", 0)),
                                  search_url(window.with_(source=str(s.get("source_id", ""))), model))
                     for s in _objects(drivers.get("top_sources"))],
        top_terms=[DriverTerm(str(t.get("term", "")), str(t.get("kind", "")), float(t.get("z", 0)),
                              int(t.get("recent", 0)), search_url(window, model, q=str(t.get("term", ""))))
                   for t in _objects(drivers.get("top_terms"))],
        clusters=[Cluster(str(c.get("signature", "")), int(c.get("documents", 0)),
                          [DocumentLink(str(i), item_url(str(i))) for i in c.get("examples") or []])
                  for c in _objects(drivers.get("near_duplicate_clusters"))],
        model_version=str(drivers.get("model_version") or model),
    )


def alert_view(warehouse: Warehouse, accounts: AccountStore, alert_id: str, labels: Labels) -> AlertView | None:
    detail = alert_detail(warehouse, accounts, alert_id, labels)
    if detail is None:
        return None
    alert = detail.alert
    around = Filters(since=alert.window_start - CONTEXT, until=alert.window_end + timedelta(days=1),
                     category=alert.category, source=alert.source_id, language=alert.language,
                     model=alert.model_version, granularity="hour")
    window = Mark("alert", alert.window_start, alert.window_end, labels.gettext(ALERT_WINDOW), "")
    return AlertView(detail, time_chart(category_series(warehouse, around, alert.model_version, labels), around,
                                        [window]))


def _json_object(text: str) -> dict[str, Any]:
    """The drivers JSON as a dict; anything else (empty, malformed) as no drivers."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
