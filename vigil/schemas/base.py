"""What every message schema shares: a version field, strict types, JSON in and out."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, field_validator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Message(BaseModel):
    """Base of the bus messages. Subclasses set ``topic_key`` and a ``schema_version`` literal.

    Unknown fields are ignored rather than refused so that an older consumer keeps
    reading messages from a newer producer (fields are only ever added).
    """

    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=False)
    schema_name: ClassVar[str]

    @field_validator("*", mode="after")
    @classmethod
    def _aware_datetimes(cls, value: object) -> object:
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value

    def key(self) -> str:
        """The Kafka key: the document id this message is about."""
        raise NotImplementedError

    def to_json_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=False).encode("utf-8")

    @classmethod
    def from_json_bytes(cls, data: bytes | str) -> Self:
        return cls.model_validate_json(data)
