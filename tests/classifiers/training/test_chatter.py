"""Rows framed in chatter: labels kept, hateful and neutral equally, whole, and worded unlike the tests."""

import random
from collections import Counter

from classifiers.evaluation.functional import functional_cases
from classifiers.training import contrast, synthetic
from classifiers.training.chatter import BUDGET, CHATTER, chatter_examples, fits, frame
from classifiers.training.data import Example
from tests.classifiers.training.test_contrast import _shingles

ROWS = [Example(f"they are all vermin and must go number {i}", "en", ("xenophobia",), "latent-hatred",
                split_key=f"k{i}", group="migrants") for i in range(40)]
ROWS += [Example(f"the library opens at nine on day {i}", "en", (), "mlma") for i in range(40)]
ROWS += [Example(f"их всех надо выгнать, номер {i}", "ru", ("incitement",), "ru-ethnohate", split_key=f"r{i}")
         for i in range(40)]
ROWS += [Example(f"обычный нейтральный текст номер {i}", "ru", (), "ru-ethnohate") for i in range(40)]
ROWS += [Example("x " * 400, "en", ("xenophobia",), "stormfront"),  # too long to frame whole
         Example("already framed", "en", ("xenophobia",), "contrast", kind="contrast")]


def test_half_hateful_half_neutral_with_labels_group_and_split_key_kept():
    rows = chatter_examples(ROWS, seed=3, per_language=40)
    assert Counter((r.language, bool(r.labels)) for r in rows) == {("en", True): 20, ("en", False): 20,
                                                                     ("ru", True): 20, ("ru", False): 20}
    by_key = {r.split_key: r for r in ROWS if r.split_key}
    for row in rows:
        assert row.kind == "chatter"
        if row.split_key in by_key:
            source = by_key[row.split_key]
            assert row.labels == source.labels and row.group == source.group and row.source == source.source
            assert source.text in row.text and row.text != source.text
    assert all("x x x" not in r.text and "already framed" not in r.text for r in rows)


def test_deterministic_for_a_seed_and_varied_across_seeds():
    assert chatter_examples(ROWS, 3, 40) == chatter_examples(ROWS, 3, 40)
    assert chatter_examples(ROWS, 3, 40) != chatter_examples(ROWS, 4, 40)


def test_a_frame_keeps_the_row_whole_inside_the_budget_and_adds_chatter():
    rng = random.Random(0)
    body = "They should all be sent back where they came from."
    for _ in range(200):
        text = frame(body, "en", rng)
        assert body in text and text != body
        assert len(text[:text.index(body) + len(body)]) <= BUDGET["en"]
    long_body = "w" * (BUDGET["ru"] - 40)
    assert fits(long_body, "ru") and not fits(long_body + "w", "ru")
    for _ in range(50):
        text = frame(long_body, "ru", rng)
        assert len(text[:text.index(long_body) + len(long_body) + 1]) <= BUDGET["ru"]
    assert frame("без точки", "ru", rng).count("без точки.") == 1


def test_chatter_shares_no_five_words_with_the_suite_and_its_chatter_or_the_training_templates():
    ours = set().union(*(_shingles(s) for lang in CHATTER for s in CHATTER[lang]))
    theirs = set().union(*(_shingles(c.text) for c in functional_cases()))
    for module in (synthetic, contrast):
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, dict) and set(value) >= {"en", "ru"}:
                theirs |= set().union(*(_shingles(t) for lang in ("en", "ru") for t in value[lang]
                                        if isinstance(t, str)))
    assert not ours & theirs
    assert all(len(CHATTER[lang]) >= 30 for lang in CHATTER)
