"""The run ledger's counts: one row per (run id, UTC hour), whatever the moments' time zones."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.timeutil import hour_of
from vigil.warehouse.ledger import record_counts


class _Rows:
    """Stands in for the warehouse: keeps what would be inserted (the ledger's arithmetic is under test;
    the sink's tests write the same rows to chDB)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def insert(self, table: str, rows: list[dict]) -> int:
        assert table == "pipeline_counts"
        self.rows.extend(rows)
        return len(rows)


_zones = st.sampled_from([None, timezone.utc, timezone(timedelta(hours=5)), timezone(timedelta(hours=-3, minutes=-30))])
_moments = st.builds(lambda m, tz: m.replace(tzinfo=tz), st.datetimes(datetime(1990, 1, 1), datetime(2090, 1, 1)), _zones)


@given(st.lists(st.tuples(st.sampled_from(["run-a", "run-b"]), _moments), max_size=60))
def test_counts_are_those_of_hour_of_per_run(items):
    sink = _Rows()
    assert record_counts(sink, "stored", items) == len(items)
    expected = Counter((run_id, hour_of(moment)) for run_id, moment in items)
    assert {(r["run_id"], r["hour"]): r["count"] for r in sink.rows} == expected
    assert all(r["stage"] == "stored" and r["hour"].tzinfo is not None for r in sink.rows)


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown ledger stage"):
        record_counts(_Rows(), "guessed", [("run-a", datetime(2026, 1, 1, tzinfo=timezone.utc))])
