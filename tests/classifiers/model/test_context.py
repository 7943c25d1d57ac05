import pytest

from classifiers.evaluation.functional import CHATTER_FRAMES
from classifiers.model.context import context_windows
from classifiers.model.windows import sentence_windows

TEXT = ("Police opened an inquiry on Monday. A post read: they should all be driven out. "
        "Officials condemned the post and called it hateful.")


def test_without_context_the_windows_are_the_sentence_windows():
    plain = sentence_windows([TEXT], 40)
    framed = context_windows([TEXT], 40, 0)
    assert [c.window for c in framed] == plain
    assert [c.text for c in framed] == [w.text for w in plain]


def test_each_window_reads_its_neighbours_but_keeps_its_own_span_as_evidence():
    framed = context_windows([TEXT], 40, 60)
    middle = next(c for c in framed if "post read" in c.window.text)
    assert "Police" in middle.text or "inquiry" in middle.text
    assert "condemned" in middle.text
    assert middle.window.text in middle.text
    assert TEXT[middle.window.start:middle.window.end] == middle.window.text
    # context is cut on word boundaries and never exceeds the budget on either side
    left = middle.text.index(middle.window.text)
    assert left <= 60 and len(middle.text) - left - len(middle.window.text) <= 60
    assert middle.text == middle.text.strip()


def test_windows_of_several_texts_keep_their_owner():
    framed = context_windows(["One. Two.", "", TEXT], 40, 30)
    assert {c.window.owner for c in framed} == {0, 1, 2}
    assert all(c.window.owner != 0 or "Police" not in c.text for c in framed)


CHATTER = {language: frames[0] for language, frames in CHATTER_FRAMES.items()}  # a market, then the weather


@pytest.mark.slow  # 344 texts through the shipped model
@pytest.mark.parametrize("language", [
    pytest.param("en", marks=pytest.mark.xfail(strict=True, reason=(
        "issue 11: the English route (0.5.0's recipe) learned surrounding text as a cue against hate: inside chatter "
        "its recall on these sentences is 0.02 of 0.41 alone; trained with rows in chatter it kept 0.44 of 0.49, but "
        "lost real-text macro-F1 (0.770 -> 0.748; 0.771 -> 0.767 recalibrated with 0.6.1's threshold rule) and the "
        "retrain gate refused it"))),
    "ru",  # 0.6.0's Russian route, trained with rows in chatter: 0.49 inside chatter, 0.55 alone (0.5.0: 0.22, 0.49)
])
def test_neutral_chatter_around_a_hateful_sentence_keeps_most_of_the_models_recall(default_labeller, language):
    from classifiers.evaluation.functional import functional_cases

    cases = [c for c in functional_cases() if c.language == language and c.expected
             and (c.functionality in ("derogation", "profanity_hate", "anti_migrant_incitement") or "slur" in c.functionality)]
    model = default_labeller.model
    before, after = CHATTER[language]

    def recall(texts: list[str]) -> float:
        p = model.predict(texts, [language] * len(texts))
        hits = [any(p.probabilities[i, p.categories.index(c)] >= p.thresholds[i, p.categories.index(c)]
                    for c in case.expected if c in p.categories) for i, case in enumerate(cases)]
        return sum(hits) / len(cases)

    alone = recall([c.text for c in cases])
    assert alone > 0.3  # the model finds these sentences on their own
    assert recall([before + c.text + after for c in cases]) >= 0.8 * alone
