"""One run of everything, embedded: crawl, classify, store, refresh trends and alerts, reconcile.

This is what ``vigil run --sources FILE`` and ``vigil demo`` call. It runs in
one process against the embedded warehouse (or whatever ``connect`` gives),
with the crawler's documents stored and classified batch by batch as they
arrive, then the scheduled flows' steps once each, and returns a summary.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from classifiers.classify import Classify, default_classifier
from flows.alerts import channels, deliver_alerts
from flows.crawl import LedgerOutput, record_runs, record_sources, run_row
from flows.emerging import run_emerging_terms
from flows.reconcile import reconcile
from flows.store import StoreOutput
from flows.trends import SpikeSettings, run_trends
from vigil.settings import Settings
from vigil.warehouse import Warehouse, migrate


@dataclass
class RunSummary:
    run_id: str
    sources: int = 0
    sources_failed: list[str] = field(default_factory=list)
    documents_new: int = 0
    documents_changed: int = 0
    documents_unchanged: int = 0
    classified: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    model_versions: list[str] = field(default_factory=list)
    alerts_raised: int = 0
    alerts_delivered: dict[str, int] = field(default_factory=dict)
    emerging_terms: int = 0
    incomplete_windows: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        flagged = ", ".join(f"{k} {v}" for k, v in sorted(self.flagged.items())) or "none"
        failed = f" ({len(self.sources_failed)} failed: {', '.join(self.sources_failed)})" \
            if self.sources_failed else ""
        return [
            f"run {self.run_id}: {self.sources} sources crawled{failed} in {self.seconds:.1f} s",
            f"documents: {self.documents_new} new, {self.documents_changed} changed, "
            f"{self.documents_unchanged} unchanged",
            f"classified: {self.classified} (model {', '.join(self.model_versions) or '-'})",
            f"flagged per category: {flagged}",
            f"alerts raised: {self.alerts_raised}; emerging terms: {self.emerging_terms}; "
            f"incomplete windows: {self.incomplete_windows}",
        ]


def run_everything(settings: Settings, warehouse: Warehouse, sources_file: Path, *,
                   classify: Classify | None = None, now: datetime | None = None) -> RunSummary:
    """Crawl every enabled source of ``sources_file`` once, store and classify, then run the flows' steps."""
    from crawlers.run import crawl, new_run_id
    from crawlers.sources import load_sources

    started = time.perf_counter()
    migrate(warehouse)
    sources = load_sources(sources_file)
    record_sources(warehouse, sources, settings.flows.crawl_interval_minutes)
    summary = RunSummary(run_id=new_run_id(), sources=len(sources))
    store = StoreOutput(warehouse, classify or default_classifier(settings))
    began = datetime.now(timezone.utc)
    report = crawl(sources, LedgerOutput(store, warehouse), settings, run_id=summary.run_id)
    rows = [run_row(summary.run_id, s.id, began, report.sources.get(s.id),
                    "" if s.id in report.sources else f"no stats (crawler exit code {report.exit_code})")
            for s in sources]
    record_runs(warehouse, rows)
    summary.sources_failed = [r["source_id"] for r in rows if r["status"] == "failed"]
    counts = store.counts
    summary.documents_new, summary.documents_changed = counts.new, counts.changed
    summary.documents_unchanged = counts.unchanged
    summary.classified = counts.classified + counts.reclassified + counts.unchanged_classifications
    summary.flagged = dict(store.flagged)
    summary.model_versions = sorted(store.model_versions)
    now = now or datetime.now(timezone.utc)
    flows = settings.flows
    trends = run_trends(warehouse, now, SpikeSettings(flows.spike_threshold, flows.spike_min_count,
                                                       flows.spike_seasons))
    summary.alerts_raised = trends["alerts_new"]
    summary.alerts_delivered = deliver_alerts(warehouse, channels(settings))
    summary.emerging_terms = run_emerging_terms(warehouse, now)
    summary.incomplete_windows = len(reconcile(warehouse, began - timedelta(hours=1)))
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary
