"""Bad records on a real Kafka broker: wrong types, missing fields, bytes that are not JSON, nesting too
deep and oversized records, between good documents. Each bad one lands in the dead-letter topic with a
reason, every good one is processed, and every record the broker acknowledged is accounted for."""

from __future__ import annotations

import json
import threading

import pytest
from kafka import KafkaProducer

from tests.bad_input import deep_json, document, oversized_document_json, read
from tests.vigil.bus.factories import read_all
from vigil.bus import Stage, Topic, open_publisher, prepare_topics, run_stages
from vigil.bus.codec import decode
from vigil.bus.dead_letter import MAX_PAYLOAD_BYTES
from vigil.bus.records import MAX_MESSAGE_BYTES

pytestmark = pytest.mark.kafka

# key -> (payload, words its dead letter's reason must contain)
BAD = {
    b"wrong-types": (read("messages/document_wrong_types.json"), "text: Input should be a valid string"),
    b"missing-fields": (read("messages/document_missing_fields.json"), "text: Field required"),
    b"not-json": (read("messages/not_json.bin"), "not a UTF-8 JSON object"),
    b"deep": (deep_json(), "not a UTF-8 JSON object"),
    b"oversized": (oversized_document_json(), "text: String should have at most 2000000 characters"),
}


class Ids:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    def write(self, results) -> None:
        with self.lock:
            self.ids.extend(result.value.id for result in results)


def test_bad_records_are_dead_lettered_with_reasons_and_nothing_accepted_is_lost(kafka_settings):
    prepare_topics(kafka_settings)
    raw = Topic.raw_documents.full_name(kafka_settings.bus.topic_prefix)
    # A valid document of 2 MB (1,000,000 Cyrillic letters): more than kafka-python's default 1 MiB request.
    good = [document(n) for n in range(10)] + [document(10, text="хлеб " * 200_000)]
    publisher = open_publisher(kafka_settings)
    for n, (key, (payload, _)) in enumerate(BAD.items()):
        publisher.send(Topic.raw_documents, good[n])
        publisher.send_raw(raw, key, payload)
    for doc in good[len(BAD):]:
        publisher.send(Topic.raw_documents, doc)
    publisher.close()
    # A producer that is not Vigil's, compressing a record of 18 MB past the broker's limit.
    huge = b'{"text": "' + b"bread " * 3_000_000 + b'"}'
    foreign = KafkaProducer(bootstrap_servers=kafka_settings.bus.bootstrap_servers, compression_type="gzip",
                            max_request_size=32 * 1024 * 1024)
    foreign.send(raw, key=b"huge", value=huge).get(timeout=60)
    foreign.close()

    sink = Ids()
    counts = run_stages(kafka_settings, lambda _publisher: [Stage("sink", Topic.raw_documents, lambda m: [m], sink)],
                        stop_when_idle_s=2.0, poll_timeout_s=0.5)["sink"]

    assert sorted(sink.ids) == sorted(doc.id for doc in good)
    assert counts.consumed == len(good) + len(BAD) + 1 == counts.written + counts.dead_letters
    dead = read_all(kafka_settings, Topic.dlq_sink, "inspect", expect=len(BAD) + 1)
    letters = {letter.original_key.encode(): letter for letter in (decode(Topic.dlq_sink, r.value) for r in dead)}
    assert set(letters) == set(BAD) | {b"huge"}
    for key, (payload, words) in BAD.items():
        assert words in letters[key].reason and letters[key].topic == raw
        assert letters[key].payload() == payload and letters[key].payload_truncated_from is None
    cut = letters[b"huge"]
    assert cut.kind == "validation" and cut.payload_truncated_from == len(huge)
    assert cut.payload() == huge[:MAX_PAYLOAD_BYTES] and len(cut.to_json_bytes()) < MAX_MESSAGE_BYTES
    big = next(r for r in read_all(kafka_settings, Topic.raw_documents, "check", expect=counts.consumed)
               if r.key == good[-1].id.encode())
    assert json.loads(big.value)["text"] == good[-1].text
