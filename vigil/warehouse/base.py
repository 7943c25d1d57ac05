"""The warehouse interface: the only way Vigil code talks to ClickHouse.

Every backend is a clickhouse-connect client: chDB in this process
(``chdb://<dir>``), the embedded warehouse's owner process over HTTP, or a
ClickHouse server. Values are always bound with ClickHouse's ``{name:Type}``
placeholders and a ``params`` mapping, rows travel in the Native format, and
both are encoded and decoded by clickhouse-connect; SQL text is never built
from values, with one checked exception: a :class:`HexKeys` list (document ids
and other hex hashes) is written into the SQL as one string literal that
ClickHouse splits at commas, because each of its items has been checked to hold
only ``0-9a-f``, and clickhouse-connect's escaping, a Python loop over every
character, cost a sink batch more than its lookups did.
A long key list is looked up in chunks (:meth:`Warehouse.query_keys`), so that
the SQL stays under ClickHouse's ``max_query_size`` (256 KiB) whatever the
batch size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from operator import itemgetter
from typing import Any, TypeVar

import pandas as pd
from clickhouse_connect import common
from clickhouse_connect.driver.client import Client

Row = dict[str, Any]
Params = Mapping[str, Any] | None
T = TypeVar("T")

# Process-wide clickhouse-connect options Vigil relies on: dicts bind as Map
# literals (chDB cannot parse the JSON form), and naive datetimes insert as
# times in the column's zone (every Vigil time column is UTC) rather than local.
common.set_setting("dict_parameter_format", "map")
common.set_setting("naive_datetime_insert", "server")

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")
_HEX = re.compile(r"[0-9a-f]*")


class HexKeys(tuple):
    """Keys made of ``0-9a-f`` only, bound to an ``Array(String)`` placeholder as a literal; see :func:`keys_param`."""

    @property
    def literal(self) -> str:
        """One string literal split into the array by ClickHouse: on 2,000 ids, a lookup took 0.6 of the time
        it took with an array literal of 2,000 strings (ClickHouse's parser and clickhouse-connect's scan of
        the SQL take each quoted string apart)."""
        return "splitByChar(',', '" + ",".join(self) + "')" if self else "CAST([], 'Array(String)')"


def keys_param(keys: Iterable[str]) -> Sequence[str]:
    """``keys`` for an ``{name:Array(String)}`` placeholder: :class:`HexKeys` when every key is lowercase hex
    (then the literal needs no escaping), else a plain list that clickhouse-connect escapes."""
    keys = list(keys)
    return HexKeys(keys) if all(isinstance(k, str) for k in keys) and _HEX.fullmatch("".join(keys)) else keys


# Characters of keys per lookup query: under half of ClickHouse's default max_query_size (256 KiB), leaving room
# for the separators and the rest of the statement.
KEY_CHARS_PER_QUERY = 100_000  # divided among the placeholders of a statement that names its keys twice
# A lookup's keys as a relation of one column, ``key`` (see :meth:`Warehouse.query_keys`).
KEYS = "{keys}"


def key_chunks(keys: Iterable[str], budget: int = KEY_CHARS_PER_QUERY) -> Iterator[list[str]]:
    """``keys`` in consecutive chunks of at most ``budget`` characters (each key counted with 3 more, the most its
    separators add to the statement); a chunk holds at least one key."""
    chunk: list[str] = []
    size = 0
    for key in keys:
        if chunk and size + len(key) + 3 > budget:
            yield chunk
            chunk, size = [], 0
        chunk.append(key)
        size += len(key) + 3
    if chunk:
        yield chunk


class WarehouseError(RuntimeError):
    """A warehouse command or query failed; the message carries ClickHouse's reason."""


class WarehouseLockedError(WarehouseError):
    """The embedded warehouse directory is owned by another process."""


