"""The alerts page (``/alerts``): spikes, with late alerts (raised from data that arrived hours after
their window) shown apart, each with who acknowledged it, and the emerging terms of the latest run;
every row links to the documents behind it. :class:`AlertList` is also the API's answer;
``views.alert`` is one alert's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from dashboards.accounts.alert_acks import Acknowledgement, acknowledgements
from dashboards.accounts.store import AccountStore
from dashboards.filters import Filters
from dashboards.i18n import N_
from dashboards.queries import alerts as queries
from dashboards.queries.sql import as_datetime
from dashboards.views.filter_form import FilterForm, filter_form, read_scope
from dashboards.views.labels import Labels
from dashboards.views.links import Download, downloads, search_url
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row


@dataclass(frozen=True)
class AlertRow:
    alert_id: str
    window_start: datetime
    window_end: datetime
    raised_at: datetime
    category: str
    category_label: str  # translated
    source_id: str
    language: str
    language_label: str  # translated
    model_version: str
    observed: float
    expected: float
    score: float
    late: bool
    summary: str
    acknowledged: Acknowledgement | None
    href: str  # the alert's page
    documents_href: str  # its window's flagged documents


TERM_KINDS = {"word": N_("word"), "phrase": N_("phrase"), "hashtag": N_("hashtag")}


@dataclass(frozen=True)
class TermRow:
    language: str
    language_label: str  # translated
    term: str
    kind: str  # word, phrase or hashtag, translated
    z_score: float
    recent: int
    baseline: int
    href: str  # flagged documents of the window that contain it


@dataclass(frozen=True)
class AlertList:
    filters: Filters
    live: list[AlertRow]  # raised while their window was recent
    late: list[AlertRow]  # raised from late data
    terms: list[TermRow]
    terms_window: tuple[datetime, datetime] | None  # of the run the terms come from


@dataclass(frozen=True)
class AlertsView:
    alerts: AlertList
    form: FilterForm
    downloads: dict[str, list[Download]]


def alert_filters(row: Row) -> Filters:
    """The filters of an alert's series over its window."""
    return Filters(since=as_datetime(row["window_start"]), until=as_datetime(row["window_end"]),
                   category=row["category"], source=row["source_id"], language=row["language"],
                   model=row["model_version"], granularity="hour")


def alert_row(row: Row, acknowledged: Acknowledgement | None, labels: Labels) -> AlertRow:
    return AlertRow(
        alert_id=row["alert_id"], window_start=as_datetime(row["window_start"]),
        window_end=as_datetime(row["window_end"]), raised_at=as_datetime(row["raised_at"]),
        category=row["category"], category_label=labels.category(row["category"]), source_id=row["source_id"],
        language=row["language"], language_label=labels.language(row["language"]),
        model_version=row["model_version"], observed=row["observed"], expected=row["expected"],
        score=row["score"], late=bool(row["late"]), summary=row["summary"], acknowledged=acknowledged,
        href=f"/alerts/{quote(row['alert_id'], safe='')}",
        documents_href=search_url(alert_filters(row), row["model_version"]),
    )


def alert_list(warehouse: Warehouse, accounts: AccountStore, filters: Filters, model: str,
               labels: Labels) -> AlertList:
    """The alerts of the range (every model version unless one is chosen) and the emerging terms, whose
    links read the documents with ``model``."""
    rows = queries.alerts(warehouse, filters)
    acks = acknowledgements(accounts, [row["alert_id"] for row in rows])
    found = [alert_row(row, acks.get(row["alert_id"]), labels) for row in rows]
    terms = queries.emerging_terms(warehouse, filters.since, filters.until, filters.language)
    window = (as_datetime(terms[0]["window_start"]), as_datetime(terms[0]["window_end"])) if terms else None
    return AlertList(filters, [a for a in found if not a.late], [a for a in found if a.late],
                     [term_row(term, filters, model, labels) for term in terms], window)


def term_row(row: Row, filters: Filters, model: str, labels: Labels) -> TermRow:
    """A rising term, linked to the flagged documents of its run's window in its language that contain it."""
    window = filters.with_(since=as_datetime(row["window_start"]), until=as_datetime(row["window_end"]),
                           category=filters.flagged_category, language=row["language"])
    kind = labels.gettext(TERM_KINDS[row["kind"]]) if row["kind"] in TERM_KINDS else row["kind"]
    return TermRow(row["language"], labels.language(row["language"]), row["term"], kind,
                   round(row["z_score"], 2), int(row["recent_count"]), int(row["baseline_count"]),
                   search_url(window, model, q=row["term"]))


def alerts_view(warehouse: Warehouse, accounts: AccountStore, filters: Filters, labels: Labels,
                query: dict[str, str]) -> AlertsView:
    scope = read_scope(warehouse, filters)
    return AlertsView(alert_list(warehouse, accounts, filters, scope.model, labels),
                      filter_form(filters, scope, labels, series=False),
                      {name: downloads(name, query) for name in ("alerts", "emerging-terms")})


