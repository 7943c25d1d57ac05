"""The dashboards' commands (entry point ``dashboards`` of ``vigil.commands``): ``vigil serve``,
``vigil users add|list|set-role|set-password|disable|enable`` and ``vigil demo`` (the whole system on the
demo site and a generated history, ending with the dashboards served; ``demo/``). They need the ``web``
extra (the demo also ``crawl`` and ``ml``), imported inside each command, so loading the CLI imports no
web library."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dashboards.accounts.models import Role
from vigil.cli.context import current_settings, fail
from vigil.cli.registry import Commands

WEB = ("web",)
DEMO = ("crawl", "ml", "web")
DEMO_SITE_PORT = 8765  # dashboards.demo.run.DEMO_SITE_PORT, kept here so that loading the CLI imports nothing
PASSWORD_ENV = "VIGIL_PASSWORD"

users_app = typer.Typer(no_args_is_help=True)


def register(commands: Commands) -> None:
    commands.command("serve", serve_command, extras=WEB,
                     help="Serve the dashboards (analysts, reviewers, admins) over HTTP.")
    commands.typer("users", users_app, extras=WEB, help="Add, list and change the dashboards' accounts.")
    commands.command("demo", demo_command, extras=DEMO,
                     help="Crawl the demo site, add a generated history, create demo accounts, serve the dashboards.")


def _checked_settings():
    """The command's settings, once ``dashboards.trusted_proxies`` parse (else exit 2 naming them)."""
    from dashboards.security.identity import proxy_networks

    settings = current_settings()
    try:
        proxy_networks(settings.dashboards)
    except ValueError as exc:
        fail(str(exc), 2)
    return settings


def serve_command(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default dashboards.host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default dashboards.port).")] = None,
) -> None:
    from dashboards.serve import serve

    settings = _checked_settings()
    host, port = host or settings.dashboards.host, port or settings.dashboards.port
    typer.echo(f"dashboards on http://{host}:{port}/ (accounts: vigil users add NAME --role admin)", err=True)
    serve(settings, host, port)


def demo_command(
    port: Annotated[int, typer.Option(
        help="Port of the demo site on 127.0.0.1 (0: any free one).")] = DEMO_SITE_PORT,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON and exit (no serving).")] = False,
    serve: Annotated[bool, typer.Option(
        "--serve/--no-serve", help="Serve the dashboards at the end, until Ctrl-C (default), or exit.")] = True,
    host: Annotated[str | None, typer.Option(help="Dashboards address (default dashboards.host).")] = None,
    dashboard_port: Annotated[int | None, typer.Option(help="Dashboards port (default dashboards.port).")] = None,
) -> None:
    """Run everything on the demo site and a generated history, then serve the dashboards."""
    from dashboards.demo.run import DemoOptions, run_demo

    settings = _checked_settings()
    options = DemoOptions(site_port=port, host=host, port=dashboard_port, serve=serve and not as_json,
                          as_json=as_json)
    raise typer.Exit(run_demo(settings, options))


@users_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="The user name (letters, digits, . _ @ + -).")],
    role: Annotated[Role, typer.Option(help="analyst, reviewer or admin.", case_sensitive=False)],
) -> None:
    """Add an account; the password comes from VIGIL_PASSWORD, else it is asked for twice."""
    from dashboards.accounts.passwords import WeakPassword, hash_password
    from dashboards.accounts.users import AccountError, add_user

    try:
        user = add_user(_accounts(), name, role, hash_password(_password()))
    except (WeakPassword, AccountError) as exc:
        fail(str(exc), 2)
    typer.echo(f"added {user.name} ({user.role.value})")


@users_app.command("set-password")
def set_password_command(name: Annotated[str, typer.Argument(help="The user name.")]) -> None:
    """Give an account a new password (VIGIL_PASSWORD, else asked for twice); its sessions end."""
    from dashboards.accounts.passwords import WeakPassword, hash_password
    from dashboards.accounts.users import set_password_hash

    accounts = _accounts()
    user = _find(accounts, name)
    try:
        set_password_hash(accounts, user.id, hash_password(_password()))
    except WeakPassword as exc:
        fail(str(exc), 2)
    typer.echo(f"{name} has a new password")


@users_app.command("list")
def list_command() -> None:
    """List the accounts with their roles and states."""
    from dashboards.accounts.users import list_users

    table = Table("name", "role", "state", "language", "created", "last sign-in")
    for user in list_users(_accounts()):
        table.add_row(user.name, user.role.value, "disabled" if user.disabled else "active", user.locale or "-",
                      f"{user.created_at:%Y-%m-%d %H:%M}",
                      f"{user.last_sign_in_at:%Y-%m-%d %H:%M}" if user.last_sign_in_at else "never")
    Console().print(table)


@users_app.command("set-role")
def set_role_command(
    name: Annotated[str, typer.Argument(help="The user name.")],
    role: Annotated[Role, typer.Argument(help="analyst, reviewer or admin.", case_sensitive=False)],
) -> None:
    """Change an account's role (it applies at the user's next request)."""
    from dashboards.accounts.users import set_role

    accounts = _accounts()
    set_role(accounts, _find(accounts, name).id, role)
    typer.echo(f"{name} is now {role.value}")


@users_app.command("disable")
def disable_command(name: Annotated[str, typer.Argument(help="The user name.")]) -> None:
    """Disable an account: its sessions end and its API tokens stop working."""
    from dashboards.accounts.users import set_disabled

    accounts = _accounts()
    set_disabled(accounts, _find(accounts, name).id, True)
    typer.echo(f"{name} is disabled")


@users_app.command("enable")
def enable_command(name: Annotated[str, typer.Argument(help="The user name.")]) -> None:
    """Enable a disabled account again (its API tokens work again; it signs in anew)."""
    from dashboards.accounts.users import set_disabled

    accounts = _accounts()
    set_disabled(accounts, _find(accounts, name).id, False)
    typer.echo(f"{name} is enabled")


def _password() -> str:
    return os.environ.get(PASSWORD_ENV) or typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def _accounts():
    from dashboards.accounts.store import AccountStore

    return AccountStore.for_settings(current_settings())


def _find(accounts, name: str):
    from dashboards.accounts.users import find_user

    user = find_user(accounts, name)
    if user is None:
        fail(f"no user named {name!r}", 2)
    return user
