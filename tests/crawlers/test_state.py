from crawlers.state import CrawlState


def test_state_survives_reopening(tmp_path):
    path = tmp_path / "crawl_state" / "state.sqlite3"
    state = CrawlState(path)
    state.record_documents([("a" * 32, "src", "h1")])
    state.record_pages([("http://e.org/p", "src", "2026-05-01")])
    state.record_documents([("a" * 32, "src", "h2")])
    state.close()
    again = CrawlState(path, read_only=True)
    assert again.content_hash("a" * 32) == "h2" and again.content_hash("b" * 32) is None
    assert again.lastmod("http://e.org/p") == "2026-05-01"
    assert again.counts() == {"documents": 1, "pages": 1}


def test_read_only_without_a_file_knows_nothing(tmp_path):
    state = CrawlState(tmp_path / "missing.sqlite3", read_only=True)
    assert state.content_hash("x") is None and not (tmp_path / "missing.sqlite3").exists()
