"""The analysts' filters: read from the query string, written back to it unchanged, defaults for
anything missing or invalid."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from dashboards.filters import Filters

TODAY = date(2026, 5, 31)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_the_default_is_the_last_30_days_today_included() -> None:
    filters = Filters.parse({}, TODAY)
    assert (filters.since, filters.until) == (utc(2026, 5, 2), utc(2026, 6, 1))
    assert (filters.start_text, filters.end_text) == ("2026-05-02", "2026-05-31")
    assert (filters.category, filters.granularity, filters.measure) == ("", "day", "count")


def test_dates_are_whole_days_and_times_are_instants() -> None:
    days = Filters.parse({"start": "2026-05-01", "end": "2026-05-31"}, TODAY)
    assert (days.since, days.until, days.day_aligned) == (utc(2026, 5, 1), utc(2026, 6, 1), True)
    hour = Filters.parse({"start": "2026-05-03T14:00", "end": "2026-05-03T15:00"}, TODAY)
    assert (hour.since, hour.until, hour.day_aligned) == (utc(2026, 5, 3, 14), utc(2026, 5, 3, 15), False)
    assert (hour.start_text, hour.end_text) == ("2026-05-03T14:00", "2026-05-03T15:00")
    assert (hour.start_date, hour.end_date) == (date(2026, 5, 3), date(2026, 5, 3))
    midnight = Filters.parse({"start": "2026-05-03T00:00", "end": "2026-05-04T00:00"}, TODAY)
    assert (midnight.start_text, midnight.end_text) == ("2026-05-03", "2026-05-03")  # the same day, as a date


@pytest.mark.parametrize("params", [
    {"start": "2026-05-01", "end": "2026-05-31", "category": "xenophobia", "source": "site-a", "language": "ru",
     "model": "m-2", "granularity": "week", "measure": "share"},
    {"start": "2026-05-03T14:00", "end": "2026-05-03T15:00", "category": "any", "granularity": "hour"},
    {"start": "2026-05-01", "end": "2026-05-01"},
])
def test_the_url_round_trips(params: dict[str, str]) -> None:
    filters = Filters.parse(params, TODAY)
    assert filters.params() == params
    assert Filters.parse(filters.params(), TODAY) == filters


def test_a_prefix_reads_another_set() -> None:
    filters = Filters.parse({"a_start": "2026-04-01", "a_end": "2026-04-30", "a_source": "x", "source": "y"},
                            TODAY, prefix="a_")
    assert (filters.since, filters.source) == (utc(2026, 4, 1), "x")
    assert filters.params("a_")["a_source"] == "x"


@pytest.mark.parametrize("name, value", [
    ("start", "yesterday"), ("end", "2026-13-01"), ("category", "hate"), ("granularity", "minute"),
    ("measure", "ratio"), ("end", "9999-12-31"), ("start", "0001-01-01"),
])
def test_a_value_that_does_not_parse_falls_back_to_its_default(name: str, value: str) -> None:
    assert Filters.parse({name: value}, TODAY) == Filters.parse({}, TODAY)


def test_hours_are_drawn_for_ranges_up_to_92_days() -> None:
    def granularity(start: str) -> str:
        return Filters.parse({"start": start, "end": "2026-05-31", "granularity": "hour"}, TODAY).granularity

    assert (granularity("2026-03-01"), granularity("2026-02-28")) == ("hour", "day")


def test_an_end_before_the_start_gives_one_day() -> None:
    filters = Filters.parse({"start": "2026-05-10", "end": "2026-05-01"}, TODAY)
    assert (filters.since, filters.until) == (utc(2026, 5, 10), utc(2026, 5, 11))


def test_the_previous_period_has_the_same_length() -> None:
    filters = Filters.parse({"start": "2026-05-11", "end": "2026-05-20", "source": "s"}, TODAY).previous()
    assert (filters.since, filters.until, filters.source) == (utc(2026, 5, 1), utc(2026, 5, 11), "s")


def test_a_file_name_says_the_range_and_what_is_chosen() -> None:
    filters = Filters.parse({"start": "2026-05-01", "end": "2026-05-31", "language": "ru"}, TODAY)
    assert filters.name_parts() == ["2026-05-01", "2026-05-31", "", "", "ru"]
