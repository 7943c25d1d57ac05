"""Inference: the shipped artefact, offline, and any Hugging Face sequence-classification folder."""

import json
import os

import numpy as np

from classifiers.model.predict import DEFAULT_MODEL_DIR, SequenceClassifier, load


def test_the_shipped_artefact_is_small_and_loads_offline():
    size = sum(p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir())
    assert size < 5 * 1024 * 1024
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    manifest = json.loads((DEFAULT_MODEL_DIR / "vigil_model.json").read_text())
    assert set(manifest["coverage"]) == {"en", "ru"}
    assert (DEFAULT_MODEL_DIR / "README.md").is_file() and (DEFAULT_MODEL_DIR / "metrics.json").is_file()


def test_long_texts_are_windowed_and_pooled(default_labeller):
    model = default_labeller.model
    call = "Join the mujahideen, make hijrah to the caliphate, message me on telegram for the route."
    filler = " ".join(["The weather was mild and the market was busy with shoppers buying vegetables."] * 60)
    prediction = model.predict([call, filler + " " + call, filler], ["en", "en", "en"])
    j = prediction.categories.index("recruitment")
    probs = prediction.probabilities
    assert ((0 <= probs) & (probs <= 1)).all()
    assert probs[1, j] > probs[2, j] + 0.2  # the call at the end of a long text is still seen
    start, end = prediction.spans[1][j]
    assert start > len(filler) // 2 and "hijrah" in (filler + " " + call)[start:end]


def test_any_sequence_classification_folder_loads(tmp_path):
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from classifiers.model.encoders import packaged_minilm_path

    tokenizer = AutoTokenizer.from_pretrained(str(packaged_minilm_path()))
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, id2label={0: "incitement", 1: "not_a_category"},
                        label2id={"incitement": 0, "not_a_category": 1}, problem_type="multi_label_classification")
    BertForSequenceClassification(config).save_pretrained(tmp_path)
    tokenizer.save_pretrained(tmp_path)
    model = load(tmp_path)
    assert isinstance(model, SequenceClassifier) and model.categories == ("incitement",)
    prediction = model.predict(["one short text", "another " * 400])
    assert prediction.probabilities.shape == (2, 1) and np.all(prediction.thresholds == 0.5)
    assert model.coverage == frozenset({"en"})


def test_the_evidence_widens_to_near_best_windows_within_the_context_the_best_one_read():
    from classifiers.model.predict import _pool
    from classifiers.model.windows import Window

    windows = [Window(0, 0, 100, ""), Window(0, 80, 180, ""), Window(0, 160, 260, ""), Window(0, 400, 500, ""),
               Window(1, 0, 50, "")]
    probs = np.array([[0.10, 0.0], [0.99, 0.0], [0.95, 0.0], [0.97, 0.0], [0.20, 0.0]])
    pooled, spans = _pool(probs, windows, 2, reach=100)
    assert pooled[:, 0].tolist() == [0.99, 0.20]
    assert spans[0][0] == (80, 260)  # the neighbour at 0.95 joins; the one at 400, beyond the reach, does not
    assert spans[1][0] == (0, 50) and spans[0][1] == (0, 0)  # another text; a category no window scored
    assert _pool(probs, windows, 2)[1][0][0] == (80, 180)  # no context read: the winning window alone
