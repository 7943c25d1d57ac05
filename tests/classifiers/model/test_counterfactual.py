"""Counterfactual group swaps: which texts are checked, how a group is swapped, and what a flag needs to stand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.groups import GROUPS, RECOGNISED
from classifiers.model import counterfactual
from classifiers.model.counterfactual import group_blind, mentions, swaps
from classifiers.model.predict import Prediction

CATEGORIES = ("incitement", "xenophobia")
THRESHOLD = 0.5


class KeywordModel:
    """Flags xenophobia when a text holds one of ``hostile`` words (hate, whichever group it names) or one of
    ``biased`` group names (a model that learned a group as a signal); counts what it is asked to score."""

    version = "keyword"
    categories = CATEGORIES
    coverage = frozenset({"en", "ru"})

    def __init__(self, hostile: tuple[str, ...] = ("vermin", "паразиты"), biased: tuple[str, ...] = ()) -> None:
        self.hostile, self.biased, self.calls = hostile, biased, []

    def predict(self, texts: list[str], languages: list[str | None] | None = None) -> Prediction:
        self.calls.append(list(texts))
        probs = np.zeros((len(texts), len(CATEGORIES)))
        for i, text in enumerate(texts):
            low = text.lower()
            if any(w in low for w in self.hostile):
                probs[i] = (0.2, 0.9)
            elif any(w.lower() in low for w in self.biased):
                probs[i] = (0.1, 0.7)
            else:
                probs[i] = (0.05, 0.1)
        return Prediction(CATEGORIES, probs, np.full(probs.shape, THRESHOLD),
                          [[(0, len(t))] * len(CATEGORIES) for t in texts])


def _blind(model: KeywordModel, texts: list[str], languages: list[str], count: int = 6) -> tuple[Prediction, int]:
    return group_blind(model, model.predict(texts, languages), texts, languages, count)


def test_a_flag_that_only_one_group_gets_is_cleared_and_hate_keeps_its_flag():
    model = KeywordModel(biased=("Muslims",))
    texts = ["Our town would be poorer without the Muslims who live here.", "Muslims are vermin.",
             "The weather is mild today."]
    pred, cleared = _blind(model, texts, ["en"] * 3)
    flagged = (pred.probabilities >= pred.thresholds).any(axis=1)
    assert cleared == 1 and flagged.tolist() == [False, True, False]
    assert pred.probabilities[0, 1] == pytest.approx(0.1)  # the median of the swaps: what other groups get
    assert pred.probabilities[1, 1] == 0.9  # the hate is scored as it was


def test_a_flag_most_groups_share_stands():
    model = KeywordModel(biased=tuple(g.en for g in GROUPS[:12]))  # biased against most groups: not this check's
    pred, cleared = _blind(model, ["Our town would be poorer without the Muslims who live here."], ["en"])
    assert cleared == 0 and pred.probabilities[0, 1] == 0.7


def test_only_flagged_texts_that_name_a_group_cost_more_readings():
    model = KeywordModel()
    _blind(model, ["A calm day at the market.", "Vermin, all of them.", "Muslims opened a bakery."], ["en"] * 3)
    assert len(model.calls) == 1  # nothing flagged names a group: no swaps scored
    model = KeywordModel()
    _blind(model, ["Migrants are vermin."], ["en"], count=6)
    assert [len(c) for c in model.calls] == [1, 2]  # hate: the two swaps a flag needs are flagged, no more read
    model = KeywordModel(biased=("Muslims",))
    _blind(model, ["Muslims, everywhere.", "Migrants are vermin."], ["en"] * 2, count=6)
    assert [len(c) for c in model.calls] == [2, 4, 4]  # two each, then the rest of the one whose flag is in doubt
    model = KeywordModel()
    _, cleared = _blind(model, ["Migrants are vermin."], ["en"], count=0)
    assert len(model.calls) == 1 and cleared == 0


def test_english_swaps_keep_number_and_capitalisation_and_never_use_a_named_group():
    out = swaps("Migrants and a Muslim met. muslims too.", "en", 6)
    assert len(out) == 6 and len(set(out)) == 6
    for text in out:
        assert "Migrants" not in text and "Muslim" not in text.replace("muslims", "")
        first = text.split(" and ")[0]
        assert first[:1].isupper()  # a sentence's first word stays capitalised
        found = mentions(text, "en")
        assert [m.form for m in found] == [0, 1, 0]  # plural, singular, plural as written
    assert swaps("The weather is mild.", "en", 6) == []


def test_a_proper_name_is_not_lowered_and_a_common_noun_is_not_raised():
    out = swaps("We thank the Muslims.", "en", 18)
    assert "We thank the refugees." in out  # "Muslims" is capitalised as a name, not as a first word
    out = swaps("We thank the migrants.", "en", 18)
    assert "We thank the Jews." in out


def test_russian_swaps_keep_the_case_form():
    out = swaps("Наш город был бы беднее без таджиков, мы благодарны таджикам.", "ru", 6)
    assert len(out) == 6
    for text in out:
        found = mentions(text, "ru")
        assert [m.form for m in found] == [1, 2]  # genitive, dative
        assert {m.group for m in found} != {GROUPS.index(next(g for g in GROUPS if g.key == "tajiks"))}
    assert mentions("Выходцы из Средней Азии работают здесь.", "ru")[0].end == len("Выходцы из Средней Азии")


def test_russian_singular_forms_are_swapped_in_their_case_by_groups_that_have_one():
    text = "Мой сосед — таджик, я дружу с таджиком и часто думаю о таджике. Таджики здесь давно."
    out = swaps(text, "ru", 6)
    assert len(out) == 6 and all("таджик" not in t.lower() for t in out)
    for swapped in out:
        assert [m.form for m in mentions(swapped, "ru")] == [5, 8, 9, 0]  # nom, ins, prep singular; nom plural
    assert "Мой сосед — мусульманин, я дружу с мусульманином и часто думаю о мусульманине. Мусульмане здесь давно." \
        in out
    assert "Мой сосед — араб, я дружу с арабом и часто думаю об арабе. Арабы здесь давно." in swaps(text, "ru", 18)
    assert "О таджиках и об узбеках." in swaps("О мигрантах и об арабах.", "ru", 18)  # "об" before a vowel
    no_singular = {g.key for g in GROUPS if not g.ru_singular}
    assert no_singular == {"russians", "black_people"}  # their singular is an adjective ("русский язык")
    assert not any(any(g.ru[0][:5] in t for g in GROUPS if g.key in no_singular) for t in out)
    assert mentions("Русский язык и русский народ.", "ru") == []
    assert [m.form for m in mentions("Еврей, еврея, еврею, евреем, о еврее.", "ru")] == [5, 6, 7, 8, 9]


def test_every_russian_singular_form_is_its_groups_own_and_complete():
    seen: dict[str, str] = {}
    for group in GROUPS + RECOGNISED:
        assert len(group.ru_singular) in (0, 5), group.key
        for form in (*group.ru, *group.ru_singular):
            assert seen.setdefault(form, group.key) == group.key, form  # no form names two groups


def test_other_names_and_forms_are_swapped_as_their_group():
    out = swaps("An immigrant opened a shop; immigrants are welcome.", "en", 6)
    assert all("mmigrant" not in t for t in out)
    assert "A Muslim opened a shop; Muslims are welcome." in out and any(t.startswith("An Arab opened") for t in out)
    prepositional = swaps("Мы говорили о русских и о мигрантах; русских здесь много.", "ru", 6)
    assert [m.form for m in mentions(prepositional[0], "ru")] == [4, 4, 1]
    assert "мигрант" not in prepositional[0] and prepositional[0].endswith("здесь много.")


def test_a_recognised_group_is_replaced_in_its_case_but_never_put_in():
    """The peoples that no template names (RECOGNISED) are found and replaced by GROUPS; a text naming only
    GROUPS is swapped exactly as before they were added."""
    out = swaps("Обожаю наших соседей-азербайджанцев, тётя Севиль всегда угощает пахлавой.", "ru", 6)
    assert len(out) == 6 and all("азербайджан" not in t for t in out)
    assert "Обожаю наших соседей-таджиков, тётя Севиль всегда угощает пахлавой." in out  # genitive kept
    assert swaps("Мы говорили о дагестанцах.", "ru", 1)[0].startswith("Мы говорили о ")
    assert [m.form for m in mentions("Мы говорили о дагестанцах.", "ru")] == [4]
    recognised = {g.en for g in RECOGNISED} | {f for g in RECOGNISED for f in (*g.ru, *g.ru_singular)}
    for text, language in (("Koreans, Sikhs and Georgians came to the fair.", "en"),
                           ("Мигранты и татары пришли на праздник.", "ru")):
        assert all(not any(name in t for name in recognised) for t in swaps(text, language, 20))
    # what the swaps were before RECOGNISED existed
    assert swaps("Muslims and Jews came to the fair.", "en", 6) == [
        "Christians and Central Asians came to the fair.", "Central Asians and Kyrgyz people came to the fair.",
        "Kyrgyz people and people from the Caucasus came to the fair.",
        "people from the Caucasus and Chechens came to the fair.", "Chechens and Arabs came to the fair.",
        "Arabs and Christians came to the fair."]
    assert swaps("Мы встретили таджика и русских у мечети.", "ru", 6)[:2] == [
        "Мы встретили мусульманина и мигрантов у мечети.", "Мы встретили мигранта и выходцев из Средней Азии у мечети."]
    model = KeywordModel(biased=("азербайджанц",))  # a model that learned this people as a signal
    pred, cleared = _blind(model, ["Обожаю наших соседей-азербайджанцев."], ["ru"])
    assert cleared == 1 and not (pred.probabilities >= pred.thresholds).any()


def test_a_text_naming_most_groups_gets_as_many_distinct_swaps_as_groups_are_left():
    names = ", ".join(g.en for g in GROUPS[:15])
    out = swaps(f"{names} live here.", "en", 6)
    assert len(out) == len(set(out)) == 4  # the four groups it does not name


def test_a_group_name_inside_another_word_is_not_a_mention():
    assert mentions("Украины и христианство", "ru") == []
    assert mentions("Jewsharp and Muslimsque", "en") == []


def test_a_long_text_is_checked_on_its_evidence_only():
    model = KeywordModel(biased=("Muslims",))
    text = "A calm day. " * 400 + "Our town would be poorer without the Muslims who live here. " + "Rain later. " * 400
    start = text.index("Our town")
    pred = Prediction(CATEGORIES, np.array([[0.1, 0.7]]), np.full((1, 2), THRESHOLD),
                      [[(start, start + 60), (start, start + 60)]])
    pred, cleared = group_blind(model, pred, [text], ["en"])
    assert cleared == 1
    read = [t for call in model.calls for t in call]
    assert all(len(t) <= counterfactual.SUBJECT_CHARS + 30 for t in read)  # a longer name swapped in
    assert all("poorer without the" in t for t in read)
    assert [len(c) for c in model.calls] == [1, 2, 4]  # the part unswapped, then the swaps


def test_a_long_text_whose_checked_part_is_not_flagged_alone_keeps_its_flag():
    """The flag came from context the part leaves out: swapping names inside the part cannot judge it."""
    model = KeywordModel()
    text = "Muslims opened a bakery. " + "A calm day. " * 300
    pred = Prediction(CATEGORIES, np.array([[0.1, 0.7]]), np.full((1, 2), THRESHOLD), [[(0, 24), (0, 24)]])
    pred, cleared = group_blind(model, pred, [text], ["en"])
    assert cleared == 0 and pred.probabilities[0, 1] == 0.7
    assert [len(c) for c in model.calls] == [1] and model.calls[0][0].startswith("Muslims opened")


@given(st.text(alphabet=st.sampled_from(list("abc XMuslimsJewsмигрантов,.")), max_size=60))
def test_swapping_never_fails_and_keeps_the_text_around_the_names(text):
    for swapped in swaps(text, "en", 6) + swaps(text, "ru", 6):
        assert len(mentions(swapped, "en")) + len(mentions(swapped, "ru")) >= 1


def test_a_text_marked_to_skip_keeps_its_flag_unchecked():
    model = KeywordModel(biased=("Muslims",))
    text = ["Our town would be poorer without the Muslims who live here."]
    pred, cleared = group_blind(model, model.predict(text, ["en"]), text, ["en"], skip=[True])
    assert cleared == 0 and pred.probabilities[0, 1] == 0.7 and len(model.calls) == 1
