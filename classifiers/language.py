"""Which language a text is in, so that it is routed to the encoder evaluated for it.

lingua has no Tajik, Kyrgyz or Uzbek model, yet those are languages this product
must not score silently as if they were Russian; letters only those alphabets use
tell them apart from Russian.
"""

from __future__ import annotations

from functools import lru_cache

_TAJIK = set("ҷӣӯ")
_KYRGYZ = set("ңөү")
_KAZAKH = set("әғқұһі")
_UZBEK = set("ў")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.ENGLISH, Language.RUSSIAN, Language.UKRAINIAN, Language.BELARUSIAN, Language.KAZAKH,
                 Language.ARMENIAN, Language.AZERBAIJANI, Language.GEORGIAN, Language.ARABIC, Language.PERSIAN,
                 Language.TURKISH, Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.POLISH,
                 Language.MONGOLIAN]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _by_letters(text: str) -> str | None:
    letters = set(text.lower())
    if letters & _TAJIK:
        return "tg"
    if letters & _KYRGYZ and not letters & _KAZAKH:
        return "ky"
    if letters & _UZBEK:
        return "uz"
    return None


def detect_language(text: str) -> str:
    """ISO 639-1 code; texts too short to tell fall back to their script (Cyrillic: ru, else en)."""
    special = _by_letters(text)
    if special:
        return special
    found = _detector().detect_language_of(text[:2000])
    if found is not None:
        return found.iso_code_639_1.name.lower()
    return "ru" if any("\u0400" <= ch <= "\u04ff" for ch in text) else "en"
