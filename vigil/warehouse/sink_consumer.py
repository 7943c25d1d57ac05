"""The warehouse sink as a bus consumer (distributed mode): raw documents and classifications
in, one consumer group and one thread per topic, every batch written idempotently."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from vigil.bus.consumer_loop import RunCounts
from vigil.bus.dead_letter import DeadLetter
from vigil.bus.runner import run_stages
from vigil.bus.stage import Batching, Processed, Stage
from vigil.bus.topics import Topic
from vigil.schemas import Message
from vigil.settings import Settings
from vigil.warehouse import Warehouse, connect, migrate
from vigil.warehouse.ledger import record_counts
from vigil.warehouse.sink import Located, SinkCounts, write_classifications, write_documents


@dataclass
class BatchSink:
    """The consumer loop's ``Sink`` over one of the write functions of :mod:`vigil.warehouse.sink`."""

    warehouse: Warehouse
    write_batch: Callable[[Warehouse, Sequence[Located]], SinkCounts]
    counts: SinkCounts = field(default_factory=SinkCounts)
    ledger_dead_letters: bool = False

    def write(self, results: Sequence[Processed[Message]]) -> None:
        located = [Located(r.value, r.source.partition, r.source.offset) for r in results]
        self.counts.add(self.write_batch(self.warehouse, located))

    def dead_lettered(self, letters: Sequence[DeadLetter]) -> None:
        """Record dead-lettered documents in the run ledger (run id and hour read from the payload
        where it still parses; otherwise run '' at the time of failure), so reconciliation can tell
        a rejected document from a lost one."""
        if self.ledger_dead_letters:
            record_counts(self.warehouse, "dead_lettered", [_ledger_key(letter) for letter in letters])


def _ledger_key(letter: DeadLetter) -> tuple[str, datetime]:
    try:
        payload = json.loads(base64.b64decode(letter.payload_b64))
        fetched = datetime.fromisoformat(str(payload["fetched_at"]).replace("Z", "+00:00"))
        return str(payload.get("crawl_run_id") or ""), fetched
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: JSON nested too deeply
        return "", letter.failed_at


def _as_is(message: Message) -> list[Message]:
    """The sink stores messages as they come: ``process`` is the identity."""
    return [message]


def sink_batching(settings: Settings) -> Batching:
    """How much the sink gathers per write (``warehouse.sink_batch_*``)."""
    w = settings.warehouse
    return Batching(w.sink_batch_messages, w.sink_batch_mb * 2**20, w.sink_batch_wait_s)


def sink_stages(warehouse: Warehouse, batching: Batching | None = None) -> list[Stage]:
    """The two sink stages (documents, classifications); each has its own consumer group, and both
    dead-letter to the sink's dead-letter topic. ``batching``: how much each gathers per write (default:
    what one poll brings)."""
    return [
        Stage("sink", Topic.raw_documents, _as_is, BatchSink(warehouse, write_documents, ledger_dead_letters=True),
              consumer_group=f"sink-{Topic.raw_documents.value}", batching=batching),
        Stage("sink", Topic.classifications, _as_is, BatchSink(warehouse, write_classifications),
              consumer_group=f"sink-{Topic.classifications.value}", batching=batching),
    ]


def run_sink(settings: Settings, stop: threading.Event, stop_when_idle_s: float | None = None) -> dict[str, RunCounts]:
    """Consume raw documents and classifications into the warehouse until ``stop`` is set (or, if
    given, both topics were idle for ``stop_when_idle_s``); return the counts per input topic."""
    with connect(settings) as warehouse:
        migrate(warehouse)
        counts = run_stages(settings, lambda _publisher: sink_stages(warehouse, sink_batching(settings)), stop=stop,
                            stop_when_idle_s=stop_when_idle_s)
    return {group.removeprefix("sink-"): c for group, c in counts.items()}


__all__ = ["BatchSink", "run_sink", "sink_batching", "sink_stages"]
