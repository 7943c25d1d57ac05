"""The one consumer loop every stage runs (after snuba's consumer):

poll a batch (several polls gathered into one where the stage asks, :class:`Batching`) ->
decode and validate each record against its topic's schema -> ``process`` -> write the
results to the sink and failures to the dead-letter topic -> commit the batch's offsets.
A record that fails becomes a dead letter and the loop goes on; a sink or dead-letter
write that fails stops the loop before the commit, so the batch is redelivered (at least once). A commit that
fails after the batch was written (the broker away for a moment) is kept and
retried every round, idle rounds included, until it lands or the partition is
no longer this member's: otherwise a group whose last batch missed its commit
would show lag forever, and a restart would redo that batch. SIGTERM and SIGINT
let the current batch finish and commit, then the loop returns.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from pydantic import ValidationError

from vigil.bus.base import Consumer, Publisher
from vigil.bus.codec import decode
from vigil.bus.dead_letter import DeadLetter, dead_letter
from vigil.bus.errors import CommitError, DecodeError
from vigil.bus.health import HEALTH
from vigil.bus.metrics import (
    BATCH_SECONDS,
    CONSUMER_LAG,
    DEAD_LETTERS,
    MESSAGES_IN,
    MESSAGES_OUT,
)
from vigil.bus.records import Record, TopicPartition, next_offsets
from vigil.bus.stage import Batching, Processed, Stage
from vigil.logs import get_logger

log = get_logger(__name__)


@dataclass
class BatchOutcome:
    results: list[Processed] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)


@dataclass
class RunCounts:
    batches: int = 0
    consumed: int = 0
    written: int = 0
    dead_letters: int = 0
    uncommitted_batches: int = 0  # batches written whose commit failed at first (retried later)
    commit_retries: int = 0


def process_records(stage: Stage, records: list[Record]) -> BatchOutcome:
    """Decode, validate and process each record; failures become dead letters (pure: no I/O).

    A record whose ``process`` fails contributes no result at all, even if it
    yielded some before failing."""
    outcome = BatchOutcome()
    for record in records:
        try:
            message = decode(stage.input, record.value)
        except DecodeError as exc:
            outcome.dead_letters.append(dead_letter(record, stage.name, "decode", exc))
            continue
        except ValidationError as exc:
            reason = describe_validation(exc)
            outcome.dead_letters.append(dead_letter(record, stage.name, "validation", exc, reason))
            continue
        try:
            values = list(stage.process(message))
        except Exception as exc:  # noqa: BLE001 - a failure of process() is this record's, not the loop's
            outcome.dead_letters.append(dead_letter(record, stage.name, "processing", exc))
            continue
        outcome.results.extend(Processed(value, record) for value in values)
    return outcome


def describe_validation(error: ValidationError) -> str:
    """A validation error as 'field: problem' lines, without the (hostile) input values."""
    lines = [f"{'.'.join(map(str, e['loc'])) or '<root>'}: {e['msg']}" for e in error.errors()]
    return f"{error.error_count()} schema error(s): " + "; ".join(lines)


def run_batch(
    stage: Stage, consumer: Consumer, dead_letters: Publisher, records: list[Record],
    pending: dict[TopicPartition, int] | None = None,
) -> BatchOutcome:
    """Process ``records``, write results and dead letters, then commit their offsets together with
    ``pending``: the offsets of earlier written batches whose commit failed."""
    outcome = process_records(stage, records)
    if outcome.results:
        stage.sink.write(outcome.results)
    if outcome.dead_letters:
        for letter in outcome.dead_letters:
            dead_letters.send(stage.dead_letter_topic, letter)
        dead_letters.flush()
        on_dead_letters = getattr(stage.sink, "dead_lettered", None)
        if on_dead_letters is not None:  # e.g. the sink's run ledger, for reconciliation
            on_dead_letters(outcome.dead_letters)
    consumer.commit(merge_offsets(pending or {}, next_offsets(records)))
    return outcome


def merge_offsets(*offsets: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
    """The furthest offset of each partition over ``offsets`` (a pure function)."""
    merged: dict[TopicPartition, int] = {}
    for each in offsets:
        for position, offset in each.items():
            merged[position] = max(merged.get(position, 0), offset)
    return merged


def still_assigned(consumer: Consumer, offsets: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
    """The offsets of partitions this member still holds (a moved partition's are its new owner's)."""
    assigned = consumer.assignment()
    return {position: offset for position, offset in offsets.items() if position in assigned}


def retry_commit(consumer: Consumer, pending: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
    """Commit ``pending`` offsets of partitions still assigned; what is left pending after it.

    Offsets of a partition that has moved to another member are dropped: that member goes on from
    the group's last commit, so the batch is redelivered there (at least once)."""
    mine = still_assigned(consumer, pending)
    if not mine:
        return {}
    try:
        consumer.commit(mine)
    except CommitError:
        return mine
    return {}


