import pytest
from scrapy.exceptions import DropItem

from crawlers.items import RawPost
from crawlers.pipelines.validate import MAX_TEXT_CHARS, ValidatePipeline


def post(**fields):
    return RawPost(**{"url": "http://e.org/a", "text": "text", "source_id": "s", "source_kind": "site", **fields})


def test_drops_empty_text_and_bad_urls_with_counts(crawler):
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="empty_text"):
        pipeline.process_item(post(text="  "))
    with pytest.raises(DropItem, match="bad_url"):
        pipeline.process_item(post(url="javascript:alert(1)"))
    assert crawler.stats.get_value("vigil/dropped/empty_text") == 1
    assert crawler.stats.get_value("vigil/dropped/bad_url") == 1


def test_truncates_oversized_text(crawler):
    out = ValidatePipeline.from_crawler(crawler).process_item(post(text="x" * (MAX_TEXT_CHARS + 5)))
    assert len(out.text) == MAX_TEXT_CHARS
    assert crawler.stats.get_value("vigil/validate/text_truncated") == 1
