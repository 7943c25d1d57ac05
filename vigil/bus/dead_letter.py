"""``DeadLetter``: what a stage writes to its dead-letter topic instead of crashing.

It keeps everything needed to understand and replay the failure: the stage,
why it failed (decode, validation or processing, with the error), and the
original record's bytes (base64), topic, partition and offset. A record too large
for its dead letter to fit on the bus (one a foreign producer compressed past the
broker's limit) keeps only its first ``MAX_PAYLOAD_BYTES``, and says so.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from vigil.bus.records import MAX_MESSAGE_BYTES, Record
from vigil.schemas.base import Message, utcnow

FailureKind = Literal["decode", "validation", "processing"]
MAX_REASON_CHARS = 2000
MAX_PAYLOAD_BYTES = (MAX_MESSAGE_BYTES - 64 * 1024) // 4 * 3  # base64 grows it by 4/3; room for the rest


class DeadLetter(Message):
    schema_name: ClassVar[str] = "dead_letter"

    schema_version: Literal[1] = 1
    stage: str
    kind: FailureKind
    error: str = Field(description="exception class name")
    reason: str = Field(max_length=MAX_REASON_CHARS)
    topic: str = Field(description="full name of the topic the record came from")
    partition: int = Field(ge=0)
    offset: int = Field(ge=0)
    original_key: str | None = None
    payload_b64: str
    failed_at: datetime = Field(default_factory=utcnow)
    payload_truncated_from: int | None = Field(
        default=None, description="the record's size when payload_b64 holds only its first MAX_PAYLOAD_BYTES")

    def key(self) -> str:
        return self.original_key or ""

    def payload(self) -> bytes:
        """The original record's value, byte for byte."""
        try:
            return base64.b64decode(self.payload_b64, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"dead letter payload is not base64: {exc}") from None


def dead_letter(
    record: Record, stage: str, kind: FailureKind, error: BaseException, reason: str | None = None
) -> DeadLetter:
    """The dead letter for ``record`` that failed in ``stage`` (``reason`` defaults to the error's text)."""
    reason = reason or str(error) or repr(error)
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1] + "…"
    return DeadLetter(
        stage=stage,
        kind=kind,
        error=type(error).__name__,
        reason=reason,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        original_key=record.key.decode("utf-8", "replace") if record.key else None,
        payload_b64=base64.b64encode(record.value[:MAX_PAYLOAD_BYTES]).decode("ascii"),
        payload_truncated_from=len(record.value) if len(record.value) > MAX_PAYLOAD_BYTES else None,
    )
