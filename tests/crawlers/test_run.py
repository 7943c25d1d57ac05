"""When a crawl counts as complete (the child's exit code and every spider's finish reason), and when it delivers."""

from datetime import datetime, timezone

from crawlers.report import SourceStats
from crawlers.run import CrawlReport, Delivery
from crawlers.state import CrawlState


def report(exit_code: int, **reasons: str | None) -> CrawlReport:
    sources = {name: SourceStats(source_id=name, finish_reason=reason) for name, reason in reasons.items()}
    return CrawlReport(run_id="r", started_at="", exit_code=exit_code, sources=sources)


def test_a_crawl_is_complete_when_the_child_exits_0_and_every_spider_finished():
    done = report(0, news="finished", forum="finished")
    assert done.ok and done.cut_short == [] and done.problem == ""


def test_a_graceful_shutdown_that_exits_0_is_not_complete():
    """SIGTERM makes Scrapy close its spiders with reason 'shutdown' and exit 0: pages were left unvisited."""
    stopped = report(0, news="finished", forum="shutdown", feed=None)
    assert not stopped.ok
    assert stopped.cut_short == ["feed", "forum"]
    assert "cut short" in stopped.problem and "shutdown" in stopped.problem


def test_an_error_exit_is_reported_by_its_code():
    failed = report(1, news="finished")
    assert not failed.ok and failed.problem == "crawler exited with code 1"


class _Output:
    """An output that notes each flush and what had been sent by then."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.flushed: list[list[str]] = []

    def send(self, document) -> None:
        self.sent.append(document.id)

    def flush(self) -> None:
        self.flushed.append(list(self.sent))


def _doc(i: int) -> dict:
    from vigil.schemas import Document

    doc = Document.build(url=f"https://news.example.org/p/{i}", text=f"report {i}", source_id="news",
                         source_kind="site", fetched_at=datetime(2026, 6, 1, tzinfo=timezone.utc))
    return {"t": "doc", "source": "news", "doc": doc.model_dump(mode="json")}


def test_delivery_flushes_every_n_documents_and_after_a_document_waited_long_enough(tmp_path):
    now = [0.0]
    output = _Output()
    state = CrawlState(tmp_path / "state.sqlite")
    delivery = Delivery(output, state, report(0), ["news"], every_documents=3, every_s=5.0, clock=lambda: now[0])
    for i in range(3):
        delivery.handle(_doc(i))
    assert len(output.flushed) == 1 and len(output.flushed[0]) == 3  # the count bound
    assert all(state.content_hash(doc_id) for doc_id in output.flushed[0])  # recorded after the flush
    delivery.handle(_doc(3))
    now[0] = 4.9
    delivery.handle({"t": "page", "source": "news", "bytes": 10})
    assert len(output.flushed) == 1 and state.content_hash(output.sent[3]) is None  # waiting, not recorded
    now[0] = 5.0
    delivery.handle({"t": "page", "source": "news", "bytes": 10})  # any message after the wait delivers
    assert len(output.flushed) == 2 and state.content_hash(output.sent[3])
    now[0] = 60.0
    delivery.handle({"t": "page", "source": "news", "bytes": 10})  # nothing pending: no flush
    assert len(output.flushed) == 2
