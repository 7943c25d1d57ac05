"""From claim to decision: verdicts, reasons, claims, decision times and second reviews."""

from __future__ import annotations

import pytest

from dashboards.accounts import claims, decision_times, second_reviews
from dashboards.accounts.models import Role
from dashboards.review.item import latest_classification
from dashboards.review.queue import QueueFilters
from dashboards.review.workflow import Choice, Refused, next_item, sampled, submit, verdict_of
from tests.dashboards.review.factories import stored_item
from vigil.settings import load_settings


def test_a_choice_becomes_a_verdict() -> None:
    model = ["xenophobia"]
    assert verdict_of(Choice("confirm", ("xenophobia",)), model) == ("confirm", ["xenophobia"])
    assert verdict_of(Choice("confirm", ("racism", "xenophobia")), model) == ("relabel", ["xenophobia", "racism"])
    assert verdict_of(Choice("confirm", ("racism",)), []) == ("relabel", ["racism"])
    for action in ("reject", "escalate", "unsure"):
        assert verdict_of(Choice(action, ("xenophobia",)), model) == (action, [])
    for bad in (Choice("confirm"), Choice("relabel", ("racism",)), Choice("confirm", ("nope",))):
        with pytest.raises(Refused) as refused:
            verdict_of(bad, model)
        assert refused.value.status == 400


def test_the_sample_is_a_share_of_decision_ids_and_always_the_same() -> None:
    ids = [f"{n * 2654435761 % 16 ** 8:08x}" + "0" * 24 for n in range(10_000)]
    share = sum(sampled(i, 0.1) for i in ids) / len(ids)
    assert 0.08 < share < 0.12
    assert not any(sampled(i, 0.0) for i in ids) and all(sampled(i, 1.0) for i in ids)


@pytest.fixture
def review_settings(warehouse, tmp_path):
    """Settings on the session warehouse and the app's accounts database, ``dashboards`` overridden."""

    def make(**dashboards: object):
        return load_settings(home=tmp_path, dashboards={"accounts_path": tmp_path / "accounts.sqlite3", **dashboards},
                             warehouse={"path": warehouse.path, "database": warehouse.database})

    return make


@pytest.mark.warehouse
def test_a_decision_needs_the_claim_and_the_reasons_the_settings_name(warehouse, review_settings, accounts,
                                                                       make_user) -> None:
    settings = review_settings(reason_required_for=["reject", "unsure"])
    ann, bob = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    doc = stored_item(warehouse, 1)
    classification = latest_classification(warehouse, doc.id)
    claims.claim(accounts, doc.id, ann.id, 15)
    with pytest.raises(Refused) as refused:
        submit(settings, accounts, warehouse, bob, doc.id, Choice("confirm", ("xenophobia",)), classification)
    assert refused.value.status == 409
    for action in ("reject", "unsure"):
        with pytest.raises(Refused, match="needs a reason"):
            submit(settings, accounts, warehouse, ann, doc.id, Choice(action, (), "   "), classification)
    decision = submit(settings, accounts, warehouse, ann, doc.id, Choice("escalate"), classification)
    assert (decision.verdict, decision.reviewer, decision.model_version) == ("escalate", "ann", "test-model")
    assert warehouse.query("SELECT verdict FROM review_decisions") == [{"verdict": "escalate"}]
    assert claims.hidden_from(accounts, bob.id) == [doc.id]  # decided: out of everyone's queue for a while
    assert list(decision_times.seconds_by_reviewer(accounts)) == ["ann"]


@pytest.mark.warehouse
def test_a_lapsed_claim_is_taken_again_at_decision_time(warehouse, review_settings, accounts, make_user) -> None:
    settings = review_settings()
    ann = make_user("ann", Role.reviewer)
    doc = stored_item(warehouse, 1)
    claims.claim(accounts, doc.id, ann.id, 15, at=1000.0)  # long expired
    submit(settings, accounts, warehouse, ann, doc.id, Choice("confirm", ("xenophobia",)),
           latest_classification(warehouse, doc.id))
    assert warehouse.query("SELECT verdict FROM review_decisions") == [{"verdict": "confirm"}]


@pytest.mark.warehouse
def test_sampled_decisions_go_blind_to_a_second_reviewer_who_completes_them(warehouse, review_settings, accounts,
                                                                             make_user) -> None:
    settings = review_settings(second_review_rate=1.0)
    ann, bob = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    doc = stored_item(warehouse, 1)
    classification = latest_classification(warehouse, doc.id)
    first = submit(settings, accounts, warehouse, ann, doc.id, Choice("confirm", ("xenophobia",)), classification)
    [review] = second_reviews.open_for(accounts, bob.id)
    assert (review.first_decision_id, review.document_id) == (first.decision_id, doc.id)
    assert next_item(accounts, warehouse, settings, bob, QueueFilters()) == doc.id  # owed work comes first
    claims.claim(accounts, doc.id, bob.id, 15)  # he opens it (ann's claim was decided, so it is free)
    second = submit(settings, accounts, warehouse, bob, doc.id, Choice("reject", (), "just news"), classification)
    [done] = second_reviews.completed(accounts)
    assert done.second_decision_id == second.decision_id
    assert second_reviews.open_for(accounts, ann.id) == []  # a second review is never sampled again


@pytest.mark.warehouse
def test_unjudged_decisions_are_not_sampled(warehouse, review_settings, accounts, make_user) -> None:
    settings = review_settings(second_review_rate=1.0)
    ann, _ = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    for n, action in enumerate(("escalate", "unsure")):
        doc = stored_item(warehouse, n)
        submit(settings, accounts, warehouse, ann, doc.id, Choice(action, (), "why"), None)
    assert second_reviews.open_count(accounts) == 0
