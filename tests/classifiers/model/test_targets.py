"""A group category needs a group: the model's flag for one on a text that names no group is damped."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.model.predict import Prediction
from classifiers.model.targets import untargeted

CATEGORIES = ("incitement", "xenophobia", "racism")
THRESHOLD = 0.4


def _prediction(rows: list[list[float]]) -> Prediction:
    probs = np.array(rows, dtype=float)
    return Prediction(CATEGORIES, probs, np.full(probs.shape, THRESHOLD), [[(0, 1)] * 3 for _ in rows])


def test_only_a_group_categorys_flag_on_a_text_naming_no_group_is_damped() -> None:
    pred = _prediction([[0.9, 0.6, 0.3],   # names no group: xenophobia's flag damped, incitement's and the
                        [0.9, 0.6, 0.3]])  # unflagged racism left; names one: nothing changes
    out, damped = untargeted(pred, [False, True].__getitem__, {"xenophobia", "racism"}, 0.5)
    assert damped == 1
    assert out.probabilities.tolist() == [[0.9, 0.3, 0.3], [0.9, 0.6, 0.3]]
    assert pred.probabilities.tolist() == [[0.9, 0.6, 0.3], [0.9, 0.6, 0.3]]  # the input is left as it was


def test_only_a_text_with_a_group_flag_is_asked_whether_it_names_a_group() -> None:
    asked: list[int] = []

    def names_target(i: int) -> bool:
        asked.append(i)
        return False

    untargeted(_prediction([[0.9, 0.1, 0.1], [0.1, 0.1, 0.8]]), names_target, {"xenophobia", "racism"}, 0.5)
    assert asked == [1]


def test_a_skipped_text_and_a_factor_of_one_change_nothing() -> None:
    pred = _prediction([[0.1, 0.9, 0.9]])
    assert untargeted(pred, [False].__getitem__, {"xenophobia", "racism"}, 0.5, skip=[True]) == (pred, 0)
    assert untargeted(pred, [False].__getitem__, {"xenophobia", "racism"}, 1.0) == (pred, 0)
    out, damped = untargeted(pred, [False].__getitem__, {"xenophobia", "racism"}, 0.0)
    assert damped == 1 and out.probabilities.tolist() == [[0.1, 0.0, 0.0]]


@pytest.mark.parametrize(("text", "named"), [
    ("Чиновники — это воры в пиджаках.", False),
    ("Опять ключи дома забыл, пиздец какой-то.", False),
    ("Kill the process and restart the server.", False),
    ("Мигранты опять на рынке.", True),
    ("Понаехали тут.", True),  # the lexicon's targets words
    ("go back to your country", True),
    ("ching chong lol", True),
    ("Узбекский плов лучше всех.", True),  # a stem takes the adjective
    ("Blackpeople everywhere", True),  # a group's name with its space dropped
    # misspelt (Cyrillic: a swap or a dropped letter) or glued to its neighbours, as hate writes them
    ("Цгыане опять тут", True),
    ("тадижки хуже всех", True),
    ("Нгры в общаге", True),
    ("бейчурокспасайроссию", True),
    ("blackpeopleare everywhere", True),
    ("У него дома арбуз.", False),  # no dropped last letter ("негр*" is not "нег*"), no short stem
    ("I'm back home.", False),  # no English misspelling ("black" without its "l")
    # lexicon v20: German, French and Spanish, and a Latin-script name of seven letters or more misspelt
    ("Die Politiker in Berlin sind alle Schwachköpfe.", False),
    ("Les députés sont tous des guignols.", False),
    ("Los del Atleti sois unos llorones.", False),
    ("Flüchtlnge überall", True),
    ("los gitnos del barrio", True),
    ("les Maghrébins du quartier", True),
    ("a film noir classic", False),  # not "noir" alone, an English word too
])
def test_the_lexicon_tells_whether_a_text_names_a_group(text: str, named: bool) -> None:
    from classifiers.rules.matcher import load_lexicon

    assert load_lexicon().names_target(text) is named


def test_a_slur_the_rules_find_or_a_readable_view_names_a_group() -> None:
    from classifiers.labeller import default_speller
    from classifiers.rules.matcher import Lexicon, load_lexicon
    from classifiers.rules.readable import readable_views

    lexicon = load_lexicon()
    text = "M u s l i m s everywhere"
    assert not lexicon.names_target(text) and lexicon.names_target(text, readable_views(text, default_speller(lexicon)))
    slur = lexicon.match("those kikes again")
    assert slur and lexicon.names_target("zzz", found=slur)
    assert Lexicon({"version": 1, "entries": []}).names_target("anything")  # no groups: it cannot tell


def test_the_labeller_damps_a_group_flag_on_a_text_naming_no_group() -> None:
    """Wired in the labeller: a model that reads xenophobia into abuse of officials loses that flag; the same
    words about a named group keep it, and with the setting off (factor 1) nothing is damped."""
    from classifiers.labeller import Labeller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    class Model:
        version, categories, coverage = "m", ("xenophobia",), frozenset({"ru"})

        def predict(self, texts, languages=None) -> Prediction:
            probs = np.full((len(texts), 1), 0.6)
            return Prediction(self.categories, probs, np.full(probs.shape, THRESHOLD), [[(0, len(t))] for t in texts])

    def labeller(factor: float) -> Labeller:
        return Labeller(model=Model(), lexicon=load_lexicon(), bank=None, taxonomy=load_taxonomy(), group_swaps=0,
                        untargeted=factor)

    texts = ["Чиновники у нас в пиджаках ходят, воруют.", "Таджики у нас в пиджаках ходят, воруют.",
             "Ausländer raus aus unserer Stadt."]  # German: the lexicon lists no German group words, so no check
    assert [d.labels for d in labeller(0.5).label_texts(texts, ["ru", "ru", "de"])] == [[], ["xenophobia"],
                                                                                       ["xenophobia"]]
    assert [d.labels for d in labeller(1.0).label_texts(texts[:2], ["ru", "ru"])] == [["xenophobia"], ["xenophobia"]]
