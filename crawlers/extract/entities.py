"""Identifiers analysts track: hashtags, invite links, crypto wallets, payment ids, phones.

Regexes find candidates; checksums (base58check, Luhn, IBAN mod 97) drop most
look-alikes, so that a random token is not reported as a wallet. Values are
returned de-duplicated in first-seen order; wallets and payment ids carry a
``kind:`` prefix (``btc:``, ``card:``, ...).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from vigil.schemas import Entities

_HASHTAG = re.compile(r"(?<![\w#&/])#(\w*[^\W\d_]\w*)", re.UNICODE)
_INVITE = re.compile(
    r"(?:https?://)?(?:www\.)?(?:"
    r"(?:t\.me|telegram\.me|telegram\.dog)/(?:joinchat/[\w-]+|\+[\w-]+|s/[A-Za-z]\w{3,31}|[A-Za-z]\w{3,31})"
    r"|chat\.whatsapp\.com/[\w-]+|discord\.gg/[\w-]+|discord(?:app)?\.com/invite/[\w-]+)",
    re.IGNORECASE,
)
_TELEGRAM_NOT_CHANNELS = {"share", "iv", "addstickers", "proxy", "socks", "login", "setlanguage"}
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_WALLETS: list[tuple[str, re.Pattern[str]]] = [
    ("btc", re.compile(r"\b(?:bc1[ac-hj-np-z02-9]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b")),
    ("eth", re.compile(r"\b0x[0-9a-fA-F]{40}\b")),
    ("trx", re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b")),
    ("ltc", re.compile(r"\b(?:ltc1[ac-hj-np-z02-9]{11,71}|[LM][1-9A-HJ-NP-Za-km-z]{26,33})\b")),
    ("xmr", re.compile(r"\b[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}\b")),
    ("ton", re.compile(r"\b(?:EQ|UQ)[A-Za-z0-9_-]{46}\b")),
]
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_YOOMONEY = re.compile(r"\b4100\d{9,12}\b")
_DONATION = re.compile(
    r"(?:https?://)?(?:www\.)?(?:paypal\.me|boosty\.to|patreon\.com|donationalerts\.com/r|"
    r"buymeacoffee\.com|ko-fi\.com)/[\w.-]+", re.IGNORECASE)
# Cheap tests that rule most texts out before the costlier patterns run.
_INVITE_MARKERS = ("t.me/", "telegram.", "whatsapp.com/", "discord")
_LONG_TOKEN = re.compile(r"[0-9A-Za-z_-]{25,}")
_DIGIT = re.compile(r"\d")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}|8)[\s(.-]{0,2}\d{3}[\s).-]{0,2}\d{2,3}[\s.-]?\d{2}[\s.-]?\d{2}(?!\d)")


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _base58check(address: str) -> bool:
    number = 0
    for char in address:
        number = number * 58 + _B58.index(char)
    raw = number.to_bytes(25, "big") if number.bit_length() <= 200 else b""
    if len(raw) != 25:
        return False
    return hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4] == raw[-4:]


def _wallet_ok(kind: str, address: str) -> bool:
    if kind in {"btc", "ltc", "trx"} and address[0] in "13LMT":
        return _base58check(address)
    return True


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _iban_ok(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def hashtags(text: str) -> list[str]:
    return _unique("#" + tag.casefold() for tag in _HASHTAG.findall(text))


def invite_links(text: str) -> list[str]:
    lowered = text.lower()
    if not any(marker in lowered for marker in _INVITE_MARKERS):
        return []
    found = []
    for match in _INVITE.finditer(text):
        link = re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group(0)).replace("/s/", "/", 1)
        host, _, path = link.partition("/")
        if host.lower() in {"t.me", "telegram.me", "telegram.dog"} and path.lower() in _TELEGRAM_NOT_CHANNELS:
            continue
        found.append(f"https://{host.lower()}/{path}")
    return _unique(found)


def crypto_wallets(text: str) -> list[str]:
    if not _LONG_TOKEN.search(text):
        return []
    found = []
    for kind, pattern in _WALLETS:
        found.extend(f"{kind}:{m}" for m in pattern.findall(text) if _wallet_ok(kind, m))
    return _unique(found)


def payment_ids(text: str) -> list[str]:
    found = []
    digits_total = len(_DIGIT.findall(text))
    for match in _CARD.findall(text) if digits_total >= 13 else []:
        digits = re.sub(r"\D", "", match)
        if 13 <= len(digits) <= 19 and digits[0] in "2345689" and _luhn(digits):
            found.append(f"card:{digits}")
    for match in _IBAN.findall(text) if digits_total >= 4 else []:
        iban = match.replace(" ", "")
        if _iban_ok(iban):
            found.append(f"iban:{iban}")
    found.extend(f"yoomoney:{m}" for m in _YOOMONEY.findall(text))
    found.extend("donate:" + re.sub(r"^(?:https?://)?(?:www\.)?", "", m).lower() for m in _DONATION.findall(text))
    return _unique(found)


def phones(text: str) -> list[str]:
    found = []
    for match in _PHONE.findall(text):
        digits = re.sub(r"\D", "", match)
        if match.startswith("8") and len(digits) == 11:
            digits = "7" + digits[1:]
        elif not match.startswith("+"):
            continue
        if 10 <= len(digits) <= 15:
            found.append("+" + digits)
    return _unique(found)


def extract_entities(text: str, links: Iterable[str] = ()) -> Entities:
    """Entities in a post's text and in the links it carries (invite and donation links hide in hrefs)."""
    haystack = text + "\n" + "\n".join(links)
    cards = payment_ids(haystack)
    card_digits = {p.split(":", 1)[1] for p in cards if p.startswith("card:")}
    return Entities(
        hashtags=hashtags(text),
        invite_links=invite_links(haystack),
        crypto_wallets=crypto_wallets(haystack),
        payment_ids=cards,
        phones=[p for p in phones(text) if p.lstrip("+") not in card_digits],
    )
