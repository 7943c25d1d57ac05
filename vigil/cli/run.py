"""`vigil run` and `vigil demo`: one embedded run of everything, with a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from vigil.cli.context import current_settings, fail
from vigil.settings import Settings
from vigil.warehouse import WarehouseError, connect

# The demo site's documents are identified by their URLs, port included: a fixed
# port makes a second `vigil demo` find the documents of the first.
DEMO_PORT = 8765


def register(app: typer.Typer) -> None:
    app.command("run", help="Crawl the sources once, classify, store, refresh trends and alerts; print a summary.")(
        run_command)
    app.command("demo", help="Serve the synthetic demo site on 127.0.0.1 and run everything on it.")(demo_command)


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


def demo_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    port: Annotated[int, typer.Option(help="Port of the demo site on 127.0.0.1 (0: any free one).")] = DEMO_PORT,
) -> None:
    from crawlers.demo_site.serve import DemoSite, write_sources

    settings = current_settings()
    # The demo site lives on 127.0.0.1, which the crawler refuses unless told otherwise.
    settings = settings.model_copy(update={"crawl": settings.crawl.model_copy(
        update={"allow_private_networks": True, "download_delay_s": 0.0})})
    try:
        site = DemoSite(port)
    except OSError:  # taken: any free port (its documents then get other ids than earlier demos')
        site = DemoSite(0)
    with site:
        sources = write_sources(site.base_url, settings.home / "demo" / "sources.yaml")
        typer.echo(f"demo site at {site.base_url}; sources registry written to {sources}", err=True)
        _run(settings, sources, as_json)
    if not as_json:
        alerts = settings.flows.alert_log_file or settings.home / "alerts.jsonl"
        typer.echo("\nwhere to look next:")
        typer.echo(f"  warehouse:   {settings.warehouse_path}  (vigil status; vigil warehouse query 'SELECT ...')")
        typer.echo("  trends:      vigil warehouse query 'SELECT day, category, sum(flagged) AS flagged "
                   "FROM counts_daily GROUP BY ALL ORDER BY ALL'")
        typer.echo(f"  alerts:      {alerts}")
        typer.echo("  schedules:   vigil flows server, then vigil flows serve")

