"""The compare page (``/compare``): two periods, or two filter sets, side by side per category: flagged
documents on each side, the change from A to B and the percentage change (none from zero: there is no
base), and each side's flagged share. :class:`Comparison` is also the API's ``/api/v1/compare``.

The sides are the usual filters with the prefixes ``a_`` and ``b_``. B defaults to the last 30 days; A
to the period of the same length just before B, so ``/compare`` alone is period over period.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dashboards.filters import ANY, Filters
from dashboards.i18n import N_
from dashboards.queries.compare import category_totals
from dashboards.views.change import Change, change, points, share
from dashboards.views.charts import Chart, bar_chart
from dashboards.views.filter_form import FilterForm, filter_form, read_scope
from dashboards.views.labels import Labels
from dashboards.views.links import Download, downloads, search_url
from vigil.schemas import CATEGORIES
from vigil.warehouse import Warehouse

ALL_DOCUMENTS = N_("All documents")


@dataclass(frozen=True)
class CompareRow:
    key: str  # a category, ``any`` (flagged in any), or '' (all documents)
    label: str  # translated
    change: Change  # before: side A, after: side B
    a_share: float | None  # of side A's documents, percent
    b_share: float | None
    share_points: float | None  # B's share minus A's
    a_href: str
    b_href: str


@dataclass(frozen=True)
class Comparison:
    a: Filters
    b: Filters
    a_model: str
    b_model: str
    rows: list[CompareRow]  # all documents, flagged in any category, then each category


@dataclass(frozen=True)
class CompareView:
    comparison: Comparison
    a_form: FilterForm
    b_form: FilterForm
    chart: Chart
    downloads: list[Download]


def compare_filters(params: Mapping[str, str], today: date | None = None) -> tuple[Filters, Filters]:
    """Sides A and B from the query string; A's range defaults to the period before B's."""
    b = Filters.parse(params, today, prefix="b_")
    a = Filters.parse(params, today, prefix="a_")
    if not params.get("a_start") and not params.get("a_end"):
        before = b.previous()
        a = a.with_(since=before.since, until=before.until)
    return a, b


def comparison(warehouse: Warehouse, a: Filters, b: Filters, a_model: str, b_model: str,
               labels: Labels) -> Comparison:
    now_a = category_totals(warehouse, a, a_model) if a_model else {}
    now_b = category_totals(warehouse, b, b_model) if b_model else {}

    def count(totals: dict, key: str, column: str = "flagged") -> int:
        return int(totals[key][column]) if key in totals else 0

    documents_a, documents_b = count(now_a, ANY, "documents"), count(now_b, ANY, "documents")

    def row(key: str, label: str, a_count: int, b_count: int) -> CompareRow:
        a_share, b_share = (share(a_count, documents_a), share(b_count, documents_b)) if key else (None, None)
        return CompareRow(key, label, change(a_count, b_count), a_share, b_share, points(a_share, b_share),
                          search_url(a.with_(category=key), a_model), search_url(b.with_(category=key), b_model))

    rows = [row("", labels.gettext(ALL_DOCUMENTS), documents_a, documents_b)]
    rows += [row(key, labels.category(key), count(now_a, key), count(now_b, key)) for key in (ANY, *CATEGORIES)]
    return Comparison(a, b, a_model, b_model, rows)


def compare_view(warehouse: Warehouse, a: Filters, b: Filters, labels: Labels, query: dict[str, str]) -> CompareView:
    scope_a, scope_b = read_scope(warehouse, a), read_scope(warehouse, b)
    found = comparison(warehouse, a, b, scope_a.model, scope_b.model, labels)
    categories = found.rows[2:]
    chart = bar_chart([r.label for r in categories], [
        (labels.gettext(N_("A")), [(r.change.before, r.a_href) for r in categories]),
        (labels.gettext(N_("B")), [(r.change.after, r.b_href) for r in categories]),
    ])
    return CompareView(found, filter_form(a, scope_a, labels, prefix="a_", categories=False, series=False),
                       filter_form(b, scope_b, labels, prefix="b_", categories=False, series=False), chart,
                       downloads("compare", query))
