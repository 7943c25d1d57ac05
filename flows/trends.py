"""Trends: hourly flagged counts per category x source x language x model version, and the
spike alerts raised on them (see :mod:`flows.spikes` for the method).

Series never mix model versions: a model change starts new series, which need a
history before they can alert, so a new model's different rates are not read as
a trend. Each alert names what drove it: the sources carrying the category in
that hour, the terms rising in the flagged documents against the same series'
baseline days, and clusters of near-duplicate documents (copy-paste campaigns).
Alert ids hash the series and the hour, so re-running the flow never repeats one.

Which hours are judged: every hour whose counts changed since the last judgment,
whatever its age, and every hour completed since. Documents often arrive late (a
channel crawled for the first time with its history, a delayed crawl), so a window
of recent wall-clock hours would leave their hours unjudged. Each judgment records a
watermark in ``trend_judgments``: the last classification event it saw and the end of
the hours it judged. An alert raised more than :data:`LATE_AFTER` after its window is
marked ``late``, so it can be shown apart from a spike seen as it happened.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

import pandas as pd

from flows.spikes import Spike, spike_at
from flows.terms import log_odds, term_counts
from vigil.logs import counted_step, get_logger
from vigil.text.simhash import cluster_signatures
from vigil.timeutil import as_utc, hour_of
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row
from vigil.warehouse.sink import backfill_events

log = get_logger(__name__)
HOUR = timedelta(hours=1)
SERIES_KEY = ["model_version", "category", "source_id", "language"]
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# An alert raised this long after its window ended comes from late data.
LATE_AFTER = timedelta(hours=3)
# Events recorded this long before the watermark are looked at again: on a server, an insert
# can become visible after a later one, and judging an hour twice is harmless (alert ids).
SETTLE = timedelta(minutes=5)
_FLAGGED_DOCS = (
    "SELECT id, text, near_duplicate_signature, content_hash FROM documents FINAL WHERE id IN ("
    " SELECT document_id FROM classification_events WHERE sign > 0 AND has(labels, {category:String})"
    " AND model_version = {model:String} AND source_id = {source:String} AND language = {language:String}"
    " AND event_at >= {start:DateTime64(3, 'UTC')} AND event_at < {end:DateTime64(3, 'UTC')}) LIMIT {limit:UInt32}"
)


@dataclass(frozen=True)
class SpikeSettings:
    threshold: float = 4.0
    min_count: int = 5
    seasons: int = 7


@dataclass
class Alert:
    window_start: datetime
    category: str
    source_id: str
    language: str
    model_version: str
    observed: float
    expected: float
    score: float
    method: str = "seasonal-robust-z"
    drivers: dict = field(default_factory=dict)
    raised_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def alert_id(self) -> str:
        key = "|".join([self.category, self.source_id, self.language, self.model_version,
                        self.window_start.isoformat()])
        return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()

    @property
    def late(self) -> bool:
        """Raised more than :data:`LATE_AFTER` after its window ended: the data arrived late."""
        return self.raised_at - (self.window_start + HOUR) > LATE_AFTER

    @property
    def summary(self) -> str:
        return (f"{self.category} in {self.source_id} ({self.language or 'unknown language'}): "
                f"{self.observed:g} flagged documents in the hour from {self.window_start:%Y-%m-%d %H:%M} UTC, "
                f"expected about {self.expected:g} (robust z {self.score:.1f}, model {self.model_version})")

    def row(self) -> dict:
        data = asdict(self)
        data.update(alert_id=self.alert_id, window_end=self.window_start + HOUR, summary=self.summary,
                    late=self.late, drivers=json.dumps(self.drivers, ensure_ascii=False, default=str))
        return data


def refresh_aggregates(warehouse: Warehouse, now: datetime, lookback_days: int = 3) -> int:
    """Make the aggregates whole: count classifications whose documents arrived late."""
    return backfill_events(warehouse, now - timedelta(days=lookback_days))


@dataclass(frozen=True)
class Watermark:
    """Where the last judgment stopped: the last classification event it saw (``recorded_at``)
    and the end of the complete hours it judged; the epoch for both before the first one."""

    events_until: datetime = EPOCH
    hours_until: datetime = EPOCH


def last_judgment(warehouse: Warehouse) -> Watermark:
    """The watermark the trends runs have reached (both parts only ever move forward)."""
    row = warehouse.query("SELECT count() AS judgments, max(events_until) AS events, max(hours_until) AS hours "
                          "FROM trend_judgments")[0]
    return Watermark(as_utc(row["events"]), as_utc(row["hours"])) if row["judgments"] else Watermark()


def events_seen(warehouse: Warehouse) -> datetime:
    """The ``recorded_at`` of the last classification event stored (the epoch when none is)."""
    return as_utc(warehouse.scalar("SELECT max(recorded_at) FROM classification_events") or EPOCH)


def hours_to_judge(warehouse: Warehouse, mark: Watermark, end: datetime) -> dict[tuple, set[datetime]]:
    """The complete hours (before ``end``) to judge per stream (model version, source, language):
    those with events recorded after the watermark, whatever their age (their counts changed),
    and those from the watermark's ``hours_until`` on (completed since the last judgment)."""
    rows = warehouse.query(
        "SELECT DISTINCT model_version, source_id, language, toStartOfHour(event_at) AS hour "
        "FROM classification_events WHERE (recorded_at > {since:DateTime64(3, 'UTC')} "
        "OR event_at >= {hours_until:DateTime64(3, 'UTC')}) AND event_at < {end:DateTime64(3, 'UTC')}",
        dict(since=max(mark.events_until - SETTLE, EPOCH), hours_until=mark.hours_until, end=end),
    )
    found: dict[tuple, set[datetime]] = {}
    for r in rows:
        found.setdefault((r["model_version"], r["source_id"], r["language"]), set()).add(hour_of(r["hour"]))
    return found


