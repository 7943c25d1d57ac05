"""The warehouse interface: the only way Vigil code talks to ClickHouse.

Values are always bound by the engine with ClickHouse's ``{name:Type}``
placeholders and a ``params`` mapping; SQL text is never built from values.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from itertools import islice
from typing import Any

import pandas as pd

Row = dict[str, Any]
Params = Mapping[str, Any] | None


class WarehouseError(RuntimeError):
    """A warehouse command or query failed; the message carries ClickHouse's reason."""


class WarehouseLockedError(WarehouseError):
    """The embedded warehouse directory is owned by another process."""


class Warehouse(ABC):
    """Run a command, insert rows in batches, query into rows or a data frame."""

    database: str

    @abstractmethod
    def command(self, sql: str, params: Params = None) -> None:
        """Run a statement that returns no rows (DDL, ALTER, OPTIMIZE...)."""

    @abstractmethod
    def query(self, sql: str, params: Params = None) -> list[Row]:
        """Run a SELECT and return rows as dicts of Python values (Map columns as dicts)."""

    @abstractmethod
    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run a SELECT and return a pandas DataFrame."""

    @abstractmethod
    def _insert_batch(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Insert one batch of rows (dicts holding every column)."""

    @abstractmethod
    def describe(self) -> str:
        """Where this warehouse is, for logs and `vigil status`."""

    def close(self) -> None:  # noqa: B027 - optional for backends with nothing to release
        """Release the connection."""

    def insert(self, table: str, rows: Iterable[Row], *, columns: Sequence[str] | None = None,
               batch_rows: int = 10_000) -> int:
        """Insert rows in batches of ``batch_rows``; return how many were written.

        ``columns`` defaults to the keys of the first row; every row must carry them.
        """
        check_identifier(table)
        written = 0
        for batch in _batches(rows, batch_rows):
            cols = list(columns or batch[0].keys())
            for col in cols:
                check_identifier(col)
            self._insert_batch(table, cols, batch)
            written += len(batch)
        return written

    def scalar(self, sql: str, params: Params = None) -> Any:
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def table_counts(self) -> dict[str, int]:
        """Rows per table in this warehouse's database (parts' row counts, before dedup)."""
        rows = self.query(
            "SELECT name, toInt64(ifNull(total_rows, 0)) AS rows FROM system.tables "
            "WHERE database = {db:String} AND engine NOT IN ('View', 'MaterializedView') ORDER BY name",
            {"db": self.database},
        )
        return {row["name"]: int(row["rows"]) for row in rows}

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def check_identifier(name: str) -> None:
    """Table and column names are the only SQL text built at run time: allow plain names only."""
    if not name or not name.replace("_", "").replace(".", "").isascii() \
            or not name.replace("_", "").replace(".", "").isalnum() or name[0].isdigit():
        raise WarehouseError(f"refusing identifier {name!r}: only letters, digits, '_' and '.' are allowed")


def to_json_value(value: Any) -> Any:
    """A Python value as ClickHouse's JSONEachRow input expects it."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="milliseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_json_value(v) for v in value]
    return value


def param_text(value: Any) -> Any:
    """``value`` as ClickHouse parses a query parameter of the matching type.

    chDB binds ``{name:Type}`` parameters from their ``str()``, which is wrong for
    lists (``[a, b]``) and aware datetimes (``+00:00``). The embedded backend and
    the served warehouse convert through this; values are still bound by the
    engine, never spliced into SQL text.
    """
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ",".join(_quoted(v) for v in value) + "]"
    return to_json_value(value)


def _quoted(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    text = str(param_text(value))
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def json_each_row(columns: Sequence[str], rows: Sequence[Row]) -> str:
    return "".join(
        json.dumps({col: to_json_value(row.get(col)) for col in columns}, ensure_ascii=False) + "\n"
        for row in rows
    )
