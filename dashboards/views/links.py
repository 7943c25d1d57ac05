"""Links from the analysts' numbers to the documents behind them, and to the downloads of a table.

A number links to ``/search`` with the filters it was counted under (the model resolved, so the link
keeps its meaning when another model becomes current) and whatever narrows it: a category, a source, a
language, a time bucket. Item pages are ``/items/{document_id}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from dashboards.filters import Filters

SEARCH = "/search"
FORMATS = ("csv", "parquet")


def search_params(filters: Filters, model: str, **narrower: str) -> dict[str, str]:
    """The search's parameters for ``filters`` read with ``model``, without the time, narrowed."""
    values = {"category": filters.category, "source": filters.source, "language": filters.language,
              "model": model} | narrower
    return {name: value for name, value in values.items() if value}


def search_query(filters: Filters, model: str, **narrower: str) -> str:
    """:func:`search_params` as a query string (a chart adds the time of the bucket clicked)."""
    return urlencode(search_params(filters, model, **narrower))


def search_url(filters: Filters, model: str, **narrower: str) -> str:
    """The search for ``filters``' documents over their range, narrowed."""
    query = {"start": filters.start_text, "end": filters.end_text} | search_params(filters, model, **narrower)
    return f"{SEARCH}?{urlencode(query)}"


def item_url(document_id: str) -> str:
    return f"/items/{quote(document_id, safe='')}"


@dataclass(frozen=True)
class Download:
    format: str
    href: str


def downloads(dataset: str, query: dict[str, str]) -> list[Download]:
    """The links that download ``dataset`` under ``query`` (the page's own parameters) in each format."""
    return [Download(fmt, f"/export/{dataset}?{urlencode(query | {'format': fmt})}") for fmt in FORMATS]
