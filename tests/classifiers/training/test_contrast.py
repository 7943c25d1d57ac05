"""Hard negatives: negative, bilingual, deterministic, and worded unlike the functional suite."""

import re
from collections import Counter

from classifiers.evaluation.functional import functional_cases
from classifiers.training import synthetic
from classifiers.training.contrast import (
    MENTIONS,
    NEWS,
    QUOTE_FRAMES,
    REBUTTALS,
    contrast_examples,
    excerpt,
)
from classifiers.training.data import Example

POSITIVES = [Example(f"placeholder hostile sentence number {i} ends", "en", ("xenophobia",), "synthetic",
                     split_key=f"k{i}", group="migrants") for i in range(30)]
POSITIVES += [Example(f"условное враждебное предложение номер {i} конец", "ru", ("incitement",), "synthetic",
                      split_key=f"r{i}") for i in range(30)]
NEGATIVES = [Example("The Muslims of the town opened a library.", "en", (), "mlma"),
             Example("Мы говорили с таджиками о работе.", "ru", (), "ru-ethnohate", split_key="ru-ethnohate:7")]


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """Runs of ``n`` words, never across a placeholder such as {g} or {q}."""
    out = set()
    for chunk in re.split(r"\{\w+\}", text.lower()):
        words = re.findall(r"\w+", chunk)
        out |= {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    return out


def test_all_negative_bilingual_and_sized():
    rows = contrast_examples(POSITIVES, seed=5, per_language=300, negatives=NEGATIVES)
    assert all(r.labels == () and r.kind == "contrast" for r in rows)
    per_lang = Counter(r.language for r in rows)
    assert set(per_lang) == {"en", "ru"} and all(250 <= n <= 300 for n in per_lang.values())
    assert len({r.text for r in rows}) == len(rows)


def test_deterministic_for_a_seed():
    first = contrast_examples(POSITIVES, seed=5, per_language=200, negatives=NEGATIVES)
    assert first == contrast_examples(list(reversed(POSITIVES)), seed=5, per_language=200, negatives=NEGATIVES)
    assert first != contrast_examples(POSITIVES, seed=6, per_language=200, negatives=NEGATIVES)


def test_quotes_keep_the_quoted_rows_split_key_not_its_label():
    rows = contrast_examples(POSITIVES, seed=1, per_language=200)
    quoted = [r for r in rows if "placeholder hostile" in r.text or "условное враждебное" in r.text]
    assert len(quoted) > 100
    for row in quoted:
        source = next(p for p in POSITIVES if p.text in row.text)
        assert row.split_key == source.split_key and row.labels == ()


def test_group_swaps_replace_the_name_and_keep_the_source_key():
    rows = contrast_examples([], seed=2, per_language=40, negatives=NEGATIVES)
    swapped = [r for r in rows if r.source in ("mlma", "ru-ethnohate")]
    assert {r.language for r in swapped} == {"en", "ru"}
    en = next(r for r in swapped if r.language == "en")
    assert "Muslims" not in en.text and en.text.endswith("of the town opened a library.")
    ru = next(r for r in swapped if r.language == "ru")
    assert "таджиками" not in ru.text and ru.split_key == "ru-ethnohate:7"


def test_many_frames_per_language():
    for lang in ("en", "ru"):
        assert len(set(QUOTE_FRAMES[lang])) >= 40
        assert len(set(QUOTE_FRAMES[lang] + REBUTTALS[lang] + NEWS[lang] + MENTIONS[lang])) >= 90


def test_frames_share_no_five_words_with_the_functional_suite_or_synthetic_templates():
    suite = {case.text for case in functional_cases()}
    held = sorted(suite) + [t for table in (synthetic.NEUTRAL, synthetic.NEWS) for ts in table.values() for t in ts]
    theirs = set().union(*(_shingles(t) for t in held))
    for table in (QUOTE_FRAMES, REBUTTALS, NEWS, MENTIONS):
        for frames in table.values():
            for frame in frames:
                assert not _shingles(frame) & theirs, frame
    rows = contrast_examples(POSITIVES, seed=3, per_language=300)
    assert not any(r.text in suite for r in rows)


def test_excerpt_keeps_whole_sentences():
    long = "First sentence here. " * 20
    assert excerpt(long, 62) == "First sentence here. First sentence here. First sentence here."
    assert excerpt("word " * 100, 50).endswith("…") and len(excerpt("word " * 100, 50)) <= 51
