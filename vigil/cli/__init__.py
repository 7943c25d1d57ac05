"""The ``vigil`` command: the root app and its shared options (:mod:`vigil.cli.context`), with the
commands every installed package contributes through the ``vigil.commands`` entry points
(:mod:`vigil.cli.registry`). This package names no stage."""

from __future__ import annotations

from vigil.cli.context import app
from vigil.cli.registry import load_commands

load_commands(app)


def main() -> None:
    app()


__all__ = ["app", "main"]
