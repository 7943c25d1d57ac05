"""Dead-letter topics read back: inspect them, and replay them under an explicit policy.

Replay re-sends each dead letter's original bytes, unchanged, to the topic
they came from, so the stage that failed sees them again (after its bug is
fixed, or its dependency is back). The policy says what to do with a payload
that still does not fit its topic's schema:

- ``stop-on-error``: stop at the first such letter; everything before it is
  replayed and committed, so the next replay starts at that letter.
- ``re-send``: re-send every payload as it is (an invalid one dead-letters again).
- ``drop-invalid``: re-send the valid ones, drop the invalid ones (counted).

A letter whose payload was truncated (see :mod:`vigil.bus.dead_letter`) is never
re-sent: ``stop-on-error`` stops at it, the other policies drop it (counted).

Replays commit their progress in the consumer group ``dlq-replay``: a letter is
replayed once. Inspection never commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

from pydantic import ValidationError

from vigil.bus.base import Consumer, Publisher
from vigil.bus.codec import decode
from vigil.bus.dead_letter import DeadLetter
from vigil.bus.errors import DecodeError
from vigil.bus.records import Record, next_offsets
from vigil.bus.topics import Topic
from vigil.logs import get_logger

log = get_logger(__name__)
REPLAY_GROUP = "dlq-replay"
INSPECT_GROUP = "dlq-inspect"


class ReplayPolicy(str, Enum):
    stop_on_error = "stop-on-error"
    resend = "re-send"
    drop_invalid = "drop-invalid"


@dataclass
class ReplayReport:
    read: int = 0
    resent: int = 0
    dropped: int = 0
    unreadable: int = 0
    stopped_at: DeadLetter | None = None
    stop_reason: str | None = None
    by_topic: dict[str, int] = field(default_factory=dict)


def read_dead_letters(consumer: Consumer, limit: int | None = None,
                      idle_s: float = 1.0) -> Iterator[tuple[Record, DeadLetter | None]]:
    """Every record of the dead-letter topic until none comes for ``idle_s`` (None: unreadable)."""
    read = 0
    while limit is None or read < limit:
        records = consumer.poll(500 if limit is None else min(500, limit - read), idle_s)
        if not records:
            if consumer.assignment():
                return
            continue
        for record in records:
            read += 1
            yield record, _letter(record)


def _letter(record: Record) -> DeadLetter | None:
    try:
        return DeadLetter.from_json_bytes(record.value)
    except ValidationError:
        return None


def payload_problem(letter: DeadLetter, prefix: str) -> str | None:
    """Why ``letter``'s payload would fail again at decoding, or None if it fits its topic."""
    if letter.payload_truncated_from is not None:
        return f"payload truncated: {len(letter.payload())} of {letter.payload_truncated_from} bytes kept"
    try:
        decode(Topic.from_name(letter.topic, prefix), letter.payload())
    except (DecodeError, ValueError) as exc:  # ValidationError is a ValueError
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


def replay(consumer: Consumer, publisher: Publisher, policy: ReplayPolicy, prefix: str,
           limit: int | None = None, idle_s: float = 1.0) -> ReplayReport:
    """Re-send dead letters to their original topics under ``policy``; commit what was handled."""
    report = ReplayReport()
    handled: list[Record] = []
    for record, letter in read_dead_letters(consumer, limit, idle_s):
        report.read += 1
        problem = "not a dead letter" if letter is None else payload_problem(letter, prefix)
        if problem and policy is ReplayPolicy.stop_on_error:
            report.stopped_at, report.stop_reason = letter, f"offset {record.offset}: {problem}"
            break
        if letter is None:
            report.unreadable += 1
        elif problem and (policy is ReplayPolicy.drop_invalid or letter.payload_truncated_from is not None):
            report.dropped += 1
            log.info("dropped an invalid dead letter", extra={"offset": record.offset, "problem": problem})
        else:
            publisher.send_raw(letter.topic, letter.original_key.encode() if letter.original_key else None,
                               letter.payload())
            report.resent += 1
            report.by_topic[letter.topic] = report.by_topic.get(letter.topic, 0) + 1
        handled.append(record)
    publisher.flush()
    consumer.commit(next_offsets(handled))
    return report