def hourly_flagged(warehouse: Warehouse, start: datetime, end: datetime, sources: list[str]) -> pd.DataFrame:
    """Flagged documents per hour and series of ``sources`` in [start, end), from the hourly
    aggregate; category 'any' rows carry every classified document, which tells when each series began."""
    return warehouse.query_df(
        "SELECT hour, model_version, category, source_id, language, sum(flagged) AS flagged, "
        "sum(documents) AS documents FROM counts_hourly WHERE hour >= {start:DateTime64(3, 'UTC')} "
        "AND hour < {end:DateTime64(3, 'UTC')} AND source_id IN {sources:Array(String)} "
        "GROUP BY hour, model_version, category, source_id, language",
        dict(start=start, end=end, sources=sources),
    )


def series_begin(frame: pd.DataFrame) -> dict[tuple, pd.Timestamp]:
    """First hour with any classified document per (model version, source, language)."""
    seen = frame[(frame["category"] == "any") & (frame["documents"] > 0)]
    return seen.groupby(["model_version", "source_id", "language"])["hour"].min().to_dict()


def series_spikes(frame: pd.DataFrame, judge: dict[tuple, set[datetime]],
                  spike: SpikeSettings) -> list[tuple[tuple, datetime, Spike]]:
    """Spikes per series in the hours ``judge`` names for its stream, each against the same hour of
    the ``spike.seasons`` days before (``frame`` must reach that far back; hours before the stream
    began have no data, which is not zero)."""
    found = []
    if frame.empty:
        return found
    frame = frame.assign(hour=pd.to_datetime(frame["hour"], utc=True))
    began = series_begin(frame)
    for key, group in frame[frame["category"] != "any"].groupby(SERIES_KEY, sort=True):
        model, _, source, language = key
        first = began.get((model, source, language), group["hour"].min())
        flagged = dict(zip(group["hour"], group["flagged"].astype(float)))
        for hour in sorted(judge.get((model, source, language), ())):
            same_hour = [pd.Timestamp(hour) - timedelta(days=k) for k in range(spike.seasons, -1, -1)]
            values = [None if at < first else flagged.get(at, 0.0) for at in same_hour]
            hit = spike_at(values, spike.seasons, period=1, seasons=spike.seasons, threshold=spike.threshold,
                           min_count=spike.min_count)
            if hit is not None:
                found.append((key, hour, hit))
    return found


def near_duplicate_clusters(rows: list[Row], top: int = 5) -> list[dict]:
    """Groups of reposts among ``rows`` (identical content hash, or SimHash signatures within
    ``NEAR_DUPLICATE_BITS``), largest first, each with its size and up to three document ids."""
    by_hash: dict[str, list[Row]] = {}
    for row in rows:
        by_hash.setdefault(row["content_hash"], []).append(row)
    copies = list(by_hash.values())
    labels = cluster_signatures([group[0]["near_duplicate_signature"] or "" for group in copies])
    clusters: dict[int, list[Row]] = {}
    for label, group in zip(labels, copies):
        clusters.setdefault(label, []).extend(group)
    found = sorted((members for members in clusters.values() if len(members) > 1), key=lambda m: -len(m))[:top]
    return [{"signature": members[0]["near_duplicate_signature"] or members[0]["content_hash"],
             "documents": len(members), "examples": [m["id"] for m in members[:3]]} for members in found]


