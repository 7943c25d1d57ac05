"""The bus's exceptions: a failed delivery is raised to the caller, never dropped."""

from __future__ import annotations


class BusError(RuntimeError):
    """Base of the bus errors."""


class DeliveryError(BusError):
    """A message was not acknowledged (broker down past the retries, too large, timed out...)."""


class DecodeError(BusError):
    """A record's bytes are not a UTF-8 JSON object, or its topic has no schema."""


class CommitError(BusError):
    """Offsets were not committed (e.g. the group rebalanced): the batch will be redelivered."""
