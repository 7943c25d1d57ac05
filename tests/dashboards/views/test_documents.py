"""Documents as the lists show them: the search terms, the excerpt split around them, and one page of
a search on the warehouse (text, category, link target, pagination)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dashboards.filters import Filters
from dashboards.queries.search import DocumentSearch
from dashboards.views.documents import Segment, document_page, excerpt, search_terms
from dashboards.views.labels import Labels
from tests.dashboards.warehouse_data import MODEL, make_doc, store
from tests.flows.conftest import T0
from vigil.warehouse import Warehouse

EN = Labels("en")


def test_terms_are_words_or_quoted_phrases() -> None:
    assert search_terms('migrants  "border crossing" Migrants') == ("migrants", "border crossing", "Migrants")
    assert search_terms('  ""  ') == ()
    assert len(search_terms(" ".join(f"w{i}" for i in range(30)))) == 10
    assert search_terms("x" * 300) == ("x" * 100,)


def test_the_excerpt_marks_every_term_case_insensitively() -> None:
    assert excerpt("The  Border\nand the border", ["border"], cut_before=True, cut_after=True) == [
        Segment("… The ", False), Segment("Border", True), Segment(" and the ", False), Segment("border", True),
        Segment(" …", False)]
    assert excerpt("plain", []) == [Segment("plain", False)]
    assert excerpt("a.b (c)", ["(c)"]) == [Segment("a.b ", False), Segment("(c)", True)]


def _docs(warehouse: Warehouse) -> None:
    docs = [make_doc(i, at=T0 + timedelta(hours=i), source="site-a" if i % 2 else "site-b",
                     text=("Border crossing notes " if i % 3 == 0 else "weather notes ") + str(i)
                     + (" flag-racism" if i % 4 == 0 else "")) for i in range(60)]
    docs[5] = make_doc(5, at=T0 + timedelta(hours=5), source="site-a", text="see the channel",
                       author="x").model_copy(update={"links": ["https://t.me/s/Other_Channel/7"]})
    store(warehouse, docs)


@pytest.mark.warehouse
def test_a_page_of_matches_newest_first(warehouse: Warehouse) -> None:
    _docs(warehouse)
    filters = Filters(since=T0, until=T0 + timedelta(days=3))
    first = document_page(warehouse, DocumentSearch(filters, MODEL), 1, EN, per_page=25)
    assert (first.total, first.pages, len(first.documents)) == (60, 3, 25)
    assert [d.at for d in first.documents] == sorted((d.at for d in first.documents), reverse=True)
    last = document_page(warehouse, DocumentSearch(filters, MODEL), 9, EN, per_page=25)
    assert (last.page, len(last.documents)) == (3, 10)  # a page past the end shows the last one
    assert {d.href for d in first.documents} <= {f"/items/{d.id}" for d in last.documents + first.documents}


@pytest.mark.warehouse
def test_text_category_source_and_link_narrow_the_search(warehouse: Warehouse) -> None:
    _docs(warehouse)
    filters = Filters(since=T0, until=T0 + timedelta(days=3))
    text = document_page(warehouse, DocumentSearch(filters, MODEL, ("BORDER", "crossing")), 1, EN)
    assert text.total == 20 and all(any(s.match for s in d.excerpt) for d in text.documents)
    racism = document_page(warehouse, DocumentSearch(filters.with_(category="racism"), MODEL), 1, EN)
    assert racism.total == 15 and all(d.categories == ["racism"] for d in racism.documents)
    assert document_page(warehouse, DocumentSearch(filters.with_(category="any"), MODEL), 1, EN).total == 15
    assert document_page(warehouse, DocumentSearch(filters.with_(source="site-b"), MODEL), 1, EN).total == 30
    linked = document_page(warehouse, DocumentSearch(filters, MODEL, link="t.me/other_channel"), 1, EN)
    assert [d.id for d in linked.documents] == [make_doc(5, at=T0, source="site-a", text="x").id]
    assert document_page(warehouse, DocumentSearch(filters.with_(until=T0 + timedelta(hours=10)), MODEL),
                         1, EN).total == 10


@pytest.mark.warehouse
def test_a_plain_list_is_counted_from_the_hourly_counts_or_else_from_the_documents(warehouse: Warehouse) -> None:
    _docs(warehouse)
    filters = Filters(since=T0, until=T0 + timedelta(days=3), source="site-a")
    counted = document_page(warehouse, DocumentSearch(filters, MODEL), 2, EN, per_page=10)
    scanned = document_page(warehouse, DocumentSearch(filters, ""), 2, EN, per_page=10)  # no model: no counts
    assert counted.total == scanned.total == 30
    assert [d.id for d in counted.documents] == [d.id for d in scanned.documents] and len(counted.documents) == 10
    off_the_hour = filters.with_(since=T0 + timedelta(minutes=30))  # counted from the documents' times
    assert document_page(warehouse, DocumentSearch(off_the_hour, MODEL), 1, EN).total == 30
    assert document_page(warehouse, DocumentSearch(filters.with_(since=T0 + timedelta(hours=2)), MODEL),
                         1, EN).total == 29


@pytest.mark.warehouse
def test_a_busy_hour_is_listed_from_the_exact_times(warehouse: Warehouse) -> None:
    store(warehouse, [make_doc(i, at=T0 + timedelta(seconds=i), text=f"busy {i}") for i in range(120)])
    filters = Filters(since=T0, until=T0 + timedelta(hours=1))
    page = document_page(warehouse, DocumentSearch(filters, MODEL), 1, EN, per_page=10)  # 120 in the hour > 4 × 10
    assert page.total == 120
    assert [d.excerpt[0].text for d in page.documents] == [f"busy {i}" for i in range(119, 109, -1)]


@pytest.mark.warehouse
def test_every_term_in_the_text_or_every_term_in_the_title_in_any_case_and_script(warehouse: Warehouse) -> None:
    from vigil.schemas import Document

    def doc(i: int, text: str, title: str | None = None) -> Document:
        return Document.build(url=f"https://site-a.example.org/t/{i}", text=text, title=title, source_id="site-a",
                              source_kind="site", fetched_at=T0, published_at=T0, language="en")

    docs = store(warehouse, [doc(1, "Митинг у ГРАНИЦЫ прошёл спокойно"),
                             doc(2, "crossing reported at dawn", title="Border news"),  # split over both: no
                             doc(3, "nothing more", title="BORDER crossing closed"),
                             doc(4, "a border crossing, and a crossing border")])
    filters = Filters(since=T0, until=T0 + timedelta(days=1))

    def found(*terms: str) -> set[str]:
        return {d.id for d in document_page(warehouse, DocumentSearch(filters, MODEL, terms), 1, EN).documents}

    assert found("границы", "митинг") == {docs[0].id}
    assert found("crossing", "border") == found("Border", "CROSSING") == {docs[2].id, docs[3].id}
    assert found("border", "crossing", "dawn") == set()
