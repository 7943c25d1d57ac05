"""Flow tests: a small deterministic classifier and synthetic documents.

The classifier is a test double for the classifiers' labeller: it flags a
document in a category when the text carries that category's synthetic marker
token (``flag-<category>``), so tests control exactly what is flagged without
any real hateful text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vigil.schemas import CATEGORIES, Classification, Document

MODEL = "test-markers-1"


def marker_classify(documents: Sequence[Document], model_version: str = MODEL) -> list[Classification]:
    out = []
    for doc in documents:
        labels = [c for c in CATEGORIES if f"flag-{c}" in doc.text]
        out.append(Classification(document_id=doc.id, model_version=model_version,
                                  scores={c: (0.95 if c in labels else 0.02) for c in CATEGORIES},
                                  labels=labels, language=doc.language))
    return out


def make_doc(i: int, *, at: datetime, source: str = "synthetic-news", language: str = "en", text: str = "",
             author: str | None = None, run_id: str = "run-1", signature: str | None = None) -> Document:
    return Document.build(
        url=f"https://{source}.example.org/post/{i}", text=text or f"ordinary local report number {i}",
        source_id=source, source_kind="site", fetched_at=at, published_at=at, language=language,
        author=author or f"author-{i % 7}", crawl_run_id=run_id, near_duplicate_signature=signature,
    )


@pytest.fixture
def classify():
    return marker_classify


T0 = datetime(2026, 5, 4, 0, 0, tzinfo=timezone.utc)


def seed_hours(warehouse, now: datetime, *, days: int = 8, spike_at: datetime | None = None,
               spike_docs: int = 30, source: str = "synthetic-news", model: str = MODEL,
               run_id: str = "run-seed") -> list[Document]:
    """Three documents an hour for ``days`` days before ``now``, one of them flagged 'racism';
    plus ``spike_docs`` flagged near-duplicates carrying a campaign hashtag in the hour ``spike_at``."""
    from datetime import timedelta

    from vigil.warehouse.sink import Located, write_classifications, write_documents

    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
    docs, i = [], 0
    hour = start
    while hour < now.replace(minute=0, second=0, microsecond=0):
        for k in range(3):
            text = f"local council notes {i} about roads" + (" flag-racism" if k == 0 else "")
            docs.append(make_doc(i, at=hour + timedelta(minutes=10 * k), source=source, text=text, run_id=run_id))
            i += 1
        hour += timedelta(hours=1)
    if spike_at is not None:
        for k in range(spike_docs):
            text = f"#synthcampaign coordinated slogan variant {k % 3} flag-racism"
            docs.append(make_doc(i, at=spike_at + timedelta(minutes=k % 60), source=source, text=text,
                                 run_id=run_id, author=f"sock-{k % 4}",
                                 signature=f"{0x00FF00FF00FF00FF ^ (k % 4):016x}"))  # reposts, a few bits apart
            i += 1
    for start_at in range(0, len(docs), 500):
        batch = docs[start_at:start_at + 500]
        write_documents(warehouse, [Located(d) for d in batch])
        write_classifications(warehouse, [Located(c) for c in marker_classify(batch, model)],
                              {d.id: d for d in batch})
    return docs


class Webhook(ThreadingHTTPServer):
    """A real webhook receiver on 127.0.0.1. It answers 503 to its first ``fail_first`` posts and
    while ``failing`` is set, and keeps the bodies it accepted."""

    def __init__(self, fail_first: int = 0) -> None:
        self.posts = 0
        self.fail_first = fail_first
        self.failing = False
        self.received: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.posts += 1
                refused = owner.failing or owner.posts <= owner.fail_first
                if not refused:
                    owner.received.append(body)
                self.send_response(503 if refused else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"
