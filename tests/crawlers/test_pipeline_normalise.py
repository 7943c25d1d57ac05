from crawlers.items import RawPost
from crawlers.pipelines.normalise import NormalisePipeline, tidy


def test_tidy_keeps_lines_and_drops_noise():
    assert tidy("  Hello\u00a0\u00a0world\x00 \r\n\r\n\r\n\r\nsecond\u200b line  ") == "Hello world\n\nsecond line"
    assert tidy(None) is None


def test_pipeline_cleans_fields_and_counts(crawler):
    item = RawPost(url=" http://e.org/a ", text="a\t\tb", source_id="s", source_kind="site", title="  T  ",
                   quoted_text="   ")
    out = NormalisePipeline.from_crawler(crawler).process_item(item)
    assert (out.url, out.text, out.title, out.quoted_text) == ("http://e.org/a", "a b", "T", None)
    assert crawler.stats.get_value("vigil/normalise/text_cleaned") == 1
