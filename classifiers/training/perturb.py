"""Obfuscated copies of training rows, of the kinds propaganda uses to dodge filters.

The operations mirror what :mod:`classifiers.rules.fold` undoes (leetspeak, spaces or
dots inside words, words run together, Latin/Cyrillic look-alikes, zero-width
characters) plus two it cannot undo (swapped and dropped letters). Copies keep their
row's labels, source, group and split key: an obfuscated copy is the same text for the
split, so it never sits on the other side of it. Negatives are perturbed as often as
positives, so obfuscation itself carries no label.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from classifiers.training.data import Example, split_key_of

OPS = ("leet", "homoglyph", "spaced", "join", "zero_width", "swap", "drop")
FOLD_INVARIANT = ("leet", "homoglyph", "spaced", "join", "zero_width")  # fold() maps these back exactly

LEET = {"latin": {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "b": "8", "l": "|"},
        "cyrillic": {"а": "@", "о": "0", "з": "3", "ч": "4", "б": "6"}}
HOMOGLYPHS = {
    "latin": {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і", "s": "ѕ", "j": "ј",
              "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р", "C": "С", "T": "Т",
              "X": "Х"},
    "cyrillic": {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k", "А": "A", "В": "B",
                 "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X"},
}
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060")
SEPARATORS = (" ", " ", " ", ".", "-", "*")


def _script(word: str) -> str:
    return "cyrillic" if any("\u0400" <= ch <= "\u04ff" for ch in word) else "latin"


def _substitute(word: str, table: dict[str, str], rng: random.Random) -> str:
    """Replace about half the replaceable letters (at least one) with a look-alike from ``table``."""
    spots = [i for i, ch in enumerate(word) if ch in table or ch.lower() in table]
    if not spots:
        return word
    chosen = {i for i in spots if rng.random() < 0.5} or {rng.choice(spots)}
    return "".join(rng.choice(table.get(ch) or table[ch.lower()]) if i in chosen else ch for i, ch in enumerate(word))


def _edit(word: str, op: str, rng: random.Random) -> str:
    script = _script(word)
    if op == "leet":
        return _substitute(word, LEET[script], rng)
    if op == "homoglyph":
        return _substitute(word, HOMOGLYPHS[script], rng)
    if op == "spaced":
        return rng.choice(SEPARATORS).join(word)
    if op == "zero_width":
        at = rng.randint(1, len(word) - 1)
        return word[:at] + rng.choice(ZERO_WIDTH) + word[at:]
    inner = [i for i in range(1, len(word) - 1) if word[i].isalpha()]
    if op == "swap" and len(inner) >= 2:
        i = rng.choice(inner[:-1])
        return word[:i] + word[i + 1] + word[i] + word[i + 2:] if word[i + 1].isalpha() else word
    if op == "drop" and len(word) >= 4 and inner:
        i = rng.choice(inner)
        return word[:i] + word[i + 1:]
    return word


def perturb(text: str, rng: random.Random, strength: float = 0.3, ops: tuple[str, ...] = OPS) -> str:
    """An obfuscated copy: each word of three or more letters is edited with probability ``strength``
    (at least one word is) by one operation drawn from ``ops``."""
    tokens = re.split(r"(\s+)", text)
    words = [i for i in range(0, len(tokens), 2) if sum(ch.isalpha() for ch in tokens[i]) >= 3]
    if not words:
        return text
    chosen = [i for i in words if rng.random() < strength] or [rng.choice(words)]
    for i in chosen:
        op = rng.choice(ops)
        if op == "join":
            if i + 1 < len(tokens) and i + 2 < len(tokens):
                tokens[i + 1] = ""
            continue
        core = re.search(r"\w+", tokens[i])
        if core and len(core.group()) >= 3:
            tokens[i] = tokens[i][:core.start()] + _edit(core.group(), op, rng) + tokens[i][core.end():]
    return "".join(tokens)


def perturbed_examples(examples: list[Example], seed: int, fraction: float, strength: float = 0.3) -> list[Example]:
    """Obfuscated copies of a seeded ``fraction`` of ``examples`` (kind ``perturbed``; labels, source,
    group and split key kept). Rows already perturbed are not perturbed again."""
    rng = random.Random(seed)
    pool = [ex for ex in examples if ex.kind != "perturbed"]
    picked = sorted(rng.sample(range(len(pool)), round(len(pool) * fraction)))
    out = []
    for index in picked:
        source = pool[index]
        text = perturb(source.text, rng, strength)
        if text != source.text:
            out.append(replace(source, text=text, kind="perturbed", split_key=split_key_of(source)))
    return out
