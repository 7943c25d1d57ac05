"""Rescore on real chDB: a new model version's labels in their own series, resumable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.rescore import checkpoint, document_from_row, rescore
from tests.flows.conftest import T0, make_doc, marker_classify
from vigil.warehouse.sink import Located, write_documents
from vigil.warehouse import Warehouse

pytestmark = pytest.mark.warehouse


def test_rescore_resumes_from_its_checkpoint_and_counts_per_model(warehouse: Warehouse) -> None:
    docs = [make_doc(i, at=T0 + timedelta(hours=i), text=f"item {i}" + (" flag-financing" if i % 2 else ""))
            for i in range(25)]
    write_documents(warehouse, [Located(d) for d in docs])
    calls = []

    def classify(batch):
        calls.append(len(batch))
        return marker_classify(batch, "ignored")

    partial = rescore(warehouse, classify, "v2", job_id="job-1", batch_size=10, max_batches=2)
    assert partial == {"rescored": 20, "done": False, "batches": 2}
    assert checkpoint(warehouse, "job-1")["rescored"] == 20
    rest = rescore(warehouse, classify, "v2", job_id="job-1", batch_size=10)
    assert rest == {"rescored": 25, "done": True, "batches": 1}
    assert calls == [10, 10, 5]
    assert rescore(warehouse, classify, "v2", job_id="job-1")["batches"] == 0  # finished jobs stay finished
    counts = warehouse.query("SELECT model_version, category, sum(documents) AS d FROM counts_daily "
                             "GROUP BY model_version, category ORDER BY category")
    assert counts == [{"model_version": "v2", "category": "any", "d": 25},
                      {"model_version": "v2", "category": "financing", "d": 12}]


def test_a_time_range_limits_the_rescore(warehouse: Warehouse) -> None:
    docs = [make_doc(i, at=T0 + timedelta(days=i)) for i in range(6)]
    write_documents(warehouse, [Located(d) for d in docs])
    done = rescore(warehouse, marker_classify, "v3", job_id="job-2", since=T0 + timedelta(days=2),
                   until=T0 + timedelta(days=4))
    assert done["rescored"] == 2


def test_stored_documents_come_back_whole(warehouse: Warehouse) -> None:
    doc = make_doc(3, at=T0, text="body", signature="abcd")
    write_documents(warehouse, [Located(doc)])
    from flows.rescore import _COLUMNS

    row = warehouse.query(f"SELECT {_COLUMNS} FROM documents FINAL")[0]
    assert document_from_row(row) == doc
