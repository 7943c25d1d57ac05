"""Downloads: every table of the analysts' pages, and the documents a search finds, as CSV or Parquet.

``/export/{dataset}?format=csv|parquet&<the page's own parameters>`` computes the table with the same
view functions as the page, so a download holds what the page shows (the documents: the first
:data:`DOCUMENT_ROWS` matches, newest first). The file is named after the dataset and the filters, e.g.
``vigil-documents_2026-05-01_2026-05-31_xenophobia_ru.csv``.

CSV cells that a spreadsheet would run as a formula (crawled text starting with ``=``, ``+``, ``-``,
``@``...) are prefixed with ``'``; lists are joined with ``;``. Parquet keeps types and lists.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd

from dashboards.accounts.store import AccountStore
from dashboards.filters import Filters
from dashboards.queries import search as search_queries
from dashboards.views.alerts import AlertRow, TermRow, alert_list
from dashboards.views.compare import compare_filters, comparison
from dashboards.views.documents import document_rows
from dashboards.views.filter_form import read_scope
from dashboards.views.labels import Labels
from dashboards.views.overview import category_series, category_table, split_series, top_rows
from dashboards.views.search import SearchParams
from dashboards.views.source import RunRow, source_detail
from dashboards.views.sources import DiscoveredRow, SourceRow, source_list
from vigil.warehouse import Warehouse

DOCUMENT_ROWS = search_queries.LIMIT
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_COMPARE = ["category", "name", "a", "b", "change", "change_percent", "a_share_percent", "b_share_percent",
            "share_change_points"]


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    name_parts: list[str]  # what the file name says besides the dataset


Context = tuple[Warehouse, AccountStore, Mapping[str, str], Labels]


def _documents(warehouse: Warehouse, _: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
    asked = SearchParams.parse(params)
    search = asked.search(read_scope(warehouse, asked.filters).model)
    found = search_queries.find(warehouse, search, 0, DOCUMENT_ROWS).documents
    rows = [{"id": d.id, "published": d.at, "source": d.source_id, "language": d.language,
             "categories": d.categories, "title": d.title, "url": d.url, "item": d.href,
             "excerpt": "".join(s.text for s in d.excerpt)} for d in document_rows(warehouse, found, search, labels)]
    return Table(pd.DataFrame(rows, columns=["id", "published", "source", "language", "categories", "title", "url",
                                             "item", "excerpt"]), asked.filters.name_parts() + [asked.q, asked.link])


def _series(split: str) -> Callable[..., Table]:
    def table(warehouse: Warehouse, _: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
        filters = Filters.parse(params)
        model = read_scope(warehouse, filters).model
        series = (category_series(warehouse, filters, model, labels) if split == "category"
                  else split_series(warehouse, filters, model, labels, split))
        rows = [{"bucket": p.bucket, split: s.key, "name": s.name, "flagged": p.flagged, "documents": p.documents,
                 "share_percent": p.share} for s in series for p in s.points]
        return Table(pd.DataFrame(rows, columns=["bucket", split, "name", "flagged", "documents", "share_percent"]),
                     filters.name_parts() + [filters.granularity])
    return table


def _change_rows(kind: str) -> Callable[..., Table]:
    def table(warehouse: Warehouse, _: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
        filters = Filters.parse(params)
        model = read_scope(warehouse, filters).model
        rows = (category_table(warehouse, filters, model, labels)[0] if kind == "category"
                else top_rows(warehouse, filters, model, labels, kind))
        columns = [kind, "name", "flagged", "previous_period", "change", "change_percent", "documents",
                   "share_percent"]
        values = [[r.key, r.label, r.flagged.after, r.flagged.before, r.flagged.delta, r.flagged.percent,
                   r.documents, r.share] for r in rows]
        return Table(pd.DataFrame(values, columns=columns), filters.name_parts())
    return table


def _compare(warehouse: Warehouse, _: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
    a, b = compare_filters(params)
    found = comparison(warehouse, a, b, read_scope(warehouse, a).model, read_scope(warehouse, b).model, labels)
    rows = [{"category": r.key, "name": r.label, "a": r.change.before, "b": r.change.after, "change": r.change.delta,
             "change_percent": r.change.percent, "a_share_percent": r.a_share, "b_share_percent": r.b_share,
             "share_change_points": r.share_points} for r in found.rows]
    return Table(pd.DataFrame(rows, columns=_COMPARE), [a.start_text, a.end_text, a.source, a.language, "vs",
                                                         b.start_text, b.end_text, b.source, b.language])


def _alerts(warehouse: Warehouse, accounts: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
    filters = Filters.parse(params)
    found = alert_list(warehouse, accounts, filters, read_scope(warehouse, filters).model, labels)
    rows = [_fields(a, AlertRow, "acknowledged", "href", "documents_href") | {
        "acknowledged_by": a.acknowledged.user_name if a.acknowledged else None,
        "acknowledged_at": a.acknowledged.acknowledged_at if a.acknowledged else None} for a in found.live + found.late]
    columns = [*_names(AlertRow, "acknowledged", "href", "documents_href"), "acknowledged_by", "acknowledged_at"]
    return Table(pd.DataFrame(rows, columns=columns), filters.name_parts())


def _terms(warehouse: Warehouse, accounts: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
    filters = Filters.parse(params)
    found = alert_list(warehouse, accounts, filters, read_scope(warehouse, filters).model, labels)
    return Table(pd.DataFrame([_fields(t, TermRow, "href") for t in found.terms], columns=_names(TermRow, "href")),
                 filters.name_parts())


def _sources(warehouse: Warehouse, _: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
    filters = Filters.parse(params)
    found = source_list(warehouse, filters, read_scope(warehouse, filters), labels)
    left_out = ("flagged", "href", "leave_href", "flagged_href")
    rows = [_fields(s, SourceRow, *left_out) | {"flagged": s.flagged.after, "flagged_previous_period": s.flagged.before}
            for s in found.sources]
    columns = [*_names(SourceRow, *left_out), "flagged", "flagged_previous_period"]
    return Table(pd.DataFrame(rows, columns=columns), filters.name_parts())


def _discovered(warehouse: Warehouse, _: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
    filters = Filters.parse(params)
    found = source_list(warehouse, filters, read_scope(warehouse, filters), labels)
    return Table(pd.DataFrame([_fields(d, DiscoveredRow, "href") for d in found.discovered],
                              columns=_names(DiscoveredRow, "href")), filters.name_parts())


def _runs(warehouse: Warehouse, _: AccountStore, params: Mapping[str, str], labels: Labels) -> Table:
    filters = Filters.parse(params)
    detail = source_detail(warehouse, filters.source, filters, read_scope(warehouse, filters), 1, labels)
    return Table(pd.DataFrame([_fields(r, RunRow) for r in detail.runs] if detail else [], columns=_names(RunRow)),
                 filters.name_parts())


DATASETS: dict[str, Callable[..., Table]] = {
    "documents": _documents, "trends-by-category": _series("category"), "trends-by-language": _series("language"),
    "trends-by-source": _series("source"), "categories": _change_rows("category"),
    "top-sources": _change_rows("source"), "top-languages": _change_rows("language"), "compare": _compare,
    "alerts": _alerts, "emerging-terms": _terms, "sources": _sources, "discovered-sources": _discovered,
    "crawl-runs": _runs,
}


def _names(kind: type, *left_out: str) -> list[str]:
    return [f.name for f in fields(kind) if f.name not in left_out]


def _fields(row: Any, kind: type, *left_out: str) -> dict[str, Any]:
    """``row``'s fields but ``left_out`` (links and nested values, which a table does not hold)."""
    return {name: getattr(row, name) for name in _names(kind, *left_out)}


def export(dataset: str, file_format: str, context: Context) -> Export:
    """``dataset`` (a key of :data:`DATASETS`) as ``file_format`` (csv or parquet)."""
    table = DATASETS[dataset](*context)
    return Export(file_name(dataset, table.name_parts, file_format), MEDIA_TYPES[file_format],
                  encode(table.frame, file_format))


def file_name(dataset: str, parts: list[str], file_format: str) -> str:
    """``vigil-<dataset>_<part>_..._<part>.<format>``, empty parts left out, each safe in a file name."""
    safe = [_UNSAFE.sub("-", part).strip("-")[:60] for part in parts]
    return "_".join([f"vigil-{dataset}", *[part for part in safe if part]]) + f".{file_format}"


def encode(frame: pd.DataFrame, file_format: str) -> bytes:
    if file_format == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    return frame.map(_csv_cell).to_csv(index=False).encode("utf-8")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = ";".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
