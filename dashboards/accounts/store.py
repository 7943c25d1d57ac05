"""The accounts database: one SQLite file owned by the dashboards.

Default ``<home>/dashboards/accounts.sqlite3`` (setting ``dashboards.accounts_path``), created
readable by its owner only. Each call opens its own short connection, so the store is safe to share
between request threads; WAL lets `vigil users` write while the server reads. The schema is created
on first use and versioned with ``PRAGMA user_version``: a later change (the reviewers' claims, say)
appends a numbered step to ``MIGRATIONS`` and never edits one that has shipped.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vigil.settings import Settings

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('analyst', 'reviewer', 'admin')),
        locale TEXT,
        blur_media INTEGER NOT NULL DEFAULT 1,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        last_sign_in_at REAL
    );
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        created_at REAL NOT NULL,
        last_used_at REAL,
        revoked_at REAL
    );
    CREATE TABLE login_failures (
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX login_failures_key ON login_failures (name, address, at);
    """,
    # 2: the reviewers' queue: claims (one reviewer per item, expiring), blind second reviews, and
    # how long each decision took from its claim (accounts.claims, .second_reviews, .decision_times).
    """
    CREATE TABLE claims (
        document_id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        claimed_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        decided_at REAL
    );
    CREATE TABLE second_reviews (
        first_decision_id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL,
        first_reviewer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        reviewer_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        assigned_at REAL NOT NULL,
        second_decision_id TEXT,
        completed_at REAL,
        CHECK (reviewer_id != first_reviewer_id)
    );
    CREATE INDEX second_reviews_open ON second_reviews (reviewer_id, completed_at);
    CREATE INDEX second_reviews_document ON second_reviews (document_id);
    CREATE TABLE decision_times (
        decision_id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        document_id TEXT NOT NULL,
        claimed_at REAL NOT NULL,
        decided_at REAL NOT NULL
    );
    """,
    # 3: the analysts' alerts page: who acknowledged an alert, and when (accounts.alert_acks).
    """
    CREATE TABLE alert_acks (
        alert_id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        note TEXT NOT NULL DEFAULT '',
        acknowledged_at REAL NOT NULL
    );
    """,
)


class AccountStore:
    """The accounts database at ``path``, created and migrated on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)  # password and token hashes: for this user only
        with self.connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    @classmethod
    def for_settings(cls, settings: Settings) -> AccountStore:
        return cls(settings.dashboards.accounts_path or settings.home / "dashboards" / "accounts.sqlite3")

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection whose changes are committed when the block ends without an error."""
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        try:
            with db:
                yield db
        finally:
            db.close()


def now() -> float:
    """The time the store records: seconds since the epoch."""
    return time.time()
