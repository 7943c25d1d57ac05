"""The feedback stage: decisions stored once, confirmed propaganda joins the known bank."""

from __future__ import annotations

import threading

import pytest

from classifiers.known.bank import KnownBank, default_bank_path
from tests.vigil.bus.factories import make_document, read_all
from vigil.bus import Topic, open_publisher
from vigil.bus.codec import decode
from vigil.bus.memory import reset_process_bus
from vigil.schemas import ReviewDecision
from vigil.warehouse.sink import Located, write_documents
from classifiers.feedback import apply_decisions, run_feedback
from vigil.warehouse import Warehouse

PROPAGANDA = ("Brothers, the brigade is waiting for you. Leave everything, take the night bus to the border "
              "and write to our channel, the route and the weapons are ready for every young man")


@pytest.mark.warehouse
def test_feedback_stores_decisions_and_feeds_the_known_bank(warehouse: Warehouse, warehouse_settings) -> None:
    reset_process_bus()
    bank_path = default_bank_path(warehouse_settings.home)
    before = len(KnownBank(bank_path))  # the session's home is shared with other tests
    flagged, benign = make_document(9101, PROPAGANDA), make_document(9102, "The bakery on Lenin street reopened.")
    write_documents(warehouse, [Located(flagged), Located(benign)])
    confirm = ReviewDecision(document_id=flagged.id, reviewer="r1", verdict="confirm", labels=["recruitment"])
    reject = ReviewDecision(document_id=benign.id, reviewer="r1", verdict="reject")
    bogus = ReviewDecision.model_construct(**{**confirm.model_dump(), "decision_id": "f" * 32,
                                              "labels": ["not_a_category"]})
    publisher = open_publisher(warehouse_settings)
    for decision in (confirm, reject, confirm, bogus):  # confirm twice: a redelivery
        publisher.send(Topic.review_decisions, decision)
    publisher.flush()

    counts = run_feedback(warehouse_settings, threading.Event(), stop_when_idle_s=0.5)

    assert (counts.consumed, counts.written, counts.dead_letters) == (4, 3, 1)
    rows = warehouse.query("SELECT document_id, verdict FROM review_decisions FINAL "
                           "WHERE document_id IN {ids:Array(String)} ORDER BY verdict", {"ids": [flagged.id, benign.id]})
    assert [(r["document_id"], r["verdict"]) for r in rows] == [(flagged.id, "confirm"), (benign.id, "reject")]
    bank = KnownBank(bank_path)
    [match] = bank.match("REPOST >> " + PROPAGANDA + " #share")
    assert match.item_id == f"review:{flagged.id}" and match.source_document_id == flagged.id
    assert match.categories == ("recruitment",) and len(bank) == before + 1  # once, despite the redelivery
    [letter] = read_all(warehouse_settings, Topic.dlq_feedback, "reader", 1)
    assert "not_a_category" in decode(Topic.dlq_feedback, letter.value).reason
    reset_process_bus()


@pytest.mark.warehouse
def test_escalate_and_unsure_are_stored_but_never_join_the_bank(warehouse: Warehouse, warehouse_settings) -> None:
    bank_path = default_bank_path(warehouse_settings.home)
    before = len(KnownBank(bank_path))
    doc = make_document(9103, PROPAGANDA + " (escalated)")
    write_documents(warehouse, [Located(doc)])
    decisions = [ReviewDecision(document_id=doc.id, reviewer="r1", verdict=verdict, labels=["recruitment"])
                 for verdict in ("escalate", "unsure")]
    counts = apply_decisions(warehouse, bank_path, [Located(d) for d in decisions])
    assert (counts.decisions, counts.joined_bank) == (2, 0)
    rows = warehouse.query("SELECT verdict FROM review_decisions FINAL WHERE document_id = {id:String} ORDER BY verdict",
                           {"id": doc.id})
    assert [row["verdict"] for row in rows] == ["escalate", "unsure"]
    assert len(KnownBank(bank_path)) == before
