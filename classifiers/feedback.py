"""The feedback stage: reviewers' decisions into the warehouse and the known-content bank.

Every decision is stored in ``review_decisions`` (append-only; the retrain flow and
``vigil train`` read the latest per document from there). A decision that confirms
propaganda (``confirm`` or ``relabel``) also adds the document's text, as a MinHash
signature, to the known-content bank under ``review:<document id>``, so a repost
is caught with a pointer to the original; ``reject``, ``escalate`` and ``unsure`` are
stored only. Both writes are idempotent on their keys (decision id; bank item id), so
redelivery is harmless.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vigil.bus.consumer_loop import RunCounts
from vigil.bus.runner import run_stages
from vigil.bus.stage import Processed, Stage
from vigil.bus.topics import Topic
from vigil.logs import get_logger
from vigil.schemas import CATEGORIES, ReviewDecision
from vigil.settings import Settings
from vigil.tally import Tally
from vigil.warehouse import Warehouse, connect, migrate
from vigil.warehouse.rows import review_row
from vigil.warehouse.sink import Located

log = get_logger(__name__)


@dataclass
class FeedbackCounts(Tally):
    decisions: int = 0
    joined_bank: int = 0
    awaiting_document: int = 0


def check_decision(decision: ReviewDecision) -> list[ReviewDecision]:
    """``process`` of the stage: labels must be taxonomy categories (else a dead letter)."""
    unknown = sorted(set(decision.labels) - set(CATEGORIES))
    if unknown:
        raise ValueError(f"unknown categories {unknown}; known: {', '.join(CATEGORIES)}")
    return [decision]


def apply_decisions(warehouse: Warehouse, bank_path: Path, decisions: Sequence[Located[ReviewDecision]],
                    threshold: float = 0.6) -> FeedbackCounts:
    """Store ``decisions`` and add the confirmed documents to the bank at ``bank_path``."""
    from classifiers.known.bank import updating

    counts = FeedbackCounts(decisions=len(decisions))
    if not decisions:
        return counts
    warehouse.insert("review_decisions", [review_row(d.message, d.partition, d.offset) for d in decisions])
    confirmed = [d.message for d in decisions if d.message.verdict in {"confirm", "relabel"}]
    if confirmed:
        texts = {row["id"]: row["text"] for row in warehouse.query(
            "SELECT id, text FROM documents FINAL WHERE id IN {ids:Array(String)}",
            {"ids": sorted({d.document_id for d in confirmed})})}
        with updating(bank_path, threshold) as bank:
            for decision in confirmed:
                text = texts.get(decision.document_id)
                if text is None:
                    counts.awaiting_document += 1
                    continue
                try:
                    bank.add_confirmed(decision, text)
                    counts.joined_bank += 1
                except ValueError as exc:  # a text with no words to match on
                    log.warning("not added to the known bank", extra={"document_id": decision.document_id,
                                                                       "error": str(exc)})
    log.info("feedback batch", extra=counts.__dict__)
    return counts


@dataclass
class FeedbackSink:
    warehouse: Warehouse
    bank_path: Path
    threshold: float = 0.6
    counts: FeedbackCounts = field(default_factory=FeedbackCounts)

    def write(self, results: Sequence[Processed[ReviewDecision]]) -> None:
        located = [Located(r.value, r.source.partition, r.source.offset) for r in results]
        self.counts.add(apply_decisions(self.warehouse, self.bank_path, located, self.threshold))


def feedback_stage(warehouse: Warehouse, bank_path: Path, threshold: float = 0.6) -> Stage:
    return Stage("feedback", Topic.review_decisions, check_decision, FeedbackSink(warehouse, bank_path, threshold))


def run_feedback(settings: Settings, stop: threading.Event, stop_when_idle_s: float | None = None) -> RunCounts:
    """Consume review decisions until ``stop`` is set (or idle for ``stop_when_idle_s``)."""
    from classifiers.known.bank import default_bank_path

    with connect(settings) as warehouse:
        migrate(warehouse)
        stage = feedback_stage(warehouse, default_bank_path(settings.home), settings.classifier.known_threshold)
        return run_stages(settings, lambda _publisher: [stage], stop=stop,
                          stop_when_idle_s=stop_when_idle_s)["feedback"]
