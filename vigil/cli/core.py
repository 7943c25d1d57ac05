"""The core's commands: migrate, status and up (every part supervised), and the groups of the
warehouse, the broker, the dead-letter topics and the sink consumer (entry point ``vigil`` of
``vigil.commands``)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from vigil import __version__
from vigil.cli.context import current_settings, fail
from vigil.cli.registry import Commands
from vigil.reachability import check_all
from vigil.warehouse import WarehouseError, connect, migrate


def register(commands: Commands) -> None:
    from vigil.cli import bus, consume, up, warehouse

    commands.command("migrate", migrate_command, help="Apply the warehouse migrations that have not run yet.")
    commands.command("status", status_command,
                     help="Show the settings in force, what is reachable, rows per table, and vigil up's parts.")
    commands.command("up", up.up_command,
                     help="Run every part of Vigil on this machine, supervised: restarted when they die or hang.")
    commands.typer("warehouse", warehouse.app, help="Own and serve the embedded warehouse; open a SQL shell.")
    commands.typer("kafka", bus.kafka_app, help="Run a local single-node Apache Kafka 4 broker (KRaft).")
    commands.typer("dlq", bus.dlq_app, help="Inspect and replay dead-letter topics.")
    consume.register(commands.group("consume", consume.GROUP_HELP))


def migrate_command() -> None:
    settings = current_settings()
    try:
        with connect(settings) as warehouse:
            applied = migrate(warehouse)
            where = warehouse.describe()
    except WarehouseError as exc:
        fail(str(exc))
    if applied:
        for migration in applied:
            typer.echo(f"applied {migration.version:04d}_{migration.name}")
    else:
        typer.echo(f"{where}: up to date")


def status_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    from vigil.cli.up import print_parts, state_file
    from vigil.supervisor import current_status

    settings = current_settings()
    checks, counts = check_all(settings)
    parts = current_status(state_file(settings))
    if as_json:
        typer.echo(json.dumps({
            "version": __version__,
            "settings": settings.public_dict(),
            "checks": [check.__dict__ for check in checks],
            "tables": counts,
            "up": parts if parts and parts["running"] else None,
        }, indent=2, default=str))
    else:
        console = Console()
        console.print(f"[bold]Vigil {__version__}[/bold]  mode={settings.mode.value}  "
                      f"environment={settings.environment.value}  home={settings.home}")
        console.print_json(json.dumps(settings.public_dict(), default=str))
        services = Table("service", "state", "detail", title="Reachability")
        for check in checks:
            state = {True: "[green]ok[/green]", False: "[red]unreachable[/red]", None: "not used"}[check.ok]
            services.add_row(check.service, state, check.detail)
        console.print(services)
        tables = Table("table", "rows", title="Warehouse tables")
        for name, rows in counts.items():
            tables.add_row(name, f"{rows:,}")
        console.print(tables)
        if parts and parts["running"]:
            print_parts(console, parts)
    if any(check.ok is False for check in checks):
        raise typer.Exit(1)
