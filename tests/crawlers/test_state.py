from crawlers.state import CrawlState, state_for


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


def test_a_pinned_reader_sees_the_state_as_it_was_when_pinned(tmp_path):
    path = tmp_path / "state.sqlite3"
    writer = CrawlState(path)
    writer.record_documents([("a" * 32, "src", "h1")])
    reader = CrawlState(path, read_only=True).pin()
    writer.record_documents([("a" * 32, "src", "h2"), ("b" * 32, "src", "h3")])  # delivered during the crawl
    assert reader.content_hash("a" * 32) == "h1" and reader.content_hash("b" * 32) is None
    reader.close()
    again = CrawlState(path, read_only=True)
    assert again.content_hash("a" * 32) == "h2" and again.content_hash("b" * 32) == "h3"
    writer.close()
    again.close()


def test_state_for_shares_the_childs_snapshot_and_opens_a_path_otherwise(tmp_path):
    shared = CrawlState(tmp_path / "state.sqlite3")
    assert state_for({"VIGIL_STATE": shared, "VIGIL_STATE_PATH": "ignored"}) == (shared, False)
    opened, owned = state_for({"VIGIL_STATE_PATH": str(tmp_path / "state.sqlite3")})
    assert owned and opened is not shared and opened.content_hash("x") is None
    opened.close()
    shared.close()
