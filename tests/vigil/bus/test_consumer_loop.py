"""The one consumer loop, on the in-process bus: dead letters, commits, graceful shutdown."""

from __future__ import annotations

import os
import signal

import pytest
from prometheus_client import generate_latest

from tests.vigil.bus.factories import make_document, number
from vigil.bus import Batching, DeadLetter, Processed, Stage, Topic
from vigil.bus.codec import decode
from vigil.bus.consumer_loop import gather, merge_offsets, process_records, retry_commit, run_stage
from vigil.bus.errors import CommitError
from vigil.bus.memory import InProcessBus, InProcessConsumer, InProcessPublisher
from vigil.bus.metrics import REGISTRY


class ListSink:
    def __init__(self, fail: bool = False) -> None:
        self.written: list[Processed] = []
        self.batches: list[int] = []
        self.fail = fail

    def write(self, results):
        if self.fail:
            raise OSError("warehouse unreachable")
        self.written.extend(results)
        self.batches.append(len(results))


def numbers_of(document):
    if "poison" in document.text:
        raise ValueError("cannot process this one")
    return [number(document)]


@pytest.fixture
def bus():
    return InProcessBus(partitions=2)


def publish(bus, docs):
    publisher = InProcessPublisher(bus)
    for doc in docs:
        publisher.send(Topic.raw_documents, doc)
    return publisher


def dead_letters(bus) -> list[DeadLetter]:
    reader = InProcessConsumer(bus, "inspect", ["dlq.classify"])
    return [decode(Topic.dlq_classify, r.value) for r in reader.poll(1000, 0.1)]


def test_bad_records_become_dead_letters_and_the_rest_flows(bus):
    publisher = publish(bus, [make_document(n) for n in range(20)])
    publisher.send(Topic.raw_documents, make_document(99, text="poison pill"))
    publisher.send_raw("raw-documents", b"k1", b'{"schema_version": 1, "id": "not-an-id"}')
    publisher.send_raw("raw-documents", b"k2", b"\xff\xfe not json")
    sink = ListSink()
    stage = Stage("classify", Topic.raw_documents, numbers_of, sink)
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])

    counts = run_stage(stage, consumer, publisher, max_records=7, poll_timeout_s=0.05,
                       stop_when_idle_s=0.1)

    assert sorted(p.value for p in sink.written) == list(range(20))
    assert (counts.consumed, counts.written, counts.dead_letters) == (23, 20, 3)
    letters = {letter.kind: letter for letter in dead_letters(bus)}
    assert set(letters) == {"processing", "validation", "decode"}
    assert letters["processing"].reason == "cannot process this one"
    assert letters["processing"].error == "ValueError"
    assert "id: String should match pattern" in letters["validation"].reason
    assert "not-an-id" not in letters["validation"].reason  # input values stay out of reasons
    assert letters["decode"].payload() == b"\xff\xfe not json"
    assert letters["validation"].original_key == "k1"
    assert all(letter.stage == "classify" and letter.topic == "raw-documents" for letter in letters.values())
    # Everything was committed: a new member of the group has nothing left to read.
    assert InProcessConsumer(bus, "classify", ["raw-documents"]).poll(100, 0.05) == []
    assert 'vigil_bus_dead_letters_total{kind="validation",stage="classify"}' in generate_latest(REGISTRY).decode()


def test_a_failing_sink_stops_the_loop_before_the_commit(bus):
    publish(bus, [make_document(n) for n in range(5)])
    stage = Stage("classify", Topic.raw_documents, numbers_of, ListSink(fail=True))
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    with pytest.raises(OSError, match="warehouse unreachable"):
        run_stage(stage, consumer, InProcessPublisher(bus), poll_timeout_s=0.05, stop_when_idle_s=0.1)
    consumer.close()
    assert len(InProcessConsumer(bus, "classify", ["raw-documents"]).poll(100, 0.05)) == 5


