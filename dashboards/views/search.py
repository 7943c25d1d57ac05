"""The search (``/search``): documents by text and the usual filters, newest first, 25 a page, each
linking to its item page; where the charts and tables send their clicks. Besides the filters it reads
``q`` (the text: words and "quoted phrases", every one must occur), ``link`` (documents linking to, or
forwarded from, a source key; see ``queries.sources``) and ``page``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from dashboards.filters import Filters
from dashboards.queries.search import DocumentSearch
from dashboards.views.documents import DocumentPage, document_page, search_terms
from dashboards.views.filter_form import FilterForm, Scope, filter_form, read_scope
from dashboards.views.labels import Labels
from dashboards.views.links import SEARCH, Download, downloads
from vigil.warehouse import Warehouse

MAX_TEXT = 500


@dataclass(frozen=True)
class SearchParams:
    filters: Filters
    q: str
    link: str
    page: int

    @classmethod
    def parse(cls, params: Mapping[str, str], today: date | None = None) -> SearchParams:
        page = params.get("page", "")
        return cls(Filters.parse(params, today), (params.get("q") or "").strip()[:MAX_TEXT],
                   (params.get("link") or "").strip()[:MAX_TEXT], int(page) if page.isdigit() else 1)

    def query(self, **changes: str) -> dict[str, str]:
        """The URL parameters (the filters, the text, the link, the page), with ``changes``."""
        values = self.filters.params() | {"q": self.q, "link": self.link} | changes
        return {name: value for name, value in values.items() if value}

    def search(self, model: str) -> DocumentSearch:
        return DocumentSearch(self.filters, model, search_terms(self.q), self.link)


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    previous_href: str | None
    next_href: str | None


@dataclass(frozen=True)
class SearchView:
    params: SearchParams
    model: str
    results: DocumentPage
    form: FilterForm
    pager: Pager
    downloads: list[Download]


def search_results(warehouse: Warehouse, params: SearchParams, scope: Scope, labels: Labels) -> DocumentPage:
    return document_page(warehouse, params.search(scope.model), params.page, labels)


def search_view(warehouse: Warehouse, params: SearchParams, labels: Labels) -> SearchView:
    scope = read_scope(warehouse, params.filters)
    results = search_results(warehouse, params, scope, labels)

    def page_href(page: int) -> str | None:
        return f"{SEARCH}?{urlencode(params.query(page=str(page)))}" if 1 <= page <= results.pages else None

    return SearchView(params, scope.model, results, filter_form(params.filters, scope, labels, series=False),
                      Pager(results.page, results.pages, page_href(results.page - 1), page_href(results.page + 1)),
                      downloads("documents", params.query(page="")))