def drivers(warehouse: Warehouse, key: tuple, hour: datetime, seasons: int, limit: int = 2000) -> dict:
    """What drove a spike: top sources of the category, rising terms, near-duplicate clusters."""
    model, category, source, language = key
    top_sources = warehouse.query(
        "SELECT source_id, sum(flagged) AS flagged FROM counts_hourly WHERE model_version = {model:String} "
        "AND category = {category:String} AND language = {language:String} AND hour = {hour:DateTime64(3, 'UTC')} "
        "GROUP BY source_id ORDER BY flagged DESC, source_id LIMIT 5",
        dict(model=model, category=category, language=language, hour=hour),
    )
    base = dict(category=category, model=model, source=source, language=language, limit=limit)
    recent = warehouse.query(_FLAGGED_DOCS, dict(**base, start=hour, end=hour + HOUR))
    history = warehouse.query(_FLAGGED_DOCS, dict(**base, start=hour - timedelta(days=seasons), end=hour))
    terms = log_odds(term_counts(r["text"] for r in recent), term_counts(r["text"] for r in history),
                     min_recent=2, top=10)
    clusters = near_duplicate_clusters(recent)
    return {
        "top_sources": [{"source_id": r["source_id"], "flagged": int(r["flagged"])} for r in top_sources],
        "top_terms": [{"term": t.term, "kind": t.kind, "z": t.z, "recent": t.recent} for t in terms],
        "near_duplicate_clusters": clusters,
        "model_version": model,
    }


def detect_alerts(warehouse: Warehouse, now: datetime, judge: dict[tuple, set[datetime]],
                  spike: SpikeSettings = SpikeSettings()) -> list[Alert]:
    """Alerts raised at ``now``, with their drivers, for the hours ``judge`` names per stream
    (model version, source, language); each series is judged against the ``spike.seasons`` days
    before the hour, whatever the hour's age."""
    if not judge:
        return []
    start = min(min(hours) for hours in judge.values()) - timedelta(days=spike.seasons)
    end = max(max(hours) for hours in judge.values()) + HOUR
    frame = hourly_flagged(warehouse, start, end, sorted({source for _, source, _ in judge}))
    alerts = []
    for key, hour, hit in series_spikes(frame, judge, spike):
        model, category, source, language = key
        alerts.append(Alert(hour, category, source, language, model, hit.observed, hit.expected, hit.z,
                            drivers=drivers(warehouse, key, hour, spike.seasons), raised_at=as_utc(now)))
    return alerts


def store_alerts(warehouse: Warehouse, alerts: list[Alert]) -> int:
    """Store alerts not stored before (ids are deterministic); return how many are new."""
    if not alerts:
        return 0
    ids = [a.alert_id for a in alerts]
    known = {r["alert_id"] for r in warehouse.query(
        "SELECT alert_id FROM alerts WHERE alert_id IN {ids:Array(String)}", dict(ids=ids))}
    fresh = [a for a in alerts if a.alert_id not in known]
    warehouse.insert("alerts", [a.row() for a in fresh])
    return len(fresh)


def record_judgment(warehouse: Warehouse, now: datetime, mark: Watermark, judged: int, alerts_new: int) -> None:
    """Move the watermark to ``mark``, with what this judgment did (hours judged, alerts raised)."""
    warehouse.insert("trend_judgments", [{"judged_at": now, "events_until": mark.events_until,
                                          "hours_until": mark.hours_until, "judged": judged,
                                          "alerts_new": alerts_new}])


def run_trends(warehouse: Warehouse, now: datetime, spike: SpikeSettings = SpikeSettings()) -> dict[str, int]:
    """The trends step: refresh the aggregates, judge every hour changed or completed since the
    last judgment, store the new alerts, then move the watermark (a failed step moves nothing,
    so the next run judges those hours again)."""
    with counted_step(log, "trends") as counts:
        counts["backfilled"] = refresh_aggregates(warehouse, now)
        end = hour_of(now)
        seen = events_seen(warehouse)  # before judging: events recorded meanwhile wait for the next run
        judge = hours_to_judge(warehouse, last_judgment(warehouse), end)
        counts["judged"] = sum(len(hours) for hours in judge.values())
        alerts = detect_alerts(warehouse, now, judge, spike)
        counts["spikes"] = len(alerts)
        counts["alerts_new"] = store_alerts(warehouse, alerts)
        record_judgment(warehouse, now, Watermark(seen, end), counts["judged"], counts["alerts_new"])
        return dict(counts)
