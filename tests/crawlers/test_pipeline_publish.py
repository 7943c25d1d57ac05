import io

import pytest
from scrapy.exceptions import NotConfigured

from crawlers.channel import ChannelWriter, read_messages
from crawlers.pipelines.publish import PublishPipeline
from tests.crawlers.conftest import make_crawler
from vigil.schemas import Document


def test_writes_documents_to_the_channel():
    stream = io.StringIO()
    crawler = make_crawler({"VIGIL_OUTPUT": ChannelWriter(stream)})
    document = Document.build(url="http://e.org/a", text="hello", source_id="s", source_kind="site")
    assert PublishPipeline.from_crawler(crawler).process_item(document) is document
    stream.seek(0)
    [message] = list(read_messages(stream))
    assert message["t"] == "doc" and Document.model_validate(message["doc"]) == document
    assert crawler.stats.get_value("vigil/documents/published") == 1


def test_needs_an_output(crawler):
    with pytest.raises(NotConfigured):
        PublishPipeline.from_crawler(crawler)
