"""The language the classifier routes a text by: :func:`vigil.language.identify`, and for text
too short to tell, its script (Cyrillic: ru, else en), so that every text gets an encoder."""

from __future__ import annotations

from vigil.language import identify


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``, never None."""
    code, _ = identify(text, fast=True)
    if code:
        return code
    return "ru" if any("\u0400" <= ch <= "\u04ff" for ch in text) else "en"
