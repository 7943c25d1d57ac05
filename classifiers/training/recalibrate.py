"""Refit a fine-tuned artefact's calibration without training it again (``vigil recalibrate``).

Each route's Platt scaling and per-category, per-language thresholds are fitted again on the
calibration part of the split that the same training config and data give, with the current
threshold rule (:mod:`classifiers.training.calibrate`), and its dev figures are measured again on
the test part. The adapters, heads and base encoders are untouched, so this is what to run when
the threshold rule changes or the calibration part should be read again. Each route's
``threshold_method`` in the manifest says which rule chose its thresholds.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from classifiers.model.finetuned import FORMAT, RouteModel, RouteSpec
from classifiers.model.predict import MANIFEST
from classifiers.training.config import TrainConfig
from classifiers.training.data import Example
from classifiers.training.finetune import fit_calibration
from classifiers.training.split import split_examples
from vigil.logs import get_logger

log = get_logger(__name__)


def recalibrate(folder: Path, config: TrainConfig, examples: list[Example], version: str, *,
                batch_size: int = 64) -> dict:
    """Refit every route of the artefact in ``folder`` and rewrite its manifest (and, in its metrics, each
    route's calibration and dev figures); returns, per route key, the thresholds and dev macro-F1 before and
    after (before: from the metrics, when the folder has them).

    The model gets ``version``: it labels differently now, and classifications are kept per model version.
    """
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{folder}: not a {FORMAT} artefact; only fine-tuned models are recalibrated")
    cats = tuple(manifest["categories"])
    if version == manifest["version"]:
        raise ValueError(f"{folder} is {version} already: a recalibrated model labels differently, give it a new version")
    if cats != tuple(config.categories):
        raise ValueError(f"{folder}: categories {cats} differ from the config's {tuple(config.categories)}")
    metrics_path = folder / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.is_file() else None
    heads = (metrics or {}).get("heads") or {}
    parts = split_examples(examples, config.dev_fraction, config.seed)
    changes, devs = {}, {}
    for key, entry in manifest["encoders"].items():
        languages = set(entry["languages"])
        model = RouteModel(folder, RouteSpec.from_manifest(key, entry), config.device, batch_size)

        def scored(part: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            rows = [examples[i] for i in parts[part] if examples[i].language in languages]
            logits = model.logits([e.text for e in rows], config.max_length)
            y = np.array([[c in e.labels for c in cats] for e in rows], dtype=np.float32).reshape(-1, len(cats))
            return logits, y, np.array([e.language for e in rows])

        scale, bias, thresholds, method, dev = fit_calibration(scored, cats, config.target_precision)
        before = (heads.get(key) or {}).get("dev") or {}
        changes[key] = {"thresholds": {"before": entry["thresholds"], "after": thresholds},
                        "dev_macro_f1": {"before": {k: v["macro_f1"] for k, v in before.items()},
                                         "after": {k: v["macro_f1"] for k, v in dev.items()}}}
        entry.update(platt_scale=scale.round(6).tolist(), platt_bias=bias.round(6).tolist(), thresholds=thresholds,
                     threshold_method=method["*"])
        devs[key] = dev
        log.info("recalibrated %s: dev macro-F1 %s -> %s", key, changes[key]["dev_macro_f1"]["before"],
                 changes[key]["dev_macro_f1"]["after"])
    previous_version, manifest["version"] = manifest["version"], version
    manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if metrics is not None:
        metrics["manifest"] = manifest
        for key, entry in manifest["encoders"].items():
            metrics.setdefault("heads", {}).setdefault(key, {}).update(
                {k: entry[k] for k in ("platt_scale", "platt_bias", "thresholds", "threshold_method")}, dev=devs[key])
        metrics["config"] = {**(metrics.get("config") or {}), "model_version": version}
        metrics["recalibrated"] = {"from": previous_version, "threshold_method": {
            key: entry["threshold_method"] for key, entry in manifest["encoders"].items()},
            "dev_macro_f1": {key: change["dev_macro_f1"] for key, change in changes.items()}}
        metrics_path.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changes
