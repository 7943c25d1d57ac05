"""Fold obfuscated text into a canonical form while remembering where each character came from.

Propaganda dodges filters with leetspeak ("h31l"), inserted spaces and punctuation
("s.i.e.g"), and Latin and Cyrillic look-alike letters mixed in one word. Folding
maps every such spelling to one form; the offset map lets a match in the folded
text be reported as a span of the original.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

LEET_LATIN = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i", "|": "l"}
CYRILLIC_TO_LATIN = {"а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
                     "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s"}
LATIN_TO_CYRILLIC = {"a": "а", "b": "в", "e": "е", "k": "к", "m": "м", "h": "н", "o": "о", "p": "р", "c": "с",
                     "t": "т", "y": "у", "x": "х", "i": "і", "ё": "е", "3": "з", "0": "о", "4": "ч", "6": "б", "@": "а"}
SCRIPTS = ("latin", "cyrillic")


@dataclass(frozen=True)
class Folded:
    text: str
    origin: list[int]  # origin[i]: index in the original text of folded character i


def script_of(phrase: str) -> str:
    """Which folded view a lexicon phrase is matched against."""
    return "cyrillic" if any("\u0400" <= ch <= "\u04ff" for ch in phrase) else "latin"


def _fold_char(ch: str, script: str) -> str:
    # NFKC may make several letters of one ("™" is "TM", "Ⅲ" is "III"): each is mapped.
    chars = unicodedata.normalize("NFKC", ch).lower()
    if script == "latin":
        return "".join(LEET_LATIN.get(c, c) for c in (CYRILLIC_TO_LATIN.get(c, c) for c in chars))
    return "".join(LATIN_TO_CYRILLIC.get(c, c) for c in chars).replace("ё", "е").replace("і", "и")


def fold(text: str, script: str) -> Folded:
    """Letters only, look-alikes and leetspeak mapped to ``script``; separators dropped."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch, script)
        for out in folded:
            if out.isalpha():
                chars.append(out)
                origin.append(index)
    return Folded("".join(chars), origin)


def fold_phrase(phrase: str) -> str:
    return fold(phrase, script_of(phrase)).text


def at_word_edges(text: str, start: int, end: int) -> bool:
    """True when the original span neither starts nor ends inside a longer word."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and not after.isalpha()
