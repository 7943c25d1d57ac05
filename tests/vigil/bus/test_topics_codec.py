"""The topic registry and the codec: one schema per topic, checked both ways."""

from __future__ import annotations

import json
import socket
import urllib.request

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.vigil.bus.factories import make_document
from vigil.bus import TOPICS, DeadLetter, DecodeError, Topic
from vigil.bus.codec import decode, encode
from vigil.bus.dead_letter import dead_letter
from vigil.bus.metrics import serve_metrics
from vigil.bus.records import Record
from vigil.bus.topics import STAGE_DEAD_LETTERS
from vigil.schemas import examples


def test_every_topic_has_a_schema_and_every_stage_a_dead_letter_topic():
    assert set(TOPICS) == set(Topic)
    assert all(spec.schema is not None and spec.name == topic.value for topic, spec in TOPICS.items())
    assert all(TOPICS[topic].schema is DeadLetter for topic in STAGE_DEAD_LETTERS.values())


@pytest.mark.parametrize("name, expected", [
    ("raw-documents", Topic.raw_documents), ("vigil.classifications", Topic.classifications),
    ("dlq.sink", Topic.dlq_sink), ("classify", Topic.dlq_classify),
])
def test_topics_are_found_by_name_with_or_without_prefix_or_by_stage(name, expected):
    assert Topic.from_name(name, "vigil.") is expected


def test_an_unknown_topic_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="known: raw-documents"):
        Topic.from_name("nope")


def test_every_schema_example_encodes_and_decodes_on_its_topic():
    by_schema = {spec.schema.schema_name: topic for topic, spec in TOPICS.items()}
    for name, _version, data in examples():
        topic = by_schema[name]
        message = TOPICS[topic].schema.model_validate(data)
        key, value = encode(topic, message)
        assert key == message.key().encode() and decode(topic, value) == message


def test_decode_tells_bad_bytes_from_bad_json():
    with pytest.raises(DecodeError):
        decode(Topic.raw_documents, b"\x00garbage")
    with pytest.raises(DecodeError):
        decode(Topic.raw_documents, b"[1, 2]")
    with pytest.raises(ValidationError):
        decode(Topic.raw_documents, b'{"schema_version": 2}')


def test_a_dead_letter_keeps_the_original_bytes_and_origin():
    record = Record("vigil.raw-documents", 2, 41, b"abc", make_document(1).to_json_bytes())
    letter = dead_letter(record, "classify", "processing", KeyError("x" * 5000))
    again = decode(Topic.dlq_classify, encode(Topic.dlq_classify, letter)[1])
    assert again.payload() == record.value
    assert (again.topic, again.partition, again.offset, again.original_key) == (
        "vigil.raw-documents", 2, 41, "abc")
    assert again.error == "KeyError" and len(again.reason) <= 2000


def test_metrics_are_served_in_the_prometheus_text_format():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve_metrics(port, host="127.0.0.1")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
        assert response.headers["Content-Type"].startswith("text/plain")
    assert "# TYPE vigil_bus_batch_seconds histogram" in text
    assert "# TYPE vigil_bus_consumer_lag gauge" in text


# Properties: whatever a record's bytes, decoding raises only the documented errors, DecodeError for
# bytes that are not one JSON object and ValidationError for an object that does not fit the schema.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(topic=st.sampled_from(list(Topic)), value=st.binary(max_size=300))
@example(topic=Topic.raw_documents, value=b"[" * 5000 + b"]" * 5000)
@example(topic=Topic.classifications, value=b'{"a":' * 5000 + b"1" + b"}" * 5000)
def test_any_bytes_decode_or_raise_the_documented_errors(topic, value):
    try:
        decode(topic, value)
    except (DecodeError, ValidationError):
        pass


@settings(max_examples=200, deadline=None)
@given(topic=st.sampled_from(list(Topic)), value=json_values)
def test_json_that_is_not_an_object_is_a_decode_error_and_an_object_a_validation_error(topic, value):
    expected = ValidationError if isinstance(value, dict) else DecodeError
    with pytest.raises(expected):
        decode(topic, json.dumps(value).encode())
