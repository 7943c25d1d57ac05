"""The classifiers every stage gets from the settings (classifiers/classify.py)."""

from __future__ import annotations

import weakref

import pytest

from classifiers import classify as classify_module
from classifiers.classify import default_classifier, live_classifier
from classifiers.labeller import Labeller
from classifiers.rules.matcher import load_lexicon
from classifiers.taxonomy import load_taxonomy
from tests.vigil.bus.factories import make_document
from vigil.settings import load_settings


def rules_only() -> Labeller:
    return Labeller(model=None, lexicon=load_lexicon(), bank=None, taxonomy=load_taxonomy())


@pytest.fixture
def trims(monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(classify_module, "trim_heap", lambda: calls.append(1) or True)
    return calls


@pytest.fixture
def rules_model(monkeypatch) -> list[int]:
    """build_labeller gives a fresh rules-only labeller each time; the list says, for each, how many labellers
    built before it were still alive when it was built."""
    built: list[weakref.ref] = []
    alive_before: list[int] = []

    def build(settings, model=None):
        alive_before.append(sum(ref() is not None for ref in built))
        labeller = rules_only()
        built.append(weakref.ref(labeller))
        return labeller

    monkeypatch.setattr("classifiers.labeller.build_labeller", build)
    return alive_before


@pytest.mark.parametrize("factory", [default_classifier, live_classifier])
def test_the_heap_is_trimmed_after_each_batch_unless_turned_off(tmp_path, trims, rules_model, factory) -> None:
    documents = [make_document(n, f"report {n}") for n in range(3)]
    classify = factory(load_settings(home=tmp_path))
    assert len(classify(documents)) == 3 and len(classify(documents[:1])) == 1
    assert len(trims) == 2
    classify = factory(load_settings(home=tmp_path, classifier={"trim_heap": False}))
    classify(documents)
    assert len(trims) == 2


def test_the_heap_is_trimmed_when_a_batch_fails_too(tmp_path, trims, rules_model, monkeypatch) -> None:
    monkeypatch.setattr("classifiers.labeller.classify_documents", lambda labeller, documents: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        default_classifier(load_settings(home=tmp_path))([make_document(1, "report")])
    assert len(trims) == 1


def test_a_reloaded_model_replaces_the_old_one_without_holding_both(tmp_path, trims, rules_model, monkeypatch) -> None:
    signatures = iter([("m", 1), ("m", 1), ("m", 2)])
    monkeypatch.setattr("classifiers.labeller.model_signature", lambda settings: next(signatures))
    classify = live_classifier(load_settings(home=tmp_path))
    for _ in range(3):
        classify([make_document(1, "report")])
    assert rules_model == [0, 0]  # read once, then again when the signature changed, the old one let go first
