"""Retention: delete or anonymise rows past their retention period, table by table.

Documents, classifications and their events, run records and alert deliveries
are deleted after ``warehouse.retention_days``. Reviewer decisions are kept
for training but anonymised (reviewer and note cleared). The hourly and daily
aggregates hold no text or names (authors only as hashed sketches) and are kept.
The policy is data, in :data:`POLICY`, so it can be read and tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from vigil.logs import counted_step, get_logger
from vigil.warehouse import Warehouse
from vigil.warehouse.cluster import mutation_target, stored_table

log = get_logger(__name__)


@dataclass(frozen=True)
class Rule:
    table: str
    time_column: str
    action: str  # "delete" or "anonymise"
    assignments: str = ""  # for "anonymise": the SET clause (constants only)


POLICY: tuple[Rule, ...] = (
    Rule("documents", "fetched_at", "delete"),
    Rule("classifications", "classified_at", "delete"),
    Rule("classification_events", "recorded_at", "delete"),
    Rule("review_decisions", "decided_at", "anonymise", "reviewer = 'anonymised', note = ''"),
    Rule("crawl_runs", "started_at", "delete"),
    Rule("pipeline_counts", "hour", "delete"),
    Rule("reconciliation", "window_start", "delete"),
    Rule("alert_deliveries", "delivered_at", "delete"),
    Rule("trend_judgments", "judged_at", "delete"),
)


# Tables that also carry a ClickHouse TTL (deleted at merges between retention runs).
TTL_TABLES: tuple[Rule, ...] = tuple(r for r in POLICY if r.table in {"documents", "classifications"})


def ttl_expression(rule: Rule, retention_days: int) -> str:
    return f"toDateTime({rule.time_column}) + toIntervalDay({int(retention_days)})"


def ensure_ttl(warehouse: Warehouse, retention_days: int) -> list[str]:
    """Set each TTL table's TTL to ``retention_days`` when it differs; return the tables changed.

    DDL takes no bound parameters: the only value in it is an ``int`` from validated settings."""
    changed = []
    for rule in TTL_TABLES:
        expression = ttl_expression(rule, retention_days)
        ddl = warehouse.scalar("SELECT create_table_query FROM system.tables "
                               "WHERE database = currentDatabase() AND name = {t:String}",
                               {"t": stored_table(rule.table, warehouse.cluster)}) or ""
        if f"TTL {expression}" not in ddl.replace("\n", " "):
            warehouse.command(f"ALTER TABLE {mutation_target(rule.table, warehouse.cluster)} MODIFY TTL {expression}")
            changed.append(rule.table)
    if changed:
        log.info("retention TTL set", extra={"tables": changed, "retention_days": retention_days})
    return changed


def apply_retention(warehouse: Warehouse, now: datetime, retention_days: int) -> dict[str, int]:
    """Apply :data:`POLICY` with the cut-off ``now - retention_days``; return rows affected per table.
    Then keeps the tables' TTL (:func:`ensure_ttl`) in step with ``retention_days``, as a backstop
    between runs (after the deletes, so that the counts say what this run removed)."""
    cutoff = now - timedelta(days=retention_days)
    affected: dict[str, int] = {}
    with counted_step(log, "retention", cutoff=cutoff.isoformat()) as counts:
        for rule in POLICY:
            where = f"{rule.time_column} < {{cutoff:DateTime64(3, 'UTC')}}"
            bound = dict(cutoff=cutoff)
            if rule.action == "anonymise":
                where += " AND reviewer != 'anonymised'"
            n = int(warehouse.scalar(f"SELECT count() FROM {rule.table} WHERE {where}", bound) or 0)
            if n:
                if rule.action == "delete":
                    warehouse.command(f"DELETE FROM {mutation_target(rule.table, warehouse.cluster)} WHERE {where}",
                                      bound)
                else:
                    warehouse.command(
                        f"ALTER TABLE {mutation_target(rule.table, warehouse.cluster)} UPDATE {rule.assignments} "
                        f"WHERE {where} "
                        "SETTINGS mutations_sync = 1", bound,
                    )
            affected[rule.table] = n
            counts[rule.table] = n
    ensure_ttl(warehouse, retention_days)
    return affected
