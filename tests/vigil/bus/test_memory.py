"""The in-process bus keeps Kafka's semantics: keyed partitions, group offsets, shared partitions."""

from __future__ import annotations

import pytest

from tests.vigil.bus.factories import make_document, number
from vigil.bus import Publisher, Topic, open_consumer, open_publisher
from vigil.bus.codec import decode
from vigil.bus.memory import InProcessBus, InProcessConsumer, InProcessPublisher, reset_process_bus
from vigil.schemas import Classification, example


@pytest.fixture(autouse=True)
def _fresh_bus():
    reset_process_bus()
    yield
    reset_process_bus()


def test_embedded_mode_opens_the_process_wide_in_process_bus(settings):
    publisher = open_publisher(settings)
    assert isinstance(publisher, Publisher)
    document = make_document(1)
    publisher.send(Topic.raw_documents, document)
    publisher.close()
    again = open_consumer(settings, "reader", [Topic.raw_documents])
    [record] = again.poll(10, 0.1)
    assert record.topic == "vigil.raw-documents"
    assert record.key == document.id.encode()
    assert decode(Topic.raw_documents, record.value) == document


def test_the_same_key_always_lands_in_the_same_partition():
    bus = InProcessBus(partitions=4)
    publisher = InProcessPublisher(bus)
    for _ in range(3):
        publisher.send(Topic.raw_documents, make_document(7))
    consumer = InProcessConsumer(bus, "g", ["raw-documents"])
    records = consumer.poll(10, 0.1)
    assert len({r.partition for r in records}) == 1
    assert [r.offset for r in records] == [0, 1, 2]


def test_send_refuses_a_message_of_another_schema():
    publisher = InProcessPublisher(InProcessBus())
    with pytest.raises(TypeError, match="carries Document"):
        publisher.send(Topic.raw_documents, Classification.model_validate(example("classification")))


def test_uncommitted_records_are_redelivered_to_the_next_member_committed_ones_are_not():
    bus = InProcessBus(partitions=1)
    publisher = InProcessPublisher(bus)
    for n in range(10):
        publisher.send(Topic.raw_documents, make_document(n))
    first = InProcessConsumer(bus, "g", ["raw-documents"])
    batch = first.poll(4, 0.1)
    first.commit({("raw-documents", 0): batch[-1].offset + 1})
    first.poll(4, 0.1)  # read, never committed: the member "dies"
    first.close()
    second = InProcessConsumer(bus, "g", ["raw-documents"])
    rest = second.poll(100, 0.1)
    assert [r.offset for r in rest] == list(range(4, 10))
    assert second.lag() == {("raw-documents", 0): 0}


def test_two_members_of_a_group_share_partitions_and_see_each_record_once():
    bus = InProcessBus(partitions=3)
    publisher = InProcessPublisher(bus)
    for n in range(60):
        publisher.send(Topic.raw_documents, make_document(n))
    a = InProcessConsumer(bus, "g", ["raw-documents"])
    b = InProcessConsumer(bus, "g", ["raw-documents"])
    seen_a = a.poll(100, 0.1)
    seen_b = b.poll(100, 0.1)
    assert a.assignment().isdisjoint(b.assignment())
    assert a.assignment() and b.assignment()
    numbers = [number(decode(Topic.raw_documents, r.value)) for r in seen_a + seen_b]
    assert sorted(numbers) == list(range(60))


def test_another_group_reads_everything_again():
    bus = InProcessBus(partitions=2)
    publisher = InProcessPublisher(bus)
    for n in range(5):
        publisher.send(Topic.raw_documents, make_document(n))
    for group in ("classify", "sink"):
        consumer = InProcessConsumer(bus, group, ["raw-documents"])
        assert len(consumer.poll(100, 0.1)) == 5
