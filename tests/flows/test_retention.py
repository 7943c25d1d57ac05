"""Retention on real chDB: old rows deleted or anonymised per table, recent ones kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.retention import POLICY, apply_retention, ensure_ttl
from tests.flows.conftest import T0, make_doc, marker_classify
from vigil.schemas import ReviewDecision
from vigil.warehouse.sink import Located, write_classifications, write_documents
from vigil.warehouse import Warehouse
from vigil.warehouse.cluster import mutation_target, stored_table
from vigil.warehouse.rows import review_row


@pytest.mark.warehouse
def test_old_rows_go_and_reviews_are_anonymised(warehouse: Warehouse) -> None:
    old = [make_doc(i, at=T0 - timedelta(days=400), text=f"old {i} flag-racism") for i in range(5)]
    new = [make_doc(10 + i, at=T0, text=f"new {i}") for i in range(3)]
    write_documents(warehouse, [Located(d) for d in old + new])
    write_classifications(warehouse, [Located(c) for c in marker_classify(old + new)])
    reviews = [ReviewDecision(document_id=old[0].id, reviewer="analyst-7", verdict="confirm", labels=["racism"],
                              note="private note", decided_at=T0 - timedelta(days=400)),
               ReviewDecision(document_id=new[0].id, reviewer="analyst-8", verdict="reject", decided_at=T0)]
    warehouse.insert("review_decisions", [review_row(r) for r in reviews])
    before = warehouse.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any'")

    affected = apply_retention(warehouse, T0 + timedelta(days=1), retention_days=365)
    assert affected["documents"] == 5 and affected["review_decisions"] == 1
    assert set(affected) == {rule.table for rule in POLICY}
    assert warehouse.scalar("SELECT count() FROM documents") == 3
    assert warehouse.scalar("SELECT count() FROM classification_events WHERE event_at < {c:String}",
                            {"c": "2026-01-01 00:00:00"}) == 5  # recorded now: kept until their own cut-off
    rows = warehouse.query("SELECT reviewer, note, verdict FROM review_decisions ORDER BY decided_at")
    assert rows == [{"reviewer": "anonymised", "note": "", "verdict": "confirm"},
                    {"reviewer": "analyst-8", "note": "", "verdict": "reject"}]
    assert warehouse.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any'") == before
    assert apply_retention(warehouse, T0 + timedelta(days=1), retention_days=365)["documents"] == 0
    ensure_ttl(warehouse, 730)


@pytest.mark.warehouse
def test_ttl_follows_the_retention_setting(warehouse: Warehouse) -> None:
    try:
        ensure_ttl(warehouse, 100)
        assert ensure_ttl(warehouse, 100) == []  # already in step: no ALTER
        assert ensure_ttl(warehouse, 200) == ["documents", "classifications"]
        ddl = warehouse.scalar("SELECT create_table_query FROM system.tables "
                               "WHERE database = currentDatabase() AND name = 'documents'")
        assert "TTL toDateTime(fetched_at) + toIntervalDay(200)" in ddl
    finally:
        ensure_ttl(warehouse, 730)  # the default, for the other tests sharing this warehouse


@pytest.mark.warehouse
def test_on_a_cluster_retention_mutates_the_local_tables_on_every_node(warehouse) -> None:
    """A Distributed table takes no DELETE or ALTER: each rule's statements target `<table>_local ON CLUSTER`."""
    for rule in POLICY:
        target = mutation_target(rule.table, "vigil_cluster")
        assert target == f"{rule.table}_local ON CLUSTER 'vigil_cluster'"
        assert mutation_target(rule.table, None) == rule.table == stored_table(rule.table, None)
        for sql in (f"DELETE FROM {target} WHERE {rule.time_column} < now()",
                    f"ALTER TABLE {target} MODIFY TTL toDateTime({rule.time_column}) + INTERVAL 30 DAY"):
            formatted = warehouse.scalar("SELECT formatQuery({q:String})", {"q": sql})
            assert "ON CLUSTER vigil_cluster" in formatted.replace("`", "") and f"{rule.table}_local" in formatted
