"""The analysts' filters, read from and written back to the URL's query string.

Every trend page, the search and the exports read the same names, so a page's URL is its bookmark and a
link from a chart carries its filters on to the documents behind it (``/search``):

    start, end    the time range, in UTC. A date (``2026-05-01``) means that whole day, so ``end`` is
                  inclusive; a time (``2026-05-03T14:00``) is an instant, and ``end`` is then exclusive
                  (the charts link hour buckets so). Default: the last 30 days, today included.
    category      empty: every category; ``any``: flagged in at least one; else one category
    source        a source id;  language  an ISO 639-1 code;  model  a model version (empty: the
                  current one, see ``views.options``)
    granularity   ``hour`` (for ranges up to 92 days; longer ones show days), ``day`` (default) or ``week``
    measure       ``count`` (default) or ``share``: flagged documents as a share of all documents

A value that does not parse falls back to its default instead of failing the page, so an old shared link
still opens. The compare page reads two sets, with the prefixes ``a_`` and ``b_``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from vigil.schemas import CATEGORIES

GRANULARITIES = ("hour", "day", "week")
MEASURES = ("count", "share")
ANY = "any"  # flagged in at least one category
DEFAULT_DAYS = 30
MAX_HOURLY = timedelta(days=92)  # a longer range drawn by the hour would be too many points
DAY = timedelta(days=1)
_MAX_VALUE = 200
_FIRST_YEAR, _LAST_YEAR = 1970, 2200  # what the warehouse's DateTime64 columns hold


@dataclass(frozen=True)
class Filters:
    since: datetime  # inclusive, UTC
    until: datetime  # exclusive, UTC
    category: str = ""
    source: str = ""
    language: str = ""
    model: str = ""
    granularity: str = "day"
    measure: str = "count"

    @classmethod
    def parse(cls, params: Mapping[str, str], today: date | None = None, prefix: str = "") -> Filters:
        """The filters in ``params`` (names after ``prefix``), defaults for what is missing or invalid."""
        def get(name: str) -> str:
            return (params.get(prefix + name) or "").strip()[:_MAX_VALUE]

        until = _moment(get("end"), end=True) or _midnight((today or _today()) + DAY)
        since = _moment(get("start"), end=False) or until - DEFAULT_DAYS * DAY
        if since >= until:
            until = since + DAY
        category, granularity = get("category"), get("granularity")
        if granularity not in GRANULARITIES or (granularity == "hour" and until - since > MAX_HOURLY):
            granularity = "day"
        return cls(
            since=since, until=until,
            category=category if category in (ANY, *CATEGORIES) else "",
            source=get("source"), language=get("language"), model=get("model"),
            granularity=granularity,
            measure=get("measure") if get("measure") in MEASURES else "count",
        )

    @property
    def flagged_category(self) -> str:
        """The category the aggregates count as flagged: the chosen one, or ``any``."""
        return self.category or ANY

    @property
    def day_aligned(self) -> bool:
        """Whether the range starts and ends at midnight (the daily aggregate can answer it)."""
        return _is_midnight(self.since) and _is_midnight(self.until)

    @property
    def start_text(self) -> str:
        return _text(self.since)

    @property
    def end_text(self) -> str:
        """``end`` as the URL writes it: the last day (inclusive), or the exclusive instant."""
        return _text(self.until - DAY) if _is_midnight(self.until) else _text(self.until)

    @property
    def start_date(self) -> date:
        return self.since.date()

    @property
    def end_date(self) -> date:
        """The last day the range touches (for a date input)."""
        return (self.until - timedelta(microseconds=1)).date()

    def previous(self) -> Filters:
        """The same filters over the period of the same length just before."""
        return replace(self, since=self.since - (self.until - self.since), until=self.since)

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)  # type: ignore[arg-type]

    def params(self, prefix: str = "") -> dict[str, str]:
        """The URL parameters: the range always, the rest when not the default."""
        values = {"start": self.start_text, "end": self.end_text, "category": self.category,
                  "source": self.source, "language": self.language, "model": self.model,
                  "granularity": "" if self.granularity == "day" else self.granularity,
                  "measure": "" if self.measure == "count" else self.measure}
        return {prefix + name: value for name, value in values.items() if value}

    def name_parts(self) -> list[str]:
        """What an export's file name says of these filters: the range, then what is chosen."""
        return [self.start_text, self.end_text, self.category, self.source, self.language]


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _is_midnight(moment: datetime) -> bool:
    return moment.time() == time()


def _moment(text: str, *, end: bool) -> datetime | None:
    """A date (a whole day: its midnight, or the next one for an end) or an instant, in UTC."""
    if not text:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = _midnight(day + DAY if end else day)
        else:
            moment = datetime.fromisoformat(text)
            moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None
    return moment if _FIRST_YEAR <= moment.year <= _LAST_YEAR else None


def _text(moment: datetime) -> str:
    return moment.date().isoformat() if _is_midnight(moment) else moment.strftime("%Y-%m-%dT%H:%M")
