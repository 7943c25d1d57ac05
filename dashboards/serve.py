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
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from vigil.logs import get_logger
from vigil.settings import Settings
from vigil.warehouse import EmbeddedWarehouse, WarehouseLockedError, migrate, read_owner

log = get_logger(__name__)


def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the dashboards on ``host:port`` until stopped (Ctrl-C)."""
    import uvicorn

    from dashboards.app import create_app

    app = create_app(settings)
    # uvicorn stops gracefully on SIGINT/SIGTERM, then raises the signal again: exit then, so that
    # the warehouse below is closed (and its endpoint stopped) rather than the process killed.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, _exit)
    with embedded_warehouse_owner(settings):
        # No proxy headers: the client address must be the peer's, for trusted_proxies and the
        # sign-in rate limit. Logging stays as `vigil` configured it.
        uvicorn.run(app, host=host, port=port, proxy_headers=False, server_header=False, log_config=None)


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
