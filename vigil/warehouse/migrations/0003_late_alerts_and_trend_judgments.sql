-- Late data in the trends: every hour whose counts changed is judged, whatever its age.
--
-- trend_judgments records each judgment of the trends step: the last classification
-- event it saw (events_until, a recorded_at) and the end of the complete hours it judged
-- (hours_until). The next judgment takes the hours of the events recorded since, and the
-- hours completed since; so documents that arrive late (a first crawl with its history,
-- a delayed crawl) are judged when they arrive. The minmax index keeps that look-up to the
-- recent parts of classification_events.
--
-- alerts.late marks an alert raised more than a few hours after its window ended (late
-- data), so dashboards and channels can show it apart from a spike seen as it happened.

CREATE TABLE IF NOT EXISTS trend_judgments
(
    judged_at DateTime64(3, 'UTC'),
    events_until DateTime64(3, 'UTC'),
    hours_until DateTime64(3, 'UTC'),
    judged UInt64,
    alerts_new UInt64
)
ENGINE = MergeTree
ORDER BY judged_at;

ALTER TABLE classification_events ADD INDEX IF NOT EXISTS recorded_at_minmax recorded_at TYPE minmax GRANULARITY 1;

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS late Bool DEFAULT false;
