"""Respelling: misspelt and run-together key words restored in the model's readable view.

:mod:`~classifiers.rules.readable` undoes tricks that keep every letter (leetspeak, look-alikes, spaced
letters). Two common ones lose or move letters, and an encoder reads the result as an unknown word:

- two adjacent letters swapped or one letter dropped ("vermni", "parasies", "тараканы" as "таракны");
- the spaces around a word removed ("they areverminand should", "IhateMuslims").

A :class:`Speller` restores *key terms* only: the words hate turns on (dehumanising nouns, hostile verbs,
the lexicon's slurs) and the names of the groups it targets. A word is respelt when it is not a known word
and is exactly one swap or one dropped letter away from one key term and no other; a run-together token
is split when it divides into known words and key terms, at least one a key term. Real words are never
touched: ``known`` holds the English vocabulary of the packaged MiniLM tokenizer and a list of Russian
function words; where no vocabulary is available (Cyrillic words), a key term must be at least
:data:`MIN_UNGUARDED` letters long before its misspellings are recognised.

Every function here is pure; :meth:`Speller.respell` keeps each character's origin like the rest of the
readable view, so evidence found in it is reported as a span of the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from classifiers.rules.fold import Folded, script_of

MIN_GUARDED = 4  # shortest key term whose misspellings are recognised where a vocabulary guards real words
MIN_UNGUARDED = 6  # the same without one (Cyrillic: no vocabulary ships with the package)
MIN_GLUED = 6  # shortest run-together token considered for splitting
MIN_GLUED_TERM = 5  # shortest key term a run-together Latin token is split around (4 in a hashtag)
MIN_CYRILLIC_GLUED_TERM = 5  # shortest key term a run-together Cyrillic token is split around
MIN_CYRILLIC_REST = 4  # an unknown Cyrillic piece beside it must be at least this long to pass for a word
MAX_GLUED = 40  # longer tokens are links, hashes or noise, not glued words
_LETTERS = re.compile(r"[^\W\d_]+")
# Names are kept as written, here and in the readable view: links, e-mail addresses and @mentions
# ("@RomainCaillet" is not "Roma in Caillet"). Hashtags are respelt: "#deportthemall" is a call.
LINK_EMAIL_MENTION = r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+|(?<![\w@#])@\w+"
_NAME = re.compile(LINK_EMAIL_MENTION)
# Short pieces a run-together English token may split into: anything shorter than three letters must be one
# of these, so that a word's ending ("hatemonger", "expeled") is not taken for a word.
SHORT_WORDS = frozenset("a i am an as at be by do go he if in is it me my no of on or so to up us we".split())
# Endings that make a longer word of a key term ("deporting", "killer", "hateful"): never a piece of their own.
AFFIXES = frozenset("ing ings ed er ers est ism isms ist ists ly ness ful less able ible ment ments ous ish".split())


def misspellings(term: str) -> set[str]:
    """``term`` with two adjacent letters swapped or one letter after the first dropped."""
    out = {term[:i] + term[i + 1] + term[i] + term[i + 2:] for i in range(len(term) - 1)}
    out |= {term[:i] + term[i + 1:] for i in range(1, len(term))}
    out.discard(term)
    return out


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


@dataclass(frozen=True)
class Speller:
    """Key terms to restore, and the known words never to change (all lower case)."""

    terms: frozenset[str]
    known: frozenset[str] = frozenset()
    _variants: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _inside: re.Pattern[str] | None = field(default=None, repr=False, compare=False)  # any key term in a token

    @classmethod
    def build(cls, terms: Iterable[str], known: Iterable[str] = ()) -> Speller:
        key = frozenset(t.lower() for t in terms if _LETTERS.fullmatch(t))
        words = frozenset(w.lower() for w in known) | key
        owners: dict[str, set[str]] = {}
        for term in key:
            guarded = script_of(term) == "latin" and bool(known)
            if len(term) < (MIN_GUARDED if guarded else MIN_UNGUARDED):
                continue
            for variant in misspellings(term):
                owners.setdefault(variant, set()).add(term)
        # A misspelling of two terms is ambiguous, and one that is itself a word is that word.
        variants = {v: next(iter(ts)) for v, ts in owners.items() if len(ts) == 1 and v not in words}
        glued = sorted((t for t in key if len(t) >= 4), key=len, reverse=True)
        inside = re.compile("|".join(map(re.escape, glued))) if glued else None
        return cls(key, words, variants, inside)

    def correct(self, word: str) -> str | None:
        """The key term ``word`` misspells, or None."""
        return self._variants.get(word.lower())

    def split(self, token: str, hashtag: bool = False) -> list[str] | None:
        """``token`` divided into known words and key terms (fewest pieces, one a key term), or None.

        Outside a hashtag, where words are run together on purpose, the key term must be at least
        :data:`MIN_GLUED_TERM` letters long ("congrats" is not "cong rats")."""
        low = token.lower()
        min_key = 4 if hashtag else MIN_GLUED_TERM
        if not (MIN_GLUED <= len(low) <= MAX_GLUED) or low in self.known:
            return None
        if self._inside is None or not self._inside.search(low):
            return None
        if script_of(low) == "cyrillic":
            return self._split_around(token)
        n = len(low)
        # best[i]: (pieces, key terms among them, cut points) for low[:i]
        best: list[tuple[int, int, list[int]] | None] = [None] * (n + 1)
        best[0] = (0, 0, [])
        for end in range(1, n + 1):
            for start in range(max(0, end - 24), end):
                if best[start] is None:
                    continue
                piece = low[start:end]
                if piece not in self.known or (len(piece) < 3 and piece not in SHORT_WORDS) or piece in AFFIXES:
                    continue
                pieces, keys, cuts = best[start]
                score = (pieces + 1, keys + (piece in self.terms and len(piece) >= min_key), cuts + [end])
                current = best[end]
                if current is None or (score[0], -score[1]) < (current[0], -current[1]):
                    best[end] = score
        found = best[n]
        if found is None or found[0] < 2 or found[1] == 0:
            return None
        cuts = [0, *found[2]]
        return [token[a:b] for a, b in zip(cuts, cuts[1:])]

    def _split_around(self, token: str) -> list[str] | None:
        """A Cyrillic token split around its longest key term. No Russian vocabulary ships, so each piece
        beside the term must be a known function word or long enough to pass for a word of its own."""
        low = token.lower()
        found = [t for t in self.terms if len(t) >= MIN_CYRILLIC_GLUED_TERM and t in low]
        if not found:
            return None
        term = max(found, key=len)
        start = low.index(term)
        end = start + len(term)
        rest = [piece for piece in (low[:start], low[end:]) if piece]
        if not rest or not all(piece in self.known or len(piece) >= MIN_CYRILLIC_REST for piece in rest):
            return None
        return [piece for piece in (token[:start], token[start:end], token[end:]) if piece]

    def respell(self, view: Folded) -> Folded | None:
        """``view`` with misspelt and run-together key terms restored; None when nothing changed."""
        chars: list[str] = []
        origin: list[int] = []
        last = 0
        changed = False
        names = [m.span() for m in _NAME.finditer(view.text)]
        for match in _LETTERS.finditer(view.text):
            word = match.group()
            if word.lower() in self.known or any(a <= match.start() < b for a, b in names):
                continue
            fixed = self.correct(word)
            hashtag = match.start() > 0 and view.text[match.start() - 1] == "#"
            pieces = [_cased(fixed, word)] if fixed else self.split(word, hashtag)
            if not pieces:
                continue
            start, end = match.span()
            chars.append(view.text[last:start])
            origin.extend(view.origin[last:start])
            offset = start
            for k, piece in enumerate(pieces):
                if k:
                    chars.append(" ")
                    origin.append(view.origin[min(offset, end - 1)])
                for j, ch in enumerate(piece):
                    chars.append(ch)
                    origin.append(view.origin[min(offset + j, end - 1)])
                offset += len(piece) if not fixed else 0
            last = end
            changed = True
        if not changed:
            return None
        chars.append(view.text[last:])
        origin.extend(view.origin[last:])
        return Folded("".join(chars), origin)
