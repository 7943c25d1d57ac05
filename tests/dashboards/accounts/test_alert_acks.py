"""Alert acknowledgements in the accounts database: who and when, the first one stands."""

from __future__ import annotations

import time

from dashboards.accounts.alert_acks import acknowledge, acknowledgements
from dashboards.accounts.models import Role


def test_who_and_when_are_stored_and_the_first_acknowledgement_stands(accounts, make_user) -> None:
    ann, bob = make_user("ann", Role.analyst), make_user("bob", Role.reviewer)
    before = time.time()
    first = acknowledge(accounts, "alert-1", ann.id, "  seen, a known campaign  ")
    assert (first.alert_id, first.user_name, first.note) == ("alert-1", "ann", "seen, a known campaign")
    assert before - 1 <= first.acknowledged_at.timestamp() <= time.time() + 1
    assert acknowledge(accounts, "alert-1", bob.id, "me too") == first
    acknowledge(accounts, "alert-2", bob.id)
    found = acknowledgements(accounts, ["alert-1", "alert-2", "alert-3"])
    assert {k: v.user_name for k, v in found.items()} == {"alert-1": "ann", "alert-2": "bob"}
    assert acknowledgements(accounts, []) == {}
