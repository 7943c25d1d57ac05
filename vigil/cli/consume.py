"""``vigil consume sink`` and what every ``vigil consume STAGE`` shares: its options, its metrics
endpoint and its stop on SIGTERM/SIGINT. The stages' own consumers are added to the same group
by their packages (``classify`` and ``feedback`` by classifiers)."""

from __future__ import annotations

from typing import Annotated

import typer

from vigil.cli.context import current_settings, fail
from vigil.cli.registry import Commands
from vigil.settings import Mode, Settings
from vigil.warehouse import WarehouseError

GROUP_HELP = "Run one stage (classify, sink, feedback) as a bus consumer until stopped."

IdleExit = Annotated[float | None, typer.Option(help="Exit after this many idle seconds (default: run until stopped).")]
MetricsPort = Annotated[int | None, typer.Option(
    help="Serve the stage's Prometheus metrics (throughput, batch latency, lag, dead letters) on this port.")]


def register(commands: Commands) -> None:
    commands.command("sink", sink_command,
                     help="Write raw documents and classifications into the warehouse, idempotently.")


def consumer_settings(stage: str, metrics_port: int | None, *, stores: bool = False) -> Settings:
    """The settings a consumer command runs with, after serving its metrics (and its ``/healthz`` and
    ``/readyz``) if asked.

    A stage that stores into the embedded warehouse (``stores``) is refused in embedded mode: it
    would hold the warehouse's lock while listening on an in-process bus that nothing outside this
    process can publish to."""
    settings = current_settings()
    if stores and settings.mode is Mode.embedded:
        fail(f"`vigil consume {stage}` reads the bus, and embedded mode has none outside one process: "
             "set VIGIL_MODE=distributed (with bus.bootstrap_servers), or use `vigil run` / `vigil flows "
             "serve`, which store in process", 2)
    if metrics_port is not None:
        from vigil.bus.health import HEALTH
        from vigil.bus.metrics import serve_metrics
        from vigil.reachability import ping_warehouse

        if stores:  # ready only while the warehouse it writes answers
            HEALTH.add_check("warehouse", lambda: ping_warehouse(settings))
        serve_metrics(metrics_port, stall_after_s=settings.bus.stall_after_s)
        typer.echo(f"metrics on http://0.0.0.0:{metrics_port}/metrics (health: /healthz, /readyz)", err=True)
    return settings


def sink_command(idle_exit: IdleExit = None, metrics_port: MetricsPort = None) -> None:
    from vigil.bus.runner import stop_on_signals
    from vigil.warehouse.sink_consumer import run_sink

    settings = consumer_settings("sink", metrics_port, stores=True)
    try:
        counts = run_sink(settings, stop_on_signals(), idle_exit)
    except WarehouseError as exc:
        fail(str(exc))
    for topic, c in counts.items():
        typer.echo(f"{topic}: {c.consumed} consumed, {c.written} written, {c.dead_letters} dead letters")
