"""Language identification with lingua, limited to the languages Vigil monitors.

Restricting the candidate set makes lingua both faster and more accurate on
short posts; the detector is built once per process because building it loads
the language models.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

# Russian and English first, then the other languages of the CSTO region and its neighbours
# that lingua knows (it has no Kyrgyz, Tajik or Uzbek models), plus languages often seen beside them.
MONITORED = ("ENGLISH", "RUSSIAN", "UKRAINIAN", "BELARUSIAN", "KAZAKH", "ARMENIAN", "AZERBAIJANI",
             "GEORGIAN", "MONGOLIAN", "PERSIAN", "ARABIC", "TURKISH", "GERMAN", "FRENCH")
MIN_LETTERS = 12
SAMPLE_CHARS = 800  # enough to tell a language apart; lingua's cost grows with length
# URLs and tokens with digits (wallets, ids) are not words in any language and mislead the detector.
_LETTER = re.compile(r"[^\W\d_]")
_NOT_WORDS = re.compile(r"https?://\S+|\S*\d\S*|[#@]\w+")


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    languages = [getattr(Language, name) for name in MONITORED]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> tuple[str | None, float | None]:
    """``(ISO 639-1 code, confidence in [0, 1])``, or ``(None, None)`` for text too short to tell."""
    sample = _NOT_WORDS.sub(" ", text[:SAMPLE_CHARS])
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None, None
    values = detector().compute_language_confidence_values(sample)
    if not values:
        return None, None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)
