"""One process owns the embedded warehouse and serves it to the others over ClickHouse's HTTP interface.

Prefect runs each flow run in a child process, the dashboards run in their own,
and chDB lets only one process open the data directory. So the owner
(``vigil warehouse serve``, or any process that calls :func:`serve`) listens on
127.0.0.1 and advertises its endpoint and a random token in the directory's
owner file (mode 0600); :func:`vigil.warehouse.connect` in any other process of
the same user finds it there and returns a :class:`RemoteWarehouse`, a plain
clickhouse-connect HTTP client with the token as its password. The endpoint
(:mod:`vigil.warehouse.endpoint`) runs each request on the owner's chDB.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

from vigil.logs import get_logger
from vigil.warehouse.base import WarehouseError
from vigil.warehouse.embedded import EmbeddedWarehouse
from vigil.warehouse.endpoint import WarehouseServer
from vigil.warehouse.server import ServerWarehouse

log = get_logger(__name__)
TOKEN_USER = "vigil"  # any user name will do: the endpoint checks only the password, the token


def serve(warehouse: EmbeddedWarehouse, host: str = "127.0.0.1", port: int = 0,
          token: str | None = None) -> WarehouseServer:
    """Serve ``warehouse`` on a background thread and advertise it in the owner file.

    The token is random unless ``token`` is given (``vigil up`` gives one, with a fixed port, so that
    its children reach the owner as a ClickHouse server and a restarted owner is the same server to
    them). The server stops when the warehouse's last opener closes it, or on
    :meth:`WarehouseServer.shutdown`.
    """
    if host not in {"127.0.0.1", "localhost"}:
        raise WarehouseError("the embedded warehouse is only served on the loopback interface (127.0.0.1)")
    if token:
        if warehouse.owner_lock.info is None:
            raise WarehouseError("the embedded warehouse is not open")
        warehouse.owner_lock.info.token = token
    server = WarehouseServer(warehouse, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, name="warehouse-server", daemon=True).start()
    warehouse.owner_lock.advertise(server.endpoint)
    warehouse.on_close.append(server.shutdown)
    log.info("serving the embedded warehouse", extra={"endpoint": server.endpoint})
    return server


class RemoteWarehouse(ServerWarehouse):
    """A clickhouse-connect client of the warehouse an owner process serves at ``endpoint``."""

    def __init__(self, endpoint: str, token: str, database: str, timeout_s: float = 300) -> None:
        url = urlsplit(endpoint)
        super().__init__(
            host=url.hostname or "127.0.0.1", port=url.port or 80, username=TOKEN_USER, password=token,
            database=database, query_timeout_s=timeout_s, compress=False,  # loopback: not worth the CPU
            where=f"embedded warehouse served at {endpoint} (database {database})",
        )
