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
class Stage(Generic[Out]):
    name: str
    input: Topic
    process: Callable[[Message], Iterable[Out]]
    sink: Sink
    dead_letter: Topic | None = None  # default: STAGE_DEAD_LETTERS[name]
    consumer_group: str | None = None  # default: the stage's name

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
