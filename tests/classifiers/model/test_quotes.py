"""Quoted words: which quotations a text cites, and how a flag that only they carry is damped."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.model.predict import Prediction
from classifiers.model.quotes import cited, cited_only, quotations, unquoted

CATEGORIES = ("incitement", "xenophobia")
THRESHOLD = 0.4


class PhraseModel:
    """Scores incitement by phrases: ``strong`` ones 0.9, ``weak`` ones 0.45; counts what it is asked to score."""

    version = "phrases"
    categories = CATEGORIES
    coverage = frozenset({"en", "ru"})

    def __init__(self, strong=("kill them all",), weak=("kill the tajiks", "бей таджиков")) -> None:
        self.strong, self.weak, self.calls = strong, weak, []

    def predict(self, texts, languages=None) -> Prediction:
        self.calls.append(list(texts))
        probs = np.zeros((len(texts), len(CATEGORIES)))
        for i, text in enumerate(texts):
            low = text.lower()
            probs[i, 0] = 0.9 if any(p in low for p in self.strong) else 0.45 if any(p in low for p in self.weak) else 0.1
        return Prediction(CATEGORIES, probs, np.full(probs.shape, THRESHOLD), [[(0, len(t))] * 2 for t in texts])


def _cited(model: PhraseModel, texts: list[str], factor: float = 0.5, skip=None) -> tuple[list[bool], int]:
    pred, damped = cited_only(model, model.predict(texts, ["en"] * len(texts)), texts, ["en"] * len(texts), factor, skip)
    return [bool(f) for f in (pred.probabilities >= pred.thresholds).any(axis=1)], damped


@pytest.mark.parametrize(("text", "quoted"), [
    ('Posting "kill the Tajiks" is not free speech, it is a threat, and it will be removed.', "kill the Tajiks"),
    ("Someone wrote 'go home, dirty Tajiks' on the wall of our school last night.", "go home, dirty Tajiks"),
    ("Он крикнул «таджики, вон отсюда!» и ушёл, а мы все молчали.", "таджики, вон отсюда!"),
    ("Auf dem Plakat stand „Ausländer raus aus Sachsen“, und niemand hat es entfernt.", "Ausländer raus aus Sachsen"),
    ("He said “go back home now” twice, and then the bus driver asked him to get off.", "go back home now"),
])
def test_a_quotation_inside_a_frame_is_found_and_replaced(text: str, quoted: str) -> None:
    spans = quotations(text)
    assert [text[a:b] for a, b in spans] == [quoted]
    assert unquoted(text, spans) == text.replace(quoted, "…")


@pytest.mark.parametrize("text", [
    "so-called 'white privilege' again, and nobody in the media will say it",  # a scare quote: two words
    "I don't think the boys' team won anything this year, and they know it",  # apostrophes
    '"the left wants you to know that this is the last stand of our people" via',  # a post sharing a quotation
    'gop can ""turn off the federal spigot for refugees"" it is up to us to make them',  # CSV-escaped marks
    'у Русского в крови \\"защита Родины\\", на этом и живут военкоматы, а мозга нет',  # escaped marks
])
def test_scare_quotes_shared_quotations_and_unpaired_marks_are_not_citations(text: str) -> None:
    assert quotations(text) == []


def test_a_flag_only_the_quotation_carries_is_damped_and_one_the_frame_carries_stands() -> None:
    model = PhraseModel()
    texts = ['Posting "kill the Tajiks" is not free speech, it is a threat, and it will be removed.',
             'Posting "kill the Tajiks" is right, and kill the Tajiks is what we will do next week.',
             'As our leader said, "kill them all" and not one of them is to be spared by us.',
             "Kill the Tajiks, all of them, tonight, and do not stop until the streets are ours."]
    flagged, damped = _cited(model, texts)
    # Cited; the frame says it too; quoted hate the model reads as strong (0.9 -> 0.45) stays; no quotation.
    assert flagged == [False, True, True, True] and damped == 1
    assert model.calls[1] == [t.replace(q, "…", 1) for t, q in zip(texts[:3], ["kill the Tajiks"] * 2 + ["kill them all"])]


def test_only_flagged_short_texts_with_a_citation_and_no_rule_flag_are_read_again() -> None:
    model = PhraseModel()
    quoted = 'Posting "kill the Tajiks" is not free speech, it is a threat, and it will be removed.'
    texts = ['Posting "good morning to you" is free speech, it is a greeting, and it will stay.',  # not flagged
             quoted, quoted + " " + "And more words here. " * 80]  # the last is over 1,500 characters
    flagged, damped = _cited(model, texts, skip=[False, True, False])  # the second is flagged by the rules
    assert flagged == [False, True, True] and damped == 0 and len(model.calls) == 1
    assert _cited(PhraseModel(), [quoted], factor=1.0) == ([True], 0)  # factor 1: off


def test_a_claim_the_text_attributes_and_rejects_is_read_again_without_it() -> None:
    from classifiers.rules.matcher import load_lexicon

    claims = load_lexicon().claims
    model = PhraseModel()
    texts = ["People in the comments keep saying kill the Tajiks. That is hate speech and it is wrong.",
             "People in the comments keep saying kill the Tajiks, and they are right about it.",
             'He said "kill the Tajiks" and then he wrote kill the Tajiks, which is a lie about us.']
    pred, damped = cited_only(model, model.predict(texts), texts, ["en"] * 3, 0.5, claims=claims)
    assert (pred.probabilities >= pred.thresholds).any(axis=1).tolist() == [False, True, False] and damped == 2
    assert model.calls[1] == ["People in the comments keep saying…. That is hate speech and it is wrong.",
                              "He said…is a lie about us."]  # the claim holds the quotation: one span
    assert cited(texts[2]) == quotations(texts[2])  # without the lexicon's claims: the quotation only


def test_a_derogation_the_text_denies_is_read_again_without_it() -> None:
    """Since lexicon v18 a denied derogation ("X are not vermin", "цыгане не воры") says no hate: the labeller reads
    the text again without it, and a flag only the denial carries falls to that reading (factor 0), however strong.
    What the text goes on to say is read as before."""
    from classifiers.rules.matcher import load_lexicon

    denials = load_lexicon().denials
    model = PhraseModel(strong=("vermin",), weak=("воры",))
    texts = ["Refugees are not vermin. They are people running from war.",
             "Цыгане не воры, хватит уже этих тупых стереотипов.",
             "Refugees are not vermin? Of course they are, every one of them is vermin."]
    pred, cleared = cited_only(model, model.predict(texts), texts, ["en", "ru", "en"], 0.0, spans_of=denials)
    assert (pred.probabilities >= pred.thresholds).any(axis=1).tolist() == [False, False, True] and cleared == 2
    assert model.calls[1][:2] == ["…. They are people running from war.", "…, хватит уже этих тупых стереотипов."]
    assert pred.probabilities[0, 0] == pytest.approx(0.1)  # the reading without it, not half of 0.9


@given(st.text(alphabet=st.sampled_from(list("ab '\"«»“”„‘’\\\n")), max_size=80))
def test_finding_quotations_never_fails_and_spans_lie_inside_the_text(text: str) -> None:
    spans = quotations(text)
    assert all(0 < a < b <= len(text) for a, b in spans)
    assert unquoted(text, spans).count("…") >= len(spans)


def test_the_labeller_leaves_an_obfuscated_texts_flag_to_its_readable_view() -> None:
    """The flag of 'k1ll the tajiks' comes from the readable view (leetspeak undone); the re-read without the
    quotation is of the original, which the model cannot read, so the labeller does not check such a text."""
    from classifiers.labeller import Labeller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    labeller = Labeller(model=PhraseModel(), lexicon=load_lexicon(), bank=None, taxonomy=load_taxonomy(),
                        group_swaps=0)
    obfuscated = 'They wrote "welcome to our town" on the sign, but k1ll the tajiks is what they mean.'
    plain = 'They wrote "kill the tajiks now" on the sign, and the whole street condemned them for it.'
    decisions = labeller.label_texts([obfuscated, plain], ["en", "en"])
    assert "incitement" in decisions[0].labels and decisions[1].labels == []


def test_the_labeller_clears_a_flag_only_a_denied_derogation_carries() -> None:
    """Wired in the labeller: "Refugees are not vermin" flagged by the model alone is not labelled, the same text
    with the quotations setting off is, and what follows the denial is still read."""
    from classifiers.labeller import Labeller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    def labeller(quotes: bool) -> Labeller:
        return Labeller(model=PhraseModel(strong=("vermin",)), lexicon=load_lexicon(), bank=None,
                        taxonomy=load_taxonomy(), group_swaps=0, quotes=quotes)

    texts = ["Refugees are not vermin. They are people running from war.",
             "Refugees are not vermin? Of course they are, all vermin."]
    assert [d.labels for d in labeller(True).label_texts(texts, ["en", "en"])] == [[], ["incitement"]]
    assert labeller(False).label_texts(texts[:1], ["en"])[0].labels == ["incitement"]


def test_the_claims_are_read_in_each_text_s_language() -> None:
    # a language file's claim words count in its texts only (lexicon v21): cited_only hands each text's language on
    seen: list[tuple[str, str | None]] = []

    def claims(text: str, language: str | None) -> list[tuple[int, int]]:
        seen.append((text, language))
        return []

    model = PhraseModel()
    texts = ["kill the Tajiks, they say", "kill the Tajiks, dicono"]  # both flagged by the model
    cited_only(model, model.predict(texts), texts, ["en", "it"], 0.5, claims=claims)
    assert seen == [(texts[0], "en"), (texts[1], "it")]
    assert cited("x", claims) == [] and seen[-1] == ("x", None)
