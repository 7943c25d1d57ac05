"""``vigil serve``: the dashboards on uvicorn, owning the embedded warehouse when nobody else does.

chDB lets one process open a data directory. In embedded mode (``warehouse.backend: chdb``),
``vigil serve`` finds an owner that serves the warehouse (``vigil warehouse serve``, ``vigil flows
serve``), and then reads through it (``connect`` returns its client); or, when there is no owner,
becomes the owner: it opens the warehouse, applies pending migrations and serves it on 127.0.0.1
for the other processes, as ``vigil flows serve`` does. An owner that does not serve (``vigil run``
in progress) leaves ``/readyz`` at 503 until it ends.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from vigil.logs import get_logger
from vigil.settings import Settings
from vigil.warehouse import EmbeddedWarehouse, WarehouseLockedError, migrate, read_owner

log = get_logger(__name__)


def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the dashboards on ``host:port`` until stopped (Ctrl-C)."""
    exit_on_signals()
    with embedded_warehouse_owner(settings):
        run_app(settings, host=host, port=port)


def exit_on_signals() -> None:
    """Make SIGINT and SIGTERM exit with status 0 (``SystemExit``), unwinding every ``with`` block.

    uvicorn stops gracefully on SIGINT/SIGTERM, then raises the signal again: exit then, so that the
    warehouse is closed (and its endpoint stopped) rather than the process killed."""
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, _exit)


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``, for :func:`run_app` (binding early makes a port in use
    an error before anything else runs; connections wait in the backlog until the app runs)."""
    return socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)


def run_app(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, sock: socket.socket | None = None,
            graceful_shutdown_s: int | None = None) -> None:
    """Run the app on uvicorn (on ``sock`` when given, else ``host:port``) until a signal stops it."""
    import uvicorn

    from dashboards.app import create_app

    # No proxy headers: the client address must be the peer's, for trusted_proxies and the
    # sign-in rate limit. Logging stays as `vigil` configured it.
    config = uvicorn.Config(create_app(settings), host=host, port=port, proxy_headers=False, server_header=False,
                            log_config=None, timeout_graceful_shutdown=graceful_shutdown_s)
    server = uvicorn.Server(config)
    server.run(sockets=[sock] if sock is not None else None)
    if not server.started:
        raise SystemExit(3)  # uvicorn's STARTUP_FAILURE, as uvicorn.run exits


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


@contextmanager
def embedded_warehouse_owner(settings: Settings) -> Iterator[None]:
    """Own and serve the embedded warehouse for the block, unless it is a server or has an owner."""
    if settings.warehouse.backend != "chdb" or read_owner(settings.warehouse_path) is not None:
        yield
        return
    from vigil.warehouse.served import serve as serve_warehouse

    try:
        warehouse = EmbeddedWarehouse.open(settings.warehouse_path, settings.warehouse.database)
    except WarehouseLockedError:  # another process became the owner just now: read through it
        yield
        return
    try:
        migrate(warehouse)
        serve_warehouse(warehouse)
        log.info("the dashboards own the embedded warehouse and serve it", extra={"path": str(warehouse.path)})
        yield
    finally:
        warehouse.close()
