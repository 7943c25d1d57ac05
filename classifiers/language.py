"""The language the classifier routes a text by: :func:`vigil.language.identify`, and for text
too short to tell, its script (Cyrillic: ru, else en), so that every text gets an encoder.

lingua's low-accuracy mode is quick but reads many short English posts as French, German, Spanish or Polish
(and, once Dutch was a candidate, "Wonder what happened ?" as Dutch), which sent them to the multilingual
fallback instead of the English model. Its answer is kept when it is English or Russian (the model's own
languages, most of the stream) and confirmed in full mode otherwise, which costs little since other languages
are rare."""

from __future__ import annotations

from vigil.language import identify

CONFIRMED_FAST = ("en", "ru")  # answers of the low-accuracy mode kept without a second look


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``, never None."""
    code, _ = identify(text, fast=True)
    if code in CONFIRMED_FAST:
        return code
    if code:
        return identify(text)[0] or code
    return "ru" if any("\u0400" <= ch <= "\u04ff" for ch in text) else "en"
