"""``vigil up``: every part of Vigil on this machine, supervised in one process tree; ``--status``."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from vigil.cli.context import current_settings, fail
from vigil.cli.registry import install_hint, unavailable_extras
from vigil.settings import Mode, Settings

EXTRAS = ("crawl", "ml", "flows", "web")  # the scheduler crawls and classifies; the dashboard serves


def state_file(settings: Settings) -> Path:
    return settings.run_dir / "up.json"


def up_command(
    distributed: Annotated[bool | None, typer.Option(
        "--distributed/--embedded",
        help="Run the stages as separate processes over Kafka, or embedded (default: the settings' mode).")] = None,
    classifiers: Annotated[int, typer.Option(min=1, help="Classify consumers to run (distributed).")] = 1,
    flows: Annotated[list[str] | None, typer.Option(
        "--flow", help="Serve only this deployment (repeatable; default: all of them).")] = None,
    status: Annotated[bool, typer.Option("--status", help="Show the parts of the running `vigil up` and exit.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="With --status: print JSON.")] = False,
) -> None:
    """Run the warehouse, Prefect, the scheduler and the dashboards (distributed: also Kafka and the
    consumers) as supervised children: restarted when they die or hang, stopped together by Ctrl-C."""
    settings = current_settings()
    if status:
        raise typer.Exit(show_status(settings, as_json))
    from vigil.supervisor import Supervisor
    from vigil.supervisor.parts import PlanError, plan
    from vigil.supervisor.state import read_state, reap_orphans

    missing = unavailable_extras(EXTRAS)
    if missing:
        fail(f"`vigil up` needs the extras {', '.join(missing)}: {install_hint(missing)}", 2)
    lock = _lock(settings)
    reaped = reap_orphans(read_state(state_file(settings)))
    if reaped:
        typer.echo(f"stopped what a previous vigil up left running: {', '.join(reaped)}", err=True)
    distributed = settings.mode is Mode.distributed if distributed is None else distributed
    try:
        parts = plan(settings, distributed=distributed, classifiers=classifiers, flows=flows)
    except PlanError as exc:
        fail(str(exc), 2)
    sup = settings.supervisor
    supervisor = Supervisor(parts.specs, state_file=state_file(settings), health_interval_s=sup.health_interval_s,
                            ready_timeout_s=sup.ready_timeout_s, meta={**parts.meta, "home": str(settings.home)})
    stop, kill_now = threading.Event(), threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():
            kill_now.set()
            return
        stop.set()
        typer.echo(f"vigil up: {signal.Signals(signum).name}: stopping every part (again to kill them)", err=True)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGHUP: its terminal went away
        signal.signal(sig, on_signal)
    for note in parts.notes:
        typer.echo(f"vigil up: using {note}", err=True)
    typer.echo(f"vigil up ({parts.meta['mode']}): {', '.join(s.name for s in parts.specs)}; dashboards at "
               f"{parts.meta['dashboards']}; logs in {settings.run_dir / 'logs'}; `vigil up --status` shows "
               "them (Ctrl-C to stop)", err=True)
    try:
        supervisor.run(stop, kill_now)
    finally:
        os.close(lock)


def _lock(settings: Settings) -> int:
    """Hold ``<home>/run/up.lock`` for the supervisor's life: one ``vigil up`` per home."""
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.run_dir / "up.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        from vigil.supervisor.state import read_state

        pid = (read_state(state_file(settings)) or {}).get("supervisor", {}).get("pid", "?")
        fail(f"vigil up already runs for {settings.home} (pid {pid}); `vigil up --status` shows it")
    return fd


def show_status(settings: Settings, as_json: bool) -> int:
    from vigil.supervisor import current_status

    state = current_status(state_file(settings))
    if as_json:
        typer.echo(json.dumps(state, indent=2, default=str))
    elif state is None:
        typer.echo(f"vigil up has not run for {settings.home}")
    else:
        print_parts(Console(), state)
    return 0 if state and state["running"] else 1


def print_parts(console: Console, state: dict[str, Any]) -> None:
    from vigil.supervisor.state import uptime

    supervisor = state.get("supervisor", {})
    if not state.get("running"):
        console.print(f"vigil up is not running (last: pid {supervisor.get('pid')}, {supervisor.get('state')}, "
                      f"updated {supervisor.get('updated_at')})")
        return
    console.print(f"vigil up ({supervisor.get('mode')}) pid {supervisor.get('pid')}, {supervisor.get('state')}, "
                  f"since {supervisor.get('started_at')}; dashboards at {supervisor.get('dashboards')}")
    table = Table("part", "state", "pid", "uptime", "restarts", "ready", "detail", title="vigil up")
    for part in state.get("parts", []):
        ready = "[green]yes[/green]" if part.get("ready") else "[red]no[/red]"
        table.add_row(part["name"], part.get("state", "?"), str(part.get("pid") or "-"), uptime(part.get("uptime_s")),
                      str(part.get("restarts", 0)), ready, part.get("detail") or "")
    console.print(table)
