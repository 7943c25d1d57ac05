"""The crawlers' commands (entry point ``crawlers`` of ``vigil.commands``): ``vigil crawl`` and
``vigil sources list|validate``. They need the ``crawl`` extra, imported inside each command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from vigil.cli.context import current_settings, fail
from vigil.cli.registry import Commands

CRAWL = ("crawl",)

sources_app = typer.Typer(no_args_is_help=True)


def _registry(path: Path | None) -> Path:
    path = path or current_settings().crawl.sources_file
    if path is None:
        fail("no sources file: pass one or set crawl.sources_file (VIGIL_CRAWL__SOURCES_FILE)", 2)
    return path


def _load(path: Path, only: list[str] | None = None, include_disabled: bool = False):
    from crawlers.sources import SourcesError, load_sources

    try:
        return load_sources(path, only=only, include_disabled=include_disabled)
    except SourcesError as exc:
        fail(str(exc), 2)


@sources_app.command("list")
def list_command(
    file: Annotated[Path | None, typer.Argument(help="Registry YAML file or folder.")] = None,
) -> None:
    """List the sources of a registry."""
    sources = _load(_registry(file), include_disabled=True)
    table = Table("id", "kind", "url", "language", "tags", "enabled", "robots")
    for s in sources:
        table.add_row(s.id, s.kind, "\n".join(s.start_urls), s.language or "", ",".join(s.tags),
                      "yes" if s.enabled else "no", "obey" if not s.ignore_robots else f"ignored: {s.ignore_robots}")
    Console().print(table)


@sources_app.command("validate")
def validate_command(file: Annotated[Path, typer.Argument(help="Registry YAML file or folder.")]) -> None:
    """Check a registry; print each problem with its file, source and field."""
    sources = _load(file)
    typer.echo(f"{file}: {len(sources)} enabled sources, valid")


def crawl_command(
    sources: Annotated[Path | None, typer.Option("--sources", help="Registry YAML file or folder.")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="Only this source id (repeatable).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write documents as JSONL here instead of the bus.")] = None,
    stats: Annotated[Path | None, typer.Option("--stats", help="Per-source stats JSON (default: beside --out).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Scrapy's log.")] = False,
) -> None:
    """Crawl the registry's sources once; publish new and changed documents (or write them with --out)."""
    from crawlers.outputs import BusOutput, JsonlOutput
    from crawlers.run import crawl

    settings = current_settings()
    chosen = _load(_registry(sources), source)
    if not chosen:
        fail("no enabled sources to crawl")
    if out is None and settings.mode.value == "embedded":
        # The in-process bus ends with this command and nothing would read it: refuse rather than
        # mark documents as delivered that no stage ever saw.
        fail("embedded mode has no bus outside this process: pass --out FILE.jsonl, use `vigil run "
             "--sources FILE` (crawl, classify and store), or set VIGIL_MODE=distributed", 2)
    sink = JsonlOutput(out) if out else BusOutput(settings)
    stats_path = stats or (out.with_name(out.name + ".stats.json") if out else None)
    with Progress(SpinnerColumn(), TextColumn("{task.description:<28}"),
                  TextColumn("{task.fields[pages]:>6} pages"), TextColumn("{task.fields[docs]:>6} documents"),
                  TimeElapsedColumn(), console=Console(stderr=True)) as bar:
        tasks = {s.id: bar.add_task(s.id, total=None, pages=0, docs=0) for s in chosen}

        def show(progress) -> None:
            task = tasks.get(progress.source_id)
            if task is not None:
                bar.update(task, pages=progress.pages, docs=progress.documents,
                           completed=1 if progress.done else None, total=1 if progress.done else None)

        try:
            report = crawl(chosen, sink, settings, progress=show, stats_path=stats_path,
                           log_level="INFO" if verbose else "WARNING")
        finally:
            sink.close()
    table = Table("source", "pages", "new", "changed", "unchanged", "errors", "skipped", title=report.run_id)
    for sid, st in sorted(report.sources.items()):
        table.add_row(sid, str(st.pages), str(st.documents_new), str(st.documents_changed),
                      str(st.documents_unchanged), _counts(st.errors), _counts(st.skipped))
    Console(stderr=True).print(table)
    if not report.ok:
        fail(report.problem)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in counts.items()) or "-"


def register(commands: Commands) -> None:
    commands.command("crawl", crawl_command, extras=CRAWL)
    commands.typer("sources", sources_app, help="List and validate the crawl source registry.", extras=CRAWL)
