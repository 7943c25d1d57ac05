"""Bad records through the consumer loop on the in-process bus: each of the corpus's messages (wrong types,
missing fields, not JSON, truncated, deeply nested, oversized) becomes a dead letter with a reason, and
the good records around them are processed."""

from __future__ import annotations

import pytest

from tests.bad_input import deep_json, document, oversized_document_json, read
from vigil.bus import DeadLetter, Stage, Topic
from vigil.bus.codec import decode, encode
from vigil.bus.consumer_loop import process_records, run_stage
from vigil.bus.dead_letter import MAX_PAYLOAD_BYTES, dead_letter
from vigil.bus.dlq import payload_problem
from vigil.bus.memory import InProcessBus, InProcessConsumer, InProcessPublisher
from vigil.bus.records import MAX_MESSAGE_BYTES, Record

# (topic, payload, dead-letter kind, words the reason must contain)
BAD = {
    "wrong types": (Topic.raw_documents, read("messages/document_wrong_types.json"), "validation",
                    ["text: Input should be a valid string", "views: Input should be a valid integer",
                     "entities: Input should be"]),
    "missing fields": (Topic.raw_documents, read("messages/document_missing_fields.json"), "validation",
                       ["id: Field required", "text: Field required", "url: Field required"]),
    "bad values": (Topic.raw_documents, read("messages/document_bad_values.json"), "validation",
                   ["schema_version: Input should be 1", "source_kind: Input should be", "url: URL scheme",
                    "language_confidence: Input should be less than or equal to 1"]),
    "classification": (Topic.classifications, read("messages/classification_wrong_types.json"), "validation",
                       ["scores.racism: Input should be a valid number", "labels: Input should be a valid array",
                        "model_version: String should have at least 1 character"]),
    "review decision": (Topic.review_decisions, read("messages/review_decision_missing_fields.json"),
                        "validation", ["document_id: Field required", "reviewer: Field required"]),
    "not an object": (Topic.raw_documents, read("messages/not_an_object.json"), "decode",
                      ["not a UTF-8 JSON object"]),
    "truncated": (Topic.raw_documents, read("messages/truncated.json"), "decode", ["EOF while parsing"]),
    "not json": (Topic.raw_documents, read("messages/not_json.bin"), "decode", ["not a UTF-8 JSON object"]),
    "lone surrogate": (Topic.raw_documents, read("messages/lone_surrogate.json"), "validation", ["Invalid JSON"]),
    "empty": (Topic.raw_documents, b"", "decode", ["EOF while parsing"]),
    "deep nesting": (Topic.raw_documents, deep_json(), "decode", ["not a UTF-8 JSON object"]),
    "oversized": (Topic.raw_documents, oversized_document_json(), "validation",
                  ["text: String should have at most 2000000 characters"]),
}


def _as_is(message):
    return [message]


@pytest.mark.parametrize("name", BAD)
def test_each_bad_record_becomes_a_dead_letter_with_a_reason(name):
    topic, payload, kind, words = BAD[name]
    stage = Stage("feedback" if topic is Topic.review_decisions else "sink", topic, _as_is, sink=None)
    records = [Record(topic.value, 0, 0, b"k", payload)]
    if topic is Topic.raw_documents:  # a good record on either side
        records = [Record(topic.value, 0, 0, b"a", document(1).to_json_bytes()),
                   Record(topic.value, 0, 1, b"k", payload), Record(topic.value, 0, 2, b"b", document(2).to_json_bytes())]
    outcome = process_records(stage, records)
    [letter] = outcome.dead_letters
    assert letter.kind == kind and letter.stage == stage.name
    for word in words:
        assert word in letter.reason
    assert len(letter.reason) <= 2000 and (letter.topic, letter.original_key) == (topic.value, "k")
    assert [r.value.id for r in outcome.results] == ([document(1).id, document(2).id]
                                                     if topic is Topic.raw_documents else [])
    sent = encode(Topic.dlq_sink, letter)[1]
    assert len(sent) < MAX_MESSAGE_BYTES  # the dead letter itself fits on the bus
    if len(payload) <= MAX_PAYLOAD_BYTES:
        assert decode(Topic.dlq_sink, sent).payload() == payload


def test_validation_reasons_leave_out_the_hostile_values():
    letter = process_records(Stage("sink", Topic.raw_documents, _as_is, sink=None),
                             [Record("raw-documents", 0, 0, None, read("messages/document_bad_values.json"))])
    assert "carrier-pigeon" not in letter.dead_letters[0].reason


def test_an_oversized_payload_is_cut_in_its_dead_letter_and_never_replayed():
    payload = b'{"text": "' + b"bread " * (MAX_MESSAGE_BYTES // 6) + b'"}'
    letter = dead_letter(Record("vigil.raw-documents", 0, 7, b"k", payload), "classify", "validation",
                         ValueError("too long"))
    assert letter.payload_truncated_from == len(payload) and letter.payload() == payload[:MAX_PAYLOAD_BYTES]
    assert len(letter.to_json_bytes()) < MAX_MESSAGE_BYTES
    assert payload_problem(letter, prefix="vigil.").startswith("payload truncated")
    small = dead_letter(Record("vigil.raw-documents", 0, 8, b"k", document(3).to_json_bytes()), "classify",
                        "processing", RuntimeError("x"))
    assert small.payload_truncated_from is None and payload_problem(small, prefix="vigil.") is None


class Numbers:
    def __init__(self) -> None:
        self.ids: list[str] = []

    def write(self, results) -> None:
        self.ids.extend(result.value.id for result in results)


def test_the_loop_goes_on_past_every_bad_record_and_loses_nothing():
    bus = InProcessBus(partitions=1)
    publisher = InProcessPublisher(bus)
    good = [document(n) for n in range(6)]
    bad = [payload for topic, payload, _, _ in BAD.values() if topic is Topic.raw_documents]
    for i, payload in enumerate(bad):  # good and bad records interleaved
        if i < len(good):
            publisher.send(Topic.raw_documents, good[i])
        publisher.send_raw("raw-documents", f"bad-{i}".encode(), payload)
    sink = Numbers()
    consumer = InProcessConsumer(bus, "sink", ["raw-documents"])
    counts = run_stage(Stage("sink", Topic.raw_documents, _as_is, sink), consumer, publisher, max_records=3,
                       poll_timeout_s=0.05, stop_when_idle_s=0.2, handle_signals=False)
    letters = [decode(Topic.dlq_sink, r.value) for r in InProcessConsumer(bus, "x", ["dlq.sink"]).poll(100, 0.05)]
    assert sorted(sink.ids) == sorted(d.id for d in good)
    assert counts.consumed == len(good) + len(bad) == counts.written + counts.dead_letters
    assert sorted(letter.original_key for letter in letters) == sorted(f"bad-{i}" for i in range(len(bad)))
    assert all(isinstance(letter, DeadLetter) and letter.reason for letter in letters)
