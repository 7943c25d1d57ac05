"""`vigil consume STAGE`: run one stage as a bus consumer until SIGTERM/SIGINT (distributed mode;
in embedded mode the same loop reads the in-process bus)."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from vigil.cli.context import current_settings, fail
from vigil.warehouse import WarehouseError

app = typer.Typer(no_args_is_help=True)

IdleExit = Annotated[float | None, typer.Option(help="Exit after this many idle seconds (default: run until stopped).")]
MetricsPort = Annotated[int | None, typer.Option(
    help="Serve the stage's Prometheus metrics (throughput, batch latency, lag, dead letters) on this port.")]


def _serve_metrics(port: int | None) -> None:
    if port is None:
        return
    from prometheus_client import start_http_server

    from vigil.bus.metrics import REGISTRY

    start_http_server(port, addr="0.0.0.0", registry=REGISTRY)
    typer.echo(f"metrics on http://0.0.0.0:{port}/metrics", err=True)


def _stop_event() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@app.command("classify", help="Label raw documents with the configured model; publish classifications.")
def classify_command(idle_exit: IdleExit = None, metrics_port: MetricsPort = None) -> None:
    from vigil.stages.classify import run_classify

    _serve_metrics(metrics_port)
    c = run_classify(current_settings(), _stop_event(), idle_exit)
    typer.echo(f"raw-documents: {c.consumed} consumed, {c.written} classified, {c.dead_letters} dead letters")


@app.command("sink", help="Write raw documents and classifications into the warehouse, idempotently.")
def sink_command(idle_exit: IdleExit = None, metrics_port: MetricsPort = None) -> None:
    from vigil.stages.consume import run_sink

    _serve_metrics(metrics_port)
    try:
        counts = run_sink(current_settings(), _stop_event(), idle_exit)
    except WarehouseError as exc:
        fail(str(exc))
    for topic, c in counts.items():
        typer.echo(f"{topic}: {c.consumed} consumed, {c.written} written, {c.dead_letters} dead letters")


@app.command("feedback", help="Store reviewers' decisions; confirmed propaganda joins the known-content bank.")
def feedback_command(idle_exit: IdleExit = None, metrics_port: MetricsPort = None) -> None:
    from vigil.stages.feedback import run_feedback

    _serve_metrics(metrics_port)
    try:
        c = run_feedback(current_settings(), _stop_event(), idle_exit)
    except WarehouseError as exc:
        fail(str(exc))
    typer.echo(f"review-decisions: {c.consumed} consumed, {c.written} stored, {c.dead_letters} dead letters")
