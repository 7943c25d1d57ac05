"""The root Typer app and the options every command shares (settings, logging)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vigil.logs import configure_logging
from vigil.settings import Settings, SettingsError, get_settings, load_settings

app = typer.Typer(
    name="vigil",
    help="Vigil: monitor public online content for radical-propaganda signals.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

_state: dict[str, Settings] = {}


@app.callback()
def _root(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML settings file (also VIGIL_CONFIG).")
    ] = None,
) -> None:
    try:
        settings = load_settings(config)
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    _state["settings"] = settings
    configure_logging(settings.log_level, settings.log_format)


def current_settings() -> Settings:
    """The settings the running command was started with (``-c FILE`` or ``VIGIL_CONFIG``, then the
    environment); pass them, or their :attr:`~Settings.config_file`, to whatever the command runs."""
    return _state.get("settings") or get_settings()


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
