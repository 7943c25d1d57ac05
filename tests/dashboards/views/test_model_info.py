"""The thresholds an item page shows are the ones that labelled the classification."""

from __future__ import annotations

from classifiers.model.predict import DEFAULT_MODEL_DIR
from dashboards.views.model_info import applied_thresholds, model_manifest

FINETUNED = {
    "version": "vigil-lora-9", "routes": {"en": "minilm", "ru": "e5"}, "fallback": "e5",
    "encoders": {
        "minilm": {"thresholds": {"*": {"incitement": 0.4, "xenophobia": 0.6}, "en": {"incitement": 0.45}}},
        "e5": {"thresholds": {"*": {"incitement": 0.7, "xenophobia": 0.5}, "ru": {"xenophobia": 0.35}}},
    },
}
HEADS = {"version": "heads-1", "routes": {"en": "minilm"}, "fallback": "e5",
         "heads": {"minilm": {"thresholds": {"incitement": 0.3}}, "e5": {"thresholds": {"incitement": 0.8}}}}


def test_the_route_and_language_of_the_classification_choose_the_table() -> None:
    version = "vigil-lora-9+lexicon.v3+taxonomy.v1"
    assert applied_thresholds(FINETUNED, version, "en") == {"incitement": 0.45, "xenophobia": 0.6}
    assert applied_thresholds(FINETUNED, version, "ru") == {"incitement": 0.7, "xenophobia": 0.35}
    assert applied_thresholds(FINETUNED, version, "kk") == {"incitement": 0.7, "xenophobia": 0.5}  # fallback route
    assert applied_thresholds(HEADS, "heads-1+lexicon.v3", "en") == {"incitement": 0.3}
    assert applied_thresholds(HEADS, "heads-1", None) == {"incitement": 0.8}


def test_a_classification_by_another_model_keeps_the_taxonomy_thresholds() -> None:
    assert applied_thresholds(FINETUNED, "vigil-lora-8+lexicon.v3", "en") == {}
    assert applied_thresholds(FINETUNED, "vigil-lora-90+lexicon.v3", "en") == {}  # a prefix is not the version
    assert applied_thresholds({}, "vigil-lora-9", "en") == {}


def test_the_shipped_model_has_its_own_russian_thresholds() -> None:
    manifest = model_manifest("default")
    assert manifest == model_manifest(str(DEFAULT_MODEL_DIR))
    ru = applied_thresholds(manifest, manifest["version"] + "+lexicon.v3+taxonomy.v1", "ru")
    en = applied_thresholds(manifest, manifest["version"] + "+lexicon.v3+taxonomy.v1", "en")
    assert ru and en and ru != en
