"""Full crawls of the demo site served on 127.0.0.1: every source kind, politeness, safety, incremental."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawlers.demo_site.serve import DemoSite, write_sources
from crawlers.run import CrawlReport, crawl, stats_dir
from crawlers.outputs import JsonlOutput
from crawlers.sources import Source, load_sources
from crawlers.state import CrawlState, default_state_path
from tests.crawlers.conftest import fast_settings
from vigil.schemas import Document
from vigil.settings import Settings

pytestmark = pytest.mark.slow  # every test here runs a real crawl (a Scrapy child process)


@dataclass
class Crawled:
    report: CrawlReport
    documents: list[Document]
    out: Path


def run_crawl(sources: list[Source], settings: Settings, out: Path) -> Crawled:
    sink = JsonlOutput(out)
    try:
        report = crawl(sources, sink, settings, stats_path=out.with_name(out.name + ".stats.json"))
    finally:
        sink.close()
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    return Crawled(report, [Document.model_validate_json(line) for line in lines], out)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("crawl-home")


@pytest.fixture(scope="module")
def sources(demo_site: DemoSite, home: Path) -> list[Source]:
    return load_sources(write_sources(demo_site.base_url, home / "sources.yaml"))


@pytest.fixture(scope="module")
def first(sources, home) -> Crawled:
    # Delivered (and recorded in the state) one by one while the crawl goes on: the four sources
    # sharing articles must still each emit them (the child reads the state as it was at the start).
    return run_crawl(sources, fast_settings(home, deliver_every_documents=1), home / "first.jsonl")


def by_source(crawled: Crawled, source_id: str) -> list[Document]:
    return [d for d in crawled.documents if d.source_id == source_id]


def one(docs: list[Document], url_end: str, post_id: str | None = None) -> Document:
    [found] = [d for d in docs if str(d.url).endswith(url_end) and d.post_id == post_id]
    return found


def test_every_source_produces_its_documents(first):
    assert first.report.ok
    assert Counter(d.source_id for d in first.documents) == {
        "demo-rss": 3, "demo-atom": 3, "demo-sitemap": 6, "demo-site": 6,
        "demo-phpbb": 5, "demo-xenforo": 5, "demo-discourse": 4, "demo-telegram": 8}
    assert {d.source_kind for d in first.documents} == {"rss", "sitemap", "site", "forum", "telegram"}
    assert first.report.documents == len(first.documents) == 40


def test_feed_article_fields(first):
    doc = one(by_source(first, "demo-rss"), "/news/en-tolerance-festival.html")
    assert doc.title == "Neighbours of many faiths share a street festival"
    assert doc.author == "Maria Lind"
    assert doc.published_at == datetime(2026, 5, 2, 9, 30, tzinfo=timezone.utc)
    assert doc.language == "en" and doc.language_confidence > 0.5
    assert "members of the Jewish community offered challah" in doc.text
    assert "ADVERTISEMENT" not in doc.text and "Copyright" not in doc.text and "Most read" not in doc.text
    assert doc.links == ["https://council.example.org/gallery/unityfest-2026"]
    assert doc.entities.hashtags == ["#unityfest", "#riverside"]
    assert doc.tags == ["news", "demo"] and doc.crawl_run_id == first.report.run_id
    assert len(doc.near_duplicate_signature) == 16


def test_charsets_decode_in_a_real_crawl(first):
    atom = by_source(first, "demo-atom")
    expected = {"/news/ru-library-cp1251.html": "выставка об истории еврейской общины",
                "/news/ru-football-koi8.html": "Юношеская футбольная команда выиграла областной турнир",
                "/news/ru-river-wrong-charset.html": "Волонтёры очистили берег реки от мусора"}
    for path, phrase in expected.items():
        doc = one(atom, path)
        assert phrase in doc.text and doc.language == "ru", path
        assert "\ufffd" not in doc.text


def test_sitemap_and_site_and_one_article_under_two_urls(first):
    assert {str(d.url).rsplit("/", 1)[1] for d in by_source(first, "demo-sitemap")} == {
        "en-tolerance-festival.html", "en-extremism-research.html", "ru-migrants-bakery.html",
        "ru-library-cp1251.html", "ru-football-koi8.html", "ru-river-wrong-charset.html"}
    site = by_source(first, "demo-site")
    festival = [d for d in site if "festival" in str(d.url)]
    assert [str(d.url).split("/", 3)[3] for d in festival] == ["news/en-tolerance-festival.html"]
    assert first.report.sources["demo-site"].documents_duplicate == 1


def test_forum_posts_have_boundaries(first):
    phpbb = by_source(first, "demo-phpbb")
    assert sorted(d.post_id for d in phpbb) == ["701", "702", "703", "704", "705"]
    reply = one(phpbb, "/forum/topic-7.html", "702")
    assert reply.text.startswith("It closed in 1968.") and "history_buff wrote:" in reply.quoted_text
    assert reply.author == "anna_k" and reply.thread_title == "Old mill on the river"
    assert reply.published_at == datetime(2026, 5, 1, 11, 30, tzinfo=timezone.utc)
    coded = one(phpbb, "/forum/topic-7.html", "703")
    assert "14/88" in coded.text and coded.entities.invite_links == ["https://t.me/joinchat/DemoFakeInvite88"]
    xf = one(by_source(first, "demo-xenforo"), "/community-iftar.15", "1502")
    assert xf.author == "Rivka" and "Everyone is welcome" in xf.quoted_text
    discourse = by_source(first, "demo-discourse")
    assert sorted(d.post_id for d in discourse) == ["4201", "4202", "4203", "4204"]
    appeal = one(discourse, "/t/42", "4203")
    assert appeal.entities.payment_ids == ["card:4111111111111111"]
    assert appeal.entities.crypto_wallets == ["btc:1KuGeqbchzqeKgVRJB7wvEqfAxFvYn4Szf"]
    assert appeal.thread_title == "Spring planting at the community garden" and appeal.author == "Front Support"


def test_telegram_messages_across_pages(first):
    messages = {d.post_id: d for d in by_source(first, "demo-telegram")}
    assert sorted(messages, key=int) == [str(i) for i in range(1, 9)]
    recruit = messages["6"]
    assert recruit.views == 3200 and recruit.forwarded_from == "https://t.me/fake_recruiter_demo"
    assert recruit.entities.invite_links == ["https://t.me/+DemoFakeInvite2026"]
    assert recruit.entities.crypto_wallets == ["btc:1KuGeqbchzqeKgVRJB7wvEqfAxFvYn4Szf",
                                               "trx:TAnmC2eWpAjbrVjkPJhiJndPK6p2nLSyAq"]
    assert recruit.language == "ru" and recruit.author == "Riverside Daily"
    assert messages["3"].media == ["https://cdn.example.org/photos/bakery.jpg"]
    assert messages["8"].views == 1_200_000
    assert messages["1"].published_at == datetime(2026, 5, 1, 7, 0, tzinfo=timezone.utc)


def test_robots_scripts_and_unparseable_content(first, demo_site):
    assert demo_site.hits["private/internal-notes.html"] == 0
    assert demo_site.hits["tracker"] == 0  # page scripts never run
    assert not any("internal planning notes" in d.text or "SCRIPT-INJECTED" in d.text for d in first.documents)
    site = first.report.sources["demo-site"]
    assert site.skipped == {"robots_txt": 1, "binary_body": 1, "content_type/application/pdf": 1}
    assert site.errors == {"too_large": 1, "http_404": 1}
    assert site.pages >= 8 and site.bytes > 20_000


def test_stats_are_written_for_flows_and_dashboards(first, home):
    beside = json.loads(first.out.with_name("first.jsonl.stats.json").read_text())
    kept = json.loads((stats_dir(fast_settings(home)) / f"{first.report.run_id}.json").read_text())
    assert beside == kept
    assert kept["sources"]["demo-telegram"]["documents_new"] == 8
    assert kept["sources"]["demo-telegram"]["pages"] == 3


def test_recrawl_emits_nothing_new_and_a_change_is_emitted_again(first, sources, home):
    second = run_crawl(sources, fast_settings(home), home / "second.jsonl")
    assert second.report.ok and second.documents == []
    for source_id, stats in second.report.sources.items():
        first_stats = first.report.sources[source_id]
        if source_id != "demo-sitemap":
            assert stats.documents_unchanged == first_stats.documents_new, source_id
    assert second.report.sources["demo-sitemap"].pages < first.report.sources["demo-sitemap"].pages
    festival = one(by_source(first, "demo-rss"), "/news/en-tolerance-festival.html")
    state = CrawlState(default_state_path(home))
    state.record_documents([(festival.id, "demo-rss", "0" * 32)])  # as if the page had changed since
    state.close()
    rss = [s for s in sources if s.id == "demo-rss"]
    third = run_crawl(rss, fast_settings(home), home / "third.jsonl")
    assert [d.id for d in third.documents] == [festival.id]
    assert third.report.sources["demo-rss"].documents_changed == 1


def test_private_addresses_refused_without_opt_in(sources, tmp_path, monkeypatch, demo_site):
    monkeypatch.delenv("VIGIL_ALLOW_PRIVATE_NETWORKS")
    telegram = [s for s in sources if s.id == "demo-telegram"]
    before = demo_site.hits["s/riverside_daily"]
    refused = run_crawl(telegram, fast_settings(tmp_path), tmp_path / "out.jsonl")
    assert refused.documents == [] and refused.report.sources["demo-telegram"].errors["private_address"] >= 1
    assert demo_site.hits["s/riverside_daily"] == before


def test_robots_override_and_retry_after_503(demo_site, tmp_path):
    base = demo_site.base_url
    sources = [Source(id="notes", kind="site", url=f"{base}/private/internal-notes.html", site={"depth": 0},
                      ignore_robots="owner's written permission for this test"),
               Source(id="flaky", kind="site", url=f"{base}/flaky.html", site={"depth": 0})]
    crawled = run_crawl(sources, fast_settings(tmp_path), tmp_path / "out.jsonl")
    assert {d.source_id for d in crawled.documents} == {"notes", "flaky"}
    assert demo_site.hits["flaky.html"] == 2 and crawled.report.sources["flaky"].errors == {}
