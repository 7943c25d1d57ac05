"""The suite report's shape and figures, through fake labellers (no model)."""

from dataclasses import dataclass, field

from classifiers.evaluation.functional import (
    LANGUAGES,
    functional_cases,
    identity_cases,
)
from classifiers.evaluation.report import render_evaluation_card, render_terminal
from classifiers.evaluation.spelling import VARIANTS
from classifiers.evaluation.suite import SUMMARY_ROWS, run_suite
from classifiers.groups import BY_KEY, GROUPS


@dataclass
class Flags:
    labels: list[str] = field(default_factory=list)


class FlagsWords:
    """Flags a text as xenophobia when it contains any of ``words`` (case-insensitive)."""

    def __init__(self, *words: str) -> None:
        self.words = [w.lower() for w in words]

    def label_texts(self, texts, languages=None):
        return [Flags(["xenophobia"] if any(w in t.lower() for w in self.words) else []) for t in texts]


class FlagsEverything:
    def label_texts(self, texts, languages=None):
        return [Flags(["xenophobia", "recruitment"]) for _ in texts]


SUMMARY_KEYS = {"functional_accuracy", "slur_recall", "derogation_recall", "profanity_recall",
                *(f"{v}_recall" for v in VARIANTS), "negation_not_flagged", "counter_quote_not_flagged",
                "counter_reference_not_flagged", "counter_attributed_not_flagged", "attributed_endorsed_recall",
                "worst_group_fpr", "worst_group", "recruitment_recall",
                "chatter_recall", "statement_flagged"}


def test_report_shape_per_language():
    report = run_suite(FlagsWords())
    assert set(report["by_language"]) == set(LANGUAGES)
    assert list(report["summary"]) == [f"{key}/{lang}" for key, _ in SUMMARY_ROWS for lang in LANGUAGES] + \
        ["statement_paragraphs_flagged"]
    for lang in LANGUAGES:
        summary = report["by_language"][lang]["summary"]
        assert set(summary) == SUMMARY_KEYS == {key for key, _ in SUMMARY_ROWS}
        assert summary["derogation_recall"] == summary["chatter_recall"] == 0.0
        assert summary["negation_not_flagged"] == 1.0
        assert summary["worst_group_fpr"] == 0.0 and summary["worst_group"] is None
        block = report["by_language"][lang]
        assert set(block["group_fpr"]) == {g.key for g in GROUPS}
        assert {"slur", "derogation", "identity_neutral", "spell_leet"} <= set(block["accuracy"])
    assert report["statement"] == {"paragraphs": 14, "flagged": 0}
    assert report["summary"]["statement_flagged/en"] == 0 and report["summary"]["statement_flagged/ru"] is None
    assert report["summary"]["statement_paragraphs_flagged"] == 0
    assert all(isinstance(v, (int, float)) for k, v in report["summary"].items() if not k.startswith(("worst_group/",
                                                                                                    "statement_flagged/ru")))
    assert report["group_flags"]["jews/ru"] == [0, 14]


def test_a_labeller_that_flags_one_group_is_caught_in_that_group_and_language():
    report = run_suite(FlagsWords("евре"), identity_cases())
    assert report["group_flags"]["jews/ru"] == [14, 14] and report["group_flags"]["jews/en"] == [0, 14]
    assert report["by_language"]["ru"]["worst_group"] == "jews"
    assert report["summary"]["worst_group_fpr/ru"] == 1.0 and report["summary"]["worst_group_fpr/en"] == 0.0
    assert report["summary"]["worst_group/ru"] == "jews" and report["summary"]["worst_group/en"] is None
    assert report["max_identity_fpr"] == 1.0
    assert report["false_positive_rate"]["jews/ru"] == 1.0


def test_flagging_everything_recalls_all_hate_and_flags_every_contrast():
    report = run_suite(FlagsEverything())
    for lang in LANGUAGES:
        s = report["by_language"][lang]["summary"]
        assert s["slur_recall"] == s["derogation_recall"] == s["recruitment_recall"] == s["chatter_recall"] == 1.0
        assert s["attributed_endorsed_recall"] == 1.0 and s["counter_attributed_not_flagged"] == 0.0
        assert all(s[f"{v}_recall"] == 1.0 for v in VARIANTS)
        assert s["negation_not_flagged"] == s["counter_quote_not_flagged"] == s["counter_reference_not_flagged"] == 0.0
        assert s["worst_group_fpr"] == 1.0
    assert report["statement"]["flagged"] == 14
    assert report["false_positive_rate"]["news_counter_speech/en"] == 1.0
    assert not any(f.get("text") for f in report["failures"])  # the report never carries case text


def test_reports_render_without_case_text():
    report = run_suite(FlagsWords(BY_KEY["roma"].en))
    metrics = {"model_version": "fake", "data": None, "categories_scored": ["xenophobia"], "figures": None,
               "note": "Real-text figures need the labelled data.", "suite": report}
    text, card = render_terminal(metrics), render_evaluation_card(metrics)
    assert "Real-text figures need the labelled data." in text and "worst group" in text
    assert "| roma | 1.000 (14/14) | 0.000 (0/14) |" in card and "statement paragraphs flagged: 0 of 14" in card
    assert not any(case.text in text + card for case in functional_cases())