def test_sigterm_finishes_and_commits_the_batch_in_hand(bus):
    publish(bus, [make_document(n) for n in range(30)])
    processed = []

    def process(document):
        if number(document) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-batch
        processed.append(number(document))
        return [number(document)]

    sink = ListSink()
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    counts = run_stage(Stage("classify", Topic.raw_documents, process, sink), consumer,
                       InProcessPublisher(bus), max_records=10, poll_timeout_s=0.05)
    assert counts.batches == 1 and counts.consumed == 10 and len(sink.written) == 10
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    consumer.close()
    rest = InProcessConsumer(bus, "classify", ["raw-documents"]).poll(100, 0.05)
    assert len(rest) == 20


def test_process_records_is_pure_and_keeps_the_source_of_each_result(bus):
    publish(bus, [make_document(5)])
    [record] = InProcessConsumer(bus, "x", ["raw-documents"]).poll(1, 0.05)
    outcome = process_records(Stage("classify", Topic.raw_documents, numbers_of, ListSink()), [record])
    assert outcome.results == [Processed(5, record)]
    assert outcome.dead_letters == []


def test_a_stage_without_a_dead_letter_topic_is_refused():
    with pytest.raises(ValueError, match="no dead-letter topic"):
        _ = Stage("nameless", Topic.raw_documents, numbers_of, ListSink()).dead_letter_topic


def test_a_record_whose_process_fails_midway_contributes_no_partial_results(bus):
    publish(bus, [make_document(1)])
    [record] = InProcessConsumer(bus, "x", ["raw-documents"]).poll(1, 0.05)

    def half_done(document):
        yield "first"
        raise RuntimeError("second failed")

    outcome = process_records(Stage("classify", Topic.raw_documents, half_done, ListSink()), [record])
    assert outcome.results == []
    assert [letter.kind for letter in outcome.dead_letters] == ["processing"]


