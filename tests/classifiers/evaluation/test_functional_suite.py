"""The functional suite's cases: bilingual, every group covered, held out from training templates.

No case text is printed: the suite holds synthetic slurs and hate.
"""

import re
from collections import Counter, defaultdict

import pytest

from classifiers.evaluation import spelling
from classifiers.evaluation.functional import (
    CHATTER_FRAMES,
    CHATTERED,
    IN_CHATTER,
    LANGUAGES,
    STATEMENT,
    functional_cases,
    identity_cases,
)
from classifiers.evaluation.templates_contrast import CONTRAST, IDENTITY
from classifiers.evaluation.templates_hateful import HATEFUL, SLUR_TEMPLATES, SLURS
from classifiers.groups import GROUPS
from classifiers.training import synthetic

REQUIRED_GROUPS = {"black_people", "muslims", "jews", "migrants", "tajiks", "uzbeks", "kyrgyz", "kazakhs",
                   "armenians", "roma", "central_asians", "caucasus_peoples"}
FUNCTIONALITIES = {"slur", "derogation", "profanity_hate", "negation", "counter_speech_quote",
                   "counter_speech_reference", "counter_speech_attributed", "attributed_endorsed", "news_attack_arrest", "identity_neutral", "identity_positive",
                   "recruitment_join", "recruitment_travel", "recruitment_pledge", "recruitment_contact",
                   *spelling.VARIANTS}


def test_the_required_groups_are_named_in_both_languages():
    keys = {g.key for g in GROUPS}
    assert REQUIRED_GROUPS <= keys
    assert all(g.en and all(g.ru) for g in GROUPS)


def test_every_group_has_neutral_and_positive_mentions_in_english_and_russian():
    seen = defaultdict(set)
    for case in identity_cases():
        seen[(case.functionality, case.language)].add(case.group)
    for name in IDENTITY:
        for lang in LANGUAGES:
            assert seen[(name, lang)] == {g.key for g in GROUPS}, (name, lang)


def test_every_functionality_is_bilingual_with_six_to_ten_templates():
    tables = {**{k: v[1] for k, v in HATEFUL.items()}, **{k: v[0] for k, v in CONTRAST.items()}, **IDENTITY,
              "slur": SLUR_TEMPLATES, **{v: spelling.BASES for v in spelling.VARIANTS}}
    assert FUNCTIONALITIES <= set(tables)
    for name, by_lang in tables.items():
        assert set(by_lang) == set(LANGUAGES), name
        for lang, templates in by_lang.items():
            assert 6 <= len(templates) <= 10, (name, lang, len(templates))
    cases = Counter((c.functionality, c.language) for c in functional_cases())
    for name in FUNCTIONALITIES:
        assert all(cases[(name, lang)] >= 6 for lang in LANGUAGES), name


def test_group_filled_functionalities_reach_every_group():
    groups = defaultdict(set)
    for case in functional_cases():
        groups[(case.functionality, case.language)].add(case.group)
    everyone = {g.key for g in GROUPS}
    for name in ("derogation", "profanity_hate", "negation", "counter_speech_quote", "counter_speech_reference",
                 "counter_speech_attributed", "attributed_endorsed",
                 "violence_call", *spelling.VARIANTS):
        for lang in LANGUAGES:
            assert groups[(name, lang)] >= everyone, (name, lang)
    assert {key for key, *_ in SLURS["en"]} >= {"jews", "black_people", "muslims", "roma"}
    assert {key for key, *_ in SLURS["ru"]} >= {"central_asians", "caucasus_peoples", "jews", "black_people",
                                                "migrants"}


