"""``Stage``: what differs between consumers — the input topic, a pure ``process`` and a sink.

Everything else (polling, decoding, dead letters, commits, metrics, shutdown)
is the one loop in :mod:`vigil.bus.consumer_loop`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from vigil.bus.records import Record
from vigil.bus.topics import STAGE_DEAD_LETTERS, Topic
from vigil.schemas import Message

Out = TypeVar("Out")


@dataclass(frozen=True)
class Processed(Generic[Out]):
    """One result of ``process`` with the record it came from (partition and offset for sinks)."""

    value: Out
    source: Record


class Sink(Protocol):
    """Writes one batch of results; raising leaves the batch uncommitted, to be redelivered."""

    def write(self, results: Sequence[Processed[Any]]) -> None: ...


@dataclass(frozen=True)
class Batching:
    """How much a stage gathers before it writes, after snuba's batching consumers: polls go on while
    records keep coming (each waits at most ``idle_s`` for one), until ``records`` records or ``max_bytes``
    bytes of payload are in hand or ``wait_s`` seconds have passed since the first came. So a backlog is
    written in large batches, and a slow stream as it comes, ``idle_s`` later than without batching.
    ClickHouse wants few large inserts (each insert writes a part in every table and view it reaches, and
    every part is merged later), so the sink gathers; a stage whose cost is per record (the classifier)
    writes what each poll brings."""

    records: int
    max_bytes: int = 64 * 2**20
    wait_s: float = 1.0
    idle_s: float = 0.1

    def __post_init__(self) -> None:
        if self.records < 1 or self.max_bytes < 1 or self.wait_s < 0 or self.idle_s < 0:
            raise ValueError(f"batching needs records >= 1, max_bytes >= 1, wait_s >= 0 and idle_s >= 0, not {self}")


@dataclass(frozen=True)
class Stage(Generic[Out]):
    name: str
    input: Topic
    process: Callable[[Message], Iterable[Out]]
    sink: Sink
    dead_letter: Topic | None = None  # default: STAGE_DEAD_LETTERS[name]
    consumer_group: str | None = None  # default: the stage's name
    batching: Batching | None = None  # default: each poll is a batch
    # Records a poll may bring (default: bus.max_poll_records). A stage that is slow per record polls fewer:
    # Kafka drops a member that has not polled again within max_poll_interval_ms, and redelivers its batch.
    max_records: int | None = None

    @property
    def group(self) -> str:
        """The consumer group (prefixed by ``bus.client_id``) every process running this stage joins."""
        return self.consumer_group or self.name

    @property
    def dead_letter_topic(self) -> Topic:
        if self.dead_letter is not None:
            return self.dead_letter
        try:
            return STAGE_DEAD_LETTERS[self.name]
        except KeyError:
            raise ValueError(
                f"stage {self.name!r} has no dead-letter topic: add it to STAGE_DEAD_LETTERS "
                f"or pass dead_letter="
            ) from None
