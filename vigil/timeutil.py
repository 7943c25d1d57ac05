"""Time helpers every stage shares: all moments are UTC, hours are the warehouse's buckets."""

from __future__ import annotations

from datetime import datetime, timezone


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is taken to be UTC already (as ClickHouse returns them)."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def hour_of(moment: datetime) -> datetime:
    """The UTC hour ``moment`` falls in (the bucket of the hourly counts and the run ledger)."""
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


def hour_number(moment: datetime) -> int:
    """Hours since the epoch to the UTC hour :func:`hour_of` gives: cheaper to count by than a datetime."""
    return int((moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp() // 3600)
