"""The warehouse interface, run once per client the code builds here: chDB in this process and a
clickhouse-connect HTTP client of the owner's endpoint (``each_warehouse``). Both reach the same data."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest

from vigil.schemas import Classification, Document, example
from vigil.warehouse import Warehouse, WarehouseError, migrate
from vigil.warehouse.base import HexKeys, key_chunks, keys_param
from vigil.warehouse.migrate import Migration, available_migrations
from vigil.warehouse.rows import classification_row, document_row

pytestmark = pytest.mark.warehouse
T0 = datetime(2026, 6, 30, 9, 0, tzinfo=timezone.utc)
KINDS = """
CREATE TABLE IF NOT EXISTS kinds
(
    id UInt32,
    at DateTime64(3, 'UTC'),
    maybe_at Nullable(DateTime64(3, 'UTC')),
    day Date,
    tags Array(LowCardinality(String)),
    scores Map(LowCardinality(String), Float32),
    note Nullable(String),
    kind LowCardinality(String),
    pair Tuple(DateTime64(3, 'UTC'), String),
    flag Bool,
    ratio Float64
)
ENGINE = MergeTree ORDER BY id
"""


def _docs(n: int, *, fetched_at: datetime = T0, suffix: str = "") -> list[Document]:
    return [
        Document.build(url=f"https://news.example.org/item/{i}", text=f"Report number {i}{suffix}",
                       source_id="example-news", source_kind="rss", fetched_at=fetched_at, language="en",
                       tags=["news"])
        for i in range(n)
    ]


def _kinds(warehouse: Warehouse, n: int) -> list[dict]:
    warehouse.command(KINDS)
    warehouse.command("TRUNCATE TABLE kinds")
    naive = T0.replace(tzinfo=None)  # naive datetimes are UTC
    rows = [{"id": i, "at": (T0 if i % 2 else naive) + timedelta(milliseconds=i),
             "maybe_at": None if i % 3 else T0, "day": date(2026, 6, 30), "tags": [f"t{i % 5}", "x'y\\z\t"],
             "scores": {"racism": i / n, "any": 1.0}, "note": None if i % 2 else f"n{i} «ü»", "kind": f"k{i % 3}",
             "pair": (T0, f"p{i}"), "flag": i % 2 == 0, "ratio": i / 7}
            for i in range(n)]
    assert warehouse.insert("kinds", rows, batch_rows=20_000) == n
    return rows


def test_migrations_apply_once_and_reapply_is_a_no_op(each_warehouse: Warehouse) -> None:
    assert migrate(each_warehouse) == []  # the session fixture already migrated
    recorded = each_warehouse.query("SELECT version, checksum FROM schema_migrations FINAL ORDER BY version")
    assert [r["version"] for r in recorded] == [m.version for m in available_migrations()]
    assert {"documents", "classifications", "review_decisions"} <= set(each_warehouse.table_counts())


def test_an_edited_applied_migration_is_refused(each_warehouse: Warehouse) -> None:
    first = available_migrations()[0]
    edited = Migration(first.version, first.name, first.sql + "\n-- edited\n")
    with pytest.raises(WarehouseError, match="changed after it was applied"):
        migrate(each_warehouse, [edited])


def test_many_rows_of_every_column_kind_round_trip(each_warehouse: Warehouse) -> None:
    rows = _kinds(each_warehouse, 50_000)
    got = each_warehouse.query("SELECT * FROM kinds ORDER BY id")
    assert len(got) == len(rows)
    for i in (0, 1, 2, 3, 49_999):
        want = {**rows[i], "at": T0 + timedelta(milliseconds=i), "scores": pytest.approx(rows[i]["scores"])}
        assert got[i] == want
    assert got[1]["at"].tzinfo is not None and got[0]["maybe_at"] == T0 and got[1]["maybe_at"] is None
    assert isinstance(got[0]["pair"], tuple) and isinstance(got[0]["scores"], dict)


def test_a_row_without_a_column_the_first_row_has_inserts_null_there(each_warehouse: Warehouse) -> None:
    each_warehouse.command(KINDS)
    each_warehouse.command("TRUNCATE TABLE kinds")
    full = {"id": 1, "at": T0, "day": date(2026, 6, 30), "tags": [], "scores": {}, "note": "kept", "kind": "k",
            "pair": (T0, "p"), "flag": True, "ratio": 0.5, "maybe_at": T0}
    short = {k: v for k, v in full.items() if k not in {"note", "maybe_at"}} | {"id": 2}
    assert each_warehouse.insert("kinds", [full, short]) == 2
    got = each_warehouse.query("SELECT id, note, maybe_at FROM kinds ORDER BY id")
    assert got == [{"id": 1, "note": "kept", "maybe_at": T0}, {"id": 2, "note": None, "maybe_at": None}]


def test_bound_parameters_of_each_type(each_warehouse: Warehouse) -> None:
    _kinds(each_warehouse, 100)
    aware_elsewhere = (T0 + timedelta(milliseconds=10)).astimezone(timezone(timedelta(hours=5)))
    rows = each_warehouse.query(
        "SELECT id FROM kinds WHERE at >= {since:DateTime64(3, 'UTC')} AND at < {until:DateTime64(3, 'UTC')} "
        "AND kind IN {kinds:Array(String)} AND hasAny(tags, {tags:Array(String)}) AND id >= {low:UInt32} "
        "AND ratio < {high:Float64} AND day = {day:Date} AND note IS NULL ORDER BY id",
        {"since": aware_elsewhere, "until": T0.replace(tzinfo=None) + timedelta(milliseconds=30),
         "kinds": ["k0", "k1", "o'q"], "tags": ["t1", "t3"], "low": 11, "high": 3.5, "day": date(2026, 6, 30)},
    )
    assert [r["id"] for r in rows] == [13, 21]  # odd (no note), t1 or t3, k0 or k1, 11 <= id < 25

    hostile = "x' OR 1=1; DROP TABLE kinds; --\\"
    echoed = each_warehouse.query(
        "SELECT {s:String} AS s, {m:Map(String, String)} AS m, {n:Nullable(String)} AS n, "
        "{t:DateTime64(3, 'UTC')} AS t",
        {"s": hostile, "m": {"k'": hostile}, "n": None, "t": T0},
    )
    assert echoed == [{"s": hostile, "m": {"k'": hostile}, "n": None, "t": T0}]
    assert each_warehouse.scalar("SELECT count() FROM kinds WHERE kind = {k:String}", {"k": hostile}) == 0
    assert each_warehouse.scalar("SELECT count() FROM kinds") == 100


def test_hex_keys_bind_as_a_literal_and_anything_else_is_escaped(each_warehouse: Warehouse) -> None:
    docs = _docs(5)
    each_warehouse.insert("documents", [document_row(d) for d in docs])
    sql = "SELECT id FROM documents WHERE id IN {ids:Array(String)} ORDER BY id"
    wanted = keys_param([docs[1].id, docs[3].id, "0" * 32])
    assert isinstance(wanted, HexKeys)
    assert [r["id"] for r in each_warehouse.query(sql, {"ids": wanted})] == sorted([docs[1].id, docs[3].id])
    assert each_warehouse.query(sql, {"ids": keys_param([])}) == []
    hostile = keys_param([docs[0].id, "x') OR 1=1 --", "ABCDEF"])  # a quote, and hex not in lower case
    assert not isinstance(hostile, HexKeys)
    assert [r["id"] for r in each_warehouse.query(sql, {"ids": hostile})] == [docs[0].id]
    # keys forced into HexKeys unchecked are not inlined: they bind as an escaped list
    assert each_warehouse.query(sql, {"ids": HexKeys(["') OR 1=1 --"])}) == []


def test_round_trip_batches_dedup_and_query_df(each_warehouse: Warehouse) -> None:
    docs = _docs(250)
    written = each_warehouse.insert("documents", (document_row(d) for d in docs), batch_rows=100)
    assert written == 250
    # Redelivery of the same batch plus a newer version of ten documents.
    each_warehouse.insert("documents", (document_row(d, partition=2, offset=i) for i, d in enumerate(docs)))
    newer = _docs(10, fetched_at=T0 + timedelta(hours=1), suffix=" (updated)")
    each_warehouse.insert("documents", (document_row(d, partition=2, offset=1000 + i) for i, d in enumerate(newer)))

    assert each_warehouse.scalar("SELECT count() FROM documents") == 510  # raw parts keep every copy
    assert each_warehouse.scalar("SELECT count() FROM documents FINAL") == 250
    row = each_warehouse.query(
        "SELECT text, kafka_partition, kafka_offset, fetched_at FROM documents FINAL WHERE id = {id:String}",
        {"id": docs[3].id},
    )[0]
    assert row == {"text": "Report number 3 (updated)", "kafka_partition": 2, "kafka_offset": 1003,
                   "fetched_at": T0 + timedelta(hours=1)}

    frame = each_warehouse.query_df(
        "SELECT source_id, count() AS n, max(fetched_at) AS last FROM documents FINAL "
        "WHERE fetched_at >= {since:DateTime64(3, 'UTC')} GROUP BY source_id", {"since": "2026-06-30 09:30:00"},
    )
    assert isinstance(frame, pd.DataFrame)
    assert frame.to_dict("records") == [{"source_id": "example-news", "n": 10, "last": T0 + timedelta(hours=1)}]


def test_maps_and_arrays_survive(each_warehouse: Warehouse) -> None:
    item = Classification.model_validate(example("classification"))
    each_warehouse.insert("classifications", [classification_row(item)])
    row = each_warehouse.query("SELECT scores, labels, in_coverage FROM classifications FINAL")[0]
    assert row["scores"]["financing"] == pytest.approx(0.04)
    assert set(row["scores"]) == set(item.scores)
    assert row["labels"] == [] and row["in_coverage"] is True


def test_errors_are_warehouse_errors_with_clickhouse_s_reason(each_warehouse: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="UNKNOWN_TABLE"):
        each_warehouse.query("SELECT * FROM no_such_table")
    with pytest.raises(WarehouseError, match="SYNTAX_ERROR"):
        each_warehouse.command("CREATE TABEL nope (a Int32) ENGINE = Memory")
    with pytest.raises(WarehouseError, match="BAD_QUERY_PARAMETER"):
        each_warehouse.query("SELECT {n:UInt8} AS n", {"n": "not a number"})
    with pytest.raises(WarehouseError, match="refusing identifier"):
        each_warehouse.insert("documents; DROP TABLE documents", [{"id": "x"}])
    with pytest.raises(WarehouseError, match="insert into documents failed"):
        each_warehouse.insert("documents", [{"id": None}])  # not Nullable
    assert each_warehouse.scalar("SELECT 1") == 1  # still usable


def test_key_chunks_keep_each_query_under_the_budget_and_lose_no_key() -> None:
    keys = [f"{i:064x}" for i in range(5_000)]
    chunks = list(key_chunks(keys, budget=10_000))
    assert [k for chunk in chunks for k in chunk] == keys
    assert all(sum(len(k) + 3 for k in chunk) <= 10_000 for chunk in chunks) and len(chunks) == 34
    assert list(key_chunks(["x" * 50], budget=10)) == [["x" * 50]]  # a key longer than the budget still goes
    assert list(key_chunks([])) == []


def test_query_keys_answers_for_every_key_past_max_query_size(each_warehouse: Warehouse) -> None:
    docs = _docs(3)
    each_warehouse.insert("documents", [document_row(d) for d in docs])
    keys = [f"{i:064x}" for i in range(6_000)] + [d.id for d in docs]  # a 400 KB literal in one query
    sql = "SELECT id FROM documents WHERE id IN {ids:Array(String)} AND source_kind = {kind:String} GROUP BY id"
    with pytest.raises(WarehouseError, match="max_query_size|Max query size"):
        each_warehouse.query(sql, {"ids": keys_param(keys), "kind": "rss"})
    assert sorted(r["id"] for r in each_warehouse.query_keys(sql, keys, {"kind": "rss"})) == sorted(d.id for d in docs)
    assert each_warehouse.query_keys(sql, [], {"kind": "rss"}) == []
    # the keys also read as a relation, {keys}: named twice, each chunk's keys still fit in one query
    hashed = ("SELECT id FROM documents PREWHERE id_hash IN (SELECT cityHash64(key) FROM {keys}) "
              "WHERE id IN {ids:Array(String)} AND source_kind = {kind:String} GROUP BY id")
    assert sorted(r["id"] for r in each_warehouse.query_keys(hashed, keys, {"kind": "rss"})) == \
        sorted(d.id for d in docs)
    assert sorted(r["id"] for r in each_warehouse.query_keys(hashed, keys[-2:], {"kind": "rss"})) == \
        sorted(d.id for d in docs[-2:])


def test_inserts_reuse_column_types_until_a_command_changes_the_table(each_warehouse: Warehouse) -> None:
    each_warehouse.command("CREATE TABLE IF NOT EXISTS widened (id UInt32, size UInt32) ENGINE = MergeTree ORDER BY id")
    each_warehouse.insert("widened", [{"id": 1, "size": 1}])
    each_warehouse.insert("widened", [{"id": 2, "size": 2}])
    each_warehouse.command("ALTER TABLE widened MODIFY COLUMN size UInt64")
    each_warehouse.insert("widened", [{"id": 3, "size": 2**40}])  # the stale UInt32 type would not hold it
    assert each_warehouse.query("SELECT id, size FROM widened ORDER BY id") == [
        {"id": 1, "size": 1}, {"id": 2, "size": 2}, {"id": 3, "size": 2**40}]


def test_a_large_lookup_on_chdb_reads_its_keys_from_a_temporary_table(warehouse: Warehouse,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from vigil.warehouse.embedded import KEYS_IN_TABLE

    docs = _docs(3)
    warehouse.insert("documents", [document_row(d) for d in docs])
    keys = [f"{i:064x}" for i in range(KEYS_IN_TABLE + 500)] + [d.id for d in docs]
    sql = "SELECT id FROM documents WHERE id IN {ids:Array(String)} AND source_kind = {kind:String} GROUP BY id"
    asked: list[str] = []
    query = warehouse.query
    monkeypatch.setattr(warehouse, "query", lambda text, params=None: asked.append(text) or query(text, params))
    found = warehouse.query_keys(sql, keys, {"kind": "rss"})
    # the same answer through literals: a placeholder not after IN (here in has()) is bound as before
    literal = warehouse.query_keys(sql.replace("id IN {ids:Array(String)}", "has({ids:Array(String)}, id)"),
                                   keys, {"kind": "rss"})
    monkeypatch.undo()
    assert sorted(r["id"] for r in found) == sorted(r["id"] for r in literal) == sorted(d.id for d in docs)
    assert "IN (SELECT key FROM vigil_lookup_keys_" in asked[0] and len(asked[0]) < 300  # no keys in the SQL
    # the lookup's own temporary table changed no table's columns: inserts still know theirs
    assert any(table == "documents" for table, _ in warehouse._column_types)
    assert len(asked) > 2 and all("vigil_lookup_keys_" not in text for text in asked[1:])  # literals, chunked
    table = asked[0].split("FROM ")[2].split(")")[0]
    assert warehouse.scalar(f"SELECT count() FROM {table}") == 0  # emptied after the lookup
    assert table not in warehouse.table_counts()  # a session's temporary table, not one of the database's
    # a small lookup keeps its keys in the SQL: for a few hundred ids that is the cheaper way
    assert sorted(r["id"] for r in warehouse.query_keys(sql, [d.id for d in docs], {"kind": "rss"})) == \
        sorted(d.id for d in docs)


def test_columns_insert_as_rows_do_and_unequal_columns_are_refused(each_warehouse: Warehouse) -> None:
    rows = _kinds(each_warehouse, 50)
    each_warehouse.command("TRUNCATE TABLE kinds")
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    assert each_warehouse.insert_columns("kinds", columns) == 50
    by_rows = each_warehouse.query("SELECT * FROM kinds ORDER BY id")
    each_warehouse.command("TRUNCATE TABLE kinds")
    each_warehouse.insert("kinds", rows)
    assert by_rows == each_warehouse.query("SELECT * FROM kinds ORDER BY id")
    assert each_warehouse.insert_columns("kinds", {"id": [], "ratio": []}) == 0
    with pytest.raises(WarehouseError, match="different lengths"):
        each_warehouse.insert_columns("kinds", {"id": [1, 2], "ratio": [0.5]})
    with pytest.raises(WarehouseError, match="refusing identifier"):
        each_warehouse.insert_columns("kinds", {"id; DROP TABLE kinds": [1]})
    assert each_warehouse.scalar("SELECT count() FROM kinds") == 50


def test_an_insert_frees_its_rows_without_waiting_for_the_garbage_collector(each_warehouse: Warehouse) -> None:
    import gc
    import weakref

    class Value(str):  # a str subclass, so a weak reference can watch one inserted value
        pass

    each_warehouse.command("CREATE TABLE IF NOT EXISTS freed (id UInt32, note String) ENGINE = MergeTree ORDER BY id")
    gc.collect()
    gc.disable()
    try:
        value = Value("watched")
        watch = weakref.ref(value)
        each_warehouse.insert("freed", [{"id": 1, "note": value}])
        del value
        assert watch() is None  # freed by its reference count: nothing of the insert keeps a cycle to it
    finally:
        gc.enable()
    assert each_warehouse.scalar("SELECT note FROM freed") == "watched"
