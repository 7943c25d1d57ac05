"""The warehouse sink on real chDB: idempotent batches, exact aggregates, Kafka positions kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.flows.conftest import T0, make_doc, marker_classify
from vigil.bus.consumer_loop import run_stage
from vigil.bus.memory import InProcessBus, InProcessConsumer, InProcessPublisher
from vigil.bus.topics import Topic
from vigil.warehouse.sink import (EventColumns, EventContext, Located, SinkCounts, backfill_events,
                                  write_classifications, write_documents)
from vigil.warehouse.sink_consumer import sink_stages
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse


def _totals(warehouse: Warehouse) -> dict[str, tuple[int, int]]:
    rows = warehouse.query("SELECT category, sum(documents) AS d, sum(flagged) AS f FROM counts_daily "
                           "GROUP BY category ORDER BY category")
    return {r["category"]: (int(r["d"]), int(r["f"])) for r in rows}


def _docs(n: int = 20):
    return [make_doc(i, at=T0 + timedelta(minutes=i), text=f"post {i}" + (" flag-racism" if i % 4 == 0 else ""))
            for i in range(n)]


def test_redelivery_and_replay_leave_one_row_per_key_and_exact_counts(warehouse: Warehouse) -> None:
    docs = _docs()
    first = write_documents(warehouse, [Located(d, 1, 100 + i) for i, d in enumerate(docs)])
    again = write_documents(warehouse, [Located(d, 2, 500 + i) for i, d in enumerate(docs)])
    assert (first.new, again.new, again.unchanged) == (20, 0, 20)
    labels = marker_classify(docs)
    write_classifications(warehouse, [Located(c, 0, i) for i, c in enumerate(labels)])
    replay = write_classifications(warehouse, [Located(c, 0, i) for i, c in enumerate(labels)])
    assert replay.unchanged_classifications == 20
    assert warehouse.scalar("SELECT count() FROM documents") == 20  # not even a duplicate part row
    assert warehouse.scalar("SELECT count() FROM classifications FINAL") == 20
    assert _totals(warehouse) == {"any": (20, 5), "racism": (5, 5)}
    row = warehouse.query("SELECT kafka_partition, kafka_offset FROM documents FINAL WHERE id = {id:String}",
                          {"id": docs[3].id})[0]
    assert (row["kafka_partition"], row["kafka_offset"]) == (1, 103)


@pytest.mark.parametrize("cut", [None, 6], ids=["one batch", "two batches"])
def test_counts_of_a_repeated_delivery_do_not_depend_on_where_batches_are_cut(warehouse: Warehouse, cut) -> None:
    docs = _docs(8)
    edited = make_doc(2, at=T0 + timedelta(minutes=2), text="post 2 flag-incitement")
    stream = docs + [docs[1], edited]  # one document delivered twice as it was, one changed in between
    labels = marker_classify(stream)
    batches = [stream] if cut is None else [stream[:cut], stream[cut:]]
    documents, classifications = SinkCounts(), SinkCounts()
    at = 0
    for batch in batches:
        documents.add(write_documents(warehouse, [Located(d) for d in batch]))
        classifications.add(write_classifications(warehouse, [Located(c) for c in labels[at:at + len(batch)]]))
        at += len(batch)
    assert (documents.new, documents.changed, documents.unchanged) == (8, 1, 1)
    assert (classifications.classified, classifications.reclassified,
            classifications.unchanged_classifications) == (8, 1, 1)
    assert warehouse.scalar("SELECT text FROM documents FINAL WHERE id = {id:String}", {"id": edited.id}) \
        == "post 2 flag-incitement"
    assert _totals(warehouse) == {"any": (8, 3), "incitement": (1, 1), "racism": (2, 2)}


def test_a_changed_document_and_label_replace_the_counted_ones(warehouse: Warehouse) -> None:
    docs = _docs(8)
    write_documents(warehouse, [Located(d) for d in docs])
    write_classifications(warehouse, [Located(c) for c in marker_classify(docs)])
    edited = make_doc(1, at=T0 + timedelta(minutes=1), text="post 1 flag-incitement")
    counts = write_documents(warehouse, [Located(edited)])
    assert (counts.changed, counts.new) == (1, 0)
    relabel = write_classifications(warehouse, [Located(c) for c in marker_classify([edited])])
    assert relabel.reclassified == 1
    assert warehouse.scalar("SELECT text FROM documents FINAL WHERE id = {id:String}", {"id": edited.id}) \
        == "post 1 flag-incitement"
    assert _totals(warehouse) == {"any": (8, 3), "incitement": (1, 1), "racism": (2, 2)}


_BY_DAY = ("SELECT {day} AS day, category, source_id, language, sum(documents) AS d, sum(flagged) AS f, "
           "uniqMerge(authors) AS a, uniqMerge(flagged_authors) AS fa FROM {table} "
           "GROUP BY day, category, source_id, language ORDER BY day, category, source_id, language")


def test_the_daily_counts_are_the_hourly_ones_summed_by_day(warehouse: Warehouse) -> None:
    """counts_daily folds what counts_hourly_mv writes (migration 0005): every day, category, source and
    language holds the sums and author sketches of its hours, retractions included."""
    docs = [make_doc(i, at=T0 + timedelta(hours=5 * i), source=f"s{i % 2}", language=("en", "ru")[i % 3 == 0],
                     text=f"post {i}" + (" flag-racism" if i % 3 == 0 else "")) for i in range(16)]
    write_documents(warehouse, [Located(d) for d in docs])
    write_classifications(warehouse, [Located(c) for c in marker_classify(docs)])
    relabelled = [make_doc(i, at=docs[i].fetched_at, source=f"s{i % 2}", language=("en", "ru")[i % 3 == 0],
                           text=f"post {i} flag-incitement") for i in (0, 1, 5)]
    write_documents(warehouse, [Located(d) for d in relabelled])
    assert write_classifications(warehouse, [Located(c) for c in marker_classify(relabelled)]).reclassified == 3
    hourly = warehouse.query(_BY_DAY.format(day="toDate(hour)", table="counts_hourly"))
    daily = warehouse.query(_BY_DAY.format(day="day", table="counts_daily"))
    assert len({r["day"] for r in daily}) == 4 and daily == hourly
    assert warehouse.scalar("SELECT as_select FROM system.tables WHERE name = 'counts_daily_mv' "
                            "AND database = currentDatabase()").count("counts_hourly") == 1
    assert _totals(warehouse) == {"any": (16, 8), "incitement": (3, 3), "racism": (5, 5)}


def test_the_stored_version_compared_is_the_one_the_table_keeps_newest_fetch_first(warehouse: Warehouse) -> None:
    """Versions of one document in unmerged parts: the newest fetch is the stored one, whatever the insert order."""
    newer = make_doc(1, at=T0 + timedelta(hours=2), text="post 1, corrected")
    older = make_doc(1, at=T0, text="post 1")
    assert newer.id == older.id
    write_documents(warehouse, [Located(newer)])
    assert write_documents(warehouse, [Located(older)]).changed == 1  # a late redelivery of the old version
    assert warehouse.scalar("SELECT count() FROM documents") == 2  # two parts, not merged yet
    assert write_documents(warehouse, [Located(newer)]).unchanged == 1
    assert write_documents(warehouse, [Located(older)]).changed == 1
    assert warehouse.scalar("SELECT text FROM documents FINAL") == "post 1, corrected"


def test_a_classification_before_its_document_is_counted_once_it_arrives(warehouse: Warehouse) -> None:
    doc = make_doc(1, at=T0, text="flag-recruitment")
    early = write_classifications(warehouse, [Located(c) for c in marker_classify([doc])])
    assert early.awaiting_document == 1 and _totals(warehouse) == {}
    write_documents(warehouse, [Located(doc)])
    assert backfill_events(warehouse, T0 - timedelta(days=400)) == 1
    assert backfill_events(warehouse, T0 - timedelta(days=400)) == 0
    assert _totals(warehouse) == {"any": (1, 1), "recruitment": (1, 1)}


def test_the_bus_stages_store_each_record_with_its_position_and_replays_collapse(warehouse: Warehouse) -> None:
    bus = InProcessBus(partitions=3)
    publisher = InProcessPublisher(bus, "t.")
    docs = _docs(30)
    for doc in docs:
        publisher.send(Topic.raw_documents, doc)
    for item in marker_classify(docs):
        publisher.send(Topic.classifications, item)
    for attempt in ("first", "replay"):  # a new group reads everything again from offset 0
        for stage in sink_stages(warehouse):
            consumer = InProcessConsumer(bus, f"sink-{attempt}-{stage.input.value}", [f"t.{stage.input.value}"])
            counts = run_stage(stage, consumer, publisher, max_records=7, poll_timeout_s=0.05,
                               stop_when_idle_s=0.2, handle_signals=False)
            assert counts.consumed == 30 and counts.dead_letters == 0
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 30
    assert _totals(warehouse) == {"any": (30, 8), "racism": (8, 8)}
    positions = warehouse.query("SELECT kafka_partition AS p, count() AS n, uniqExact(kafka_offset) AS o "
                                "FROM documents FINAL GROUP BY p ORDER BY p")
    assert sum(r["n"] for r in positions) == 30 and all(r["n"] == r["o"] and r["p"] >= 0 for r in positions)
    stored = warehouse.scalar("SELECT sum(count) FROM pipeline_counts WHERE stage = 'stored'")
    assert stored == 60  # each delivery is accounted for, the replay included


def test_a_batch_larger_than_one_lookup_query_is_written_and_redelivered_exactly(warehouse: Warehouse) -> None:
    # 9,000 keys of 32 hex characters make a 315 KB literal: over max_query_size (256 KiB) in one query.
    docs = [make_doc(i, at=T0 + timedelta(seconds=i), text=f"post {i}" + (" flag-racism" if i % 4 == 0 else ""))
            for i in range(9_000)]
    assert (len(docs[0].id) + 3) * len(docs) > 262_144
    assert write_documents(warehouse, [Located(d) for d in docs]).new == 9_000
    assert write_documents(warehouse, [Located(d) for d in docs]).unchanged == 9_000
    labels = marker_classify(docs)
    assert write_classifications(warehouse, [Located(c) for c in labels]).classified == 9_000
    assert write_classifications(warehouse, [Located(c) for c in labels]).unchanged_classifications == 9_000
    assert _totals(warehouse) == {"any": (9_000, 2_250), "racism": (2_250, 2_250)}


def test_backfill_of_more_events_than_one_lookup_query_holds(warehouse: Warehouse) -> None:
    docs = [make_doc(i, at=T0 + timedelta(seconds=i), text=f"post {i}") for i in range(9_000)]
    early = write_classifications(warehouse, [Located(c) for c in marker_classify(docs)])
    assert early.awaiting_document == 9_000
    write_documents(warehouse, [Located(d) for d in docs])
    assert backfill_events(warehouse, T0 - timedelta(days=400)) == 9_000
    assert _totals(warehouse) == {"any": (9_000, 0)}


def test_a_batch_is_written_with_the_cycle_collector_paused(warehouse: Warehouse, monkeypatch) -> None:
    import gc

    seen = []
    insert = warehouse.insert

    def recording(table, rows, **kwargs):
        seen.append((table, gc.isenabled()))
        return insert(table, rows, **kwargs)

    monkeypatch.setattr(warehouse, "insert", recording)
    docs = _docs(4)
    assert gc.isenabled()
    write_documents(warehouse, [Located(d) for d in docs])
    write_classifications(warehouse, [Located(c) for c in marker_classify(docs)])
    assert gc.isenabled()
    assert {"documents", "classifications"} <= {table for table, _ in seen}
    assert not any(enabled for _, enabled in seen)


def test_a_relabel_redelivered_is_counted_once(warehouse: Warehouse) -> None:
    docs = _docs(8)
    write_documents(warehouse, [Located(d) for d in docs])
    write_classifications(warehouse, [Located(c) for c in marker_classify(docs)])
    edited = make_doc(1, at=T0 + timedelta(minutes=1), text="post 1 flag-incitement")
    write_documents(warehouse, [Located(edited)])
    relabel = write_classifications(warehouse, [Located(c) for c in marker_classify([edited])])
    replays = [write_classifications(warehouse, [Located(c) for c in marker_classify([edited])])
               for _ in range(2)]
    assert relabel.reclassified == 1
    assert [r.unchanged_classifications for r in replays] == [1, 1]
    assert _totals(warehouse) == {"any": (8, 3), "incitement": (1, 1), "racism": (2, 2)}


def test_the_column_wise_events_are_the_ones_written_one_at_a_time() -> None:
    docs = _docs(6)
    docs[2] = docs[2].model_copy(update={"language": None, "author": None, "crawl_run_id": None})
    labels = [c.model_copy(update={"language": None}) if i == 1 else c for i, c in enumerate(marker_classify(docs))]
    pairs = [(Located(c, 3, 40 + i), EventContext.of(d)) for i, (c, d) in enumerate(zip(labels, docs))]
    by_column, one_at_a_time = EventColumns(), EventColumns()
    by_column.add_counted(pairs)
    by_column.add_counted([])
    for item, ctx in pairs:
        c = item.message
        one_at_a_time.add(c.document_id, c.model_version, c.labels, c.language, ctx, 1, item.partition, item.offset)
    assert {k: list(v) for k, v in by_column.columns.items()} == one_at_a_time.columns
    assert by_column.columns["language"][1] == docs[1].language and by_column.columns["author"][2] == ""
    assert EventContext.of(docs[0]) == (docs[0].published_at or docs[0].fetched_at, docs[0].source_id,
                                        docs[0].author, docs[0].language, docs[0].crawl_run_id, docs[0].fetched_at)


def test_lookups_find_what_was_written_before_the_key_hashes_existed(tmp_path) -> None:
    """Migration 0006 adds the hashes the lookups filter on; rows written before it are found all the same
    (their hashes computed as they are read until its mutation has rewritten the parts), through the
    temporary table of a large batch and the literal of a small one."""
    from tests.vigil.warehouse.conftest import run_child

    out = run_child(f"""
        from datetime import timedelta
        from tests.flows.conftest import T0, make_doc, marker_classify
        from vigil.warehouse import EmbeddedWarehouse, migrate
        from vigil.warehouse.embedded import KEYS_IN_TABLE
        from vigil.warehouse.migrate import available_migrations
        from vigil.warehouse.rows import classification_row, document_row
        from vigil.warehouse.sink import EventColumns, EventContext, Located, write_classifications, write_documents
        wh = EmbeddedWarehouse.open({str(tmp_path)!r}, "vigil")
        migrate(wh, [m for m in available_migrations() if m.version < 6])
        docs = [make_doc(i, at=T0 + timedelta(minutes=i), text=f"post {{i}}" + (" flag-racism" if i % 4 == 0 else ""))
                for i in range(KEYS_IN_TABLE + 500)]
        labels = marker_classify(docs)
        wh.insert("documents", [document_row(d) for d in docs])
        wh.insert("classifications", [classification_row(c) for c in labels])
        events = EventColumns()
        events.add_counted([(Located(c), EventContext.of(d)) for c, d in zip(labels, docs)])
        events.insert(wh)
        assert [m.version for m in migrate(wh)] == [6]
        for batch in (slice(None), slice(0, 10)):
            stored = write_documents(wh, [Located(d) for d in docs[batch]])
            counted = write_classifications(wh, [Located(c) for c in labels[batch]])
            print("RESULT", stored.new, stored.unchanged, counted.classified, counted.unchanged_classifications)
        print("TOTAL", len(docs), wh.scalar("SELECT sum(documents) FROM counts_daily WHERE category = 'any'"))
        wh.close()
    """)
    assert out.returncode == 0, out.stderr[-3000:]
    results = [line.split()[1:] for line in out.stdout.splitlines() if line.startswith("RESULT")]
    n, total = next(line.split()[1:] for line in out.stdout.splitlines() if line.startswith("TOTAL"))
    assert results == [["0", n, "0", n], ["0", "10", "0", "10"]]  # nothing taken for new, nothing counted again
    assert total == n  # each counted once, by the events written before the migration
