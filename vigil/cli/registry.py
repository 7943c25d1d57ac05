"""How packages add their commands to ``vigil``: entry points in the group ``vigil.commands``.

Each entry point names a function ``register(commands: Commands)``. The core's
commands are registered the same way as the stages', so this module (and
``vigil/cli``) names no stage. A command declares the extras it needs; when one
of them is not installed, the command still shows in ``--help``, marked
unavailable with the ``pip install`` line that brings it, and running it says
the same and exits 2. Command modules import their extras inside the command,
never at load time, so loading the CLI needs the core alone.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import typer
from packaging.requirements import Requirement

ENTRY_POINT_GROUP = "vigil.commands"
DISTRIBUTION = "vigil"


@cache
def missing_requirements(extra: str) -> tuple[str, ...]:
    """The requirements of ``vigil[extra]`` that are not installed (empty: the extra is usable)."""
    try:
        requires = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return ()  # running from a source tree without metadata: nothing to check against
    missing = []
    for line in requires:
        requirement = Requirement(line)
        if requirement.marker is None or not requirement.marker.evaluate({"extra": extra}):
            continue
        try:
            importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(requirement.name)
    return tuple(missing)


def unavailable_extras(extras: Iterable[str]) -> list[str]:
    return [extra for extra in extras if missing_requirements(extra)]


def install_hint(extras: Iterable[str]) -> str:
    return f"pip install 'vigil[{','.join(extras)}]'"


@dataclass
class Commands:
    """The ``vigil`` command (or one of its groups) as a package's ``register`` sees it."""

    app: typer.Typer
    _groups: dict[str, tuple[typer.Typer, list[str | None]]] = field(default_factory=dict)

    def command(self, name: str, function: Callable[..., Any], *, help: str | None = None,
                extras: tuple[str, ...] = ()) -> None:
        """Add ``function`` as ``name``; a stub that says what to install when ``extras`` are missing."""
        help = help or (function.__doc__ or "").strip().split("\n\n")[0] or None
        missing = unavailable_extras(extras)
        if missing:
            self.app.command(name, help=_unavailable_help(missing, help), add_help_option=True,
                             context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
                _unavailable(name, missing))
            return
        self.app.command(name, help=help)(function)

    def typer(self, name: str, sub: typer.Typer, *, help: str, extras: tuple[str, ...] = ()) -> None:
        """Add a whole Typer app as the group ``name`` (its commands need ``extras``)."""
        missing = unavailable_extras(extras)
        if missing:
            self.app.command(name, help=_unavailable_help(missing, help),
                             context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(
                _unavailable(name, missing))
            return
        self.app.add_typer(sub, name=name, help=help)

    def group(self, name: str, help: str | None = None) -> "Commands":
        """The group ``name``, shared by every package that adds commands to it (``vigil consume``)."""
        if name not in self._groups:
            self._groups[name] = (typer.Typer(no_args_is_help=True), [])
        sub, helps = self._groups[name]
        helps.append(help)
        return Commands(sub)

    def finish(self) -> None:
        """Attach the shared groups, each with the first help text a package gave it."""
        for name, (sub, helps) in self._groups.items():
            self.app.add_typer(sub, name=name, help=next((h for h in helps if h), None))
        self._groups.clear()


def _unavailable_help(missing: list[str], help: str | None) -> str:
    return f"(unavailable: {install_hint(missing)}) {help or ''}".strip()


def _unavailable(name: str, missing: list[str]) -> Callable[..., None]:
    def command(ctx: typer.Context) -> None:
        typer.echo(f"error: `vigil {name}` needs the extra {', '.join(missing)}: {install_hint(missing)}", err=True)
        raise typer.Exit(2)

    return command


def load_commands(app: typer.Typer) -> list[str]:
    """Register every installed package's commands on ``app``; return the entry points loaded."""
    points = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda p: (p.name != "vigil", p.name))
    if not points:
        raise RuntimeError(f"no `{ENTRY_POINT_GROUP}` entry points: install Vigil (pip install -e .) before "
                           "running `vigil`")
    commands = Commands(app)
    for point in points:
        point.load()(commands)
    commands.finish()
    return [point.name for point in points]
