"""Claims: one reviewer per item, expiring; taking one is atomic (two reviewers racing: one wins)."""

from __future__ import annotations

import threading

from dashboards.accounts import claims
from dashboards.accounts.models import Role

DOC = "a" * 32


def test_a_free_item_is_claimed_and_others_see_the_holder(accounts, make_user) -> None:
    ann, bob = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    mine = claims.claim(accounts, DOC, ann.id, 15, at=1000.0)
    assert (mine.user_id, mine.user_name) == (ann.id, "ann")
    assert mine.expires_at.timestamp() == 1000.0 + 15 * 60
    theirs = claims.claim(accounts, DOC, bob.id, 15, at=1100.0)
    assert theirs.user_id == ann.id  # bob is told who holds it
    assert claims.current(accounts, DOC, at=1100.0).user_id == ann.id  # type: ignore[union-attr]


def test_renewing_keeps_the_start_and_an_expired_claim_is_free(accounts, make_user) -> None:
    ann, bob = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    claims.claim(accounts, DOC, ann.id, 15, at=1000.0)
    renewed = claims.claim(accounts, DOC, ann.id, 15, at=1500.0)
    assert (renewed.claimed_at.timestamp(), renewed.expires_at.timestamp()) == (1000.0, 1500.0 + 900)
    taken = claims.claim(accounts, DOC, bob.id, 15, at=1500.0 + 900)  # ann's claim has just expired
    assert (taken.user_id, taken.claimed_at.timestamp()) == (bob.id, 2400.0)
    assert claims.current(accounts, DOC, at=2400.0 + 900) is None


def test_release_frees_the_item_for_its_holder_only(accounts, make_user) -> None:
    ann, bob = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    claims.claim(accounts, DOC, ann.id, 15)
    assert not claims.release(accounts, DOC, bob.id)
    assert claims.release(accounts, DOC, ann.id)
    assert claims.claim(accounts, DOC, bob.id, 15).user_id == bob.id


def test_a_decided_claim_hides_the_item_from_everyone_until_it_expires(accounts, make_user) -> None:
    ann, bob = make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)
    claims.claim(accounts, DOC, ann.id, 15, at=1000.0)
    claims.claim(accounts, "b" * 32, bob.id, 15, at=1000.0)
    assert claims.hidden_from(accounts, ann.id, at=1010.0) == ["b" * 32]  # her own claim stays in her queue
    held = claims.mark_decided(accounts, DOC, ann.id, 15, at=1060.0)
    assert held is not None and held.claimed_at.timestamp() == 1000.0
    assert claims.hidden_from(accounts, ann.id, at=1070.0) == [DOC, "b" * 32]
    assert claims.hidden_from(accounts, bob.id, at=1070.0) == [DOC]
    assert claims.mark_decided(accounts, DOC, ann.id, 15) is None  # decided once
    assert not claims.release(accounts, DOC, ann.id)  # a decided claim is not released, it expires
    assert claims.claim(accounts, DOC, bob.id, 15, at=1080.0).user_id == bob.id  # opened on purpose: his
    assert claims.hidden_from(accounts, bob.id, at=1080.0) == []


def test_two_reviewers_racing_for_the_same_items_never_both_get_one(accounts, make_user) -> None:
    racers = [make_user("ann", Role.reviewer), make_user("bob", Role.reviewer)]
    documents = [f"{n:032x}" for n in range(200)]
    won: dict[str, list[int]] = {doc: [] for doc in documents}
    start = threading.Barrier(len(racers))
    lock = threading.Lock()

    def race(user_id: int) -> None:
        start.wait()
        for doc in documents:
            holder = claims.claim(accounts, doc, user_id, 15)
            if holder.user_id == user_id:
                with lock:
                    won[doc].append(user_id)

    threads = [threading.Thread(target=race, args=(user.id,)) for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(len(winners) == 1 for winners in won.values()), won
    assert all(claims.current(accounts, doc).user_id == won[doc][0] for doc in documents)  # type: ignore[union-attr]
