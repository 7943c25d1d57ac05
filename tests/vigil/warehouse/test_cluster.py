"""Cluster migrations: every migration in both forms parses in the ClickHouse engine (chDB's
``formatQuery``), and the cluster form is the single-node one made replicated and distributed."""

from __future__ import annotations

import re

import pytest

from vigil.settings import SettingsError, load_settings
from vigil.warehouse.cluster import (
    Cluster,
    ClusterRenderError,
    database_ddl,
    render,
    render_all,
)
from vigil.warehouse.migrate import (
    LEDGER_DDL,
    Migration,
    available_migrations,
    ledger_ddl,
    migrate,
)

CLUSTER = Cluster("{cluster}", "vigil")
DOCUMENT_TABLES = {"documents": "id", "classifications": "document_id", "classification_events": "document_id",
                   "review_decisions": "document_id"}
_CREATE_TABLE = re.compile(r"^CREATE TABLE (?:IF NOT EXISTS )?(\w+)")
_DISTRIBUTED = re.compile(r"ENGINE = Distributed\('([^']+)', '(\w+)', '(\w+)', (.+)\)$")


def _statements(cluster: Cluster | None) -> list[str]:
    out = [LEDGER_DDL.strip()] if cluster is None else [database_ddl(cluster), ledger_ddl(cluster)]
    for migration in available_migrations():
        out.extend(migration.rendered(cluster))
    return out


def _creates(statements: list[str]) -> dict[str, str]:
    return {m.group(1): s for s in statements if (m := _CREATE_TABLE.match(s))}


@pytest.mark.warehouse
@pytest.mark.parametrize("form", ["single", "cluster"])
def test_every_statement_parses_in_clickhouse(warehouse, form: str) -> None:
    statements = _statements(CLUSTER if form == "cluster" else None)
    assert len(statements) > 20
    for statement in statements:
        formatted = warehouse.scalar("SELECT formatQuery({q:String})", {"q": statement})
        assert formatted, statement
        if form == "cluster" and not statement.startswith("INSERT"):
            assert "ON CLUSTER `{cluster}`" in formatted, formatted


@pytest.mark.warehouse
def test_local_tables_are_the_single_node_tables_made_replicated(warehouse) -> None:
    """Undo the cluster form of each local table (name, ON CLUSTER, Replicated engine): the engine
    must then see exactly the statement the migration wrote."""

    def fmt(sql: str) -> str:
        return warehouse.scalar("SELECT formatQuery({q:String})", {"q": sql})

    single = {name: fmt(sql) for name, sql in _creates(_statements(None)).items()}
    cluster = _creates(_statements(CLUSTER))
    checked = 0
    for name, original in single.items():
        local = cluster.get(f"{name}_local", cluster[name] if name == "schema_migrations" else None)
        assert local is not None, f"{name} has no local table in the cluster form"
        undone = fmt(local)
        undone = undone.replace(" ON CLUSTER `{cluster}`", "").replace(f"{name}_local", name)
        undone = re.sub(r"ENGINE = Replicated(\w+)\('[^']*', '[^']*'(?:, )?", r"ENGINE = \1(", undone)
        undone = undone.replace("MergeTree()", "MergeTree")
        assert undone == original, name
        checked += 1
    assert checked == len(single)


def test_every_table_resolves_to_a_distributed_table_over_a_replicated_one() -> None:
    single = _creates(_statements(None))
    cluster = _creates(_statements(CLUSTER))
    for name in single:
        if name == "schema_migrations":
            assert "ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/{table}', '{shard}-{replica}'" \
                   in cluster[name]
            continue
        front = cluster[name].splitlines()
        assert front[0].endswith(f"ON CLUSTER '{{cluster}}' AS {name}_local"), front
        found = _DISTRIBUTED.search(front[-1])
        assert found, cluster[name]
        assert found.groups()[:3] == ("{cluster}", "vigil", f"{name}_local")
        local = cluster[f"{name}_local"]
        assert re.search(r"ENGINE = Replicated\w*MergeTree\('/clickhouse/tables/\{shard\}/\{database\}/\{table\}', "
                         r"'\{replica\}'", local), local
    for table, column in DOCUMENT_TABLES.items():  # a document's rows share one shard
        assert cluster[table].endswith(f"cityHash64({column}))"), cluster[table]
    assert cluster["sources"].endswith("cityHash64(source_id))")  # a folding table never splits a key
    assert cluster["pipeline_counts"].endswith("rand())")


def test_version_columns_are_kept_and_creates_all_go_on_the_cluster() -> None:
    documents = _creates(_statements(CLUSTER))["documents_local"]
    assert ("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', "
            "fetched_at)") in documents
    for statement in _statements(CLUSTER):
        if statement.startswith(("CREATE", "ALTER", "DROP")):
            assert " ON CLUSTER '{cluster}'" in statement.split("\n")[0], statement


def test_materialized_views_fold_each_shard_locally() -> None:
    views = [s for s in _statements(CLUSTER) if s.startswith("CREATE MATERIALIZED VIEW")]
    assert len(views) == 2
    for view in views:
        assert re.search(r"TO counts_(hourly|daily)_local AS", view), view
        assert "FROM classification_events_local" in view
        assert "ARRAY JOIN arrayConcat" in view  # an ARRAY JOIN names a column, not a table


