"""The classify consumer: raw documents in, classifications out (distributed mode).

``process`` only passes validated documents through; the sink labels the whole
batch at once (the model is far faster on a batch than one text at a time) and
publishes one ``Classification`` per document, keyed by the document id, then
waits for the broker's acks. Offsets are committed after that, so a crash
between labelling and publishing redelivers the batch: at least once, and the
warehouse sink is idempotent on the document id.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from classifiers.classify import Classify, live_classifier
from vigil.bus.base import Publisher
from vigil.bus.consumer_loop import RunCounts
from vigil.bus.dead_letter import dead_letter
from vigil.bus.metrics import DEAD_LETTERS
from vigil.bus.runner import run_stages
from vigil.bus.stage import Processed, Stage
from vigil.bus.topics import STAGE_DEAD_LETTERS, Topic
from vigil.logs import get_logger
from vigil.schemas import Document
from vigil.settings import Settings

log = get_logger(__name__)


def _as_is(document: Document) -> Iterable[Document]:
    yield document


class ClassifySink:
    """Labels a batch of documents and publishes the classifications.

    If labelling the batch fails, each document is labelled alone, and one that still fails goes
    to the stage's dead-letter topic: one bad document never blocks its partition."""

    def __init__(self, classify: Classify, publisher: Publisher) -> None:
        self.classify, self.publisher = classify, publisher

    def write(self, results: Sequence[Processed[Document]]) -> None:
        try:
            labelled = self.classify([result.value for result in results])
        except Exception:  # noqa: BLE001 - find the document at fault below
            log.warning("labelling a batch failed; labelling its documents one by one",
                        extra={"documents": len(results)})
            labelled = []
            for result in results:
                try:
                    labelled += self.classify([result.value])
                except Exception as exc:  # noqa: BLE001 - this record's failure, not the stage's
                    self.publisher.send(STAGE_DEAD_LETTERS["classify"], dead_letter(
                        result.source, "classify", "processing", exc))
                    DEAD_LETTERS.labels(stage="classify", kind="processing").inc()
        for classification in labelled:
            self.publisher.send(Topic.classifications, classification)
        self.publisher.flush()


def classify_stage(classify: Classify, publisher: Publisher, max_records: int | None = None) -> Stage:
    """``max_records``: documents per poll (``classifier.consumer_batch``): a poll of 500 long documents took
    longer than Kafka's ``max_poll_interval_ms`` to label, so the consumer was dropped from its group, its
    batch redelivered, and the same happened again."""
    return Stage("classify", Topic.raw_documents, _as_is, ClassifySink(classify, publisher), max_records=max_records)


def run_classify(settings: Settings, stop: threading.Event, stop_when_idle_s: float | None = None,
                 classify: Classify | None = None) -> RunCounts:
    """Consume raw documents, publish their classifications, until ``stop`` is set (or the topic
    was idle for ``stop_when_idle_s``). ``classify`` defaults to the labeller the settings name."""
    classify = classify or live_classifier(settings)
    batch = settings.classifier.consumer_batch
    counts = run_stages(settings, lambda publisher: [classify_stage(classify, publisher, batch)], stop=stop,
                        stop_when_idle_s=stop_when_idle_s)
    return counts["classify"]
