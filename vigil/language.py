"""Which language a text is in: one answer for the crawler (a document's language, for the
analysts' breakdowns) and the classifier (which encoder reads it, and whether it is covered).

lingua is limited to the languages Vigil monitors, which makes it faster and more accurate on
short posts. It has no Tajik, Kyrgyz or Uzbek model, yet those are languages of the CSTO region
that must not be scored silently as if they were Russian: letters only those alphabets use tell
them apart. URLs and tokens with digits (wallets, ids) are not words in any language and are
removed before detection. lingua-language-detector comes with the crawl and ml extras.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Russian and English first, then the other languages of the CSTO region and its neighbours
# that lingua knows, plus languages often seen beside them (Italian, Portuguese and Dutch since
# lexicon v21 reads them: before, lingua called them Spanish, French or German).
MONITORED = ("ENGLISH", "RUSSIAN", "UKRAINIAN", "BELARUSIAN", "KAZAKH", "ARMENIAN", "AZERBAIJANI",
             "GEORGIAN", "MONGOLIAN", "PERSIAN", "ARABIC", "TURKISH", "GERMAN", "FRENCH", "SPANISH", "POLISH",
             "ITALIAN", "PORTUGUESE", "DUTCH")
MIN_LETTERS = 12
SAMPLE_CHARS = 800  # enough to tell a language apart; lingua's cost grows with length
_LETTER = re.compile(r"[^\W\d_]")
_NOT_WORDS = re.compile(r"https?://\S+|\S*\d\S*|[#@]\w+")
_TAJIK = set("ҷӣӯ")
_KYRGYZ = set("ңөү")
_KAZAKH = set("әғқұһі")
_UZBEK = set("ў")


@lru_cache(maxsize=2)
def _detector(fast: bool):
    from lingua import Language, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in MONITORED))
    return (builder.with_low_accuracy_mode() if fast else builder).build()


def by_letters(text: str) -> str | None:
    """Tajik, Kyrgyz or Uzbek from letters only their Cyrillic alphabets use; else None."""
    letters = set(text.lower())
    if letters & _TAJIK:
        return "tg"
    if letters & _KYRGYZ and not letters & _KAZAKH:
        return "ky"
    if letters & _UZBEK:
        return "uz"
    return None


def identify(text: str, fast: bool = False) -> tuple[str | None, float | None]:
    """``(ISO 639-1 code, lingua's confidence in [0, 1])``; ``(None, None)`` for text too short to
    tell. A language told by its letters has no confidence figure: ``(code, None)``. ``fast`` uses
    lingua's low-accuracy mode (trigrams only), enough to route a text to an encoder and about a
    third quicker over a classify run of short posts; the crawler records the accurate answer."""
    sample = _NOT_WORDS.sub(" ", text[:SAMPLE_CHARS])
    special = by_letters(sample)
    if special:
        return special, None
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None, None
    values = _detector(fast).compute_language_confidence_values(sample)
    if not values:
        return None, None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)
