"""Counterfactual group swaps: a model's flag must not depend on which group a text names.

The statement's first rule is that extremism is never to be associated with a religion,
nationality or ethnic group. A model can learn the opposite from its data: it flags
"Our town would be poorer without the Muslims who live here" and not the same sentence
about Buddhists. Hate does not have that property: "X are vermin" reads as hate
whichever group X is.

So when the model flags a text that names one of the groups in :mod:`classifiers.groups`,
the text is scored again with each named group swapped for other groups (the same case
form in Russian). The flag stands when at least a third of the swapped texts are flagged
too (two of six); otherwise it depended on the group named, and each category's probability
falls to the median over the swaps, below its threshold. This is counterfactual token
fairness (Garg et al., 2019) applied at inference: it lowers scores, never raises them, and
leaves the rules alone (their derogation frames name groups on purpose). Its price is hate
the model recognises for one group only (a stereotype it learned about that group and no
other): such a text keeps only what the rules find in it.

A long text is checked on its evidence window (widened to :data:`SUBJECT_CHARS`) rather than
whole, so the cost stays that of a few short texts per flagged document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from classifiers.groups import GROUPS, RECOGNISED, Group
from classifiers.model.predict import ModelClassifier, Prediction

# A flagged text longer than this is checked on this much around its evidence.
SUBJECT_CHARS = 1_500
# The flag stands when at least this share of the swapped texts is flagged too (2 of 6: a flag that only one
# other group shares is taken to depend on the group).
KEEP_SHARE = 1 / 3


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    group: int  # index into NAMED
    form: int  # index into the group's forms for the language (see _forms)


# Every group a mention may name: GROUPS, which are also swapped in, then RECOGNISED, which are only replaced.
NAMED: tuple[Group, ...] = GROUPS + RECOGNISED

# Other names found as a group's mention (and replaced, like it, by another group's own name).
ALIASES = {"en": {"immigrants": ("migrants", 0), "immigrant": ("migrants", 1)}}


def _forms(group: Group, language: str) -> tuple[str | None, ...]:
    """English: plural and singular (single-word names only: "Muslims", "Muslim"); Russian: the four plural
    case forms and the prepositional, made from the dative ("мигрантам" -> "о мигрантах", "русским" ->
    "о русских"), then the singular's five ("таджик" ... "о таджике") where the group has a noun for one
    person. ``None`` where a group has no such form."""
    if language == "ru":
        first, sep, rest = group.ru[2].partition(" ")
        return (*group.ru, first[:-1] + "х" + sep + rest, *(group.ru_singular or (None,) * 5))
    singular = group.en[:-1] if " " not in group.en and group.en.endswith("s") else None
    return group.en, singular


@lru_cache(maxsize=4)
def _pattern(language: str) -> tuple[re.Pattern[str], dict[str, tuple[int, int]]]:
    by_form: dict[str, tuple[int, int]] = {}
    keys = {g.key: gi for gi, g in enumerate(NAMED)}
    for gi, group in enumerate(NAMED):
        for fi, form in enumerate(_forms(group, language)):
            if form:
                by_form.setdefault(form.lower(), (gi, fi))
    for alias, (key, fi) in ALIASES.get(language, {}).items():
        by_form.setdefault(alias, (keys[key], fi))
    alternatives = sorted(by_form, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, alternatives)) + r")(?!\w)", re.IGNORECASE), by_form


# Russian prepositions that take the prepositional case, which an adjectival group name shares with the
# genitive ("о русских", "при чернокожих").
_PREPOSITIONAL_AFTER = re.compile(r"(?<!\w)(?:о|об|обо|при)\s+$", re.IGNORECASE)
_ARTICLE = re.compile(r"(?<!\w)(an?)(\s+)$", re.IGNORECASE)
_ABOUT = re.compile(r"(?<!\w)(об?)(\s+)$", re.IGNORECASE)


def mentions(text: str, language: str) -> list[Mention]:
    """Where ``text`` names a group, in the forms :func:`swaps` can replace."""
    lang = "ru" if language == "ru" else "en"
    pattern, by_form = _pattern(lang)
    found = []
    for m in pattern.finditer(text):
        group, form = by_form[m.group(0).lower()]
        if lang == "ru" and form == 1 and _PREPOSITIONAL_AFTER.search(text, max(0, m.start() - 5), m.start()):
            form = 4
        found.append(Mention(m.start(), m.end(), group, form))
    return found


def _as_written(found: str, own: str, form: str) -> str:
    """``form`` capitalised where ``found`` is capitalised only by its place (a sentence's first word)."""
    return form[:1].upper() + form[1:] if found[:1].isupper() and own[:1].islower() else form


# The word before a group's name that agrees with the name's first sound, per language: the word's pattern (at
# the end of the text before the name), its forms before a vowel and before a consonant, and the vowels.
_AGREEING = {"en": (_ARTICLE, "an", "a", "aeiou"), "ru": (_ABOUT, "об", "о", "аоуиэы")}


def _agreeing(before: str, word: str, language: str) -> str:
    """``before`` with the word right before ``word`` that depends on its first sound made to agree with it:
    English "a"/"an" ("a Tajik", "an Arab"), Russian "о"/"об" ("о таджиках", "об арабах")."""
    pattern, vowel_form, consonant_form, vowels = _AGREEING[language]
    m = pattern.search(before)
    if not m:
        return before
    form = vowel_form if word[:1].lower() in vowels else consonant_form
    form = form.capitalize() if m.group(1)[:1].isupper() else form
    return before[:m.start()] + form + m.group(2)


def swaps(text: str, language: str, count: int) -> list[str]:
    """``text`` with every group it names replaced by another group, ``count`` times over different groups
    spread over :data:`GROUPS` (never one the text names; a singular only by a group that has one). A group of
    :data:`~classifiers.groups.RECOGNISED` is replaced like the others but never put in."""
    found = mentions(text, language)
    if not found or count <= 0:
        return []
    lang = "ru" if language == "ru" else "en"
    named = sorted({m.group for m in found})
    needed = {m.form for m in found}
    pool = [gi for gi, g in enumerate(GROUPS) if gi not in named and all(_forms(g, lang)[f] for f in needed)]
    if not pool:
        return []
    picks = pool if count >= len(pool) else [pool[round(k * len(pool) / count)] for k in range(count)]
    out = []
    for k in range(len(picks)):
        target = {g: picks[(k + j) % len(picks)] for j, g in enumerate(named)}
        pieces, last = [], 0
        for m in found:
            own, form = _forms(NAMED[m.group], lang)[m.form], _forms(NAMED[target[m.group]], lang)[m.form]
            written = _as_written(text[m.start:m.end], own or "", form or "")
            before = text[last:m.start]
            pieces += [_agreeing(before, written, lang), written]
            last = m.end
        out.append("".join(pieces) + text[last:])
    return out


def _subject(text: str, span: tuple[int, int]) -> str:
    """The text itself, or for a long one :data:`SUBJECT_CHARS` around its evidence span."""
    if len(text) <= SUBJECT_CHARS:
        return text
    start, end = span
    pad = max(0, (SUBJECT_CHARS - (end - start)) // 2)
    return text[max(0, start - pad):min(len(text), end + pad)][:SUBJECT_CHARS]


def _read(model: ModelClassifier, pred: Prediction, pairs: list[tuple[int, str]],
          languages: list[str | None]) -> list[tuple[np.ndarray, bool]]:
    """Each (text index, text to read): its probabilities, and whether it is flagged at that text's thresholds."""
    if not pairs:
        return []
    probs = model.predict([t for _, t in pairs], [languages[i] for i, _ in pairs]).probabilities
    return [(row, bool((row >= pred.thresholds[i]).any())) for row, (i, _) in zip(probs, pairs)]


def group_blind(model: ModelClassifier, pred: Prediction, texts: list[str], languages: list[str | None],
                count: int = 6, skip: Sequence[bool] | None = None) -> tuple[Prediction, int]:
    """``pred`` with each flag that depends on the group a text names lowered below its threshold (in place);
    also how many texts were cleared. ``count`` swaps per flagged text that names a group (0: no check);
    a text marked in ``skip`` (the labeller marks those its rules flag) keeps its flags unchecked.

    The swaps are read in two rounds with the same outcome as one: the first holds as many as a flag needs to
    stand, and only a text whose first swaps are not all flagged has the rest read, so hate, which keeps its
    flag whatever group it names, costs a third of the swaps. A long text checked on part of itself has that
    part read unswapped first: a part that is not flagged on its own (the flag came from context it leaves
    out) cannot judge the flag, which then stands unchecked."""
    flagged = np.nonzero((pred.probabilities >= pred.thresholds).any(axis=1))[0] if count > 0 else []
    jobs: dict[int, tuple[str | None, list[str]]] = {}  # text index: (the part read unswapped, or None; swaps)
    for i in map(int, flagged):
        if skip is not None and skip[i]:
            continue
        ratio = pred.probabilities[i] / np.maximum(pred.thresholds[i], 1e-9)
        subject = _subject(texts[i], pred.spans[i][int(np.argmax(ratio))] if pred.spans else (0, len(texts[i])))
        swapped = swaps(subject, languages[i] or "en", count)
        if swapped:
            jobs[i] = (subject if subject != texts[i] else None, swapped)
    needs = {i: max(1, math.ceil(KEEP_SHARE * len(swapped))) for i, (_, swapped) in jobs.items()}
    controls = [(i, part) for i, (part, _) in jobs.items() if part is not None]
    for (i, _), (_, flag) in zip(controls, _read(model, pred, controls, languages)):
        if not flag:
            del jobs[i]
    readings: dict[int, list[tuple[np.ndarray, bool]]] = {i: [] for i in jobs}
    first = [(i, t) for i, (_, swapped) in jobs.items() for t in swapped[:needs[i]]]
    for (i, _), reading in zip(first, _read(model, pred, first, languages)):
        readings[i].append(reading)
    rest = [(i, t) for i, (_, swapped) in jobs.items() if not all(f for _, f in readings[i])
            for t in swapped[needs[i]:]]
    for (i, _), reading in zip(rest, _read(model, pred, rest, languages)):
        readings[i].append(reading)
    cleared = 0
    for i, (_, swapped) in jobs.items():
        read = readings[i]
        if len(read) == len(swapped) and sum(f for _, f in read) < KEEP_SHARE * len(swapped):
            pred.probabilities[i] = np.minimum(pred.probabilities[i], np.median(np.stack([p for p, _ in read]), axis=0))
            cleared += 1
    return pred, cleared