def run_stage(
    stage: Stage,
    consumer: Consumer,
    dead_letters: Publisher,
    *,
    max_records: int = 500,
    poll_timeout_s: float = 1.0,
    stop: threading.Event | None = None,
    stop_when_idle_s: float | None = None,
    handle_signals: bool = True,
    write_retries: int = 0,
    retry_backoff_s: float = 1.0,
) -> RunCounts:
    """Run ``stage`` until ``stop`` is set, a SIGTERM/SIGINT arrives, or (if given) no record
    came for ``stop_when_idle_s`` seconds while partitions were assigned. The consumer and
    publisher stay open (they are the caller's).

    A batch whose write fails (the sink or the dead-letter topic raising, e.g. a warehouse or
    broker that is briefly away) is retried up to ``write_retries`` times, the delay doubling from
    ``retry_backoff_s`` (at most 60 s); sinks are idempotent, so a retry never duplicates. After
    that the error propagates with the batch uncommitted, to be redelivered after a restart.

    Each round is reported to the process's health (:mod:`vigil.bus.health`), which a consumer
    process serves on ``/healthz`` and ``/readyz``."""
    stop = stop or threading.Event()
    counts = RunCounts()
    idle_since = time.monotonic()
    pending: dict[TopicPartition, int] = {}  # written, commit failed: retried each round
    with _stop_on_signals(stop, enabled=handle_signals), _reporting(stage.group):
        while not stop.is_set():
            records = consumer.poll(max_records, poll_timeout_s)
            HEALTH.beat(stage.group, in_group(consumer))
            if records and stage.batching is not None:
                records = gather(consumer, records, stage.batching, max_records, stop,
                                 lambda: HEALTH.beat(stage.group, in_group(consumer)))
            if pending and not records:
                pending = _retry_pending(stage, consumer, pending, counts)
            if not records:
                if not consumer.assignment():
                    idle_since = time.monotonic()  # still joining the group: not idle yet
                elif stop_when_idle_s is not None and time.monotonic() - idle_since >= stop_when_idle_s:
                    break
                continue
            started = time.perf_counter()
            try:
                outcome = _run_batch_retrying(stage, consumer, dead_letters, records, stop, write_retries,
                                              retry_backoff_s, pending)
            except CommitError as exc:
                counts.uncommitted_batches += 1
                pending = merge_offsets(pending, next_offsets(records))
                log.warning("batch written but its offsets not committed; retrying the commit",
                            extra={"stage": stage.name, "error": str(exc), "partitions": len(pending)})
                idle_since = time.monotonic()
                continue
            if outcome is None:  # stopped while waiting to retry: the batch stays uncommitted
                counts.uncommitted_batches += 1
                break
            pending = {}
            _account(stage, consumer, records, outcome, counts, time.perf_counter() - started)
            idle_since = time.monotonic()
        if pending:  # a last try on the way out; what still fails is redelivered after a restart
            _retry_pending(stage, consumer, pending, counts)
    return counts


