"""The flows' commands (entry point ``flows`` of ``vigil.commands``): ``vigil run`` (one embedded run
of everything, with a summary) and ``vigil flows server|list|serve|run`` (a local Prefect server, the
deployments served unattended, one flow now). Settings reach each flow run as the ``settings_file``
parameter, the file this command was started with. ``vigil demo`` ends by serving the dashboards, so
it is theirs (``dashboards/demo``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.context import current_settings, fail
from vigil.cli.registry import Commands
from vigil.settings import Settings
from vigil.warehouse import WarehouseError, connect

app = typer.Typer(no_args_is_help=True)
EVERYTHING = ("crawl", "ml")


def register(commands: Commands) -> None:
    commands.command("run", run_command, extras=EVERYTHING,
                     help="Crawl the sources once, classify, store, refresh trends and alerts; print a summary.")
    commands.typer("flows", app, extras=("flows",),
                   help="Start a Prefect server, serve the scheduled flows, run one flow now.")


def _prefect_env(settings: Settings) -> None:
    """Point Prefect at the configured server (before prefect is imported) and give it a home."""
    if settings.flows.prefect_api_url:
        os.environ["PREFECT_API_URL"] = settings.flows.prefect_api_url
    home = Path(os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect")))
    home.mkdir(parents=True, exist_ok=True)  # Prefect does not create missing parents
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # `vigil flows run` without a server starts Prefect's ephemeral one; its first start migrates a
    # fresh SQLite database, which can take longer than Prefect's 20 s default on a small machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


@app.command("server")
def server_command(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 4200,
) -> None:
    """Start a local Prefect server (SQLite under VIGIL_HOME/prefect) in the foreground."""
    settings = current_settings()
    _prefect_env(settings)
    typer.echo(f"Prefect server on http://127.0.0.1:{port}; in other shells: "
               f"export PREFECT_API_URL=http://127.0.0.1:{port}/api", err=True)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    raise typer.Exit(subprocess.call(command))


@app.command("list")
def list_command() -> None:
    """List the declared deployments and their schedules."""
    from flows.deployments import declared

    for item in declared(current_settings()):
        when = f"every {item.every}" if item.every else f"cron '{item.cron}'" if item.cron else "on demand"
        typer.echo(f"{item.name:<16} {when:<22} {item.description}")


@app.command("serve")
def serve_command(
    names: Annotated[list[str] | None, typer.Argument(help="Deployments to serve (default: all).")] = None,
    every_seconds: Annotated[
        float | None, typer.Option(help="Run the chosen deployments at this interval instead (testing).")
    ] = None,
    grace: Annotated[float, typer.Option(
        help="On SIGTERM, take no new runs and let running ones finish for this many seconds before "
             "cancelling them (vigil up passes supervisor.stop_grace_s).")] = 0.0,
    crash_orphans: Annotated[bool, typer.Option(
        help="This is the only scheduler of these deployments: at start, mark their runs still running (left "
             "by a scheduler that died) crashed, freeing their concurrency slots (vigil up passes it).")] = False,
) -> None:
    """Serve the deployments on their schedules against PREFECT_API_URL until stopped."""
    settings = current_settings()
    _prefect_env(settings)
    if not os.environ.get("PREFECT_API_URL"):
        fail("set PREFECT_API_URL (or flows.prefect_api_url); `vigil flows server` starts a local server")
    from flows.deployments import ensure_concurrency_limits, to_deployments
    from flows.scheduler import serve
    from vigil.warehouse import EmbeddedWarehouse, migrate, read_owner

    # Flow runs execute in child processes; in embedded mode this process owns the
    # warehouse and serves it to them, unless another owner already serves it.
    warehouse = None
    if settings.warehouse.backend == "chdb" and read_owner(settings.warehouse_path) is None:
        from vigil.warehouse.served import serve as serve_warehouse

        warehouse = EmbeddedWarehouse.open(settings.warehouse_path, settings.warehouse.database)
        migrate(warehouse)
        serve_warehouse(warehouse)
    else:
        with connect(settings) as remote:
            migrate(remote)
    try:
        deployments = to_deployments(settings, names or None,
                                     timedelta(seconds=every_seconds) if every_seconds else None)
    except ValueError as exc:
        fail(str(exc))
    ensure_concurrency_limits()
    try:
        serve(deployments, grace_s=grace, crash_orphans=crash_orphans)
    finally:
        if warehouse is not None:
            warehouse.close()


@app.command("run")
def flow_run_command(
    name: Annotated[str, typer.Argument(help="A declared deployment's name, e.g. trends.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value, repeatable.")] = None,
) -> None:
    """Run one flow now, in this process, and print its result."""
    settings = current_settings()
    _prefect_env(settings)
    import flows.definitions as definitions
    from flows.deployments import declared

    found = {d.name: d for d in declared(settings)}
    if name not in found:
        fail(f"unknown flow {name!r}; known: {', '.join(found)}")
    params = dict(found[name].parameters)
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--param {item!r} is not name=value")
        params[key] = value
    from vigil.warehouse import migrate

    try:  # a fresh home has no tables yet; an unreachable warehouse is the flow's to report
        with connect(settings) as warehouse:
            migrate(warehouse)
    except WarehouseError as exc:
        typer.echo(f"warning: warehouse not migrated: {exc}", err=True)
    typer.echo(getattr(definitions, found[name].flow)(**params))


def _run(settings: Settings, sources: Path, as_json: bool) -> None:
    from flows.run_once import run_everything

    try:
        with connect(settings) as warehouse:
            summary = run_everything(settings, warehouse, sources)
    except WarehouseError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), indent=2, default=str))
    else:
        for line in summary.lines():
            typer.echo(line)


def run_command(
    sources: Annotated[Path, typer.Option("--sources", "-s", exists=True, help="Sources registry (YAML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    _run(current_settings(), sources, as_json)
