"""The bad-input corpus through the crawler, without a network: each page and feed goes through the
content gate, its spider's callback and the item pipelines, as in a crawl. Each either becomes a
Document or is skipped or dropped with a reason counted in the crawl stats; nothing raises."""

from __future__ import annotations

import time

import pytest
from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import Response

from crawlers.extract.fragment import fragment_text
from crawlers.items import RawPost
from crawlers.middlewares.content_gate import ContentGate, SkippedContent
from crawlers.pipelines import PIPELINES
from crawlers.pipelines.dedupe import DedupePipeline
from crawlers.pipelines.enrich import EnrichPipeline
from crawlers.pipelines.normalise import NormalisePipeline
from crawlers.pipelines.validate import MAX_TEXT_CHARS, ValidatePipeline
from crawlers.report import summarise
from crawlers.sources import Source
from crawlers.spiders import SPIDERS
from tests.bad_input import SENTENCE, deep_divs, read, ten_megabyte_line
from tests.crawlers.conftest import make_crawler, saved_page
from vigil.schemas import Document

BASE = "https://news.example.org"


class Crawl:
    """One spider with its crawler, the content gate and the pipelines, run by hand."""

    def __init__(self, source: Source) -> None:
        self.crawler = make_crawler()
        self.spider = SPIDERS[source.kind].from_crawler(self.crawler, source=source)
        self.gate = ContentGate.from_crawler(self.crawler)
        assert list(PIPELINES) == [f"crawlers.pipelines.{m}" for m in (
            "normalise.NormalisePipeline", "validate.ValidatePipeline", "dedupe.DedupePipeline",
            "enrich.EnrichPipeline", "publish.PublishPipeline")]
        self.pipelines = [NormalisePipeline(self.crawler), ValidatePipeline(self.crawler),
                          DedupePipeline.from_crawler(self.crawler), EnrichPipeline(self.crawler)]

    def fetch(self, url: str, body: bytes, content_type: str, callback=None, **meta):
        request = Request(url, meta=meta)
        response = Response(url, body=body, headers={"Content-Type": content_type}, request=request)
        try:
            response = self.gate.process_response(request, response)
        except SkippedContent:
            return []
        return list((callback or self.spider.parse_start)(response) or [])

    def documents(self, output) -> list[Document]:
        found = []
        for item in output:
            if not isinstance(item, RawPost):
                continue
            try:
                for pipeline in self.pipelines:
                    item = pipeline.process_item(item)
            except DropItem:
                continue
            found.append(item)
        return found

    @property
    def stats(self) -> dict[str, int]:
        return {k: v for k, v in self.crawler.stats.get_stats().items() if k.startswith("vigil/")}

    def report(self):
        return summarise(self.spider.name, self.crawler.stats.get_stats())


# page -> (what the page's Document text contains, or the stats key that counts its rejection)
PAGES = {
    "truncated_mid_tag.html": "second branch near the river",
    "malformed_nesting.html": "second branch near the river",
    "cp1251_declared_utf8.html": "Пекарня на нашей улице открыла второй магазин",
    "bom_declared_cp1251.html": "Пекарня на нашей улице открыла второй магазин",
    "invalid_utf8_bytes.html": "Пекарня на нашей улице",
    "mixed_encodings.html": "Пекарня на нашей улице",
    "mojibake.html": "РџРµРєР°СЂРЅСЏ",
    "homoglyphs_zero_width.html": "will se\u200dll pret\u2060zels",  # kept as written, but for U+200B
    "bad_links.html": "second branch near the river",
    "empty.html": "vigil/skipped/no_main_text",
    "whitespace_only.html": "vigil/skipped/no_main_text",
}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_becomes_a_document_or_a_counted_skip(name):
    crawl = Crawl(Source(id="bad-site", kind="site", url=f"{BASE}/{name}", site={"depth": 1}))
    output = crawl.fetch(f"{BASE}/{name}", read(f"html/{name}"), "text/html; charset=utf-8")
    docs = crawl.documents(output)
    expected = PAGES[name]
    if expected.startswith("vigil/"):
        assert docs == [] and crawl.stats[expected] == 1
    else:
        [doc] = docs
        assert expected in doc.text and "\u200b" not in doc.text
    assert not crawl.report().errors


def test_links_that_do_not_parse_are_left_out_of_the_page_and_its_document():
    crawl = Crawl(Source(id="bad-site", kind="site", url=f"{BASE}/links.html", site={"depth": 1}))
    output = crawl.fetch(f"{BASE}/links.html", read("html/bad_links.html"), "text/html")
    followed = sorted(r.url for r in output if isinstance(r, Request))
    assert followed == ["https://example.org/" + "a" * 5000, "https://example.org/ok", f"{BASE}/relative/ok"]
    [doc] = crawl.documents(output)
    assert any(link.endswith("//example.org/ok") for link in doc.links)  # the links that leave the page's host
    assert all(Request(link) and "[" not in link and ":99999" not in link for link in doc.links)


def test_fifty_thousand_nested_divs_are_read_or_skipped_quickly():
    crawl = Crawl(Source(id="bad-site", kind="site", url=f"{BASE}/deep.html", site={"depth": 1}))
    started = time.monotonic()
    docs = crawl.documents(crawl.fetch(f"{BASE}/deep.html", deep_divs(), "text/html"))
    assert time.monotonic() - started < 10
    assert docs == [] and crawl.stats == {"vigil/skipped/no_main_text": 1}  # lxml stops at depth 256


