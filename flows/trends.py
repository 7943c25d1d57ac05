"""Trends: hourly flagged counts per category x source x language x model version, and the
spike alerts raised on them (see :mod:`flows.spikes` for the method).

Series never mix model versions: a model change starts new series, which need a
history before they can alert, so a new model's different rates are not read as
a trend. Each alert names what drove it: the sources carrying the category in
that hour, the terms rising in the flagged documents against the same series'
baseline days, and clusters of near-duplicate documents (copy-paste campaigns).
Alert ids hash the series and the hour, so re-running the flow never repeats one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

import pandas as pd

from flows.spikes import Spike, detect_spikes
from flows.terms import log_odds, term_counts
from vigil.logs import counted_step, get_logger
from vigil.stages.sink import backfill_events
from vigil.warehouse import Warehouse
from vigil.warehouse.base import Row

log = get_logger(__name__)
HOUR = timedelta(hours=1)
SERIES_KEY = ["model_version", "category", "source_id", "language"]
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
    def summary(self) -> str:
        return (f"{self.category} in {self.source_id} ({self.language or 'unknown language'}): "
                f"{self.observed:g} flagged documents in the hour from {self.window_start:%Y-%m-%d %H:%M} UTC, "
                f"expected about {self.expected:g} (robust z {self.score:.1f}, model {self.model_version})")

    def row(self) -> dict:
        data = asdict(self)
        data.update(alert_id=self.alert_id, window_end=self.window_start + HOUR, summary=self.summary,
                    drivers=json.dumps(self.drivers, ensure_ascii=False, default=str))
        return data


def floor_hour(moment: datetime) -> datetime:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def refresh_aggregates(warehouse: Warehouse, now: datetime, lookback_days: int = 3) -> int:
    """Make the aggregates whole: count classifications whose documents arrived late."""
    return backfill_events(warehouse, now - timedelta(days=lookback_days))


def hourly_flagged(warehouse: Warehouse, start: datetime, end: datetime) -> pd.DataFrame:
    """Flagged documents per hour and series in [start, end), from the hourly aggregate; category
    'any' rows carry every classified document, which tells when each series began."""
    return warehouse.query_df(
        "SELECT hour, model_version, category, source_id, language, sum(flagged) AS flagged, "
        "sum(documents) AS documents FROM counts_hourly WHERE hour >= {start:DateTime64(3, 'UTC')} "
        "AND hour < {end:DateTime64(3, 'UTC')} GROUP BY hour, model_version, category, source_id, language",
        dict(start=start, end=end),
    )


def series_begin(frame: pd.DataFrame) -> dict[tuple, pd.Timestamp]:
    """First hour with any classified document per (model version, source, language)."""
    seen = frame[(frame["category"] == "any") & (frame["documents"] > 0)]
    return seen.groupby(["model_version", "source_id", "language"])["hour"].min().to_dict()


def series_spikes(frame: pd.DataFrame, start: datetime, end: datetime, judge_from: datetime,
                  spike: SpikeSettings) -> list[tuple[tuple, datetime, Spike]]:
    """Spikes per series in the hours from ``judge_from`` (earlier hours are history)."""
    hours = pd.date_range(start, end - HOUR, freq="h", tz="UTC")
    judge_index = int((judge_from - start) / HOUR)
    found = []
    if frame.empty:
        return found
    frame = frame.assign(hour=pd.to_datetime(frame["hour"], utc=True))
    began = series_begin(frame)
    for key, group in frame[frame["category"] != "any"].groupby(SERIES_KEY, sort=True):
        model, _, source, language = key
        first = began.get((model, source, language), group["hour"].min())
        counts = group.set_index("hour")["flagged"].reindex(hours, fill_value=0).astype(float)
        values = [None if hour < first else value for hour, value in counts.items()]
        for hit in detect_spikes(values, seasons=spike.seasons, threshold=spike.threshold,
                                 min_count=spike.min_count, start=judge_index):
            found.append((key, hours[hit.index].to_pydatetime(), hit))
    return found


def near_duplicate_clusters(rows: list[Row], top: int = 5) -> list[dict]:
    """Groups of reposts among ``rows`` (identical content hash, or SimHash signatures within
    ``NEAR_DUPLICATE_BITS``), largest first, each with its size and up to three document ids."""
    from crawlers.extract.simhash import cluster_signatures

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


def detect_alerts(warehouse: Warehouse, now: datetime, spike: SpikeSettings = SpikeSettings(),
                  judge_hours: int = 3) -> list[Alert]:
    """Alerts for the complete hours among the last ``judge_hours``, with their drivers."""
    end = floor_hour(now)
    judge_from = end - judge_hours * HOUR
    start = judge_from - timedelta(days=spike.seasons)
    frame = hourly_flagged(warehouse, start, end)
    alerts = []
    for key, hour, hit in series_spikes(frame, start, end, judge_from, spike):
        model, category, source, language = key
        alerts.append(Alert(hour, category, source, language, model, hit.observed, hit.expected, hit.z,
                            drivers=drivers(warehouse, key, hour, spike.seasons)))
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


def run_trends(warehouse: Warehouse, now: datetime, spike: SpikeSettings = SpikeSettings()) -> dict[str, int]:
    """The trends step: refresh the aggregates, detect spikes, store new alerts."""
    with counted_step(log, "trends") as counts:
        counts["backfilled"] = refresh_aggregates(warehouse, now)
        alerts = detect_alerts(warehouse, now, spike)
        counts["spikes"] = len(alerts)
        counts["alerts_new"] = store_alerts(warehouse, alerts)
        return dict(counts)
