"""Load a classifier and predict calibrated probabilities per category.

``load(path_or_id)`` accepts ``"default"`` (the committed artefact in
``classifiers/models/default``), a folder written by ``vigil train`` (fine-tuned
encoders shipped as LoRA adapters, :mod:`classifiers.model.finetuned`, or heads over
frozen encoders), or any Hugging Face sequence-classification model id or folder whose
``id2label`` names taxonomy categories. Long texts are cut into overlapping windows;
a document's probability is the highest of its windows, and that window is kept as
evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from classifiers.model.calibration import apply_platt, sigmoid
from classifiers.model.encoders import Encoded, Encoder, make_encoder, padded_batches, resolve_device, token_windows
from classifiers.model.windows import Window

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "default"
MANIFEST = "vigil_model.json"


@dataclass
class Prediction:
    """Per text: probabilities, thresholds and the best window for each of ``categories``."""

    categories: tuple[str, ...]
    probabilities: np.ndarray  # (texts, categories)
    thresholds: np.ndarray  # (texts, categories)
    spans: list[list[tuple[int, int]]] = field(default_factory=list)  # best window per category


class ModelClassifier(Protocol):
    version: str
    categories: tuple[str, ...]
    coverage: frozenset[str]

    def predict(self, texts: list[str], languages: list[str | None] | None = None) -> Prediction: ...


@dataclass(frozen=True)
class RunOptions:
    device: str = "auto"
    batch_size: int = 32
    max_length: int = 256
    overlap: int = 64
    window_chars: int = 200
    precision: str = "fp32"  # "bf16": bfloat16 autocast for fine-tuned encoders
    whole_tokens: int = 256  # fine-tuned encoders read a text of up to this many tokens whole


# A window near the best one joins the evidence when it scores at least this share of the best: a window
# read with its neighbouring context can win on a neighbour's words, and the evidence must hold them.
NEAR_BEST = 0.9


def _pool(window_probs: np.ndarray, windows: list[Window], count: int,
          reach: int = 0) -> tuple[np.ndarray, list[list[tuple[int, int]]]]:
    """Max over each text's windows; the evidence per category is the winning window, widened to cover the
    windows within ``reach`` characters of it (the context it read) that score at least :data:`NEAR_BEST`
    of it."""
    k = window_probs.shape[1]
    probs = np.zeros((count, k), dtype=np.float64)
    winner = np.full((count, k), -1)
    by_owner: dict[int, list[int]] = {}
    for i, (row, window) in enumerate(zip(window_probs, windows)):
        by_owner.setdefault(window.owner, []).append(i)
        better = np.nonzero(row > probs[window.owner])[0]
        probs[window.owner, better] = row[better]
        winner[window.owner, better] = i
    spans = [[(0, 0)] * k for _ in range(count)]
    for owner, members in by_owner.items():
        for j in range(k):
            if winner[owner, j] < 0:  # every window scored 0
                continue
            best = windows[int(winner[owner, j])]
            low, high = best.start - reach, best.end + reach
            near = [windows[i] for i in members if windows[i].end > low and windows[i].start < high
                    and window_probs[i, j] >= NEAR_BEST * probs[owner, j]] if reach else [best]
            spans[owner][j] = (min(w.start for w in near), max(w.end for w in near))
    return probs, spans


# Per route: (probabilities, best window span per category, thresholds), one row per text.
RouteScores = tuple[np.ndarray, list[list[tuple[int, int]]], np.ndarray]


def predict_by_route(categories: tuple[str, ...], texts: list[str], languages: list[str | None] | None,
                     route: Callable[[str | None], str],
                     score: Callable[[str, list[str], list[str | None]], RouteScores]) -> Prediction:
    """Group texts by the route their language takes, score each group, put the rows back in order."""
    languages = languages or [None] * len(texts)
    n, k = len(texts), len(categories)
    probs, thresholds = np.zeros((n, k)), np.zeros((n, k))
    spans: list[list[tuple[int, int]]] = [[(0, 0)] * k for _ in range(n)]
    keys = [route(lang) for lang in languages]
    for key in sorted(set(keys)):
        idx = [i for i, x in enumerate(keys) if x == key]
        pooled, best, limits = score(key, [texts[i] for i in idx], [languages[i] for i in idx])
        probs[idx], thresholds[idx] = pooled, limits
        for local, i in enumerate(idx):
            spans[i] = best[local]
    return Prediction(categories, probs, thresholds, spans)


class HeadClassifier:
    """Heads over frozen encoders, one per route (e.g. MiniLM for English, e5 for Russian)."""

    def __init__(self, folder: Path, options: RunOptions) -> None:
        from safetensors.torch import load_file

        from classifiers.model.head import Head

        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        self.version: str = manifest["version"]
        self.categories = tuple(manifest["categories"])
        self.coverage = frozenset(manifest["coverage"])
        self.routes: dict[str, str] = manifest["routes"]
        self.fallback: str = manifest["fallback"]
        self.options = options
        self._specs = manifest["heads"]
        self.head_keys = tuple(self._specs)
        self._heads = {}
        for key, spec in self._specs.items():
            head = Head(spec["dim"], len(self.categories), hidden=spec["hidden"])
            head.load_state_dict(load_file(str(folder / spec["file"])))
            self._heads[key] = head.eval()
        self._encoders: dict[str, Encoder] = {}

    def encoder(self, key: str) -> Encoder:
        if key not in self._encoders:
            o = self.options
            self._encoders[key] = make_encoder(self._specs[key]["encoder"], device=o.device, max_length=o.max_length,
                                               overlap=o.overlap, batch_size=o.batch_size, window_chars=o.window_chars)
        return self._encoders[key]

    def route(self, language: str | None) -> str:
        return self.routes.get(language or "", self.fallback)

    def score_windows(self, key: str, encoded: Encoded) -> np.ndarray:
        import torch

        spec = self._specs[key]
        with torch.inference_mode():
            logits = self._heads[key](torch.from_numpy(encoded.vectors))["logits"].numpy()
        return apply_platt(logits, np.asarray(spec["platt_scale"]), np.asarray(spec["platt_bias"]))

    def predict(self, texts: list[str], languages: list[str | None] | None = None) -> Prediction:
        return predict_by_route(self.categories, texts, languages, self.route, self._score_route)

    def _score_route(self, key: str, texts: list[str], languages: list[str | None]) -> RouteScores:
        encoded = self.encoder(key).encode(texts)
        pooled, best = _pool(self.score_windows(key, encoded), encoded.windows, len(texts))
        row = np.asarray([self._specs[key]["thresholds"][c] for c in self.categories])
        return pooled, best, np.tile(row, (len(texts), 1))


class SequenceClassifier:
    """Any Hugging Face sequence-classification model whose labels name taxonomy categories."""

    def __init__(self, name_or_path: str, options: RunOptions, taxonomy: tuple[str, ...]) -> None:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.device = resolve_device(options.device)
        self.tokenizer = AutoTokenizer.from_pretrained(name_or_path)
        self.model = AutoModelForSequenceClassification.from_pretrained(name_or_path).to(self.device).eval()
        id2label = {int(i): str(label) for i, label in self.model.config.id2label.items()}
        self._columns = [i for i in sorted(id2label) if id2label[i] in taxonomy]
        if not self._columns:
            raise ValueError(f"{name_or_path}: none of its labels {sorted(id2label.values())} is a taxonomy category")
        self.categories = tuple(id2label[i] for i in self._columns)
        self.multi_label = self.model.config.problem_type != "single_label_classification"
        extra_path = Path(name_or_path) / MANIFEST
        extra = json.loads(extra_path.read_text(encoding="utf-8")) if extra_path.is_file() else {}
        self.coverage = frozenset(extra.get("coverage", ["en"]))
        self.version = extra.get("version", f"hf:{name_or_path}")
        self.thresholds = np.asarray([extra.get("thresholds", {}).get(c, 0.5) for c in self.categories])
        self.options = options

    def predict(self, texts: list[str], languages: list[str | None] | None = None) -> Prediction:
        import torch

        o = self.options
        enc, windows = token_windows(self.tokenizer, texts, o.max_length, o.overlap)
        window_probs = np.zeros((len(windows), len(self._columns)))
        for batch, padded in padded_batches(self.tokenizer, enc, o.batch_size):
            with torch.inference_mode():
                logits = self.model(**{k: v.to(self.device) for k, v in padded.items()}).logits.float().cpu().numpy()
            if self.multi_label:
                p = sigmoid(logits)
            else:
                e = np.exp(logits - logits.max(-1, keepdims=True))
                p = e / e.sum(-1, keepdims=True)
            window_probs[batch] = p[:, self._columns]
        probs, spans = _pool(window_probs, windows, len(texts))
        return Prediction(self.categories, probs, np.tile(self.thresholds, (len(texts), 1)), spans)


def load(path_or_id: str | Path = "default", options: RunOptions | None = None) -> ModelClassifier:
    """A ready classifier: 'default', a folder written by ``vigil train``, or a Hugging Face model."""
    from vigil.schemas import CATEGORIES

    options = options or RunOptions()
    folder = DEFAULT_MODEL_DIR if str(path_or_id) == "default" else Path(path_or_id)
    fmt = json.loads((folder / MANIFEST).read_text()).get("format") if (folder / MANIFEST).is_file() else None
    if fmt == "vigil-heads/1":
        return HeadClassifier(folder, options)
    if fmt == "vigil-finetuned/1":
        from classifiers.model.finetuned import FinetunedClassifier

        return FinetunedClassifier(folder, options)
    return SequenceClassifier(str(path_or_id), options, CATEGORIES)
