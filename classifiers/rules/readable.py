"""A readable view of obfuscated text, for the model to score beside the original.

:func:`~classifiers.rules.fold.fold` makes text canonical for the lexicon: letters only, no spaces, one
script, which no encoder can read. This undoes the same tricks while keeping words and spaces, so the
model reads "k1ll the m!grants" as "kill the migrants" and "к и л л" as "килл":

- zero-width characters and soft hyphens between letters are dropped;
- a word mixing Latin and Cyrillic letters has its look-alikes mapped to the script it is written in
  (the one whose look-alikes cover every letter of the other, else the majority's);
- leetspeak inside a word ("h4te", "j3ws", "м0скали": a digit or symbol with letters on both sides)
  becomes letters of the word's script, and then so do the word's leading and trailing ones ("p4r451t3");
  an exclamation mark after a word, an @mention, a number with a unit or ordinal suffix ("4th", "20km",
  "G20") or a code such as "14/88" stays as it is;
- three or more single letters separated by spaces or punctuation ("k i l l", "s.i.e.g") are joined;
- with a :class:`~classifiers.rules.respell.Speller`, key terms misspelt by a swapped or dropped letter
  ("vermni") or run together with their neighbours ("areverminand") are restored.

:func:`readable_view` returns ``None`` when none of that changed anything, so clean text is scored once
and its figures cannot move. Each character of the view remembers where it came from, so evidence found
in the view is reported as a span of the original.
"""

from __future__ import annotations

import re

from classifiers.rules.fold import CYRILLIC_TO_LATIN, LATIN_TO_CYRILLIC, LEET_LATIN, Folded
from classifiers.rules.respell import LINK_EMAIL_MENTION, Speller

INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
LEET_CYRILLIC = {"0": "о", "3": "з", "4": "ч", "6": "б", "@": "а", "1": "и", "$": "с"}  # Cyrillic letters only
# A "1" in a Cyrillic word reads as Russian "и" ("м1гранты"), the language the lexicon's Cyrillic words are
# written in: as Ukrainian "і" the view matched none of them. (A "1" is also the palochka of Chechen and Ingush
# words, "г1алгай": read as "и" or as "і" alike, no figure of the real test rows moves.) A Latin "i" stays "і":
# Ukrainian and Belarusian writers type their "і" so ("Аркадiй"), and read as "и" it moved the model on real
# texts (Russian binary F1 at FPR <= 5% 0.622 -> 0.616).
# A word: letters, digits and the symbols leetspeak uses (markup splits words); links, e-mail addresses,
# @mentions and #hashtags are names, kept as written.
_WORD = re.compile(rf"(?P<name>{LINK_EMAIL_MENTION}|(?<![\w@#])#\w+)|[\w@$!|]+")
_UNIT_OR_ORDINAL = re.compile(r"^[a-z]{0,2}\d+([.,]\d+)?(st|nd|rd|th|s|x|k|m|g|b|kg|km|cm|mm|px|am|pm|d|h|gb|mb|"
                              r"й|я|е|го|х|км|кг|м|г|тыс|млн)?$", re.IGNORECASE)
_SPACED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ .\-_*·]){2,}[^\W\d_](?![^\W\d_])")


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    return "cyrillic" if "\u0400" <= ch <= "\u04ff" else "latin"


def _swap_case(mapped: str, original: str) -> str:
    return mapped.upper() if original.isupper() else mapped


def _fix_word(word: str) -> str:
    """The word with look-alikes and leetspeak undone (the same length: one character for one)."""
    scripts = [s for s in map(_script, word) if s]
    if len(scripts) < 2:
        return word
    target = _target_script(word, scripts)
    to_script = CYRILLIC_TO_LATIN if target == "latin" else LATIN_TO_CYRILLIC
    leet = LEET_LATIN if target == "latin" else LEET_CYRILLIC
    inside = {i for i in range(len(word)) if word[i].lower() in leet and _between_letters(word, i)}
    if inside and _UNIT_OR_ORDINAL.match(word.strip(".,;:!?()\"'«»")):
        inside = set()
    if inside:  # a word written in leetspeak: its leading and trailing leet characters are letters too
        core = word.rstrip(".,;:?()\"'«»")
        edges = {i for i in range(len(core)) if core[i].lower() in leet and _next_to_letters(core, i)}
        inside |= edges
    out = []
    for index, ch in enumerate(word):
        low = ch.lower()
        script = _script(ch)
        if script and script != target and low in to_script and len(to_script[low]) == 1:
            out.append(_swap_case(to_script[low], ch))
        elif index in inside:
            out.append(leet[low])
        else:
            out.append(ch)
    return "".join(out)


