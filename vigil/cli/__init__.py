"""The ``vigil`` command. Each command group lives in its own module and is a thin
shell over library functions; this module only assembles them."""

from __future__ import annotations

import importlib

import typer

from vigil.cli.context import app

# Command groups: (module, attribute, name, one-line help). A module that needs an
# optional dependency group which is not installed is skipped with a note in --help.
COMMAND_GROUPS: list[tuple[str, str, str | None, str | None]] = [
    ("vigil.cli.core", "register", None, None),
    ("vigil.cli.classify", "register", None, None),
    ("vigil.cli.warehouse", "app", "warehouse", "Own and serve the embedded warehouse; open a SQL shell."),
    ("vigil.cli.bus", "register", None, None),
    ("vigil.cli.crawl", "register", None, None),
    ("vigil.cli.run", "register", None, None),
    ("vigil.cli.consume", "app", "consume", "Run one stage (classify, sink, feedback) as a bus consumer until stopped."),
    ("vigil.cli.flows", "app", "flows", "Start a Prefect server, serve the scheduled flows, run one flow now."),
]


def _load() -> None:
    for module_name, attr, name, help_text in COMMAND_GROUPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.split(".")[0] in {"vigil", "crawlers", "classifiers", "flows", "dashboards"}:
                raise
            stub = typer.Typer(help=f"(unavailable: install the extra that provides {exc.name})")
            app.add_typer(stub, name=name or module_name.rsplit(".", 1)[-1])
            continue
        target = getattr(module, attr)
        if isinstance(target, typer.Typer):
            app.add_typer(target, name=name, help=help_text)
        else:
            target(app)


_load()


def main() -> None:
    app()


__all__ = ["app", "main"]
