"""Reconciliation on real chDB: a batch lost between the bus and the sink is caught."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.crawl import LedgerOutput
from flows.reconcile import incomplete_windows, judge, reconcile
from tests.flows.conftest import T0, make_doc, marker_classify
from flows.store import StoreOutput
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, write_documents


class DroppingSink(StoreOutput):
    """A store that loses its ``drop``-th flush on the floor (what a crashed consumer would do)."""

    def __init__(self, warehouse: Warehouse, drop: int) -> None:
        super().__init__(warehouse, marker_classify)
        self.drop, self.flushes = drop, 0

    def flush(self) -> None:
        self.flushes += 1
        if self.flushes == self.drop:
            self._buffer.clear()
            return
        super().flush()


@pytest.mark.warehouse
def test_a_dropped_batch_flags_its_window_and_only_its_window(warehouse: Warehouse) -> None:
    sink = LedgerOutput(DroppingSink(warehouse, drop=2), warehouse)
    for batch in range(3):  # three batches of ten, each in its own hour
        for i in range(10):
            sink.send(make_doc(batch * 10 + i, at=T0 + timedelta(hours=batch, minutes=i), run_id="run-a"))
        sink.flush()
    incomplete = reconcile(warehouse, T0 - timedelta(hours=1))
    assert [(w["window_start"], w["published"], w["stored"]) for w in incomplete] == [
        (T0 + timedelta(hours=1), 10, 0)]
    assert "10 published but neither stored nor dead-lettered" in incomplete[0]["reason"]
    flagged = incomplete_windows(warehouse, T0 - timedelta(hours=1))
    assert [(w["window_start"], w["run_id"]) for w in flagged] == [(T0 + timedelta(hours=1), "run-a")]
    assert warehouse.scalar("SELECT count() FROM documents FINAL") == 20


def test_judging_a_window() -> None:
    window = {"crawled": 13, "published": 10, "stored": 9, "classified": 7, "dead_lettered": 1}
    assert judge(window) == (False, "2 crawled but not published; 1 stored but not classified")
    assert judge({**window, "crawled": 11, "classified": 8}) == (True, "")
    # killed after storing, before counting the publish: what was stored was published
    assert judge({"crawled": 65, "published": 0, "stored": 65, "classified": 0, "dead_lettered": 0}) == (
        False, "65 stored but not classified")


class KilledAfterStoring(StoreOutput):
    """A store whose process dies after writing a batch's documents, before classifying them."""

    def flush(self) -> None:
        batch, self._buffer = self._buffer, []
        write_documents(self.warehouse, [Located(d) for d in batch])


@pytest.mark.warehouse
def test_a_batch_the_next_run_classified_is_not_flagged_for_the_killed_run(warehouse: Warehouse) -> None:
    at = T0 + timedelta(days=5)
    killed = LedgerOutput(KilledAfterStoring(warehouse, marker_classify), warehouse)
    for i in range(6):
        killed.send(make_doc(700 + i, at=at, run_id="run-killed"))
    killed.flush()
    for i in range(6, 9):  # and a batch it stored that nothing classified since
        killed.send(make_doc(700 + i, at=at, run_id="run-killed-alone"))
    killed.flush()
    [window] = [w for w in reconcile(warehouse, at - timedelta(hours=1)) if w["run_id"] == "run-killed"]
    assert (window["complete"], window["reason"]) == (False, "6 stored but not classified")

    again = LedgerOutput(StoreOutput(warehouse, marker_classify), warehouse)
    for i in range(6):  # the next run fetches the same pages (the same documents) and classifies them
        again.send(make_doc(700 + i, at=at, run_id="run-again"))
    again.flush()
    incomplete = reconcile(warehouse, at - timedelta(hours=1))
    assert [(w["run_id"], w["reason"]) for w in incomplete] == [("run-killed-alone", "3 stored but not classified")]
    assert [w["run_id"] for w in incomplete_windows(warehouse, at - timedelta(hours=1))] == ["run-killed-alone"]


class FailingSink(StoreOutput):
    def flush(self) -> None:
        raise ConnectionError("broker went away")


@pytest.mark.warehouse
def test_a_failed_publish_leaves_its_window_crawled_but_not_published(warehouse: Warehouse) -> None:
    sink = LedgerOutput(FailingSink(warehouse, marker_classify), warehouse)
    at = T0 + timedelta(days=3)
    for i in range(7):
        sink.send(make_doc(500 + i, at=at, run_id="run-failed-publish"))
    with pytest.raises(ConnectionError):
        sink.flush()
    [window] = [w for w in reconcile(warehouse, at - timedelta(hours=1)) if w["run_id"] == "run-failed-publish"]
    assert (window["crawled"], window["published"], window["complete"]) == (7, 0, False)
    assert "7 crawled but not published" in window["reason"]
