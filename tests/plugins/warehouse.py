"""The warehouse for tests: one chDB directory for the whole session.

chDB allows one data directory per process, so every in-process warehouse test
shares this one; tests that need a fresh directory (restarts, locking) run
their warehouse in a child process. The same directory is also served on
127.0.0.1 (the owner's endpoint, as ``vigil warehouse serve`` does) for
``each_warehouse``, which runs a test once per client: chDB in this process,
and a clickhouse-connect HTTP client of the endpoint.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vigil.warehouse import EmbeddedWarehouse, Warehouse, migrate

_KEEP = {"schema_migrations"}


@pytest.fixture(scope="session")
def _session_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedWarehouse]:
    warehouse = EmbeddedWarehouse.open(tmp_path_factory.mktemp("warehouse"), "vigil_test")
    migrate(warehouse)
    yield warehouse
    warehouse.close()


@pytest.fixture
def warehouse(request: pytest.FixtureRequest, _session_warehouse: EmbeddedWarehouse) -> Iterator[Warehouse]:
    """The migrated session warehouse, emptied before each test (schema kept)."""
    if request.node.get_closest_marker("warehouse") is None:
        pytest.fail("the `warehouse` fixture needs @pytest.mark.warehouse on the test")
    for row in _session_warehouse.query(
        "SELECT name FROM system.tables WHERE database = {db:String} AND engine LIKE '%MergeTree'",
        {"db": _session_warehouse.database},
    ):
        if row["name"] not in _KEEP:
            _session_warehouse.command(f"TRUNCATE TABLE {row['name']}")
    yield _session_warehouse


@pytest.fixture(scope="session")
def _served_warehouse(_session_warehouse: EmbeddedWarehouse) -> Iterator[Warehouse]:
    """A client of the session warehouse served on 127.0.0.1, as another process would get from ``connect``."""
    from vigil.warehouse.served import RemoteWarehouse, serve

    server = serve(_session_warehouse)
    assert _session_warehouse.owner_lock.info is not None
    client = RemoteWarehouse(server.endpoint, _session_warehouse.owner_lock.info.token, _session_warehouse.database)
    yield client
    client.close()
    server.shutdown()


@pytest.fixture(params=["chdb", "served"])
def each_warehouse(request: pytest.FixtureRequest, warehouse: Warehouse) -> Warehouse:
    """``warehouse`` (emptied), reached in turn through each client: chDB in process, the owner's endpoint."""
    if request.param == "chdb":
        return warehouse
    return request.getfixturevalue("_served_warehouse")


@pytest.fixture
def warehouse_settings(warehouse: EmbeddedWarehouse):
    """Settings whose embedded warehouse is the session one (so `connect(settings)` works in-process)."""
    from vigil.settings import load_settings

    return load_settings(warehouse={"path": warehouse.path, "database": warehouse.database})
