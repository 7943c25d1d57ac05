"""The warehouse adapter: one clickhouse-connect interface, chDB (embedded) or a ClickHouse server behind it."""

from __future__ import annotations

import os

from vigil.settings import Settings
from vigil.warehouse.base import Warehouse, WarehouseError, WarehouseLockedError
from vigil.warehouse.embedded import EmbeddedWarehouse
from vigil.warehouse.migrate import available_migrations, migrate
from vigil.warehouse.owner import read_owner


def connect(settings: Settings) -> Warehouse:
    """The warehouse these settings name.

    Server backend: a client of the ClickHouse server. Embedded backend: this
    process opens chDB and becomes the owner, unless another process already
    owns the directory and serves it, in which case the result is a client of
    that owner's endpoint. An owner that does not serve makes this raise
    :class:`WarehouseLockedError`.
    """
    if settings.warehouse.backend == "server":
        from vigil.warehouse.server import ServerWarehouse

        wh = settings.warehouse
        return ServerWarehouse(
            host=wh.host, port=wh.port, username=wh.username, password=wh.password.get_secret_value(),
            database=wh.database, secure=wh.secure, cluster=wh.cluster,
        )
    path = settings.warehouse_path
    owner = read_owner(path)
    if owner is not None and owner.pid != os.getpid() and owner.endpoint:
        from vigil.warehouse.served import RemoteWarehouse

        return RemoteWarehouse(owner.endpoint, owner.token, settings.warehouse.database)
    return EmbeddedWarehouse.open(path, settings.warehouse.database)


__all__ = [
    "EmbeddedWarehouse", "Warehouse", "WarehouseError", "WarehouseLockedError", "available_migrations",
    "connect", "migrate", "read_owner",
]
