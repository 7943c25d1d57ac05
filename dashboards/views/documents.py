"""Documents as the analysts' lists show them (the search, a source's page, the document exports): one
page of matches, newest first, each linking to its item page, with an excerpt around the first term.

Crawled text is hostile. It reaches the page only as text (the templates escape it) and split into
segments, the terms marked; a document's own URL is shown as text, with a link to the warning page
before leaving (``/leave``) when it is http(s).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from dashboards.queries import search as queries
from dashboards.queries.search import DocumentSearch
from dashboards.queries.sql import as_datetime
from dashboards.review.wellbeing import leave_href
from dashboards.views.labels import Labels
from dashboards.views.links import item_url
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

PER_PAGE = 25  # each document shown costs a read of its text's block: keep pages short
MAX_TERMS, MAX_TERM_LENGTH = 10, 100
_TERM = re.compile(r'"([^"]*)"|([^\s"]+)')
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool  # one of the search terms


@dataclass(frozen=True)
class DocumentRow:
    id: str
    href: str  # its item page
    at: datetime  # published, else fetched
    title: str
    source_id: str
    source_href: str
    language: str
    language_label: str  # translated
    categories: list[str]  # as labelled by the page's model
    category_labels: list[str]  # translated
    url: str  # the original, shown as text
    leave_href: str | None  # the warning page before opening it; None unless it is http(s)
    excerpt: list[Segment]


@dataclass(frozen=True)
class DocumentPage:
    total: int
    capped: bool  # a text or link search that found its listing's limit: total is that many, at least
    page: int
    pages: int
    per_page: int
    documents: list[DocumentRow]


def search_terms(text: str) -> tuple[str, ...]:
    """The terms of a search text: words, or "quoted phrases"; at most 10, each cut to 100 characters."""
    found = (phrase or word for phrase, word in _TERM.findall(text))
    return tuple(dict.fromkeys(t.strip()[:MAX_TERM_LENGTH] for t in found if t.strip()))[:MAX_TERMS]


def document_page(warehouse: Warehouse, search: DocumentSearch, page: int, labels: Labels,
                  per_page: int = PER_PAGE) -> DocumentPage:
    """Page ``page`` (from 1; past the end, the last) of the documents ``search`` finds (at most
    ``queries.search.LIMIT`` deep)."""
    page = max(page, 1)
    found = queries.find(warehouse, search, (page - 1) * per_page, per_page)
    pages = max(1, -(-min(found.total, queries.LIMIT) // per_page))
    if page > pages:
        page = pages
        found = queries.find(warehouse, search, (page - 1) * per_page, per_page)
    return DocumentPage(found.total, search.selective and found.total >= queries.LIMIT, page, pages, per_page,
                        document_rows(warehouse, found.documents, search, labels))


def document_rows(warehouse: Warehouse, rows: list[Row], search: DocumentSearch, labels: Labels) -> list[DocumentRow]:
    """The rows found, as listed, with their labels by the search's model."""
    categories = queries.labels(warehouse, [row["id"] for row in rows], search.model)
    return [document_row(row, categories.get(row["id"], []), search.terms, labels) for row in rows]


def document_row(row: Row, categories: list[str], terms: Sequence[str], labels: Labels) -> DocumentRow:
    return DocumentRow(
        id=row["id"], href=item_url(row["id"]), at=as_datetime(row["at"]), title=row["title"] or "",
        source_id=row["source_id"], source_href=f"/sources/{quote(row['source_id'], safe='')}",
        language=row["language"], language_label=labels.language(row["language"]), categories=categories,
        category_labels=[labels.category(c) for c in categories], url=row["url"], leave_href=leave_href(row["url"]),
        excerpt=excerpt(row["excerpt"], terms, cut_before=row["start"] > 1,
                        cut_after=row["start"] - 1 + len(row["excerpt"]) < row["length"]),
    )


def excerpt(text: str, terms: Sequence[str], *, cut_before: bool = False, cut_after: bool = False) -> list[Segment]:
    """``text`` with its white space collapsed, split where the terms occur (case-insensitively)."""
    text = ("… " if cut_before else "") + _SPACE.sub(" ", text).strip() + (" …" if cut_after else "")
    if not terms:
        return [Segment(text, False)] if text else []
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    found, at = [], 0
    for match in pattern.finditer(text):
        if match.start() > at:
            found.append(Segment(text[at:match.start()], False))
        found.append(Segment(match.group(), True))
        at = match.end()
    return found + ([Segment(text[at:], False)] if at < len(text) else [])
