"""Delivering a crawl: to a JSONL file, or to the bus (the in-process bus of the embedded mode)."""

import pytest

from crawlers.demo_site.serve import write_sources
from crawlers.run import crawl
from crawlers.outputs import BusOutput, JsonlOutput
from crawlers.sources import load_sources
from crawlers.state import CrawlState, default_state_path
from tests.crawlers.conftest import fast_settings
from vigil.bus import Topic, open_consumer
from vigil.bus.codec import decode
from vigil.schemas import Document


def test_jsonl_sink_appends(tmp_path):
    sink = JsonlOutput(tmp_path / "out" / "docs.jsonl")
    document = Document.build(url="http://e.org/a", text="hello", source_id="s", source_kind="site")
    sink.send(document)
    sink.close()
    sink = JsonlOutput(tmp_path / "out" / "docs.jsonl")
    sink.send(document)
    sink.close()
    lines = (tmp_path / "out" / "docs.jsonl").read_bytes().splitlines()
    assert [Document.from_json_bytes(line) for line in lines] == [document, document]


@pytest.mark.slow
def test_crawl_publishes_to_the_bus(demo_site, tmp_path):
    settings = fast_settings(tmp_path)
    sources = [s for s in load_sources(write_sources(demo_site.base_url, tmp_path / "s.yaml"))
               if s.id == "demo-discourse"]
    sink = BusOutput(settings)
    report = crawl(sources, sink, settings)
    sink.close()
    consumer = open_consumer(settings, "crawl-test", [Topic.raw_documents])
    records = consumer.poll(100, 2.0)
    consumer.close()
    documents = [decode(Topic.raw_documents, r.value) for r in records if b"demo-discourse" in r.value]
    assert report.documents == 4
    assert sorted(d.post_id for d in documents) == ["4201", "4202", "4203", "4204"]
    assert {r.key.decode() for r in records if b"demo-discourse" in r.value} == {d.id for d in documents}


class FailingSink:
    def send(self, document):
        raise ConnectionError("broker down")

    def flush(self):
        pass


@pytest.mark.slow
def test_a_failing_sink_stops_the_crawl_and_records_nothing(demo_site, tmp_path):
    settings = fast_settings(tmp_path)
    sources = [s for s in load_sources(write_sources(demo_site.base_url, tmp_path / "s.yaml"))
               if s.id == "demo-telegram"]
    with pytest.raises(ConnectionError):
        crawl(sources, FailingSink(), settings)
    assert CrawlState(default_state_path(settings.home)).counts()["documents"] == 0