def test_a_forum_post_nested_1200_deep_keeps_its_text():
    page = saved_page("forum/topic-7.html").decode()
    deep = "<div>" * 1200 + "Photos of the mill are in the library." + "</div>" * 1200
    page = page.replace("I would love to find old photos.", deep, 1)
    crawl = Crawl(Source(id="bad-forum", kind="forum", url=f"{BASE}/forum/topic-7.html"))
    docs = crawl.documents(crawl.fetch(f"{BASE}/forum/topic-7.html", page.encode(), "text/html; charset=utf-8"))
    assert any("Photos of the mill are in the library." in d.text for d in docs)
    assert not crawl.report().errors


def test_fragment_text_walks_as_deep_as_lxml_parses():
    from parsel import Selector

    root = Selector(text="<p>" + "<span>" * 1500 + "bread" + "</span>" * 1500 + " and butter</p>").css("p")[0].root
    assert fragment_text(root) == "bread and butter"


@pytest.mark.slow
def test_ten_megabytes_of_text_are_skipped_as_one_line_and_truncated_as_an_article():
    crawl = Crawl(Source(id="bad-site", kind="site", url=f"{BASE}/huge.html", site={"depth": 0}))
    line = ten_megabyte_line()
    one_line = f"<html><body><article><p>{line}</p></article></body></html>".encode()
    assert crawl.documents(crawl.fetch(f"{BASE}/one-line.html", one_line, "text/html")) == []
    assert crawl.stats == {"vigil/skipped/no_main_text": 1}  # trafilatura finds no main text in it
    paragraphs = "".join(f"<p>{line[i:i + 100_000]}</p>" for i in range(0, len(line), 100_000))
    article = f"<html><body><article>{paragraphs}</article></body></html>".encode()
    [doc] = crawl.documents(crawl.fetch(f"{BASE}/article.html", article, "text/html"))
    assert len(doc.text) == MAX_TEXT_CHARS and doc.text.startswith(SENTENCE.strip())
    assert crawl.stats["vigil/validate/text_truncated"] == 1


def feed_crawl(name: str, follow: bool) -> tuple[Crawl, list]:
    crawl = Crawl(Source(id="bad-feed", kind="rss", url=f"{BASE}/{name}", rss={"follow_links": follow}))
    return crawl, crawl.fetch(f"{BASE}/{name}", read(f"feeds/{name}"), "application/rss+xml")


def test_a_billion_laughs_feed_is_cut_at_the_entity_and_never_expanded():
    started = time.monotonic()
    crawl, output = feed_crawl("billion_laughs.xml", follow=False)
    assert time.monotonic() - started < 5
    [doc] = crawl.documents(output)
    assert (str(doc.url), doc.text) == ("https://news.example.org/bakery", "Fresh bread.")
    _, requests = feed_crawl("billion_laughs.xml", follow=True)
    assert [r.url for r in requests] == ["https://news.example.org/bakery"]


def test_an_external_entity_is_not_read():
    crawl, output = feed_crawl("external_entity.xml", follow=False)
    assert crawl.documents(output) == []  # nothing but the entity: no summary, no title
    _, requests = feed_crawl("external_entity.xml", follow=True)
    assert [r.meta["entry"].title for r in requests] == [None]


def test_a_truncated_feed_keeps_its_complete_entries():
    _, requests = feed_crawl("truncated.xml", follow=True)  # the cut one is followed as far as it goes
    assert [r.url for r in requests] == [f"{BASE}/story-0", f"{BASE}/story-1", f"{BASE}/sto"]


def test_bad_entries_are_left_out_or_dropped_with_counts():
    crawl, output = feed_crawl("bad_entries.xml", follow=False)
    docs = crawl.documents(output)
    assert sorted(str(d.url) for d in docs) == [f"{BASE}/date", f"{BASE}/good"]
    assert crawl.stats["vigil/dropped/empty_text"] == 2  # the summaries with only a comment, only a head
    assert crawl.stats["vigil/feed/entries"] == 4  # no link, javascript: and unparsable ones left out
    _, requests = feed_crawl("bad_entries.xml", follow=True)
    assert [r.url.rsplit("/", 1)[1] for r in requests] == ["comment", "head", "date", "good"]


def test_surrogate_references_become_characters_or_replacement_marks():
    crawl, output = feed_crawl("surrogate_refs.xml", follow=False)
    docs = crawl.documents(output)
    assert [(d.title, d.text) for d in docs] == [
        ("\U0001f35e Fresh bread", "A loaf, written as JavaScript writes it: \U0001f35e."),
        ("Half a pair \ufffd here", "Lone surrogate \ufffd.")]
    assert str(docs[1].url) == "https://news.example.org/half%EF%BF%BD"


def test_a_page_served_as_a_feed_is_counted_as_one_without_entries():
    crawl, output = feed_crawl("not_a_feed.xml", follow=True)
    assert output == [] and crawl.report().skipped == {"no_feed_entries": 1}


def test_posts_with_hostile_text_are_cleaned_dropped_or_truncated():
    crawl = Crawl(Source(id="bad-site", kind="site", url=f"{BASE}/x"))
    texts = {"surrogate": "bread \ud800 and \udfff butter", "links": "see http://[::1 and http://[zz]/ now",
             "empty": "", "blank": read("text/whitespace_only.txt").decode(),
             "glyphs": read("text/homoglyphs_zero_width.txt").decode(), "mojibake": read("text/mojibake.txt").decode()}
    posts = [RawPost(url=f"{BASE}/{name}", text=text, source_id="bad-site", source_kind="site")
             for name, text in texts.items()]
    docs = {str(d.url).rsplit("/", 1)[1]: d for d in crawl.documents(posts)}
    assert sorted(docs) == ["glyphs", "links", "mojibake", "surrogate"]
    assert docs["surrogate"].text == "bread and butter" and docs["links"].links == []
    assert crawl.stats["vigil/dropped/empty_text"] == 2
    for doc in docs.values():
        Document.from_json_bytes(doc.to_json_bytes())  # and it survives the channel and the bus
