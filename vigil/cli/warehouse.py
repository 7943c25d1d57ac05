"""`vigil warehouse`: own and serve the embedded warehouse, run a query."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vigil.cli.context import current_settings, fail
from vigil.warehouse import EmbeddedWarehouse, WarehouseError, connect, migrate

app = typer.Typer(no_args_is_help=True)


@app.command("serve")
def serve_command(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 0,
) -> None:
    """Own the embedded warehouse and serve it to other Vigil processes on 127.0.0.1.

    Its token is ``warehouse.password`` when set (others may then reach it as a ClickHouse server
    on that port with that password), else random; either way it is kept in the owner file."""
    from vigil.warehouse.served import serve

    settings = current_settings()
    if settings.warehouse.backend != "chdb":
        fail("`vigil warehouse serve` is for the embedded (chdb) backend; a ClickHouse server serves itself")
    try:
        warehouse = EmbeddedWarehouse.open(settings.warehouse_path, settings.warehouse.database)
    except WarehouseError as exc:
        fail(str(exc))
    migrate(warehouse)
    server = serve(warehouse, port=port, token=settings.warehouse.password.get_secret_value() or None)
    typer.echo(f"serving {warehouse.describe()} at {server.endpoint} (Ctrl-C to stop)", err=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.shutdown()
    warehouse.close()


@app.command("query")
def query_command(
    sql: Annotated[str, typer.Argument(help="A SELECT; bind values with {name:Type} and --param name=value.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value, repeatable.")] = None,
) -> None:
    """Run one read-only query against the warehouse and print the rows."""
    params = {}
    for item in param or []:
        name, sep, value = item.partition("=")
        if not sep:
            fail(f"--param {item!r} is not name=value")
        params[name] = value
    try:
        with connect(current_settings()) as warehouse:
            frame = warehouse.query_df(sql, params)
    except WarehouseError as exc:
        fail(str(exc))
    table = Table(*[str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    Console().print(table)
