"""Second reviews go to another reviewer or admin: never the first reviewer, an analyst or a disabled account."""

from __future__ import annotations

from dashboards.accounts import second_reviews
from dashboards.accounts.models import Role
from dashboards.accounts.users import set_disabled

DOC = "a" * 32


def test_the_second_reviewer_is_another_enabled_reviewer(accounts, make_user) -> None:
    first = make_user("first", Role.reviewer)
    make_user("analyst", Role.analyst)
    set_disabled(accounts, make_user("gone", Role.reviewer).id, True)
    assert second_reviews.assign(accounts, DOC, "1" * 32, first.id) is None  # nobody else can review
    admin = make_user("boss", Role.admin)
    review = second_reviews.assign(accounts, DOC, "1" * 32, first.id)
    assert review is not None and (review.reviewer_id, review.document_id) == (admin.id, DOC)
    assert second_reviews.open_for(accounts, admin.id) == [review]
    assert second_reviews.blind_for(accounts, DOC, admin.id) == review
    assert second_reviews.blind_for(accounts, DOC, first.id) is None


def test_one_open_second_review_per_document_to_the_least_loaded(accounts, make_user) -> None:
    first, ann, bob = (make_user(name, Role.reviewer) for name in ("first", "ann", "bob"))
    one = second_reviews.assign(accounts, DOC, "1" * 32, first.id)
    assert second_reviews.assign(accounts, DOC, "2" * 32, first.id) is None  # already under review
    other = second_reviews.assign(accounts, "b" * 32, "3" * 32, first.id)
    assert one is not None and other is not None and {one.reviewer_id, other.reviewer_id} == {ann.id, bob.id}
    assert second_reviews.open_count(accounts) == 2


def test_completing_records_the_second_decision(accounts, make_user) -> None:
    first, second = make_user("first", Role.reviewer), make_user("second", Role.reviewer)
    second_reviews.assign(accounts, DOC, "1" * 32, first.id)
    assert not second_reviews.complete(accounts, DOC, first.id, "9" * 32)  # not theirs
    assert second_reviews.complete(accounts, DOC, second.id, "2" * 32)
    [done] = second_reviews.completed(accounts)
    assert (done.first_decision_id, done.second_decision_id) == ("1" * 32, "2" * 32)
    assert second_reviews.open_for(accounts, second.id) == [] and second_reviews.blind_for(accounts, DOC, second.id) is None
