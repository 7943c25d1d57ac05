"""``crawl()``: run one crawl of some sources and deliver its documents.

Scrapy runs in a child process (:mod:`crawlers.child`); this parent reads the
child's output channel as it comes, hands each Document to an output (a JSONL file
or the bus), reports progress, and records the crawl state only after the output
has flushed, so that documents are delivered at least once. The per-source
stats are returned and written as JSON for the flows and dashboards.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crawlers.channel import read_messages
from crawlers.outputs import DocumentOutput
from crawlers.report import SourceStats
from crawlers.sources import Source
from crawlers.state import CrawlState, default_state_path
from vigil.logs import counted_step, get_logger
from vigil.schemas import Document
from vigil.settings import CrawlSettings, Settings

log = get_logger(__name__)
# The defaults; settings.crawl may change them.
COMMIT_EVERY = CrawlSettings.model_fields["deliver_every_documents"].default
DELIVER_EVERY_S = CrawlSettings.model_fields["deliver_every_s"].default


@dataclass
class Progress:
    """Running counts of one source, passed to the progress callback after each message."""

    source_id: str
    pages: int = 0
    bytes: int = 0
    documents: int = 0
    done: bool = False


@dataclass
class CrawlReport:
    run_id: str
    started_at: str
    finished_at: str | None = None
    exit_code: int | None = None
    documents: int = 0
    sources: dict[str, SourceStats] = field(default_factory=dict)

    @property
    def cut_short(self) -> list[str]:
        """Sources whose spider did not finish (Scrapy's finish reason is not ``finished``: a shutdown
        on SIGTERM, a close on a limit, or no stats at all), even when the child exited with 0."""
        return sorted(source_id for source_id, stats in self.sources.items() if stats.finish_reason != "finished")

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.cut_short

    @property
    def problem(self) -> str:
        """Why the crawl is not ok ("" when it is)."""
        if self.exit_code != 0:
            return f"crawler exited with code {self.exit_code}"
        if self.cut_short:
            reasons = {s: self.sources[s].finish_reason for s in self.cut_short}
            return f"crawl cut short: {reasons}"
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "started_at": self.started_at, "finished_at": self.finished_at,
                "exit_code": self.exit_code, "documents": self.documents,
                "sources": {k: v.as_dict() for k, v in self.sources.items()}}


def new_run_id() -> str:
    return f"crawl-{datetime.now(timezone.utc):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def stats_dir(settings: Settings) -> Path:
    return settings.home / "crawl_state" / "runs"


def _start_child(job: dict[str, Any]) -> tuple[subprocess.Popen, Any]:
    read_fd, write_fd = os.pipe()
    job = {**job, "fd": write_fd}
    child = subprocess.Popen([sys.executable, "-m", "crawlers.child"], stdin=subprocess.PIPE,
                             pass_fds=(write_fd,), text=True)
    os.close(write_fd)
    assert child.stdin is not None
    child.stdin.write(json.dumps(job, default=str))
    child.stdin.close()
    return child, os.fdopen(read_fd, "r", encoding="utf-8")


class Delivery:
    """The parent's side of the channel: deliver documents, then remember them in the crawl state.

    The state is written only after the output has flushed, every ``every_documents``
    documents, at the first message after the oldest undelivered document has waited
    ``every_s`` seconds, and at the end, so a failure between crawl and delivery
    re-emits documents on the next crawl instead of losing them. The time bound keeps
    a slow crawl's documents from waiting for the batch to fill: in embedded mode the
    output stores and classifies them, so they reach the dashboards within seconds.
    """

    def __init__(self, output: DocumentOutput, state: CrawlState, report: CrawlReport, source_ids: list[str],
                 every_documents: int = COMMIT_EVERY, every_s: float = DELIVER_EVERY_S,
                 clock: Callable[[], float] = time.monotonic):
        self.output, self.state, self.report = output, state, report
        self.every_documents, self.every_s, self.clock = every_documents, every_s, clock
        self.running = {source_id: Progress(source_id) for source_id in source_ids}
        self.pending: list[tuple[str, str, str]] = []
        self.pages: list[tuple[str, str, str]] = []
        self.oldest: float | None = None  # when the oldest undelivered document arrived

    def handle(self, message: dict[str, Any]) -> Progress:
        source_id = message.get("source", "")
        current = self.running.setdefault(source_id, Progress(source_id))
        kind = message["t"]
        if kind == "doc":
            document = Document.model_validate(message["doc"])
            self.output.send(document)
            self.pending.append((document.id, document.source_id, document.content_hash))
            self.oldest = self.clock() if self.oldest is None else self.oldest
            current.documents += 1
            self.report.documents += 1
        elif kind == "page":
            current.pages += 1
            current.bytes += int(message.get("bytes", 0))
        elif kind == "lastmod":
            self.pages.append((message["url"], source_id, message["lastmod"]))
        elif kind == "stats":
            self.report.sources[source_id] = SourceStats(**message["stats"])
            current.done = True
        if self.pending and (len(self.pending) >= self.every_documents
                             or self.clock() - (self.oldest or 0.0) >= self.every_s):
            self.commit()
        return current

    def commit(self) -> None:
        self.output.flush()
        self.state.record_documents(self.pending)
        self.pending.clear()
        self.oldest = None

    def finish(self, complete: bool) -> None:
        """The last documents; the sitemap lastmods only after a complete crawl (all pages delivered)."""
        self.commit()
        if complete:
            self.state.record_pages(self.pages)


def crawl(sources: list[Source], output: DocumentOutput, settings: Settings, *,
          progress: Callable[[Progress], None] | None = None, state_path: Path | None = None,
          run_id: str | None = None, log_level: str = "WARNING", stats_path: Path | None = None) -> CrawlReport:
    """Crawl ``sources`` once, delivering new and changed documents to ``output``."""
    state_path = state_path or default_state_path(settings.home)
    report = CrawlReport(run_id=run_id or new_run_id(), started_at=datetime.now(timezone.utc).isoformat())
    job = {"crawl": settings.crawl.model_dump(mode="json"), "state_path": str(state_path),
           "run_id": report.run_id, "log_level": log_level,
           "sources": [s.model_dump(mode="json") for s in sources]}
    state = CrawlState(state_path)
    delivery = Delivery(output, state, report, [s.id for s in sources], settings.crawl.deliver_every_documents,
                        settings.crawl.deliver_every_s)
    try:
        with counted_step(log, "crawl", run_id=report.run_id, sources=len(sources)) as counts:
            child, stream = _start_child(job)
            try:
                with stream:
                    for message in read_messages(stream):
                        current = delivery.handle(message)
                        if progress is not None:
                            progress(current)
            except BaseException:
                child.kill()  # an output that fails must not leave the child blocked on a full pipe
                raise
            finally:
                report.exit_code = child.wait()
            delivery.finish(complete=report.ok)
            counts.update(documents=report.documents, exit_code=report.exit_code)
    finally:
        state.close()
    report.finished_at = datetime.now(timezone.utc).isoformat()
    write_report(report, stats_dir(settings) / f"{report.run_id}.json")
    if stats_path is not None:
        write_report(report, stats_path)
    return report


def write_report(report: CrawlReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    return path
