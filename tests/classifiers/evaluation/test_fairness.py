"""The shipped default model must not flag neutral or positive mentions of any group (target: FPR < 5%)."""

import pytest

from classifiers.evaluation.functional import functional_cases, identity_cases
from classifiers.evaluation.suite import run_suite
from classifiers.groups import GROUPS
from classifiers.training.synthetic import NEUTRAL


def test_identity_sets_are_held_out_from_training_templates():
    training = {t for templates in NEUTRAL.values() for t in templates}
    from classifiers.evaluation.functional import IDENTITY

    assert not training & {t for by_lang in IDENTITY.values() for ts in by_lang.values() for t in ts}
    cases = identity_cases()
    assert {c.group for c in cases} == {g.key for g in GROUPS} and {c.language for c in cases} == {"en", "ru"}


@pytest.mark.slow  # every identity case through the model: several seconds
def test_false_positive_rate_per_group_is_under_five_percent(default_labeller):
    report = run_suite(default_labeller, identity_cases())
    over = {k: v for k, v in report["false_positive_rate"].items() if v >= 0.05}
    assert not over, over


def test_functional_suite_runs_and_news_is_rarely_flagged(default_labeller):
    report = run_suite(default_labeller, [c for c in functional_cases() if c.group is None])
    assert report["false_positive_rate"]["news_counter_speech/en"] <= 0.1
    assert report["false_positive_rate"]["news_counter_speech/ru"] <= 0.1
    assert report["accuracy"]["nazi_codes/en"] == 1.0 and report["accuracy"]["nazi_codes/ru"] == 1.0
