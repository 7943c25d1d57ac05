"""The shipped default model must not flag neutral or positive mentions of any group (target: FPR <= 0.03)."""

import json

import pytest

from classifiers.evaluation.functional import IDENTITY, functional_cases, identity_cases
from classifiers.evaluation.suite import run_suite
from classifiers.groups import GROUPS
from classifiers.model.predict import DEFAULT_MODEL_DIR
from classifiers.training.synthetic import NEUTRAL


def test_identity_sets_are_held_out_from_training_templates():
    training = {t for templates in NEUTRAL.values() for t in templates}
    assert not training & {t for by_lang in IDENTITY.values() for ts in by_lang.values() for t in ts}
    cases = identity_cases()
    assert {c.group for c in cases} == {g.key for g in GROUPS} and {c.language for c in cases} == {"en", "ru"}


@pytest.mark.slow  # every identity case through the model: several seconds
def test_no_group_is_flagged_more_often_than_the_model_card_records(default_labeller):
    """The shipped figures hold: code changes (rules, windows, combination) must not raise any group's rate."""
    recorded = json.loads((DEFAULT_MODEL_DIR / "metrics.json").read_text())["suite"]["group_flags"]
    report = run_suite(default_labeller, identity_cases())
    worse = {k: (v, recorded.get(k)) for k, v in report["group_flags"].items() if v[0] > (recorded.get(k) or [0])[0]}
    assert not worse, f"groups flagged more often than the model card says (now, recorded): {worse}"


@pytest.mark.slow
def test_false_positive_rate_per_group_meets_the_target(default_labeller):
    """Met by the labeller with its group swaps (classifiers/model/counterfactual.py). The weights alone still
    flag 1 of 14 neutral or positive mentions of black people, Christians, Jews and Muslims (English) and of
    Ukrainians (Russian): the retrain gate measures them so (tests/classifiers/training/test_train_run.py)."""
    report = run_suite(default_labeller, identity_cases())
    over = {k: v for k, v in report["group_flags"].items() if v[0] / v[1] > 0.03}
    assert not over, f"groups whose neutral or positive mentions are flagged (flagged, cases): {over}"


def test_functional_suite_runs_and_news_is_rarely_flagged(default_labeller):
    cases = [c for c in functional_cases() if c.group is None and c.functionality != "statement_paragraph"]
    report = run_suite(default_labeller, cases)
    # News, counter-speech, condemnation, history and negation without a group name: at most 15% flagged.
    assert report["false_positive_rate"]["news_counter_speech/en"] <= 0.15
    assert report["false_positive_rate"]["news_counter_speech/ru"] <= 0.15
    codes = [c for c in cases if c.functionality == "nazi_codes" and "88" in c.text]
    assert len(codes) == 6  # numeric codes used approvingly: the rules must catch every one
    assert all(v == 1.0 for v in run_suite(default_labeller, codes)["accuracy"].values())
