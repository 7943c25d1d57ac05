"""The message bus: topic registry, publishers and the consumer loop shared by every stage."""

from vigil.bus.base import Consumer, Publisher
from vigil.bus.connect import open_consumer, open_publisher, prepare_topics
from vigil.bus.consumer_loop import RunCounts, run_stage
from vigil.bus.dead_letter import DeadLetter
from vigil.bus.errors import BusError, DecodeError, DeliveryError
from vigil.bus.records import Record
from vigil.bus.runner import run_stages, stop_on_signals
from vigil.bus.stage import Batching, Processed, Sink, Stage
from vigil.bus.topics import STAGE_DEAD_LETTERS, TOPICS, Topic, TopicSpec

__all__ = [
    "Batching", "BusError", "Consumer", "DeadLetter", "DecodeError", "DeliveryError", "Processed",
    "Publisher", "Record", "RunCounts", "STAGE_DEAD_LETTERS", "Sink", "Stage", "TOPICS", "Topic",
    "TopicSpec", "open_consumer", "open_publisher", "prepare_topics", "run_stage", "run_stages", "stop_on_signals",
]
