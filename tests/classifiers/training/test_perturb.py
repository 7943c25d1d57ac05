"""Obfuscation perturbations: deterministic, label-preserving, and undone by fold() where fold promises it."""

import random
from difflib import SequenceMatcher

from classifiers.rules.fold import fold
from classifiers.training.data import Example, split_key_of
from classifiers.training.perturb import (
    FOLD_INVARIANT,
    OPS,
    perturb,
    perturbed_examples,
)

TEXTS = {"latin": "Brothers, the movement needs fighters. Message me and we will arrange your travel.",
         "cyrillic": "Братья, движению нужны бойцы. Пишите в личку, поможем с дорогой до границы."}


def test_deterministic_for_a_seed():
    for text in TEXTS.values():
        assert perturb(text, random.Random(4), 0.5) == perturb(text, random.Random(4), 0.5)
        assert len({perturb(text, random.Random(s), 0.5) for s in range(20)}) > 15


def test_fold_undoes_leet_lookalikes_spaces_and_zero_width():
    for script, text in TEXTS.items():
        for op in FOLD_INVARIANT:
            for seed in range(40):
                changed = perturb(text, random.Random(seed), 0.6, ops=(op,))
                assert fold(changed, script).text == fold(text, script).text, (op, seed)
        assert perturb(text, random.Random(0), 1.0, ops=("leet",)) != text


def test_every_op_changes_text_and_fold_brings_it_closer():
    for script, text in TEXTS.items():
        for op in OPS:
            assert any(perturb(text, random.Random(s), 0.6, ops=(op,)) != text for s in range(5)), op
        closer = 0
        for seed in range(100):
            changed = perturb(text, random.Random(seed), 0.5)
            raw = SequenceMatcher(None, changed, text).ratio()
            folded = SequenceMatcher(None, fold(changed, script).text, fold(text, script).text).ratio()
            closer += folded >= raw
        assert closer >= 90


def test_perturbed_examples_keep_labels_group_and_split_key():
    rows = [Example(f"Sentence number {i} about the border crossing", "en", ("xenophobia",) if i % 2 else (),
                    "mlma", group="migrants", split_key=f"k{i}" if i % 3 else None) for i in range(40)]
    out = perturbed_examples(rows, seed=9, fraction=0.5)
    assert 15 <= len(out) <= 20
    assert out == perturbed_examples(rows, seed=9, fraction=0.5)
    originals = {split_key_of(r): r for r in rows}
    for row in out:
        source = originals[row.split_key]
        assert row.kind == "perturbed" and row.text != source.text
        assert (row.labels, row.group, row.source, row.language) == (source.labels, "migrants", "mlma", "en")
    assert perturbed_examples(out, seed=1, fraction=1.0) == []
