"""The ``vigil`` command: the root app and its shared options (:mod:`vigil.cli.context`), with the
commands every installed package contributes through the ``vigil.commands`` entry points
(:mod:`vigil.cli.registry`). This package names no stage.

The commands are loaded on first use of ``app`` (``from vigil.cli import app``, or ``main``), not when
this package is imported, so a command module may import ``vigil.cli.context`` without a cycle."""

from __future__ import annotations

from typing import Any

import typer

from vigil.cli.context import app as _root
from vigil.cli.registry import load_commands

_loaded: list[typer.Typer] = []


def loaded_app() -> typer.Typer:
    """The root app with every package's commands (loaded once per process)."""
    if not _loaded:
        load_commands(_root)
        _loaded.append(_root)
    return _loaded[0]


def __getattr__(name: str) -> Any:
    if name == "app":
        return loaded_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    loaded_app()()


__all__ = ["app", "loaded_app", "main"]
