"""Whether a text names a target of group hate: a people, a faith, a race, a nationality or migrants.

The lexicon's group names (its ``derogation`` section), its ``targets`` words and its slurs are looked for as
words; a word ending in ``*`` is a stem that takes any ending ("узбек*": "узбекский"). Hate misspells and glues
the names it targets as often as it writes them ("Цгыане", "тадижки", "бейчурокспасайроссию", "blackpeopleare"),
and the model reads them all the same, so a name also counts:

- misspelt by two adjacent letters swapped or one dropped (as :mod:`classifiers.rules.respell` restores key
  terms), in Cyrillic: a whole word of four letters or more, or a stem of four or more at a token's start (a stem's
  last letter is never dropped: "негр*" would become "нег*", the start of "него"). An English name is respelt in
  the readable views, which :meth:`~classifiers.rules.matcher.Lexicon.names_target` reads too, and only where no
  English word is made ("black" without its "l" is "back"). Since lexicon v20 a Latin-script whole word of
  :data:`MIN_MISSPELT_LATIN` letters or more counts misspelt too ("Flüchtlnge", "gitnos"): German, French and
  Spanish names have no readable view that restores them;
- inside a run-together token of :data:`GLUED` letters or more, when it is a name or stem of
  :data:`MIN_INSIDE` letters or more.

Pure; built once per lexicon (:meth:`classifiers.rules.matcher.Lexicon.names_target`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from classifiers.rules.derogation import group_alternation
from classifiers.rules.fold import script_of
from classifiers.rules.respell import misspellings

MIN_MISSPELT = 4  # shortest name or stem whose misspellings count
# shortest Latin-script name whose misspellings count (lexicon v20: "Flüchtlnge", "gitnos"); a shorter one's are
# English words too ("black" without its "l" is "back")
MIN_MISSPELT_LATIN = 7
GLUED = 10  # shortest token read as words run together
MIN_INSIDE = 5  # shortest name or stem looked for inside such a token
_TOKEN = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Targets:
    exact: re.Pattern[str]
    misspelt_words: frozenset[str]
    misspelt_stems: frozenset[str]
    inside: tuple[str, ...]

    @classmethod
    def build(cls, names: Iterable[str]) -> Targets | None:
        names = [n.lower() for n in dict.fromkeys(names)]
        if not names:
            return None
        words = {n for n in names if not n.endswith("*") and _TOKEN.fullmatch(n) and script_of(n) == "cyrillic"}
        stems = {n[:-1] for n in names if n.endswith("*") and _TOKEN.fullmatch(n[:-1]) and script_of(n) == "cyrillic"}
        latin = {n for n in names if not n.endswith("*") and _TOKEN.fullmatch(n) and script_of(n) == "latin"
                 and len(n) >= MIN_MISSPELT_LATIN}
        misspelt_words = ({v for w in words if len(w) >= MIN_MISSPELT for v in misspellings(w)}
                          | {v for w in latin for v in misspellings(w)}) - words - latin
        # a stem's misspellings keep its last letter, and are four letters or more
        misspelt_stems = {v for s in stems if len(s) >= MIN_MISSPELT for v in misspellings(s)
                          if len(v) >= MIN_MISSPELT and (v[-1] == s[-1] or v == s[:-2] + s[-1] + s[-2])}
        inside = tuple(sorted({"".join(n.rstrip("*").split()) for n in names
                               if len("".join(n.rstrip("*").split())) >= MIN_INSIDE}))
        exact = re.compile(rf"(?<!\w){group_alternation(names)}(?!\w)", re.IGNORECASE)
        return cls(exact, frozenset(misspelt_words), frozenset(misspelt_stems - stems), inside)

    def named(self, text: str) -> bool:
        """Whether ``text`` names one of the targets, as written, misspelt or glued to its neighbours."""
        if self.exact.search(text):
            return True
        for token in _TOKEN.findall(text.lower()):
            if token in self.misspelt_words:
                return True
            if len(token) >= MIN_MISSPELT and any(token[:k] in self.misspelt_stems
                                                  for k in range(MIN_MISSPELT, len(token) + 1)):
                return True
            if len(token) >= GLUED and any(name in token for name in self.inside):
                return True
        return False
