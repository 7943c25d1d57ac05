"""The one write path: embedded mode runs the feedback stage in process; distributed mode publishes."""

from __future__ import annotations

from unittest.mock import create_autospec

import pytest

from classifiers.known.bank import KnownBank, default_bank_path
from dashboards.review.decide import decide
from tests.dashboards.review.factories import stored_item
from tests.vigil.bus.factories import read_all
from vigil.bus import Topic
from vigil.bus.codec import decode
from vigil.schemas import ReviewDecision
from vigil.warehouse import Warehouse

# Synthetic, and unlike the feedback tests' text: the bank is shared by the whole test session.
PROPAGANDA = ("Sisters and brothers, the caravan leaves on Friday night from the old market. Bring only cash and "
              "your passport, tell nobody at home, and message the recruiter for the meeting point and password")


@pytest.mark.warehouse
def test_embedded_mode_stores_decisions_through_the_feedback_stage(warehouse, warehouse_settings) -> None:
    bank_path = default_bank_path(warehouse_settings.home)
    before = len(KnownBank(bank_path))  # the session's home is shared with other tests
    flagged = stored_item(warehouse, 1, text=PROPAGANDA, labels=("recruitment",),
                          url="https://forum.example.org/only-in-test-decide/1")  # bank items are keyed by document
    doubtful = stored_item(warehouse, 2, text="Who knows what they meant by that remark about the border.")
    confirm = ReviewDecision(document_id=flagged.id, reviewer="ann", verdict="confirm", labels=["recruitment"])
    unsure = ReviewDecision(document_id=doubtful.id, reviewer="ann", verdict="unsure", note="sarcasm?")
    decide(warehouse_settings, warehouse, confirm)
    decide(warehouse_settings, warehouse, unsure)
    rows = warehouse.query("SELECT decision_id, verdict, note, kafka_offset FROM review_decisions FINAL ORDER BY verdict")
    assert rows == [{"decision_id": confirm.decision_id, "verdict": "confirm", "note": "", "kafka_offset": -1},
                    {"decision_id": unsure.decision_id, "verdict": "unsure", "note": "sarcasm?", "kafka_offset": -1}]
    bank = KnownBank(bank_path)
    assert len(bank) == before + 1  # the confirmed text joined the bank; the unsure one did not
    [match] = bank.match("REPOST " + PROPAGANDA)
    assert match.item_id == f"review:{flagged.id}"


@pytest.mark.warehouse
def test_embedded_mode_refuses_what_the_feedback_stage_refuses(warehouse, warehouse_settings) -> None:
    bogus = ReviewDecision.model_construct(**{**ReviewDecision(document_id="a" * 32, reviewer="ann", verdict="confirm",
                                                               labels=["racism"]).model_dump(), "labels": ["nope"]})
    with pytest.raises(ValueError, match="unknown categories"):
        decide(warehouse_settings, warehouse, bogus)
    assert warehouse.query("SELECT count() AS n FROM review_decisions") == [{"n": 0}]


@pytest.mark.kafka
def test_distributed_mode_publishes_the_decision_keyed_by_its_document(kafka_settings) -> None:
    warehouse = create_autospec(Warehouse, instance=True)
    decision = ReviewDecision(document_id="c" * 32, reviewer="ann", verdict="reject", note="a news report")
    decide(kafka_settings, warehouse, decision)
    [record] = read_all(kafka_settings, Topic.review_decisions, "dashboards-test", 1)
    assert record.key == decision.document_id.encode()
    assert decode(Topic.review_decisions, record.value) == decision
    assert warehouse.method_calls == []  # the feedback consumer stores it, not the dashboards
