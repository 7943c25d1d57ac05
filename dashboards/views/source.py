"""One source's page (``/sources/{source_id}``): its numbers and crawl health, flagged documents over
time, its latest crawl runs, whom it links to and who links to it, and its documents, newest first.
:class:`SourceDetail` is also the API's answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode

from dashboards.filters import Filters
from dashboards.queries import overview as trend_queries
from dashboards.queries import sources as queries
from dashboards.queries.search import DocumentSearch
from dashboards.queries.sql import as_datetime
from dashboards.views.charts import Chart, time_chart
from dashboards.views.documents import DocumentPage, document_page
from dashboards.views.filter_form import FilterForm, Scope, filter_form, read_scope
from dashboards.views.labels import Labels
from dashboards.views.links import Download, downloads, search_url
from dashboards.views.marks import chart_marks
from dashboards.views.overview import category_series
from dashboards.views.sources import LINK_KINDS, SourceRow, registered_by_key, source_href, source_row
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row


@dataclass(frozen=True)
class RunRow:
    run_id: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    crawled: int
    published: int
    dropped: int
    errors: int
    skipped: int
    error: str


@dataclass(frozen=True)
class LinkRow:
    name: str  # the other side: a source id, else a link target's key
    source_href: str | None  # its page, when it is a source
    kind: str  # translated
    documents: int
    documents_href: str  # the documents behind the link


@dataclass(frozen=True)
class SourceDetail:
    source: SourceRow
    runs: list[RunRow]
    links_to: list[LinkRow]
    linked_from: list[LinkRow]
    documents: DocumentPage


@dataclass(frozen=True)
class SourceView:
    detail: SourceDetail
    form: FilterForm
    chart: Chart
    downloads: dict[str, list[Download]]
    previous_href: str | None
    next_href: str | None


def source_detail(warehouse: Warehouse, source_id: str, filters: Filters, scope: Scope, page: int,
                  labels: Labels, now: datetime | None = None) -> SourceDetail | None:
    """One source, or None when nothing knows it."""
    registry = {row["source_id"]: row for row in queries.registry(warehouse)}
    if source_id not in registry and not queries.known_source(warehouse, source_id):
        return None
    health = {row["source_id"]: row
              for row in queries.crawl_health(warehouse, filters.since, filters.until, source_id)}
    mine = filters.with_(source=source_id)
    activity = trend_queries.top(warehouse, mine, scope.model, "source", 1) if scope.model else []
    row = source_row(source_id, registry.get(source_id), health.get(source_id), activity[0] if activity else None,
                     filters, scope.model, labels, now or datetime.now(timezone.utc))
    known = registered_by_key(registry)
    key = registry[source_id]["key"] if source_id in registry else ""
    edges = queries.link_edges(warehouse, filters.since, filters.until, source=source_id, target=key)
    out = [e for e in edges if e["source_id"] == source_id]
    into = [e for e in edges if key and e["target"] == key]
    everything = filters.with_(category="", source="", language="")

    def link(name: str, is_source: bool, edge: Row, source: str, target: str) -> LinkRow:
        return LinkRow(name, source_href(name) if is_source else None, labels.gettext(LINK_KINDS[edge["kind"]]),
                       int(edge["documents"]), search_url(everything.with_(source=source), scope.model, link=target))

    return SourceDetail(
        source=row,
        runs=[RunRow(r["run_id"], as_datetime(r["started_at"]),
                     as_datetime(r["finished_at"]) if r["finished_at"] else None, r["status"], int(r["crawled"]),
                     int(r["published"]), int(r["dropped"]), int(r["errors"]), int(r["skipped"]), r["error"])
              for r in queries.recent_runs(warehouse, source_id)],
        links_to=[link(known.get(e["target"], e["target"]), e["target"] in known, e, source_id, e["target"])
                  for e in out if known.get(e["target"]) != source_id],
        linked_from=[link(e["source_id"], True, e, e["source_id"], key) for e in into if e["source_id"] != source_id],
        documents=document_page(warehouse, DocumentSearch(mine, scope.model), page, labels),
    )


def source_view(warehouse: Warehouse, source_id: str, filters: Filters, page: int, labels: Labels,
                query: dict[str, str]) -> SourceView | None:
    scope = read_scope(warehouse, filters)
    detail = source_detail(warehouse, source_id, filters, scope, page, labels)
    if detail is None:
        return None
    mine = filters.with_(source=source_id)
    chart = time_chart(category_series(warehouse, mine, scope.model, labels), mine,
                       chart_marks(warehouse, mine, scope.spans, labels) if scope.model else [])
    here = source_href(source_id)
    pages = detail.documents

    def numbered(number: int) -> str | None:
        return f"{here}?{urlencode(query | {'page': str(number)})}" if 1 <= number <= pages.pages else None

    return SourceView(detail, filter_form(filters, scope, labels, sources=False), chart,
                      {"documents": downloads("documents", filters.params() | {"source": source_id}),
                       "runs": downloads("crawl-runs", filters.params() | {"source": source_id})},
                      numbered(pages.page - 1), numbered(pages.page + 1))