def gather(consumer: Consumer, records: list[Record], batching: Batching, max_records: int,
           stop: threading.Event, beat: Callable[[], None] = lambda: None) -> list[Record]:
    """``records`` and what further polls bring while records keep coming (a poll that waited
    ``batching.idle_s`` for nothing ends it), until ``batching``'s records or bytes are in hand, its wait
    has passed since the first poll, or ``stop`` is set. Nothing is committed while gathering: the
    gathered batch is written and committed as one, so a crash redelivers it whole (at least once)."""
    deadline = time.monotonic() + batching.wait_s
    size = sum(len(record.value) for record in records)
    while len(records) < batching.records and size < batching.max_bytes and not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        more = consumer.poll(min(max_records, batching.records - len(records)), min(left, batching.idle_s))
        beat()
        if not more:
            break
        records.extend(more)
        size += sum(len(record.value) for record in more)
    return records


def _retry_pending(stage: Stage, consumer: Consumer, pending: dict[TopicPartition, int],
                   counts: RunCounts) -> dict[TopicPartition, int]:
    counts.commit_retries += 1
    left = retry_commit(consumer, pending)
    if not left:
        log.info("offsets committed on retry", extra={"stage": stage.name, "partitions": len(pending)})
    return left


def _run_batch_retrying(stage: Stage, consumer: Consumer, dead_letters: Publisher, records: list[Record],
                        stop: threading.Event, retries: int, backoff_s: float,
                        pending: dict[TopicPartition, int]) -> BatchOutcome | None:
    pending = still_assigned(consumer, pending)
    for attempt in range(retries + 1):
        try:
            return run_batch(stage, consumer, dead_letters, records, pending)
        except CommitError:
            raise
        except Exception as exc:  # noqa: BLE001 - retried, then re-raised
            if attempt >= retries:
                raise
            delay = min(backoff_s * 2 ** attempt, 60.0)
            log.warning("batch write failed; retrying", extra={
                "stage": stage.name, "error": f"{type(exc).__name__}: {exc}", "attempt": attempt + 1,
                "retries": retries, "delay_s": delay})
            if stop.wait(delay):
                return None
    return None


def _account(stage: Stage, consumer: Consumer, records: list[Record], outcome: BatchOutcome,
             counts: RunCounts, seconds: float) -> None:
    counts.batches += 1
    counts.consumed += len(records)
    counts.written += len(outcome.results)
    counts.dead_letters += len(outcome.dead_letters)
    MESSAGES_IN.labels(stage=stage.name, topic=records[0].topic).inc(len(records))
    MESSAGES_OUT.labels(stage=stage.name).inc(len(outcome.results))
    for letter in outcome.dead_letters:
        DEAD_LETTERS.labels(stage=stage.name, kind=letter.kind).inc()
    BATCH_SECONDS.labels(stage=stage.name).observe(seconds)
    for (topic, partition), lag in consumer.lag().items():
        CONSUMER_LAG.labels(stage=stage.name, topic=topic, partition=str(partition)).set(lag)


def in_group(consumer: Consumer) -> bool:
    """Is ``consumer`` a member of its group: partitions assigned, or (where the consumer can tell, as
    Kafka's can) a stable member left without any, its group having more members than partitions?"""
    if consumer.assignment():
        return True
    stable = getattr(consumer, "in_stable_group", None)
    return bool(stable and stable())


@contextmanager
def _reporting(stage: str) -> Iterator[None]:
    try:
        yield
    finally:
        HEALTH.ended(stage)


@contextmanager
def _stop_on_signals(stop: threading.Event, enabled: bool) -> Iterator[None]:
    """SIGTERM/SIGINT set ``stop`` (the batch in hand finishes); a second signal acts as usual."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def request_stop(signum: int, _frame: object) -> None:
        log.info("stopping after the current batch", extra={"signal": signal.Signals(signum).name})
        stop.set()
        signal.signal(signum, previous[signum])

    for sig in previous:
        signal.signal(sig, request_stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
