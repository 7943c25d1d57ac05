"""Bytes on the wire <-> schema-checked messages, by topic.

Every topic's schema comes from the registry in :mod:`vigil.bus.topics`; a
record is decoded against its own topic's schema, so a producer and a consumer
can never disagree on what a topic carries.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from vigil.bus.errors import DecodeError
from vigil.bus.topics import TOPICS, Topic
from vigil.schemas import Message


def encode(topic: Topic, message: Message) -> tuple[bytes, bytes]:
    """(key, value) for ``message`` on ``topic``; refuses a message of another schema."""
    schema = TOPICS[topic].schema
    if schema is not None and not isinstance(message, schema):
        raise TypeError(f"topic {topic.value} carries {schema.__name__}, not {type(message).__name__}")
    key = message.key()
    return (key.encode("utf-8") if key else b""), message.to_json_bytes()


def decode(topic: Topic, value: bytes) -> Message:
    """The message in ``value``. Raises :class:`DecodeError` for bytes that are not a JSON
    object and pydantic's ``ValidationError`` for JSON that does not fit the schema."""
    schema = TOPICS[topic].schema
    if schema is None:
        raise DecodeError(f"topic {topic.value} has no schema")
    try:
        return schema.model_validate_json(value)
    except ValidationError as exc:
        if _is_json_object(value):
            raise
        raise DecodeError(f"not a UTF-8 JSON object: {exc.errors()[0]['msg']}") from None


def _is_json_object(value: bytes) -> bool:
    try:
        return isinstance(json.loads(value), dict)
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deeply to be one
        return False
