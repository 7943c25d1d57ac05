-- Core tables: one row per document, per classification and per review decision.
-- documents and classifications are keyed so that redelivery and replay collapse
-- (ReplacingMergeTree on the document id; read with FINAL or argMax). Each row keeps
-- the Kafka partition and offset it came from (-1 when written in embedded mode).

CREATE TABLE IF NOT EXISTS documents
(
    id String,
    url String,
    source_id LowCardinality(String),
    source_kind LowCardinality(String),
    post_id Nullable(String),
    title Nullable(String),
    author Nullable(String),
    text String CODEC(ZSTD(3)),
    content_hash String,
    language LowCardinality(String) DEFAULT '',
    language_confidence Nullable(Float32),
    published_at Nullable(DateTime64(3, 'UTC')),
    fetched_at DateTime64(3, 'UTC'),
    links Array(String),
    entities String DEFAULT '{}' CODEC(ZSTD(3)),
    near_duplicate_signature String DEFAULT '',
    tags Array(LowCardinality(String)),
    crawl_run_id String DEFAULT '',
    extra String DEFAULT '{}' CODEC(ZSTD(3)),
    schema_version UInt16 DEFAULT 1,
    kafka_partition Int32 DEFAULT -1,
    kafka_offset Int64 DEFAULT -1,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(fetched_at)
PARTITION BY toYYYYMM(coalesce(published_at, fetched_at))
ORDER BY id;

CREATE TABLE IF NOT EXISTS classifications
(
    document_id String,
    model_version LowCardinality(String),
    scores Map(LowCardinality(String), Float32),
    labels Array(LowCardinality(String)),
    evidence String DEFAULT '[]' CODEC(ZSTD(3)),
    language LowCardinality(String) DEFAULT '',
    in_coverage Bool DEFAULT true,
    needs_review Bool DEFAULT false,
    classified_at DateTime64(3, 'UTC'),
    schema_version UInt16 DEFAULT 1,
    kafka_partition Int32 DEFAULT -1,
    kafka_offset Int64 DEFAULT -1,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(classified_at)
PARTITION BY toYYYYMM(classified_at)
ORDER BY (document_id, model_version);

CREATE TABLE IF NOT EXISTS review_decisions
(
    decision_id String,
    document_id String,
    reviewer LowCardinality(String),
    verdict LowCardinality(String),
    labels Array(LowCardinality(String)),
    model_version LowCardinality(String) DEFAULT '',
    note String DEFAULT '',
    decided_at DateTime64(3, 'UTC'),
    schema_version UInt16 DEFAULT 1,
    kafka_partition Int32 DEFAULT -1,
    kafka_offset Int64 DEFAULT -1,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (document_id, decision_id);
