"""The English figures an ablation row reports, from a functional-suite report."""

from __future__ import annotations

from classifiers.training.ablations import _suite_figures


def test_each_column_reads_the_functionalities_it_names() -> None:
    report = {
        "accuracy": {"slur/en": 0.5, "negation/en": 0.9, "counter_speech_quote/en": 0.7, "condemnation/en": 1.0,
                     "spell_leet/en": 0.2, "spell_space_added/en": 0.4, "slur/ru": 0.0, "spell_leet/ru": 0.0},
        "false_positive_rate": {"muslims/en": 0.1, "jews/en": 0.3, "news_attack_arrest/en": 0.9, "jews/ru": 1.0},
    }
    figures = _suite_figures(report)
    assert figures["suite_accuracy_en"] == round((0.5 + 0.9 + 0.7 + 1.0 + 0.2 + 0.4) / 6, 4)
    assert figures["worst_group_fpr_en"] == 0.3  # groups only, English only
    assert figures["counter_speech_not_flagged_en"] == round((0.9 + 0.7 + 1.0) / 3, 4)
    assert figures["spelling_recall_en"] == 0.3


def test_a_report_without_those_functionalities_gives_none() -> None:
    assert _suite_figures({"accuracy": {}, "false_positive_rate": {}}) == {
        "suite_accuracy_en": None, "worst_group_fpr_en": None, "counter_speech_not_flagged_en": None,
        "spelling_recall_en": None}
