"""Fine-tuning a Hugging Face encoder other than the two packaged ones, named by its folder as a route's ``base``.

No model hub is reachable here, so the encoders are made in the test: tiny random ones of the architectures of
``xlm-roberta-base`` (XLM-R) and ``microsoft/mdeberta-v3-base`` (DeBERTa-v2 with relative attention), over
XLM-R's SentencePiece vocabulary (multilingual-e5-small's tokenizer). Each is trained for a few steps, written,
loaded by the common loader from the folder alone, and refused once its base's weights change. A hub id takes the same path: ``AutoModel``/``AutoTokenizer`` load it by name instead of by folder.
"""

import json

import numpy as np
import pytest
from safetensors import safe_open

from classifiers.model.finetuned import BaseMismatchError, FinetunedClassifier, load_base, weights_sha256
from classifiers.model.predict import RunOptions, load
from classifiers.training.config import TrainConfig
from classifiers.training.finetune import finetune_route, routes_of
from classifiers.training.finetune_run import write_manifest
from classifiers.training.split import split_examples
from classifiers.training.synthetic import synthetic_examples

CATS = ("incitement", "recruitment", "neo_nazism", "xenophobia")
ARCHITECTURES = {
    "xlm-roberta": ("XLMRobertaConfig", "XLMRobertaModel", dict(max_position_embeddings=130, pad_token_id=1)),
    "deberta-v2": ("DebertaV2Config", "DebertaV2Model",
                   dict(max_position_embeddings=128, relative_attention=True, position_buckets=32,
                        pos_att_type=["p2c", "c2p"], position_biased_input=False, norm_rel_ebd="layer_norm",
                        share_att_key=True, pad_token_id=1)),
}


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from classifiers.model.e5_torch import e5_folder

    return AutoTokenizer.from_pretrained(e5_folder())


def tiny_encoder(kind: str, folder, tokenizer, seed: int) -> None:
    """A random two-layer encoder of architecture ``kind`` and its tokenizer, saved in ``folder``."""
    import torch
    import transformers

    config_name, model_name, extra = ARCHITECTURES[kind]
    torch.manual_seed(seed)
    config = getattr(transformers, config_name)(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                                                num_attention_heads=2, intermediate_size=64, **extra)
    getattr(transformers, model_name)(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("kind", sorted(ARCHITECTURES))
def test_another_hugging_face_encoder_trains_loads_and_is_checked(kind, tokenizer, tmp_path):
    base, out = tmp_path / kind, tmp_path / "model"
    tiny_encoder(kind, base, tokenizer, seed=0)
    config = TrainConfig(model_version=f"{kind}-test", output_dir=out, method="finetune", categories=CATS,
                         encoders={"other": {"base": str(base), "languages": ["en", "ru"]}}, fallback="other",
                         ft_epochs=1.0, max_train_examples=96, ft_batch_size=16, max_length=48, progress=False,
                         device="cpu")
    examples = synthetic_examples(13)
    parts = split_examples(examples, 0.3, 13)
    specs = {r.key: finetune_route(r, examples, parts, config, out) for r in routes_of(config)}
    write_manifest(config, specs, {"en": "other", "ru": "other"}, learns_context=False)

    manifest = json.loads((out / "vigil_model.json").read_text())
    encoder = manifest["encoders"]["other"]
    assert encoder["base"] == str(base)
    assert encoder["base_sha256"] == weights_sha256(load_base(str(base))[1])
    assert specs["other"]["dev"]["all"]["rows"] > 0
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 2 * 1024 * 1024  # adapters and heads only
    with safe_open(str(out / "adapter-other" / "adapter_model.safetensors"), "pt") as adapter:
        adapted = list(adapter.keys())
    assert any("attention" in key and "lora_A" in key for key in adapted)  # LoRA found the encoder's layers

    model = load(out, RunOptions(device="cpu"))
    assert isinstance(model, FinetunedClassifier)
    texts = ["Join the brothers, contact us on Telegram.", "Соседи провели во дворе праздник.",
             "The council met to discuss bus timetables. " * 40]
    first = model.predict(texts, ["en", "ru", "en"])
    assert first.probabilities.shape == (3, len(CATS))
    assert np.isfinite(first.probabilities).all() and ((first.probabilities >= 0) & (first.probabilities <= 1)).all()
    for text, spans in zip(texts, first.spans):
        assert all(0 <= s <= e <= len(text) for s, e in spans)
    again = load(out, RunOptions(device="cpu")).predict(texts, ["en", "ru", "en"])
    np.testing.assert_allclose(again.probabilities, first.probabilities, atol=1e-6)  # the same weights, the same scores

    tiny_encoder(kind, base, tokenizer, seed=1)  # the folder now holds other weights of the same shape
    with pytest.raises(BaseMismatchError, match="retrain"):
        load(out, RunOptions(device="cpu")).predict(texts[:1], ["en"])