class Warehouse:
    """Run a command, insert rows in batches, query into rows or a data frame.

    Rows are dicts of Python values as clickhouse-connect decodes them: zoned
    ``DateTime64`` columns as aware datetimes, ``Array`` as lists, ``Map`` as
    dicts, ``Tuple`` as tuples, ``Nullable`` NULL as None.
    """

    # The ClickHouse cluster this warehouse's migrations run ON CLUSTER (warehouse.cluster), or None.
    cluster: str | None = None

    def __init__(self, client: Client, database: str, where: str) -> None:
        self._client: Client | None = client
        self.database = database
        self._where = where
        # Column types per (table, columns) of earlier inserts: clickhouse-connect would DESCRIBE the table on
        # every insert without them. Cleared by every command, since DDL runs through command().
        self._column_types: dict[tuple[str, tuple[str, ...]], Sequence[Any]] = {}

    def describe(self) -> str:
        """Where this warehouse is, for logs and `vigil status`."""
        return self._where

    @property
    def closed(self) -> bool:
        return self._client is None

    def command(self, sql: str, params: Params = None) -> None:
        """Run a statement that returns no rows (DDL, ALTER, OPTIMIZE...)."""
        self._column_types.clear()
        self._command(sql, params)

    def _command(self, sql: str, params: Params = None) -> None:
        """:meth:`command` for a statement that changes no table's columns (a lookup's own temporary table), so
        the column types of earlier inserts stay known: cleared, every insert after a lookup would first ask for
        its table's columns again (seven more queries a sink batch)."""
        sql, params = _bound(sql, params)
        self._call("command", lambda c: c.command(sql, parameters=params))

    def query(self, sql: str, params: Params = None) -> list[Row]:
        """Run a SELECT and return rows as dicts of Python values."""
        sql, params = _bound(sql, params)
        return self._call("query", lambda c: list(c.query(sql, parameters=params).named_results()))

    def query_keys(self, sql: str, keys: Iterable[str], params: Params = None, *, name: str = "ids") -> list[Row]:
        """Run a point lookup once per chunk of ``keys`` (bound to ``{name:Array(String)}``, see
        :func:`key_chunks`) and return the rows of every chunk. For queries each of whose rows belongs to one
        key, such as ``WHERE id IN {ids:Array(String)} GROUP BY id``, the chunks' rows are the whole answer.

        The statement may also read the chunk as a relation, :data:`KEYS` (one column, ``key``), as the sink's
        lookups do to filter first on a narrow hash of the key:
        ``PREWHERE id_hash IN (SELECT cityHash64(key) FROM {keys}) WHERE id IN {ids:Array(String)}``."""
        placeholder = "{" + name + ":Array(String)}"
        sql = sql.replace(KEYS, f"(SELECT arrayJoin({placeholder}) AS key)")
        rows: list[Row] = []
        for chunk in key_chunks(keys, KEY_CHARS_PER_QUERY // max(1, sql.count(placeholder))):
            rows.extend(self.query(sql, {**(params or {}), name: keys_param(chunk)}))
        return rows

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """Run a SELECT and return a pandas DataFrame."""
        sql, params = _bound(sql, params)
        return self._call("query", lambda c: c.query_df(sql, parameters=params))

    def insert(self, table: str, rows: Iterable[Row], *, columns: Sequence[str] | None = None,
               batch_rows: int = 10_000) -> int:
        """Insert rows in batches of ``batch_rows``; return how many were written.

        ``columns`` defaults to the keys of the first row; a row without one of
        them inserts None there (an error unless the column is Nullable).
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

    def insert_columns(self, table: str, columns: Mapping[str, Sequence[Any]]) -> int:
        """Insert one block given as columns (each column's values, all of one length); return its rows.

        For a writer that builds its rows itself: thousands of rows as a dozen lists instead of a dict each
        leave the garbage collector a dozen objects to track, and the client no row-to-column pivot."""
        check_identifier(table)
        names = list(columns)
        for name in names:
            check_identifier(name)
        values = [columns[name] for name in names]
        lengths = {len(column) for column in values}
        if len(lengths) > 1:
            raise WarehouseError(f"insert into {table}: columns of different lengths {sorted(lengths)}")
        if not values or not values[0]:
            return 0
        self._insert_batch(table, names, values, column_oriented=True)
        return len(values[0])

    def _insert_batch(self, table: str, columns: list[str], rows: Sequence[Any], *,
                      column_oriented: bool = False) -> None:
        data = rows if column_oriented else _values(rows, columns)
        key = (table, tuple(columns))

        def insert(c: Client) -> None:
            if key not in self._column_types:
                self._column_types[key] = c.create_insert_context(table, column_names=columns).column_types
            context = c.create_insert_context(table, column_names=columns, column_types=self._column_types[key],
                                              column_oriented=column_oriented, data=data)
            try:
                c.insert(context=context)
            finally:
                # clickhouse-connect's insert context refers to itself (it keeps a bound method of its own), so
                # without this the batch's rows would wait for a full garbage collection to be freed, and
                # their numbers bring those collections on sooner: emptied, the context frees them at once.
                vars(context).clear()

        self._call(f"insert into {table}", insert)

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

    def close(self) -> None:
        """Release the client."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, what: str, fn: Callable[[Client], T]) -> T:
        if self._client is None:
            raise WarehouseError(f"{what} failed: the warehouse ({self._where}) is closed")
        try:
            return fn(self._client)
        except Exception as exc:  # clickhouse-connect and chDB errors, and values it cannot encode
            raise WarehouseError(f"{what} failed on {self._where}: {exc}") from exc


def open_client(where: str, database: str, **kwargs: Any) -> Client:
    """A clickhouse-connect client (``kwargs`` as for ``get_client``) using ``database``, created if missing."""
    import clickhouse_connect

    check_identifier(database)
    try:
        client = clickhouse_connect.get_client(tz_mode="schema", **kwargs)
    except Exception as exc:
        raise WarehouseError(f"cannot reach {where}: {exc}") from exc
    try:
        client.command(f"CREATE DATABASE IF NOT EXISTS {database}")
    except Exception as exc:
        client.close()
        raise WarehouseError(f"cannot create database {database} on {where}: {exc}") from exc
    client.database = database
    return client


def check_identifier(name: str) -> None:
    """Table and column names are the only SQL text built at run time: allow plain names only."""
    if not _IDENTIFIER.fullmatch(name):
        raise WarehouseError(f"refusing identifier {name!r}: only letters, digits, '_' and one '.' are allowed")


def _bound(sql: str, params: Params) -> tuple[str, dict[str, Any] | None]:
    """``sql`` with each :class:`HexKeys` parameter's placeholders written as its literal, and the other params."""
    if not params:
        return sql, None
    rest = {}
    for name, value in params.items():
        placeholder = "{" + name + ":Array(String)}"
        if isinstance(value, HexKeys) and _HEX.fullmatch("".join(value)) and placeholder in sql:
            sql = sql.replace(placeholder, value.literal)
        else:
            rest[name] = list(value) if isinstance(value, HexKeys) else value
    return sql, rest or None


def _values(rows: list[Row], columns: list[str]) -> list[Sequence[Any]]:
    """Each row's values in ``columns`` order, None where a row lacks one (itemgetter first: three times faster
    than a lookup per value on a batch of documents, and the insert path of every batch of every stage)."""
    if len(columns) > 1:
        pick = itemgetter(*columns)
        try:
            return [pick(row) for row in rows]
        except KeyError:
            pass
    return [[row.get(col) for col in columns] for row in rows]


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
