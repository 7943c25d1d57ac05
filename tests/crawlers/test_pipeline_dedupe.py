import pytest
from scrapy.exceptions import DropItem

from crawlers.items import RawPost
from crawlers.pipelines.dedupe import DedupePipeline
from crawlers.state import CrawlState
from tests.crawlers.conftest import make_crawler
from vigil.schemas import content_hash, document_id


def post(text="Same words", post_id="1"):
    return RawPost(url="http://e.org/t", text=text, source_id="s", source_kind="forum", post_id=post_id)


def test_new_changed_unchanged_and_duplicate(tmp_path):
    path = tmp_path / "state.sqlite3"
    state = CrawlState(path)
    state.record_documents([(document_id("http://e.org/t", "1"), "s", content_hash("same words")),
                            (document_id("http://e.org/t", "2"), "s", content_hash("old text"))])
    state.close()
    crawler = make_crawler({"VIGIL_STATE_PATH": str(path)})
    pipeline = DedupePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="unchanged"):
        pipeline.process_item(post("SAME   words"))  # equal after normalisation
    assert pipeline.process_item(post("new text", "2")).change == "changed"
    assert pipeline.process_item(post("hello", "3")).change == "new"
    with pytest.raises(DropItem, match="already emitted"):
        pipeline.process_item(post("hello", "3"))
    stats = crawler.stats.get_stats()
    assert [stats.get(f"vigil/documents/{k}") for k in ("unchanged", "changed", "new", "duplicate")] == [1, 1, 1, 1]
    pipeline.close_spider()


def test_a_shared_state_is_left_open_for_the_other_spiders(tmp_path):
    path = tmp_path / "state.sqlite3"
    state = CrawlState(path)
    state.record_documents([(document_id("http://e.org/t", "1"), "s", content_hash("same words"))])
    pinned = CrawlState(path, read_only=True).pin()
    first, second = (DedupePipeline.from_crawler(make_crawler({"VIGIL_STATE": pinned})) for _ in range(2))
    with pytest.raises(DropItem, match="unchanged"):
        first.process_item(post("same words"))
    first.close_spider()
    assert second.process_item(post("other words")).change == "changed"  # still open after the first closed
    pinned.close()
    state.close()
