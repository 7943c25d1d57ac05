"""The embedded warehouse: chDB (the ClickHouse engine as a library) on local disk.

The client is clickhouse-connect's ``chdb://`` client, so binding, inserts and
type conversion are the same as against a server. chDB allows one data
directory per process, so a process shares one :class:`EmbeddedWarehouse` per
directory; opening it takes the directory's owner lock (:mod:`vigil.warehouse.owner`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from vigil.warehouse.base import KEYS, Params, Row, Warehouse, WarehouseError, WarehouseLockedError, open_client
from vigil.warehouse.owner import OwnerLock

_process_lock = threading.Lock()
_open: "EmbeddedWarehouse | None" = None  # this process's warehouse, shared by every opener

# A lookup of more keys than this reads them from a temporary table instead of a literal in the SQL: chDB
# spends about 5 µs a key analysing a query with a long literal (58 ms for the 10,000 ids of a sink batch), and
# 25 ms to load them into a table and look them up there; at 2,000 keys the two are even (11 ms).
KEYS_IN_TABLE = 2000


class EmbeddedWarehouse(Warehouse):
    """chDB on ``path``; get it with :meth:`open`. Each ``open`` needs one ``close``."""

    def __init__(self, path: Path, database: str = "vigil") -> None:
        self.path = Path(path).resolve()
        if "?" in str(self.path):  # chDB would read the rest as options and write elsewhere
            raise WarehouseError(f"chDB cannot open {self.path}: a '?' in the path starts its options")
        self.owner_lock = OwnerLock(self.path)
        self.on_close: list[Callable[[], None]] = []  # run when the last opener closes (e.g. stop serving)
        self._opened = 1
        self.owner_lock.acquire()
        where = f"chDB at {self.path} (database {database})"
        try:
            client = open_client(where, database, interface="chdb", path=str(self.data_dir))
        except WarehouseError:
            self.owner_lock.release()
            raise
        super().__init__(client, database, where)

    def query_keys(self, sql: str, keys: Iterable[str], params: Params = None, *, name: str = "ids") -> list[Row]:
        """As :meth:`Warehouse.query_keys`; past :data:`KEYS_IN_TABLE` keys, ``IN {name:Array(String)}`` and
        :data:`KEYS` read them from this thread's temporary table (a Memory table of this process's chDB
        session, seen by no other thread, emptied after each lookup)."""
        keys = list(keys)
        placeholder = " IN {" + name + ":Array(String)}"
        if len(keys) <= KEYS_IN_TABLE or placeholder not in sql:
            return super().query_keys(sql, keys, params, name=name)
        table = f"vigil_lookup_keys_{threading.get_ident()}"
        self._command(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (key String) ENGINE = Memory")
        try:
            self.insert_columns(table, {"key": keys})
            return self.query(sql.replace(placeholder, f" IN (SELECT key FROM {table})").replace(KEYS, table), params)
        finally:
            self._command(f"TRUNCATE TABLE {table}")

    @property
    def data_dir(self) -> Path:
        return self.path / "data"

    @classmethod
    def open(cls, path: Path, database: str = "vigil") -> "EmbeddedWarehouse":
        """Open the embedded warehouse at ``path``, or share the one this process has open there."""
        global _open
        resolved = Path(path).resolve()
        with _process_lock:
            if _open is not None and not _open.closed:
                if _open.path != resolved:
                    raise WarehouseLockedError(
                        f"this process already has the embedded warehouse at {_open.path} open; chDB allows "
                        f"one data directory per process, so {resolved} cannot be opened here"
                    )
                _open._opened += 1
                return _open
            _open = cls(resolved, database)
            return _open

    def close(self) -> None:
        """Close one opener's use; the last one stops what serves it, closes chDB and releases the lock."""
        global _open
        with _process_lock:
            self._opened -= 1
            if self._opened > 0 or self.closed:
                return
            try:
                for stop in reversed(self.on_close):
                    stop()
                super().close()
            finally:
                self.owner_lock.release()
                if _open is self:
                    _open = None
