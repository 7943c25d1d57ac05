"""Arrow tables to rows of plain Python values, the same way for every backend."""

from __future__ import annotations

import pyarrow as pa

from vigil.warehouse.base import Row


def arrow_to_rows(table: pa.Table) -> list[Row]:
    """``to_pylist`` with Map columns as dicts (Arrow gives lists of pairs)."""
    map_columns = [f.name for f in table.schema if pa.types.is_map(f.type)]
    rows = table.to_pylist()
    for row in rows:
        for name in map_columns:
            if row[name] is not None:
                row[name] = dict(row[name])
    return rows


def table_to_ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def ipc_to_table(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()
