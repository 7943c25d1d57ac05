"""Crawl state that survives restarts: what each document looked like, when each URL last changed.

A SQLite file under ``<home>/crawl_state``. The crawl child only reads it (to
drop unchanged documents and skip sitemap URLs whose lastmod has not moved); the
parent writes it after the documents have been delivered, so a crash between
crawl and delivery re-emits documents rather than losing them.

The parent writes while the child still crawls, so the child reads one snapshot
taken before its first document (:meth:`CrawlState.pin`): otherwise an article
that two sources share (a feed and a sitemap) would be dropped as "unchanged" by
whichever source reached it after the other's delivery, and what a source emits
would depend on timing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source_id TEXT NOT NULL, content_hash TEXT NOT NULL, seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, source_id TEXT NOT NULL, lastmod TEXT NOT NULL
);
"""


def default_state_path(home: Path) -> Path:
    return home / "crawl_state" / "state.sqlite3"


class CrawlState:
    def __init__(self, path: Path, *, read_only: bool = False):
        """``read_only``: the caller promises not to write (the crawl child)."""
        self.path = path
        if read_only and not path.exists():
            self._db = sqlite3.connect(":memory:")  # nothing crawled yet: everything is new
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")  # the child reads while the parent writes
        self._db.executescript(SCHEMA)

    def __deepcopy__(self, memo: dict) -> "CrawlState":
        return self  # handed to the spiders through Scrapy's settings, which deep-copies them

    def pin(self) -> "CrawlState":
        """From now on, read the state as it is at this moment (a read transaction held open until
        :meth:`close`): writes by another connection, such as the parent delivering this run's
        documents, stay invisible. Only for a reader."""
        self._db.execute("BEGIN")
        self._db.execute("SELECT count(*) FROM documents").fetchone()  # the snapshot starts at the first read
        return self

    def content_hash(self, document_id: str) -> str | None:
        row = self._db.execute("SELECT content_hash FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row else None

    def lastmod(self, url: str) -> str | None:
        row = self._db.execute("SELECT lastmod FROM pages WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def record_documents(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Remember ``(document id, source id, content hash)`` of delivered documents."""
        now = datetime.now(timezone.utc).isoformat()
        with self._db:
            self._db.executemany(
                "INSERT INTO documents VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "content_hash = excluded.content_hash, seen_at = excluded.seen_at",
                [(doc_id, source_id, digest, now) for doc_id, source_id, digest in rows],
            )

    def record_pages(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Remember ``(url, source id, lastmod)`` of sitemap pages crawled."""
        with self._db:
            self._db.executemany(
                "INSERT INTO pages VALUES (?, ?, ?) ON CONFLICT(url) DO UPDATE SET lastmod = excluded.lastmod",
                list(rows),
            )

    def counts(self) -> dict[str, int]:
        return {table: self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("documents", "pages")}

    def close(self) -> None:
        self._db.close()


def state_for(settings: Any) -> tuple[CrawlState, bool]:
    """The crawl state a spider or pipeline reads, and whether the caller owns it (must close it).

    ``VIGIL_STATE`` is the crawl child's pinned snapshot, shared by every spider of the
    run; without it (a test, a bare crawler) ``VIGIL_STATE_PATH`` is opened read-only.
    """
    shared = settings.get("VIGIL_STATE")
    if shared is not None:
        return shared, False
    path = settings.get("VIGIL_STATE_PATH")
    return CrawlState(Path(path) if path else Path(":memory:"), read_only=True), True
