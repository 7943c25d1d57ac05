"""Passwords are stored as Argon2id hashes (argon2-cffi's defaults), never as themselves."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10

_hasher = PasswordHasher()


class WeakPassword(ValueError):
    """The password is too short to accept."""


def hash_password(password: str) -> str:
    """The Argon2id hash to store; refuse passwords shorter than :data:`MIN_LENGTH`."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def rehashed(stored_hash: str, password: str) -> str | None:
    """A new hash of the (just verified) ``password`` when ``stored_hash`` was made with other
    parameters than today's; None when it is current."""
    return _hasher.hash(password) if _hasher.check_needs_rehash(stored_hash) else None


def waste_time(password: str) -> None:
    """Spend as long as a real check, for names with no account, so timing tells nothing."""
    verify_password(_dummy_hash(), password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no account has this password")
