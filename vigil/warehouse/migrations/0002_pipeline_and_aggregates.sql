-- Sources, crawl runs, alerts and the aggregates the dashboards and trend flows read.
--
-- classification_events is the append-only log the sink writes once per new or changed
-- classification (sign +1) and once per classification it replaces (sign -1, the old
-- values), with the document's source, author and time copied in. The materialized
-- views below fold it into hourly and daily counts, so redelivery (skipped by the sink)
-- and replacement (retracted) never double count. Category 'any' counts every
-- classified document; a label category counts the documents flagged with it.

CREATE TABLE IF NOT EXISTS sources
(
    source_id String,
    kind LowCardinality(String),
    url String,
    enabled Bool DEFAULT true,
    interval_minutes UInt32 DEFAULT 60,
    config String DEFAULT '{}' CODEC(ZSTD(3)),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source_id;

CREATE TABLE IF NOT EXISTS crawl_runs
(
    run_id String,
    source_id LowCardinality(String),
    started_at DateTime64(3, 'UTC'),
    finished_at Nullable(DateTime64(3, 'UTC')),
    status LowCardinality(String),
    crawled UInt64 DEFAULT 0,
    published UInt64 DEFAULT 0,
    dropped UInt64 DEFAULT 0,
    errors UInt64 DEFAULT 0,
    error String DEFAULT '',
    stats String DEFAULT '{}' CODEC(ZSTD(3)),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
PARTITION BY toYYYYMM(started_at)
ORDER BY (run_id, source_id);

CREATE TABLE IF NOT EXISTS pipeline_counts
(
    run_id String,
    hour DateTime64(3, 'UTC'),
    stage LowCardinality(String),
    count Int64,
    recorded_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (run_id, hour, stage);

CREATE TABLE IF NOT EXISTS classification_events
(
    event_at DateTime64(3, 'UTC'),
    document_id String,
    model_version LowCardinality(String),
    source_id LowCardinality(String),
    language LowCardinality(String),
    author String DEFAULT '',
    labels Array(LowCardinality(String)),
    sign Int8 DEFAULT 1,
    crawl_run_id String DEFAULT '',
    kafka_partition Int32 DEFAULT -1,
    kafka_offset Int64 DEFAULT -1,
    recorded_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(event_at)
ORDER BY (document_id, model_version, recorded_at);

CREATE TABLE IF NOT EXISTS counts_hourly
(
    hour DateTime64(3, 'UTC'),
    model_version LowCardinality(String),
    category LowCardinality(String),
    source_id LowCardinality(String),
    language LowCardinality(String),
    documents SimpleAggregateFunction(sum, Int64),
    flagged SimpleAggregateFunction(sum, Int64),
    authors AggregateFunction(uniq, String),
    flagged_authors AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (model_version, category, hour, source_id, language);

CREATE TABLE IF NOT EXISTS counts_daily
(
    day Date,
    model_version LowCardinality(String),
    category LowCardinality(String),
    source_id LowCardinality(String),
    language LowCardinality(String),
    documents SimpleAggregateFunction(sum, Int64),
    flagged SimpleAggregateFunction(sum, Int64),
    authors AggregateFunction(uniq, String),
    flagged_authors AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(day)
ORDER BY (model_version, category, day, source_id, language);

CREATE MATERIALIZED VIEW IF NOT EXISTS counts_hourly_mv TO counts_hourly AS
SELECT
    toStartOfHour(event_at) AS hour,
    model_version,
    category,
    source_id,
    language,
    sum(toInt64(sign)) AS documents,
    sum(toInt64(sign) * toInt64(category != 'any' OR length(labels) > 0)) AS flagged,
    uniqStateIf(author, author != '' AND sign > 0) AS authors,
    uniqStateIf(author, author != '' AND sign > 0 AND (category != 'any' OR length(labels) > 0)) AS flagged_authors
FROM classification_events
ARRAY JOIN arrayConcat(['any'], CAST(labels, 'Array(String)')) AS category
GROUP BY hour, model_version, category, source_id, language;

CREATE MATERIALIZED VIEW IF NOT EXISTS counts_daily_mv TO counts_daily AS
SELECT
    toDate(event_at) AS day,
    model_version,
    category,
    source_id,
    language,
    sum(toInt64(sign)) AS documents,
    sum(toInt64(sign) * toInt64(category != 'any' OR length(labels) > 0)) AS flagged,
    uniqStateIf(author, author != '' AND sign > 0) AS authors,
    uniqStateIf(author, author != '' AND sign > 0 AND (category != 'any' OR length(labels) > 0)) AS flagged_authors
FROM classification_events
ARRAY JOIN arrayConcat(['any'], CAST(labels, 'Array(String)')) AS category
GROUP BY day, model_version, category, source_id, language;

CREATE TABLE IF NOT EXISTS alerts
(
    alert_id String,
    raised_at DateTime64(3, 'UTC'),
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    category LowCardinality(String),
    source_id LowCardinality(String),
    language LowCardinality(String),
    model_version LowCardinality(String),
    observed Float64,
    expected Float64,
    score Float64,
    method LowCardinality(String),
    drivers String DEFAULT '{}' CODEC(ZSTD(3)),
    summary String DEFAULT ''
)
ENGINE = ReplacingMergeTree(raised_at)
PARTITION BY toYYYYMM(window_start)
ORDER BY alert_id;

CREATE TABLE IF NOT EXISTS alert_deliveries
(
    alert_id String,
    channel LowCardinality(String),
    delivered_at DateTime64(3, 'UTC'),
    ok Bool,
    error String DEFAULT ''
)
ENGINE = ReplacingMergeTree(delivered_at)
ORDER BY (alert_id, channel);

CREATE TABLE IF NOT EXISTS emerging_terms
(
    computed_at DateTime64(3, 'UTC'),
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    language LowCardinality(String),
    term String,
    kind LowCardinality(String),
    z_score Float64,
    recent_count UInt64,
    baseline_count UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(window_end)
ORDER BY (window_end, language, term);

CREATE TABLE IF NOT EXISTS reconciliation
(
    window_start DateTime64(3, 'UTC'),
    run_id String,
    crawled Int64,
    published Int64,
    classified Int64,
    dead_lettered Int64,
    stored Int64,
    complete Bool,
    reason String DEFAULT '',
    checked_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(checked_at)
PARTITION BY toYYYYMM(window_start)
ORDER BY (window_start, run_id);

CREATE TABLE IF NOT EXISTS rescore_checkpoints
(
    job_id String,
    model_version LowCardinality(String),
    last_document_id String,
    rescored UInt64,
    done Bool,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY job_id;

CREATE TABLE IF NOT EXISTS model_decisions
(
    decided_at DateTime64(3, 'UTC') DEFAULT now64(3),
    candidate_version String,
    current_version String,
    promoted Bool,
    reason String,
    metrics String DEFAULT '{}' CODEC(ZSTD(3))
)
ENGINE = MergeTree
ORDER BY decided_at;
