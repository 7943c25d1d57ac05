"""Numbered SQL migrations, applied in order by a runner that records what ran.

Files are ``NNNN_name.sql`` in ``vigil/warehouse/migrations``; statements are
separated by a ``;`` at the end of a line. The same files serve chDB and a
ClickHouse server. An applied migration whose file later changed is an error:
write a new migration instead of editing an old one.

On a cluster (``warehouse.cluster``, carried by the warehouse as ``cluster``) the
same statements are applied in their cluster form (:mod:`vigil.warehouse.cluster`:
``ON CLUSTER``, Replicated engines, Distributed tables); the checksum stays the
source file's, so a migration is one migration in both forms.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

from vigil.logs import counted_step, get_logger
from vigil.warehouse.base import Warehouse, WarehouseError
from vigil.warehouse.cluster import Cluster, database_ddl, render, render_all

log = get_logger(__name__)
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_STATEMENT_END = re.compile(r";\s*$", re.MULTILINE)

LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()

    def statements(self) -> list[str]:
        body = "\n".join(line for line in self.sql.splitlines() if not line.lstrip().startswith("--"))
        return [part.strip() for part in _STATEMENT_END.split(body) if part.strip()]

    def rendered(self, cluster: Cluster | None = None) -> list[str]:
        """The statements to apply: as written, or in their cluster form on ``cluster``."""
        return self.statements() if cluster is None else render_all(self.statements(), cluster)


def ledger_ddl(cluster: Cluster | None = None) -> str:
    """The ledger's DDL: on a cluster, one replicated table holding every row on every node."""
    return LEDGER_DDL if cluster is None else render(LEDGER_DDL, cluster)[0]


def target_cluster(warehouse: Warehouse) -> Cluster | None:
    """The cluster ``warehouse`` is migrated on (``warehouse.cluster``), or None."""
    name = getattr(warehouse, "cluster", None)
    return Cluster(name, warehouse.database) if name else None


def available_migrations() -> list[Migration]:
    found = []
    for entry in (resources.files("vigil.warehouse") / "migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise WarehouseError(f"two migrations share a number: {versions}")
    return found


def applied_migrations(warehouse: Warehouse) -> dict[int, dict]:
    cluster = target_cluster(warehouse)
    if cluster is not None:
        warehouse.command(database_ddl(cluster))
    warehouse.command(ledger_ddl(cluster))
    rows = warehouse.query(
        "SELECT version, name, checksum, applied_at FROM schema_migrations FINAL ORDER BY version"
    )
    return {int(row["version"]): row for row in rows}


def migrate(warehouse: Warehouse, migrations: list[Migration] | None = None) -> list[Migration]:
    """Apply every migration not yet recorded; return those applied (empty when up to date)."""
    migrations = available_migrations() if migrations is None else migrations
    cluster = target_cluster(warehouse)
    applied_now: list[Migration] = []
    where = {"cluster": cluster.name} if cluster else {}
    with counted_step(log, "migrate", warehouse=warehouse.describe(), **where) as counts:
        done = applied_migrations(warehouse)
        for migration in migrations:
            record = done.get(migration.version)
            if record is not None:
                if record["checksum"] != migration.checksum:
                    raise WarehouseError(
                        f"migration {migration.version:04d}_{migration.name} was changed after it was applied; "
                        "add a new migration instead of editing an applied one"
                    )
                counts["already_applied"] += 1
                continue
            for statement in migration.rendered(cluster):
                warehouse.command(statement)
            warehouse.insert(
                "schema_migrations",
                [{"version": migration.version, "name": migration.name, "checksum": migration.checksum}],
            )
            applied_now.append(migration)
            counts["applied"] += 1
            log.info("applied migration %04d_%s", migration.version, migration.name)
    return applied_now
