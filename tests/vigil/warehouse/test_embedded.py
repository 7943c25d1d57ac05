"""The embedded warehouse on real chDB: one per process, restarts, ownership, serving other processes.

The interface itself is tested once per client in test_warehouse.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.vigil.warehouse.conftest import run_child
from vigil.warehouse import EmbeddedWarehouse, WarehouseLockedError, connect

pytestmark = pytest.mark.warehouse


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
