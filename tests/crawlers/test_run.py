"""When a crawl counts as complete: the child's exit code and every spider's finish reason."""

from crawlers.report import SourceStats
from crawlers.run import CrawlReport


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