def _target_script(word: str, scripts: list[str]) -> str:
    """The script a mixed word is written in: the one every letter of the other script has a look-alike
    in ("раrаsіtе" is Latin although most of its letters are Cyrillic: r and s have none), else the
    majority's."""
    into = {"latin": all(ch.lower() in CYRILLIC_TO_LATIN for ch in word if _script(ch) == "cyrillic"),
            "cyrillic": all(ch.lower() in LATIN_TO_CYRILLIC for ch in word if _script(ch) == "latin")}
    if into["latin"] != into["cyrillic"]:
        return "latin" if into["latin"] else "cyrillic"
    return max(("latin", "cyrillic"), key=scripts.count)


def _letter_towards(word: str, index: int, step: int) -> bool:
    """A letter on that side of ``word[index]``, reached through leet characters only."""
    j = index + step
    while 0 <= j < len(word):
        ch = word[j].lower()
        if ch.isalpha():
            return True
        if ch not in LEET_LATIN and ch not in LEET_CYRILLIC:
            return False
        j += step
    return False


def _between_letters(word: str, index: int) -> bool:
    """Inside a word: letters on both sides ("k1ll", "h4te", "v3rm1n"), not "them!" or "@user"."""
    return _letter_towards(word, index, -1) and _letter_towards(word, index, 1)


def _next_to_letters(word: str, index: int) -> bool:
    return _letter_towards(word, index, -1) or _letter_towards(word, index, 1)


def readable_view(text: str, speller: Speller | None = None) -> Folded | None:
    """The text with obfuscation undone, each character's origin kept; ``None`` when nothing changed.

    With a ``speller``, misspelt and run-together key terms are restored last (:mod:`.respell`)."""
    views = readable_views(text, speller)
    return views[-1] if views else None


def readable_views(text: str, speller: Speller | None = None) -> list[Folded]:
    """The views of ``text`` a model should also score: the readable view (when obfuscation was undone)
    and, with a ``speller``, that view respelt (when a key term was restored); empty for clean text."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        # Invisible characters split words only between letters (a joiner inside an emoji stays).
        if ch in INVISIBLE and 0 < index < len(text) - 1 and text[index - 1].isalpha() and text[index + 1].isalpha():
            continue
        chars.append(ch)
        origin.append(index)
    cleaned = "".join(chars)
    changed = len(cleaned) != len(text)
    fixed = _WORD.sub(lambda m: m.group() if m.group("name") else _fix_word(m.group()), cleaned)
    changed |= fixed != cleaned
    joined_chars: list[str] = []
    joined_origin: list[int] = []
    last = 0
    for match in _SPACED.finditer(fixed):
        joined_chars.append(fixed[last:match.start()])
        joined_origin.extend(origin[last:match.start()])
        for offset in range(match.start(), match.end(), 2):
            joined_chars.append(fixed[offset])
            joined_origin.append(origin[offset])
        last = match.end()
        changed = True
    joined_chars.append(fixed[last:])
    joined_origin.extend(origin[last:])
    view = Folded("".join(joined_chars), joined_origin)
    respelt = speller.respell(view) if speller is not None else None
    return [v for v in (view if changed else None, respelt) if v is not None]


def original_span(view: Folded, start: int, end: int) -> tuple[int, int]:
    """The span of the original text that ``view.text[start:end]`` came from."""
    if not view.origin or end <= start:
        return (0, 0)
    start = min(max(start, 0), len(view.origin) - 1)
    end = min(max(end, start + 1), len(view.origin))
    return (view.origin[start], view.origin[end - 1] + 1)