def test_cases_are_filled_unique_and_labelled_consistently():
    cases = functional_cases()
    assert len({c.text for c in cases}) == len(cases)
    assert not [c for c in cases if re.search(r"[{}\[\]]", c.text)]
    must_not_flag = {*CONTRAST, *IDENTITY, STATEMENT}
    assert all((not c.expected) == (c.functionality in must_not_flag) for c in cases)
    assert sum(c.functionality == STATEMENT for c in cases) == 14


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    out = set()
    for chunk in re.split(r"\{\w+\}|\[|\]", text.lower()):
        words = re.findall(r"\w+", chunk)
        out |= {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    return out


def _training_templates() -> list[str]:
    tables = [synthetic.NEUTRAL, synthetic.NEWS, synthetic.INCITEMENT, synthetic.XENOPHOBIA, synthetic.RECRUITMENT]
    try:
        from classifiers.training import contrast
    except ImportError:  # the contrast negatives are optional
        contrast = None
    if contrast is not None:
        tables += [getattr(contrast, name) for name in ("QUOTE_FRAMES", "REBUTTALS", "NEWS", "MENTIONS")
                   if isinstance(getattr(contrast, name, None), dict)]
    from classifiers.training.chatter import CHATTER

    tables.append(CHATTER)
    return [t for table in tables for templates in table.values() for t in templates]


def test_templates_share_no_five_words_with_the_training_templates():
    ours = [t for _, by_lang, _ in HATEFUL.values() for ts in by_lang.values() for t in ts]
    ours += [t for by_lang, _ in CONTRAST.values() for ts in by_lang.values() for t in ts]
    ours += [t for by_lang in IDENTITY.values() for ts in by_lang.values() for t in ts]
    ours += [t for ts in SLUR_TEMPLATES.values() for t in ts] + [t for ts in spelling.BASES.values() for t in ts]
    ours += [part for frames in CHATTER_FRAMES.values() for pair in frames for part in pair]
    theirs = set().union(*(_shingles(t) for t in _training_templates()))
    shared = [i for i, t in enumerate(ours) if _shingles(t) & theirs]
    assert not shared, f"templates {shared} share a five-word run with a training template"


@pytest.mark.parametrize("variant, en, ru", [
    ("spell_leet", "v3rm1n", "п@р@3иты"),
    ("spell_space_added", "v e r m i n", "п а р а з и т ы"),
    ("spell_swapped_letters", "vemrin", "парзаиты"),
    ("spell_dropped_letter", "vermn", "паразты"),
    ("spell_lookalike", "v\u0435rm\u0456n", "п\u0061p\u0061зиты"),
])
def test_spelling_variants_rewrite_only_the_marked_word(variant, en, ru):
    assert spelling.apply_variant("they are [vermin] here", variant, "en") == f"they are {en} here"
    assert spelling.apply_variant("они [паразиты] тут", variant, "ru") == f"они {ru} тут"


def test_removed_spaces_glue_the_word_to_its_neighbours():
    assert spelling.apply_variant("they are [vermin] here", "spell_space_removed", "en") == "they areverminhere"
    assert spelling.plain("they are [vermin] here") == "they are vermin here"


def test_every_spelling_case_differs_from_its_plain_sentence():
    plain = {spelling.plain(t) for ts in spelling.BASES.values() for t in ts}
    for variant in spelling.VARIANTS:
        for lang, templates in spelling.BASES.items():
            assert all(spelling.apply_variant(t, variant, lang) not in plain for t in templates), (variant, lang)


def test_hate_in_chatter_wraps_the_suites_own_direct_hate_in_every_frame():
    cases = functional_cases()
    direct = {(c.text, c.language): c for c in cases if c.functionality in CHATTERED}
    framed = [c for c in cases if c.functionality == IN_CHATTER]
    for lang in LANGUAGES:
        ours = [c for c in framed if c.language == lang]
        assert len(ours) >= 40
        used = set()
        for case in ours:
            hits = [(i, d) for i, (before, after) in enumerate(CHATTER_FRAMES[lang])
                    if case.text.startswith(before) and case.text.endswith(after)
                    and (d := direct.get((case.text[len(before):len(case.text) - len(after)], lang)))]
            assert hits, "a framed case is a direct-hate case between a frame's two parts"
            i, source = hits[0]
            used.add(i)
            assert case.expected == source.expected and case.group == source.group and case.text != source.text
        assert used == set(range(len(CHATTER_FRAMES[lang])))
