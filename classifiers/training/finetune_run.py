"""One fine-tuning run end to end (``method: finetune``): every route trained, routed, measured and carded.

Hard negatives (counter-speech and reporting frames around hateful sentences, negations,
neutral and positive group mentions, counterfactual swaps), rows framed in everyday chatter
(hateful and neutral alike) and obfuscated copies are made from the train part only, so no
test sentence is seen inside a training frame.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from classifiers.labeller import Labeller
from classifiers.model.finetuned import FORMAT
from classifiers.model.predict import MANIFEST, RunOptions, load
from classifiers.rules.matcher import load_lexicon
from classifiers.taxonomy import load_taxonomy
from classifiers.training.config import TrainConfig, recorded
from classifiers.training.data import Example
from classifiers.training.finetune import finetune_route, routes_of, spec_files
from classifiers.training.split import split_examples
from vigil.logs import get_logger

log = get_logger(__name__)


def augmented_rows(config: TrainConfig, train: list[Example]) -> list[Example]:
    """Rows made from the train part: contrast negatives, rows framed in chatter, and obfuscated copies
    of all of these and of the train part; then the written sets (``written_sets``), which join the train
    part only (written for training, they are never calibrated or tested on), and the history, first-person
    and solidarity negatives (``perspectives_per_language``), each with obfuscated copies of its own."""
    from classifiers.training.chatter import chatter_examples
    from classifiers.training.contrast import contrast_examples
    from classifiers.training.data import load_written
    from classifiers.training.perspectives import perspective_examples
    from classifiers.training.perturb import perturbed_examples

    def with_copies(rows: list[Example]) -> list[Example]:
        """Rows added after the others, with obfuscated copies of their own (so the others stay as they were)."""
        return rows + (perturbed_examples(rows, seed=config.seed, fraction=config.perturb_fraction)
                       if config.perturb_fraction else [])

    out: list[Example] = []
    if config.contrast_per_language:
        positives = [e for e in train if e.labels]
        negatives = [e for e in train if not e.labels]
        out += contrast_examples(positives, seed=config.seed, per_language=config.contrast_per_language,
                                 negatives=negatives)
    if config.chatter_per_language:
        out += chatter_examples(train, seed=config.seed, per_language=config.chatter_per_language)
    if config.perturb_fraction:
        out += perturbed_examples(train + out, seed=config.seed, fraction=config.perturb_fraction)
    if config.written_sets:  # after the rows above, which stay the same with and without them
        out += with_copies(load_written(config.written_sets, config.categories))
    if config.perspectives_per_language:  # after the rows above, likewise
        out += with_copies(perspective_examples(seed=config.seed, per_language=config.perspectives_per_language))
    return out


# Fields added after routes were first fingerprinted, with the value that reproduces the earlier recipe: they enter a
# fingerprint only when set otherwise, so a route trained before they existed is still found and reused.
LATER_FIELDS = {"chatter_per_language": 0, "max_negatives_by_source": {}, "written_sets": (), "ensemble": (),
                "perspectives_per_language": 0}


def route_fingerprint(route, config: TrainConfig, examples: list[Example], extra: list[Example]) -> str:
    """What a trained route depends on: its encoder and languages, the training fields and every row."""
    skip = {"encoders", "output_dir", "progress", "device", "routes", "fallback", "model_version", "data_dir"}
    fields = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()
              if k not in skip and not (k in LATER_FIELDS and v == LATER_FIELDS[k])}
    what = [route.key, route.base, list(route.languages), fields] + ([list(route.overrides)] if route.overrides else [])
    digest = hashlib.sha256(json.dumps(what, sort_keys=True,
                                       default=str).encode())
    for ex in [*examples, *extra]:
        digest.update(f"{ex.text}\x1f{ex.language}\x1f{','.join(ex.labels)}\x1e".encode())
    return digest.hexdigest()


def trained_route(route, examples: list[Example], parts: dict, config: TrainConfig, out: Path,
                  extra: list[Example]) -> tuple[dict, bool]:
    """The route's spec, trained now or reused (``True``) from an earlier run of the same fingerprint into ``out``.

    Reuse lets routes be trained one at a time (each a long CPU job) into one artefact.
    """
    fingerprint = route_fingerprint(route, config, examples, extra)
    saved = out / f"route-{route.key}.json"
    if saved.is_file():
        spec = json.loads(saved.read_text(encoding="utf-8"))
        if spec.get("fingerprint") == fingerprint and all((out / name).exists() for name in spec_files(spec)):
            log.info("route %s: reusing the adapter trained earlier with the same data and settings", route.key)
            return spec, True
    spec = finetune_route(route, examples, parts, config, out, extra_train=extra)
    spec["fingerprint"] = fingerprint
    spec["hardware"] = hardware()  # a reused route keeps the machine it was trained on (the card names it)
    saved.write_text(json.dumps(spec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return spec, False


def write_manifest(config: TrainConfig, specs: dict, routes: dict[str, str], learns_context: bool) -> Path:
    out = config.output_dir
    keep = ("base", "base_sha256", "languages", "adapter", "head", "max_length", "context_chars", "platt_scale",
            "platt_bias", "thresholds", "threshold_method", "members")
    manifest = {"format": FORMAT, "version": config.model_version, "categories": list(config.categories),
                "id2label": dict(enumerate(config.categories)), "routes": routes, "fallback": config.fallback,
                "coverage": sorted(routes), "learns_context": learns_context,
                "encoders": {key: {k: spec[k] for k in keep if k in spec} for key, spec in specs.items()}}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def run_finetune(config: TrainConfig, examples: list[Example]) -> dict:
    from classifiers.evaluation.suite import run_suite
    from classifiers.training.finetune_card import render_finetuned_card
    from classifiers.training.run import (
        _required_macro_f1,
        _worst_fpr,
        choose_routes,
        suite_per_head,
    )

    started = time.perf_counter()
    out = config.output_dir
    out.mkdir(parents=True, exist_ok=True)
    parts = split_examples(examples, config.dev_fraction, config.seed)
    train = [examples[i] for i in parts["train"]]
    reused_seconds = 0.0  # routes reused from an earlier run count with the seconds they took then
    specs, mix = {}, Counter()
    for route in routes_of(config):
        extra = augmented_rows(route.config(config), train)  # a route may set its own chatter_per_language
        ours = [e for e in train + extra if e.language in route.languages]
        log.info("route %s: %d rows from the sets, %d contrast, chatter and perturbed rows", route.key,
                 sum(e.language in route.languages for e in train), sum(e.language in route.languages for e in extra))
        mix.update(getattr(e, "kind", "real") for e in ours)
        specs[route.key], reused = trained_route(route, examples, parts, config, out, extra)
        reused_seconds += float(specs[route.key].get("train_seconds") or 0) if reused else 0.0
    kept = {name for spec in specs.values() for name in spec_files(spec)} | {f"route-{key}.json" for key in specs}
    for stale in [*out.glob("adapter-*"), *out.glob("head-*.safetensors"), *out.glob("route-*.json")]:
        if stale.name not in kept:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    write_manifest(config, specs, {lang: config.fallback for lang in config.route_languages}, True)
    per_head = suite_per_head(out, config.route_languages)
    worst = {lang: {key: _worst_fpr(per_head[key], lang) for key in per_head} for lang in config.route_languages}
    routes, comparison = choose_routes(config, specs, worst)

    # Learned reporting context vs the lexicon's fixed damping of reporting texts: keep what scores better.
    context_choice = {}
    for learns in (True, False):
        write_manifest(config, specs, routes, learns)
        context_choice[learns] = run_suite(Labeller(load(out, RunOptions(device="cpu")), load_lexicon(), None,
                                                    load_taxonomy()))
    learns_context = _suite_score(context_choice[True]) >= _suite_score(context_choice[False])
    write_manifest(config, specs, routes, learns_context)
    suite = context_choice[learns_context]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    metrics = {
        "config": recorded(config),
        "manifest": manifest,
        "examples_per_source": dict(Counter(ex.source for ex in examples)),
        "examples_per_kind": dict(mix),  # the train part and made rows, each route's languages
        "hard_negatives": sum(mix[kind] for kind in ("contrast", "chatter", "perturbed")),
        "split": {name: int(len(idx)) for name, idx in parts.items()},
        "heads": specs,
        "encoder_comparison": comparison,
        "suite_per_head": {key: {k: report[k] for k in ("accuracy", "false_positive_rate")}
                           for key, report in per_head.items()},
        "context": {"learned": _suite_score(context_choice[True]), "damped": _suite_score(context_choice[False]),
                    "chosen": "learned" if learns_context else "damped"},
        "required_macro_f1": {lang: _required_macro_f1(specs[key]["dev"].get(lang)) for lang, key in routes.items()},
        "suite": suite,
        "train_seconds_total": round(time.perf_counter() - started + reused_seconds, 1),
        "hardware": hardware(),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "README.md").write_text(render_finetuned_card(metrics), encoding="utf-8")
    log.info("fine-tuned %s into %s in %.0f s", config.model_version, out, metrics["train_seconds_total"])
    return metrics


def hardware() -> str:
    import os

    import torch

    if torch.cuda.is_available():
        return f"GPU {torch.cuda.get_device_name(0)}"
    return f"{os.cpu_count()} CPU cores ({torch.get_num_threads()} torch threads)"


def _suite_score(report: dict) -> float:
    """Mean accuracy over the suite's functionality/language cells (each cell counts once)."""
    values = list(report["accuracy"].values())
    return round(sum(values) / len(values), 4) if values else 0.0
