"""``vigil train``: data -> embeddings -> heads (Trainer) -> calibration -> thresholds -> artefact + card.

Every run writes the model folder (manifest, head weights), ``metrics.json`` and a
model card (``README.md``) beside them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from safetensors.torch import save_file

from classifiers.model.encoders import make_encoder
from classifiers.model.predict import MANIFEST
from classifiers.training.calibrate import choose_threshold, fit_platt
from classifiers.training.config import TrainConfig
from classifiers.training.data import Example, load_shared
from classifiers.training.embed_cache import cached_embeddings
from classifiers.training.fit import fit_head, head_logits
from classifiers.training.metrics import category_metrics, macro_f1
from classifiers.training.split import split_examples
from classifiers.training.synthetic import synthetic_examples
from classifiers.model.calibration import apply_platt
from vigil.logs import get_logger

log = get_logger(__name__)


def gather_examples(config: TrainConfig, extra: list[Example] | None = None) -> list[Example]:
    rows = synthetic_examples(config.seed)
    if config.data_dir.is_dir():
        rows += load_shared(config.data_dir, max_negatives_per_source=config.max_negatives_per_source,
                            max_positives_per_label=config.max_positives_per_label, seed=config.seed,
                            exclude=config.exclude_sources, max_per_kind=config.max_per_kind,
                            max_negatives_by_source=config.max_negatives_by_source)
    else:
        log.warning("training data folder %s is absent: synthetic data only", config.data_dir)
    return rows + list(extra or [])


def _label_matrix(examples: list[Example], categories: tuple[str, ...]) -> np.ndarray:
    return np.array([[c in ex.labels for c in categories] for ex in examples], dtype=np.float32)


def _evaluate_head(probs: np.ndarray, labels: np.ndarray, langs: np.ndarray, thresholds: dict[str, float],
                   categories: tuple[str, ...]) -> dict:
    out = {}
    for lang in ["all", *sorted(set(langs))]:
        mask = np.ones(len(langs), bool) if lang == "all" else langs == lang
        per = {c: category_metrics(probs[mask, j], labels[mask, j], thresholds[c]) for j, c in enumerate(categories)}
        out[lang] = {"rows": int(mask.sum()), "categories": per, "macro_f1": macro_f1(per, categories)}
    return out


def train_heads(config: TrainConfig, examples: list[Example]) -> tuple[dict, dict]:
    """Train every configured head; returns (manifest head specs, weights) and dev figures in the specs."""
    cats = config.categories
    parts = split_examples(examples, config.dev_fraction, config.seed)
    labels = _label_matrix(examples, cats)
    weights = np.array([config.synthetic_weight if ex.source == "synthetic" else 1.0 for ex in examples])
    langs = np.array([ex.language for ex in examples])
    specs, tensors = {}, {}
    for key, encoder_name in config.heads.items():
        started = time.perf_counter()
        encoder = make_encoder(encoder_name, max_length=config.embed_max_length, overlap=32)
        vectors = cached_embeddings(encoder, [ex.text for ex in examples], tag=f"len{config.embed_max_length}")
        tr, ca, te = parts["train"], parts["calibration"], parts["test"]
        head = fit_head(vectors[tr], labels[tr], weights[tr], config)
        scale, bias = fit_platt(head_logits(head, vectors[ca]), labels[ca])
        calib_probs = apply_platt(head_logits(head, vectors[ca]), scale, bias)
        chosen = {c: choose_threshold(calib_probs[:, j], labels[ca, j], config.target_precision) for j, c in enumerate(cats)}
        thresholds = {c: round(t, 4) for c, (t, _) in chosen.items()}
        test_probs = apply_platt(head_logits(head, vectors[te]), scale, bias)
        specs[key] = {
            "encoder": encoder_name, "file": f"head-{key}.safetensors", "dim": int(vectors.shape[1]),
            "hidden": config.hidden, "platt_scale": scale.round(6).tolist(), "platt_bias": bias.round(6).tolist(),
            "thresholds": thresholds, "threshold_method": {c: how for c, (_, how) in chosen.items()},
            "dev": _evaluate_head(test_probs, labels[te], langs[te], thresholds, cats),
            "train_seconds": round(time.perf_counter() - started, 1),
        }
        tensors[key] = {k: v.contiguous() for k, v in head.state_dict().items()}
    counts = {name: int(len(idx)) for name, idx in parts.items()}
    return {"heads": specs, "split": counts}, tensors


def choose_routes(config: TrainConfig, specs: dict, worst_fpr: dict[str, dict[str, float]]) -> tuple[dict[str, str], dict]:
    """Per language, the head with the best dev macro-F1 minus its worst false-positive rate.

    ``worst_fpr[lang][head]``: the highest FPR of that head on the functional suite's identity
    and news/counter-speech sets; a head that flags condemnations loses to one that does not.
    """
    comparison = {lang: {key: {"macro_f1": spec["dev"].get(lang, {}).get("macro_f1"),
                               "worst_fpr": worst_fpr.get(lang, {}).get(key)} for key, spec in specs.items()}
                  for lang in config.route_languages}
    if isinstance(config.routes, dict):
        return dict(config.routes), comparison
    routes = {}
    for lang, by_head in comparison.items():
        scored = {k: v["macro_f1"] - (v["worst_fpr"] or 0.0) for k, v in by_head.items() if v["macro_f1"] is not None}
        routes[lang] = max(sorted(scored), key=scored.get) if scored else config.fallback
    return routes, comparison


def write_artefact(config: TrainConfig, trained: dict, tensors: dict, routes: dict[str, str]) -> Path:
    out = config.output_dir
    out.mkdir(parents=True, exist_ok=True)
    heads = {}
    for key, spec in trained["heads"].items():
        save_file(tensors[key], str(out / spec["file"]))
        heads[key] = {k: v for k, v in spec.items() if k not in ("dev", "train_seconds")}
    manifest = {"format": "vigil-heads/1", "version": config.model_version, "categories": list(config.categories),
                "id2label": dict(enumerate(config.categories)), "routes": routes, "fallback": config.fallback,
                "coverage": sorted(routes), "heads": heads}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out
