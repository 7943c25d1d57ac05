"""The overview (``/``): flagged documents over time per category, per language and per leading
source, raw or as a share of all documents, with model changes and incomplete data marked; the
headline numbers and the top categories, sources and languages against the period before. Every number
and point links to the documents behind it. :class:`Trends` is also the API's ``/api/v1/trends``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dashboards.filters import ANY, Filters
from dashboards.i18n import N_
from dashboards.queries import overview as queries
from dashboards.views.change import Change, change, points, share
from dashboards.views.charts import Chart, time_chart
from dashboards.views.filter_form import FilterForm, Scope, filter_form, read_scope
from dashboards.views.labels import OTHER_SOURCES, Labels
from dashboards.views.links import Download, downloads, search_query, search_url
from dashboards.views.marks import Mark, chart_marks
from dashboards.views.series import Series, build, by_key
from vigil.schemas import CATEGORIES
from vigil.warehouse import Warehouse

TOP = 10  # rows of the top-N tables
SOURCES_IN_CHART = 8


@dataclass(frozen=True)
class ChangeRow:
    """One row of a top-N table: flagged in the range against the period before."""

    key: str
    label: str  # translated
    flagged: Change  # before: the period before; after: the range
    documents: int  # in the range
    share: float | None  # flagged / documents, percent
    href: str  # the documents behind ``flagged.after``


@dataclass(frozen=True)
class Headline:
    label: str  # translated
    value: float | None
    unit: str  # "count" or "percent"
    delta: float | None  # against the period before (percentage points for a percent)
    percent: float | None  # change in percent (counts only; None without a base)
    href: str | None


@dataclass(frozen=True)
class Trends:
    filters: Filters
    model: str
    headlines: list[Headline]
    by_category: list[Series]
    by_language: list[Series]
    by_source: list[Series]
    categories: list[ChangeRow]
    sources: list[ChangeRow]
    languages: list[ChangeRow]
    marks: list[Mark]


@dataclass(frozen=True)
class OverviewView:
    trends: Trends
    form: FilterForm
    charts: dict[str, Chart]  # by_category, by_language, by_source
    downloads: dict[str, list[Download]]  # per panel
    has_data: bool


def overview_view(warehouse: Warehouse, filters: Filters, labels: Labels, query: dict[str, str]) -> OverviewView:
    """The page for ``filters``; ``query`` is the request's own query string (for the downloads)."""
    scope = read_scope(warehouse, filters)
    found = trends(warehouse, filters, scope, labels)
    return OverviewView(
        trends=found, form=filter_form(filters, scope, labels),
        charts={name: time_chart(getattr(found, name), filters, found.marks)
                for name in ("by_category", "by_language", "by_source")},
        downloads={name: downloads(name, query) for name in
                   ("trends-by-category", "trends-by-language", "trends-by-source", "categories", "top-sources",
                    "top-languages")},
        has_data=bool(scope.spans),
    )


def trends(warehouse: Warehouse, filters: Filters, scope: Scope, labels: Labels) -> Trends:
    model = scope.model
    rows, headlines = category_table(warehouse, filters, model, labels)
    return Trends(
        filters=filters, model=model, headlines=headlines,
        by_category=category_series(warehouse, filters, model, labels),
        by_language=split_series(warehouse, filters, model, labels, "language"),
        by_source=split_series(warehouse, filters, model, labels, "source"),
        categories=rows, sources=top_rows(warehouse, filters, model, labels, "source"),
        languages=top_rows(warehouse, filters, model, labels, "language"),
        marks=chart_marks(warehouse, filters, scope.spans, labels) if model else [],
    )


def category_series(warehouse: Warehouse, filters: Filters, model: str, labels: Labels) -> list[Series]:
    """Flagged documents per category (or only the chosen one) per bucket, most flagged first."""
    rows = by_key(queries.series(warehouse, filters, model, "category"), "category") if model else {}
    everything = rows.get(ANY, {})

    def documents(_: str, bucket: datetime) -> int:
        return int(everything[bucket]["documents"]) if bucket in everything else 0

    keys = [filters.category] if filters.category else [c for c in CATEGORIES if c in rows]
    found = build(keys, rows, documents, filters, labels.category,
                  lambda key: search_query(filters, model, category=key))
    return sorted(found, key=lambda s: -s.total)


def split_series(warehouse: Warehouse, filters: Filters, model: str, labels: Labels, split: str) -> list[Series]:
    """Flagged documents (of the chosen category, or any) per language, or per leading source with the
    rest as one series, per bucket."""
    column = "language" if split == "language" else "source"
    rows = by_key(queries.series(warehouse, filters, model, split, SOURCES_IN_CHART), column) if model else {}

    def documents(key: str, bucket: datetime) -> int:
        return int(rows[key][bucket]["documents"]) if bucket in rows.get(key, {}) else 0

    def name(key: str) -> str:
        return labels.language(key) if split == "language" else key or labels.gettext(OTHER_SOURCES)

    def search(key: str) -> str:
        if not key:
            return ""  # the other sources, or an unknown language, are no filter: no link
        return search_query(filters, model, category=filters.flagged_category, **{split: key})

    found = sorted(build(rows, rows, documents, filters, name, search), key=lambda s: -s.total)
    return sorted(found, key=lambda s: split == "source" and not s.key)  # the rest last


def category_table(warehouse: Warehouse, filters: Filters, model: str,
                   labels: Labels) -> tuple[list[ChangeRow], list[Headline]]:
    """Every category against the period before, and the headline numbers."""
    counts = queries.category_change(warehouse, filters, model) if model else {}

    def count(category: str, column: str) -> int:
        return int(counts[category][column]) if category in counts else 0

    documents, documents_before = count(ANY, "total"), count(ANY, "total_previous")
    rows = [ChangeRow(category, labels.category(category), change(count(category, "previous"),
                                                                   count(category, "current")),
                      documents, share(count(category, "current"), documents),
                      search_url(filters, model, category=category))
            for category in CATEGORIES]
    rows.sort(key=lambda row: (-row.flagged.after, -row.flagged.before))
    chosen = filters.flagged_category
    flagged, flagged_before = count(chosen, "current"), count(chosen, "previous")
    share_now, share_before = share(flagged, documents), share(flagged_before, documents_before)
    headlines = [
        Headline(labels.gettext(N_("Documents")), documents, "count", documents - documents_before,
                 change(documents_before, documents).percent, search_url(filters.with_(category=""), model)),
        Headline(labels.gettext(N_("Flagged")), flagged, "count", flagged - flagged_before,
                 change(flagged_before, flagged).percent, search_url(filters, model, category=chosen)),
        Headline(labels.gettext(N_("Flagged share")), share_now, "percent", points(share_before, share_now), None,
                 None),
    ]
    return rows, headlines


def top_rows(warehouse: Warehouse, filters: Filters, model: str, labels: Labels, dimension: str) -> list[ChangeRow]:
    """The sources or languages with the most flagged documents, against the period before."""
    rows = queries.top(warehouse, filters, model, dimension, TOP) if model else []
    name = labels.language if dimension == "language" else str
    return [ChangeRow(row["key"], name(row["key"]), change(int(row["previous"]), int(row["current"])),
                      int(row["total"]), share(int(row["current"]), int(row["total"])),
                      search_url(filters, model, category=filters.flagged_category, **{dimension: row["key"]}))
            for row in rows]
