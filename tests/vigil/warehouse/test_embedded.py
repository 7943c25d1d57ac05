"""The embedded warehouse on real chDB: migrations, round trip, dedup, restarts, ownership."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from tests.vigil.warehouse.conftest import run_child
from vigil.schemas import Document, example
from vigil.warehouse import EmbeddedWarehouse, Warehouse, WarehouseError, WarehouseLockedError, connect, migrate
from vigil.warehouse.migrate import Migration, available_migrations
from vigil.warehouse.rows import classification_row, document_row

pytestmark = pytest.mark.warehouse
T0 = datetime(2026, 6, 30, 9, 0, tzinfo=timezone.utc)


def _docs(n: int, *, fetched_at: datetime = T0, suffix: str = "") -> list[Document]:
    return [
        Document.build(url=f"https://news.example.org/item/{i}", text=f"Report number {i}{suffix}",
                       source_id="example-news", source_kind="rss", fetched_at=fetched_at, language="en",
                       tags=["news"])
        for i in range(n)
    ]


def test_migrations_apply_once_and_reapply_is_a_no_op(warehouse: Warehouse) -> None:
    assert migrate(warehouse) == []  # the session fixture already migrated
    recorded = warehouse.query("SELECT version, checksum FROM schema_migrations FINAL ORDER BY version")
    assert [r["version"] for r in recorded] == [m.version for m in available_migrations()]
    assert {"documents", "classifications", "review_decisions"} <= set(warehouse.table_counts())


def test_an_edited_applied_migration_is_refused(warehouse: Warehouse) -> None:
    first = available_migrations()[0]
    edited = Migration(first.version, first.name, first.sql + "\n-- edited\n")
    with pytest.raises(WarehouseError, match="changed after it was applied"):
        migrate(warehouse, [edited])


def test_round_trip_batches_dedup_and_parameters(warehouse: Warehouse) -> None:
    docs = _docs(250)
    written = warehouse.insert("documents", (document_row(d) for d in docs), batch_rows=100)
    assert written == 250
    # Redelivery of the same batch plus a newer version of ten documents.
    warehouse.insert("documents", (document_row(d, partition=2, offset=i) for i, d in enumerate(docs)))
    newer = _docs(10, fetched_at=T0 + timedelta(hours=1), suffix=" (updated)")
    warehouse.insert("documents", (document_row(d, partition=2, offset=1000 + i) for i, d in enumerate(newer)))

    assert warehouse.scalar("SELECT count() FROM documents") == 510  # raw parts keep every copy
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 250
    row = warehouse.query(
        "SELECT text, kafka_partition, kafka_offset, fetched_at FROM documents FINAL WHERE id = {id:String}",
        {"id": docs[3].id},
    )[0]
    assert row["text"] == "Report number 3 (updated)"
    assert (row["kafka_partition"], row["kafka_offset"]) == (2, 1003)
    assert row["fetched_at"] == T0 + timedelta(hours=1)

    hostile = "x' OR 1=1; DROP TABLE documents; --"
    assert warehouse.query("SELECT id FROM documents FINAL WHERE source_id = {s:String}", {"s": hostile}) == []
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 250

    frame = warehouse.query_df(
        "SELECT source_id, count() AS n FROM documents FINAL WHERE fetched_at >= {since:DateTime64(3, 'UTC')} "
        "GROUP BY source_id", {"since": "2026-06-30 09:30:00"},
    )
    assert isinstance(frame, pd.DataFrame)
    assert frame.to_dict("records") == [{"source_id": "example-news", "n": 10}]


def test_maps_and_arrays_survive(warehouse: Warehouse) -> None:
    from vigil.schemas import Classification

    item = Classification.model_validate(example("classification"))
    warehouse.insert("classifications", [classification_row(item)])
    row = warehouse.query("SELECT scores, labels, in_coverage FROM classifications FINAL")[0]
    assert row["scores"]["financing"] == pytest.approx(0.04)
    assert set(row["scores"]) == set(item.scores)
    assert row["labels"] == [] and row["in_coverage"] is True


def test_bad_sql_and_bad_identifiers_raise_clear_errors(warehouse: Warehouse) -> None:
    with pytest.raises(WarehouseError, match="UNKNOWN_TABLE|Unknown table"):
        warehouse.query("SELECT * FROM no_such_table")
    with pytest.raises(WarehouseError, match="refusing identifier"):
        warehouse.insert("documents; DROP TABLE documents", [{"id": "x"}])


def test_this_process_cannot_open_a_second_directory(warehouse: EmbeddedWarehouse, tmp_path: Path) -> None:
    with pytest.raises(WarehouseLockedError, match="one data directory per process"):
        EmbeddedWarehouse.open(tmp_path / "other")
    assert EmbeddedWarehouse.open(warehouse.path) is warehouse  # same directory: shared handle
    warehouse.close()  # drop the extra reference


def test_connect_in_process_shares_the_open_warehouse(warehouse_settings, warehouse: EmbeddedWarehouse) -> None:
    shared = connect(warehouse_settings)
    assert shared is warehouse
    shared.close()


def test_data_survives_a_process_restart(tmp_path: Path) -> None:
    write = run_child(f"""
        from datetime import datetime, timezone
        from vigil.schemas import Document
        from vigil.warehouse import EmbeddedWarehouse, migrate
        from vigil.warehouse.rows import document_row
        wh = EmbeddedWarehouse.open({str(tmp_path)!r})
        migrate(wh)
        docs = [Document.build(url=f"https://e.org/{{i}}", text=f"t{{i}}", source_id="e", source_kind="site")
                for i in range(42)]
        wh.insert("documents", [document_row(d) for d in docs])
        wh.close()
    """)
    assert write.returncode == 0, write.stderr
    read = run_child(f"""
        from vigil.warehouse import EmbeddedWarehouse, migrate
        wh = EmbeddedWarehouse.open({str(tmp_path)!r})
        print(len(migrate(wh)), wh.scalar("SELECT count() FROM documents FINAL"))
    """)
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == ["0", "42"]


def test_a_second_process_is_refused_with_the_owner_named(tmp_path: Path, owner_process) -> None:
    owner = owner_process(tmp_path)
    second = run_child(f"""
        from vigil.warehouse import EmbeddedWarehouse
        EmbeddedWarehouse.open({str(tmp_path)!r})
    """)
    assert second.returncode != 0
    assert "WarehouseLockedError" in second.stderr
    assert f"is owned by pid {owner.pid}" in second.stderr
    assert "vigil warehouse serve" in second.stderr


def test_other_processes_reach_a_serving_owner(tmp_path: Path, owner_process) -> None:
    owner_process(tmp_path, serve=True)
    client = run_child(f"""
        from vigil.settings import load_settings
        from vigil.schemas import Document
        from vigil.warehouse import connect
        from vigil.warehouse.rows import document_row
        wh = connect(load_settings(warehouse={{"path": {str(tmp_path)!r}}}))
        print(type(wh).__name__)
        docs = [Document.build(url=f"https://e.org/{{i}}", text="t", source_id="e", source_kind="site")
                for i in range(7)]
        wh.insert("documents", [document_row(d) for d in docs])
        wh.insert("documents", [document_row(d) for d in docs])
        print(wh.scalar("SELECT count() FROM documents FINAL WHERE source_id = {{s:String}}", {{"s": "e"}}))
        print(wh.query_df("SELECT count() AS n FROM documents").n[0])
        try:
            wh.query("SELECT * FROM nope")
        except Exception as exc:
            print(type(exc).__name__)
    """)
    assert client.returncode == 0, client.stderr
    assert client.stdout.split() == ["RemoteWarehouse", "7", "14", "WarehouseError"]
