"""Personal API tokens: shown once, stored as sha256, revocable, dead with a disabled account."""

from __future__ import annotations

import hashlib

from dashboards.accounts.store import AccountStore
from dashboards.accounts.tokens import create_token, list_tokens, revoke_token, token_user
from dashboards.accounts.users import set_disabled


def test_a_token_is_stored_as_its_sha256_only(accounts: AccountStore, make_user) -> None:
    ann = make_user()
    token, secret = create_token(accounts, ann.id, "report script")
    with accounts.connect() as db:
        stored = db.execute("SELECT token_hash FROM api_tokens").fetchone()[0]
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.encode() not in accounts.path.read_bytes()
    assert secret.startswith(token.prefix) and len(token.prefix) < 10


def test_a_token_finds_its_user_until_revoked(accounts: AccountStore, make_user) -> None:
    ann, bob = make_user("ann"), make_user("bob")
    token, secret = create_token(accounts, ann.id, "t")
    assert token_user(accounts, secret).name == "ann"  # type: ignore[union-attr]
    assert token_user(accounts, secret + "x") is None
    assert not revoke_token(accounts, bob.id, token.id)  # not bob's
    assert revoke_token(accounts, ann.id, token.id)
    assert token_user(accounts, secret) is None
    assert not revoke_token(accounts, ann.id, token.id)  # already revoked
    listed = list_tokens(accounts, ann.id)
    assert [t.id for t in listed] == [token.id] and listed[0].revoked_at is not None
    assert listed[0].last_used_at is not None


def test_a_disabled_users_tokens_do_not_work(accounts: AccountStore, make_user) -> None:
    ann = make_user()
    _, secret = create_token(accounts, ann.id, "t")
    set_disabled(accounts, ann.id, True)
    assert token_user(accounts, secret) is None
