"""A ClickHouse HTTP endpoint reached with clickhouse-connect: a server, or an embedded warehouse's owner."""

from __future__ import annotations

from vigil.warehouse.base import Warehouse, open_client

# On a cluster (its tables Distributed, vigil/warehouse/cluster.py): an insert returns once every
# shard has its rows (the sink commits Kafka offsets after it, and reads what it wrote), and a join
# or IN over two Distributed tables reads the inner one whole (GLOBAL) instead of failing.
CLUSTER_SETTINGS = {"distributed_foreground_insert": 1, "distributed_product_mode": "global"}


class ServerWarehouse(Warehouse):
    """``database`` on the ClickHouse HTTP interface at ``host:port`` (created if missing)."""

    def __init__(self, *, host: str, port: int, username: str, password: str, database: str,
                 secure: bool = False, compress: bool = True, connect_timeout_s: float = 10,
                 query_timeout_s: float = 300, where: str | None = None, cluster: str | None = None) -> None:
        where = where or f"ClickHouse server {'https' if secure else 'http'}://{host}:{port} (database {database})"
        if cluster:
            where += f" on cluster {cluster}"
        client = open_client(
            where, database, host=host, port=port, username=username, password=password, secure=secure,
            compress=compress, connect_timeout=connect_timeout_s, send_receive_timeout=query_timeout_s,
            # No server session: one warehouse may be used from several threads at once.
            autogenerate_session_id=False, settings=CLUSTER_SETTINGS if cluster else None,
        )
        super().__init__(client, database, where)
        self.cluster = cluster