def test_a_views_new_query_goes_on_cluster_and_reads_the_local_source() -> None:
    assert render("ALTER TABLE counts_daily_mv MODIFY QUERY SELECT toDate(hour) AS day, sum(documents) AS documents "
                  "FROM counts_hourly GROUP BY day", CLUSTER) == [
        ("ALTER TABLE counts_daily_mv ON CLUSTER '{cluster}' MODIFY QUERY\nSELECT toDate(hour) AS day, "
         "sum(documents) AS documents FROM counts_hourly_local GROUP BY day")]
    with pytest.raises(ClusterRenderError):
        render("ALTER TABLE v MODIFY QUERY SELECT x FROM other_db.s", CLUSTER)


def test_alters_and_drops_carry_on_cluster() -> None:
    assert render("ALTER TABLE alerts ADD COLUMN IF NOT EXISTS late Bool DEFAULT false", CLUSTER) == [
        "ALTER TABLE alerts_local ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS late Bool DEFAULT false",
        "ALTER TABLE alerts ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS late Bool DEFAULT false",
    ]
    # An index, a TTL: the local table only (a Distributed table holds no data); mixed: split.
    assert render("ALTER TABLE documents ADD INDEX i text TYPE tokenbf_v1(8192, 3, 0) GRANULARITY 4, "
                  "DROP COLUMN extra, MODIFY TTL toDateTime(fetched_at) + toIntervalDay(730)", CLUSTER) == [
        "ALTER TABLE documents_local ON CLUSTER '{cluster}' ADD INDEX i text TYPE tokenbf_v1(8192, 3, 0) "
        "GRANULARITY 4, DROP COLUMN extra, MODIFY TTL toDateTime(fetched_at) + toIntervalDay(730)",
        "ALTER TABLE documents ON CLUSTER '{cluster}' DROP COLUMN extra",
    ]
    # A codec is storage too: local only.
    assert render("ALTER TABLE documents MODIFY COLUMN text CODEC(ZSTD(1))", CLUSTER) == [
        "ALTER TABLE documents_local ON CLUSTER '{cluster}' MODIFY COLUMN text CODEC(ZSTD(1))",
    ]
    assert render("DROP TABLE IF EXISTS old_things SYNC", CLUSTER) == [
        "DROP TABLE IF EXISTS old_things ON CLUSTER '{cluster}' SYNC",
        "DROP TABLE IF EXISTS old_things_local ON CLUSTER '{cluster}' SYNC",
    ]
    assert render("DROP VIEW IF EXISTS counts_hourly_mv", CLUSTER) == [
        "DROP VIEW IF EXISTS counts_hourly_mv ON CLUSTER '{cluster}'"]
    assert render("OPTIMIZE TABLE counts_daily FINAL", CLUSTER) == [
        "OPTIMIZE TABLE counts_daily_local ON CLUSTER '{cluster}' FINAL"]


@pytest.mark.parametrize("statement", [
    "RENAME TABLE a TO b",
    "CREATE TABLE t (x UInt8) ENGINE = Memory",
    "CREATE TABLE t (x UInt8) ENGINE = ReplicatedMergeTree('/p', 'r') ORDER BY x",
    "CREATE MATERIALIZED VIEW v ENGINE = MergeTree ORDER BY x AS SELECT x FROM t",
    "CREATE MATERIALIZED VIEW v TO t AS SELECT x FROM other_db.s",
    "SYSTEM RELOAD DICTIONARIES",
])
def test_what_it_cannot_distribute_is_refused(statement: str) -> None:
    with pytest.raises(ClusterRenderError):
        render(statement, CLUSTER)


def test_names_are_checked() -> None:
    with pytest.raises(ClusterRenderError):
        Cluster("c' SETTINGS x", "vigil")
    with pytest.raises(ClusterRenderError):
        Cluster("c", "vigil; DROP")


class _Recorder:
    """Just enough of a Warehouse for the runner: records what it would run."""

    def __init__(self, cluster: str | None) -> None:
        self.cluster, self.database, self.commands, self.inserted = cluster, "vigil", [], []

    def describe(self) -> str:
        return "recorder"

    def command(self, sql: str, params=None) -> None:
        self.commands.append(sql)

    def query(self, sql: str, params=None) -> list:
        return []

    def insert(self, table: str, rows, **_: object) -> int:
        self.inserted.append((table, list(rows)))
        return 1


def test_the_runner_applies_the_cluster_form_when_the_warehouse_has_a_cluster() -> None:
    migration = Migration(1, "core", "CREATE TABLE IF NOT EXISTS t (document_id String, v UInt32)\n"
                                     "ENGINE = ReplacingMergeTree(v)\nORDER BY document_id;\n")
    plain, clustered = _Recorder(None), _Recorder("main")
    migrate(plain, [migration])
    migrate(clustered, [migration])
    assert plain.commands[1:] == migration.statements()
    assert clustered.commands[0] == "CREATE DATABASE IF NOT EXISTS vigil ON CLUSTER 'main'"
    assert clustered.commands[1].startswith("CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER 'main'")
    assert clustered.commands[2:] == render_all(migration.statements(), Cluster("main", "vigil"))
    assert clustered.commands[3].endswith("Distributed('main', 'vigil', 't_local', cityHash64(document_id))")
    assert plain.inserted == clustered.inserted  # one ledger row, the source's checksum, in both forms


def test_cluster_setting_needs_the_server_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIL_WAREHOUSE__BACKEND", "server")
    monkeypatch.setenv("VIGIL_WAREHOUSE__CLUSTER", "{cluster}")
    assert load_settings().warehouse.cluster == "{cluster}"
    monkeypatch.setenv("VIGIL_WAREHOUSE__BACKEND", "chdb")
    with pytest.raises(SettingsError, match="warehouse.cluster needs warehouse.backend: server"):
        load_settings()