class FlakySink(ListSink):
    """Fails its first ``failures`` writes (a warehouse that is briefly away), then works."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def write(self, results):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("warehouse restarting")
        super().write(results)


def test_a_briefly_failing_sink_is_retried_and_nothing_is_lost_or_doubled(bus):
    publish(bus, [make_document(n) for n in range(5)])
    sink = FlakySink(failures=2)
    stage = Stage("classify", Topic.raw_documents, numbers_of, sink)
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    counts = run_stage(stage, consumer, InProcessPublisher(bus), poll_timeout_s=0.05, stop_when_idle_s=0.1,
                       write_retries=3, retry_backoff_s=0.01)
    assert sorted(p.value for p in sink.written) == list(range(5)) and counts.written == 5
    assert InProcessConsumer(bus, "classify", ["raw-documents"]).poll(100, 0.05) == []  # committed


def test_a_sink_that_stays_down_still_stops_the_loop_uncommitted(bus):
    publish(bus, [make_document(n) for n in range(3)])
    stage = Stage("classify", Topic.raw_documents, numbers_of, FlakySink(failures=10))
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    with pytest.raises(ConnectionError):
        run_stage(stage, consumer, InProcessPublisher(bus), poll_timeout_s=0.05, stop_when_idle_s=0.1,
                  write_retries=2, retry_backoff_s=0.01)
    consumer.close()
    assert len(InProcessConsumer(bus, "classify", ["raw-documents"]).poll(100, 0.05)) == 3


class CommitFailing(InProcessConsumer):
    """An in-process member whose first ``failures`` commits fail (a broker that is briefly away)."""

    def __init__(self, *args, failures: int) -> None:
        super().__init__(*args)
        self.failures = failures

    def commit(self, offsets):
        if self.failures:
            self.failures -= 1
            raise CommitError("broker away")
        super().commit(offsets)


def test_a_failed_commit_of_the_last_batch_is_retried_while_idle_so_the_group_catches_up(bus):
    publish(bus, [make_document(n) for n in range(6)])
    sink = ListSink()
    consumer = CommitFailing(bus, "classify", ["raw-documents"], failures=3)
    counts = run_stage(Stage("classify", Topic.raw_documents, numbers_of, sink), consumer,
                       InProcessPublisher(bus), poll_timeout_s=0.05, stop_when_idle_s=0.3)
    # Written once, and committed after the broker came back although no record came after it.
    assert sorted(p.value for p in sink.written) == list(range(6))
    assert counts.uncommitted_batches == 1 and counts.commit_retries >= 2 and consumer.failures == 0
    ends = bus.end_offsets("raw-documents")
    assert all(bus.committed("classify", position) == end for position, end in ends.items())
    assert InProcessConsumer(bus, "classify", ["raw-documents"]).poll(100, 0.05) == []


def test_retry_commit_drops_offsets_of_partitions_that_moved_to_another_member(bus):
    publish(bus, [make_document(n) for n in range(4)])
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    consumer.poll(100, 0.05)
    assert retry_commit(consumer, {("raw-documents", 0): 1, ("elsewhere", 0): 7}) == {}
    assert bus.committed("classify", ("raw-documents", 0)) == 1
    assert bus.committed("classify", ("elsewhere", 0)) == 0
    assert merge_offsets({("a", 0): 3, ("a", 1): 9}, {("a", 0): 5}) == {("a", 0): 5, ("a", 1): 9}


def test_a_batching_stage_gathers_polls_into_one_write_and_commits_them_as_one(bus):
    publish(bus, [make_document(n) for n in range(60)])
    sink = ListSink()
    stage = Stage("classify", Topic.raw_documents, numbers_of, sink, batching=Batching(records=25, wait_s=0.3))
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    counts = run_stage(stage, consumer, InProcessPublisher(bus), max_records=7, poll_timeout_s=0.05,
                       stop_when_idle_s=0.1)
    # polls of at most 7 gathered to 25; the last batch is what came before its wait ran out
    assert sink.batches == [25, 25, 10] and counts.batches == 3
    assert sorted(p.value for p in sink.written) == list(range(60))
    consumer.close()
    assert InProcessConsumer(bus, "classify", ["raw-documents"]).poll(100, 0.05) == []
    # without batching, each poll is a write
    plain = ListSink()
    run_stage(Stage("classify", Topic.raw_documents, numbers_of, plain), InProcessConsumer(bus, "plain", [
        "raw-documents"]), InProcessPublisher(bus), max_records=7, poll_timeout_s=0.05, stop_when_idle_s=0.1)
    assert max(plain.batches) == 7 and sum(plain.batches) == 60


def test_gather_stops_at_the_byte_cap_when_records_stop_coming_and_when_stopped(bus):
    import threading
    import time

    publish(bus, [make_document(n) for n in range(40)])
    consumer = InProcessConsumer(bus, "classify", ["raw-documents"])
    first = consumer.poll(5, 0.05)
    size = len(first[0].value)
    beats = []
    records = gather(consumer, first, Batching(records=1000, max_bytes=12 * size), 5, threading.Event(),
                     lambda: beats.append(1))
    assert 12 <= len(records) < 12 + 5 and beats  # stopped once the bytes were in hand, beating while it polled
    started = time.monotonic()
    rest = gather(consumer, consumer.poll(5, 0.05), Batching(records=1000, wait_s=30, idle_s=0.2), 5,
                  threading.Event())
    # everything gathered, and the first poll that waited idle_s for nothing ended it, long before wait_s
    assert len(records) + len(rest) == 40 and time.monotonic() - started < 5
    publish(bus, [make_document(n) for n in range(40, 43)])
    started = time.monotonic()
    slow = gather(consumer, consumer.poll(5, 0.05), Batching(records=1000, wait_s=30, idle_s=0.2), 5,
                  threading.Event())
    assert len(slow) == 3 and time.monotonic() - started < 5  # a slow stream is written as it comes
    stopped = threading.Event()
    stopped.set()
    started = time.monotonic()
    assert gather(consumer, [], Batching(records=1000, wait_s=30), 5, stopped) == []
    assert time.monotonic() - started < 1


def test_batching_refuses_nonsense():
    with pytest.raises(ValueError, match="batching needs"):
        Batching(records=0)
    with pytest.raises(ValueError, match="batching needs"):
        Batching(records=10, wait_s=-1)
    with pytest.raises(ValueError, match="batching needs"):
        Batching(records=10, idle_s=-0.1)
