from datetime import datetime, timezone

from crawlers.items import RawPost
from crawlers.pipelines.enrich import EnrichPipeline
from tests.crawlers.conftest import make_crawler
from vigil.schemas import Document, document_id

TEXT = ("Вставай в строй, брат! Закрытый чат для своих: https://t.me/+DemoFakeInvite2026 "
        "Поддержи борьбу: BTC 1KuGeqbchzqeKgVRJB7wvEqfAxFvYn4Szf #борьба")


def test_builds_a_valid_document():
    crawler = make_crawler({"VIGIL_RUN_ID": "run-1"})
    item = RawPost(url="https://t.me/riverside_daily/6", text=TEXT, source_id="demo-telegram",
                   source_kind="telegram", post_id="6", views=3200, forwarded_from="https://t.me/x",
                   published_at=datetime(2026, 5, 2, tzinfo=timezone.utc), tags=["channel"],
                   links=["https://example.org/a"])
    document = EnrichPipeline.from_crawler(crawler).process_item(item)
    assert isinstance(document, Document)
    assert document.id == document_id("https://t.me/riverside_daily/6", "6")
    assert document.language == "ru" and document.language_confidence > 0.5
    assert document.links == ["https://example.org/a", "https://t.me/+DemoFakeInvite2026"]
    assert document.entities.crypto_wallets == ["btc:1KuGeqbchzqeKgVRJB7wvEqfAxFvYn4Szf"]
    assert document.entities.invite_links == ["https://t.me/+DemoFakeInvite2026"]
    assert document.entities.hashtags == ["#борьба"]
    assert len(document.near_duplicate_signature) == 16
    assert (document.views, document.crawl_run_id, document.tags) == (3200, "run-1", ["channel"])
    assert Document.from_json_bytes(document.to_json_bytes()) == document
    assert crawler.stats.get_value("vigil/entities/crypto_wallets") == 1
