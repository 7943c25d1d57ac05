"""The embedded warehouse: chDB (the ClickHouse engine as a library) on local disk."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from vigil.warehouse.arrow_rows import arrow_to_rows
from vigil.warehouse.base import (
    Params, Row, Warehouse, WarehouseError, WarehouseLockedError, check_identifier, json_each_row, param_text,
)
from vigil.warehouse.owner import OwnerLock

# chDB allows one data directory per process, opened once; this process's one.
_process_lock = threading.Lock()
_open: "EmbeddedWarehouse | None" = None


class EmbeddedWarehouse(Warehouse):
    """chDB on ``path``. Opening takes the directory's owner lock; see :mod:`vigil.warehouse.owner`."""

    def __init__(self, path: Path, database: str = "vigil") -> None:
        import chdb

        check_identifier(database)
        self.path = Path(path).resolve()
        self.database = database
        self._lock = OwnerLock(self.path)
        self._mutex = threading.RLock()
        self._refs = 1
        self._lock.acquire()
        try:
            self._conn = chdb.connect(str(self.path / "data"))
            self._conn.query(f"CREATE DATABASE IF NOT EXISTS {database}")
            self._conn.query(f"USE {database}")
        except Exception as exc:
            self._lock.release()
            raise WarehouseError(f"cannot open chDB at {self.path}: {exc}") from exc

    @classmethod
    def open(cls, path: Path, database: str = "vigil") -> "EmbeddedWarehouse":
        """Open (or share, within this process) the embedded warehouse at ``path``."""
        global _open
        resolved = Path(path).resolve()
        with _process_lock:
            if _open is not None and not _open.closed:
                if _open.path != resolved:
                    raise WarehouseLockedError(
                        f"this process already has the embedded warehouse at {_open.path} open; chDB allows "
                        f"one data directory per process, so {resolved} cannot be opened here"
                    )
                _open._refs += 1
                return _open
            _open = cls(resolved, database)
            return _open

    @property
    def closed(self) -> bool:
        return self._conn is None

    @property
    def owner_lock(self) -> OwnerLock:
        return self._lock

    def describe(self) -> str:
        return f"chDB at {self.path} (database {self.database})"

    def _run(self, sql: str, fmt: str, params: Params) -> Any:
        if self._conn is None:
            raise WarehouseError("the embedded warehouse is closed")
        with self._mutex:
            try:
                bound = {k: param_text(v) for k, v in params.items()} if params else None
                return self._conn.query(sql, fmt, params=bound)
            except Exception as exc:  # chdb raises ChdbError / RuntimeError
                raise WarehouseError(str(exc).strip()) from exc

    def command(self, sql: str, params: Params = None) -> None:
        self._run(sql, "CSV", params)

    def query_arrow(self, sql: str, params: Params = None) -> pa.Table:
        return self._run(sql, "ArrowTable", params)

    def query(self, sql: str, params: Params = None) -> list[Row]:
        return arrow_to_rows(self.query_arrow(sql, params))

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        return self._run(sql, "DataFrame", params)

    def _insert_batch(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        self.insert_encoded(table, columns, json_each_row(columns, rows))

    def insert_encoded(self, table: str, columns: Sequence[str], payload: str) -> None:
        """Insert rows already encoded as JSONEachRow (what the served warehouse receives)."""
        check_identifier(table)
        for column in columns:
            check_identifier(column)
        if self._conn is None:
            raise WarehouseError("the embedded warehouse is closed")
        with self._mutex:
            try:
                inserter = self._conn.send_insert(f"INSERT INTO {table} ({', '.join(columns)})", "JSONEachRow")
                inserter.append(payload)
                inserter.finish()
            except Exception as exc:
                raise WarehouseError(f"insert into {table} failed: {str(exc).strip()}") from exc

    def close(self) -> None:
        """Drop one reference; the last one releases the owner lock.

        chDB's engine stays initialised for the life of the process (it cannot be
        re-pointed), so only the lock and this handle are released.
        """
        global _open
        with _process_lock:
            self._refs -= 1
            if self._refs > 0 or self._conn is None:
                return
            try:
                self._conn.close()
            finally:
                self._conn = None
                self._lock.release()
                if _open is self:
                    _open = None
