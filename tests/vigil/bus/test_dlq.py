"""Dead-letter replay policies, on the in-process bus."""

from __future__ import annotations

import pytest

from tests.vigil.bus.factories import make_document, number
from vigil.bus import Topic
from vigil.bus.codec import decode
from vigil.bus.dead_letter import dead_letter
from vigil.bus.dlq import ReplayPolicy, payload_problem, read_dead_letters, replay
from vigil.bus.memory import InProcessBus, InProcessConsumer, InProcessPublisher
from vigil.bus.records import Record

INVALID = b'{"schema_version": 1, "id": "nope"}'


def letters_bus() -> InProcessBus:
    """A dead-letter topic holding: valid doc 1, an invalid payload, valid doc 2 (one partition)."""
    bus = InProcessBus(partitions=1)
    publisher = InProcessPublisher(bus)
    payloads = [make_document(1).to_json_bytes(), INVALID, make_document(2).to_json_bytes()]
    for offset, payload in enumerate(payloads):
        record = Record("raw-documents", 0, offset, b"key", payload)
        publisher.send(Topic.dlq_classify, dead_letter(record, "classify", "processing", RuntimeError("x")))
    return bus


def replay_with(bus: InProcessBus, policy: ReplayPolicy):
    consumer = InProcessConsumer(bus, "dlq-replay", ["dlq.classify"])
    report = replay(consumer, InProcessPublisher(bus), policy, prefix="", idle_s=0.05)
    consumer.close()
    return report


def replayed_numbers(bus: InProcessBus) -> list[int]:
    records = InProcessConsumer(bus, "check", ["raw-documents"]).poll(100, 0.05)
    return [number(decode(Topic.raw_documents, r.value)) for r in records if r.value != INVALID]


def raw_count(bus: InProcessBus) -> int:
    return len(InProcessConsumer(bus, "count", ["raw-documents"]).poll(100, 0.05))


def test_stop_on_error_replays_up_to_the_first_invalid_letter_and_resumes_there():
    bus = letters_bus()
    report = replay_with(bus, ReplayPolicy.stop_on_error)
    assert (report.resent, report.dropped) == (1, 0)
    assert report.stop_reason.startswith("offset 1: ValidationError")
    assert replayed_numbers(bus) == [1]
    again = replay_with(bus, ReplayPolicy.stop_on_error)
    assert again.stop_reason.startswith("offset 1:") and again.resent == 0


def test_resend_replays_every_payload_byte_for_byte():
    bus = letters_bus()
    report = replay_with(bus, ReplayPolicy.resend)
    assert (report.read, report.resent, report.stopped_at) == (3, 3, None)
    assert raw_count(bus) == 3 and replayed_numbers(bus) == [1, 2]
    assert report.by_topic == {"raw-documents": 3}
    assert replay_with(bus, ReplayPolicy.resend).read == 0, "a letter is replayed once"


def test_drop_invalid_replays_the_valid_letters_and_counts_the_rest():
    bus = letters_bus()
    report = replay_with(bus, ReplayPolicy.drop_invalid)
    assert (report.resent, report.dropped) == (2, 1)
    assert raw_count(bus) == 2 and replayed_numbers(bus) == [1, 2]


def test_inspecting_reads_without_committing():
    bus = letters_bus()
    for _ in range(2):
        consumer = InProcessConsumer(bus, "dlq-inspect", ["dlq.classify"])
        letters = [letter for _, letter in read_dead_letters(consumer, idle_s=0.05)]
        consumer.close()
        assert [letter.offset for letter in letters] == [0, 1, 2]


@pytest.mark.parametrize("payload, problem", [
    (b"\x00\x01", "DecodeError"), (INVALID, "ValidationError"), (None, None),
])
def test_payload_problem_names_what_would_fail_again(payload, problem):
    payload = payload if payload is not None else make_document(3).to_json_bytes()
    record = Record("vigil.raw-documents", 0, 0, None, payload)
    letter = dead_letter(record, "classify", "decode", ValueError())
    found = payload_problem(letter, prefix="vigil.")
    assert (found or "").startswith(problem or "")
    assert (found is None) == (problem is None)
