"""A ClickHouse server reached with clickhouse-connect (distributed mode)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from vigil.warehouse.base import Params, Row, Warehouse, WarehouseError


class ServerWarehouse(Warehouse):
    def __init__(self, *, host: str, port: int, username: str, password: str, database: str,
                 secure: bool = False, connect_timeout_s: float = 10, query_timeout_s: float = 300) -> None:
        import clickhouse_connect

        self.database = database
        self._where = f"ClickHouse server {'https' if secure else 'http'}://{host}:{port} (database {database})"
        try:
            bootstrap = clickhouse_connect.get_client(
                host=host, port=port, username=username, password=password, secure=secure,
                connect_timeout=connect_timeout_s, send_receive_timeout=query_timeout_s,
            )
            bootstrap.command(f"CREATE DATABASE IF NOT EXISTS {database}")
            bootstrap.close()
            self._client = clickhouse_connect.get_client(
                host=host, port=port, username=username, password=password, secure=secure,
                database=database, connect_timeout=connect_timeout_s, send_receive_timeout=query_timeout_s,
            )
        except Exception as exc:
            raise WarehouseError(f"cannot reach {self._where}: {exc}") from exc

    def describe(self) -> str:
        return self._where

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise WarehouseError(f"{what} failed on {self._where}: {exc}") from exc

    def command(self, sql: str, params: Params = None) -> None:
        self._call("command", self._client.command, sql, parameters=dict(params) if params else None)

    def query(self, sql: str, params: Params = None) -> list[Row]:
        result = self._call("query", self._client.query, sql, parameters=dict(params) if params else None)
        return [dict(zip(result.column_names, row)) for row in result.result_rows]

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        return self._call("query", self._client.query_df, sql, parameters=dict(params) if params else None)

    def _insert_batch(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        data = [[row.get(col) for col in columns] for row in rows]
        self._call(f"insert into {table}", self._client.insert, table, data, column_names=list(columns))

    def close(self) -> None:
        self._client.close()
