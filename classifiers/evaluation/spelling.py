"""Spelling variants of hate: one functionality per way of disguising the key word.

Each base template marks its key word in brackets (``[vermin]``); a variant rewrites only that
word: leetspeak digits, spaces added between its letters, the spaces around it removed, two
adjacent letters swapped, one letter dropped, or letters replaced by look-alikes from the other
alphabet (Cyrillic in English, Latin in Russian). The transformations are pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable

BASES: dict[str, list[str]] = {
    "en": ["{G} are [vermin] and should be treated like it.",
           "Every one of the {g} is a [parasite] on our backs.",
           "I can't stand {g}, they are total [scum] honestly.",
           "{G} are wild [animals] that belong in cages.",
           "Drive the {g} out, they are the [filth] of society.",
           "{G} are simply [subhuman] and soulless.",
           "Nobody wants {g} here, such [disgusting] people.",
           "{G} are like [cockroaches] spreading all over the city."],
    "ru": ["{Nom} — настоящие [паразиты] и жить с ними нельзя.",
           "Все эти {nom} — просто [нахлебники] на нашей шее.",
           "Терпеть не могу {gen}, они конченые [мрази].",
           "{Nom} — дикие [животные] и место им в клетке.",
           "Гоните {gen} прочь, это [отбросы] общества.",
           "{Nom} — просто [недочеловеки] без души.",
           "Никто не хочет видеть здесь {gen}, это [мерзкие] людишки.",
           "{Nom} — как [тараканы] расползлись по всему городу."],
}

_LEET = {"en": str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}),
         "ru": str.maketrans({"а": "@", "о": "0", "з": "3", "ч": "4", "б": "6"})}
_LOOKALIKE = {"en": str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}),
              "ru": str.maketrans({"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "к": "k"})}
_VOWELS = set("aeiouаеёиоуыэюя")
_MARK = re.compile(r"\[([^\]]+)\]")


def leet(word: str, language: str) -> str:
    return word.translate(_LEET[language])


def spaced(word: str, language: str) -> str:
    return " ".join(word)


def swapped(word: str, language: str) -> str:
    """Swap the two letters in the middle of the word."""
    m = len(word) // 2
    return word[:m - 1] + word[m] + word[m - 1] + word[m + 1:] if len(word) >= 4 else word


def dropped(word: str, language: str) -> str:
    """Drop the last inner vowel (the middle letter if there is none)."""
    inner = [i for i in range(1, len(word) - 1) if word[i].lower() in _VOWELS]
    i = inner[-1] if inner else len(word) // 2
    return word[:i] + word[i + 1:]


def lookalike(word: str, language: str) -> str:
    return word.translate(_LOOKALIKE[language])


WORD_VARIANTS: dict[str, Callable[[str, str], str]] = {
    "spell_leet": leet, "spell_space_added": spaced, "spell_swapped_letters": swapped,
    "spell_dropped_letter": dropped, "spell_lookalike": lookalike,
}
VARIANTS: tuple[str, ...] = ("spell_leet", "spell_space_added", "spell_space_removed", "spell_swapped_letters",
                             "spell_dropped_letter", "spell_lookalike")


def apply_variant(template: str, variant: str, language: str) -> str:
    """The template with its marked word rewritten by ``variant`` (markers removed)."""
    if variant == "spell_space_removed":  # the word glued to its neighbours
        return _MARK.sub(lambda m: m.group(1), re.sub(r" ?\[([^\]]+)\] ?", r"[\1]", template))
    return _MARK.sub(lambda m: WORD_VARIANTS[variant](m.group(1), language), template)


def plain(template: str) -> str:
    return _MARK.sub(lambda m: m.group(1), template)
