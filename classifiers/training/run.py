"""One training run end to end; the CLI's ``vigil train`` is a shell over :func:`run_training`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from classifiers.evaluation.suite import run_suite
from classifiers.labeller import Labeller
from classifiers.model.predict import HeadClassifier, RunOptions
from classifiers.rules.matcher import load_lexicon
from classifiers.taxonomy import load_taxonomy
from classifiers.training.config import TrainConfig, recorded
from classifiers.training.data import Example
from classifiers.training.model_card import render_model_card
from classifiers.training.train import choose_routes, gather_examples, train_heads, write_artefact
from vigil.logs import get_logger

log = get_logger(__name__)
REQUIRED = ("incitement", "recruitment", "neo_nazism", "xenophobia")


def suite_per_head(folder: Path, languages: tuple[str, ...]) -> dict[str, dict[str, dict]]:
    """The functional suite with every language forced onto each head in turn (rules and model together)."""
    from classifiers.model.predict import load

    model = load(folder, RunOptions(device="cpu"))
    labeller = Labeller(model, load_lexicon(), None, load_taxonomy())
    results = {}
    for key in model.head_keys:
        model.routes = {lang: key for lang in languages}
        results[key] = run_suite(labeller)
    return results


def run_training(config: TrainConfig, extra: list[Example] | None = None) -> dict:
    examples = gather_examples(config, extra)
    if config.method == "finetune":
        from classifiers.training.finetune_run import run_finetune

        return run_finetune(config, examples)
    trained, tensors = train_heads(config, examples)
    provisional = {lang: config.fallback for lang in config.route_languages}
    folder = write_artefact(config, trained, tensors, provisional)
    per_head = suite_per_head(folder, config.route_languages)
    worst = {lang: {key: _worst_fpr(per_head[key], lang) for key in per_head} for lang in config.route_languages}
    routes, comparison = choose_routes(config, trained["heads"], worst)
    write_artefact(config, trained, tensors, routes)
    final = Labeller(HeadClassifier(folder, RunOptions(device="cpu")), load_lexicon(), None, load_taxonomy())
    manifest = json.loads((folder / "vigil_model.json").read_text(encoding="utf-8"))
    metrics = {
        "config": recorded(config),
        "manifest": manifest,
        "examples_per_source": dict(Counter(ex.source for ex in examples)),
        "split": trained["split"],
        "heads": trained["heads"],
        "encoder_comparison": comparison,
        "suite_per_head": {key: {k: report[k] for k in ("accuracy", "false_positive_rate")}
                           for key, report in per_head.items()},
        "required_macro_f1": {
            lang: _required_macro_f1(trained["heads"][key]["dev"].get(lang)) for lang, key in routes.items()},
        "suite": run_suite(final),
    }
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(render_model_card(metrics), encoding="utf-8")
    log.info("trained %s into %s", config.model_version, folder)
    return metrics


def heldout_rows(config: TrainConfig, extra: list[Example] | None = None) -> list[dict]:
    """The test part of the split ``run_training`` makes from the same config and extra examples,
    as labelled rows; the retrain gate scores every model on these same rows."""
    from classifiers.training.split import split_examples

    examples = gather_examples(config, extra)
    test = split_examples(examples, config.dev_fraction, config.seed)["test"]
    return [{"text": examples[i].text, "labels": list(examples[i].labels), "language": examples[i].language,
             "source": examples[i].source, "kind": getattr(examples[i], "kind", "real")} for i in test]


def gate_scores(model: str | Path, rows: list[dict]) -> dict:
    """What the retrain gate compares, for ``model`` (rules and model together): ``required_macro_f1``
    per language on ``rows``, ``false_positive_rate`` per language (the share of the negatives among ``rows``
    given any label, as ``vigil classify`` labels: reviewers' wasted work), and ``group_flags``, the functional
    suite's neutral and positive mentions of each group flagged, ``{"<group>/<language>": [flagged, cases]}``, by the model without its
    group swaps (:mod:`classifiers.model.counterfactual`) or its quotation check (:mod:`classifiers.model.quotes`):
    they would clear what the gate is there to see, weights that associate a group with extremism more often
    than the model in force. ``required_rows`` holds, per language, each row's gold and flagged required
    categories as bit masks (bit ``i`` for ``REQUIRED[i]``), so that the gate can resample the same rows
    for both models (:func:`flows.retrain.paired_gate`)."""
    from classifiers.evaluation.evaluate import evaluate_rows
    from classifiers.evaluation.functional import identity_cases
    from classifiers.model.predict import load

    labeller = Labeller(load(model, RunOptions(device="cpu")), load_lexicon(), None, load_taxonomy())
    by_language: dict[str, list[dict]] = {}
    for row in rows:
        by_language.setdefault(row["language"], []).append(row)
    figures, masks = {}, {}
    for lang, part in sorted(by_language.items()):
        decisions = labeller.label_texts([r["text"] for r in part], [r.get("language") for r in part])
        figures[lang] = evaluate_rows(labeller, part, decisions)
        masks[lang] = {"gold": [required_mask(r["labels"]) for r in part],
                       "flagged": [required_mask(d.labels) for d in decisions]}
    return {"required_macro_f1": {lang: _required_macro_f1(f) for lang, f in figures.items()},
            "required_rows": masks,
            "false_positive_rate": {lang: f["binary_labels"]["fpr"] for lang, f in figures.items()},
            "group_flags": run_suite(replace(labeller, group_swaps=0, quotes=False), identity_cases())["group_flags"]}


def required_mask(labels: Sequence[str]) -> int:
    """The required categories among ``labels`` as one integer: bit ``i`` for ``REQUIRED[i]``."""
    return sum(1 << i for i, category in enumerate(REQUIRED) if category in labels)


def _worst_fpr(report: dict, lang: str) -> float:
    return max((v for k, v in report["false_positive_rate"].items() if k.endswith("/" + lang)), default=0.0)


def _required_macro_f1(block: dict | None) -> float | None:
    if not block:
        return None
    values = [block["categories"][c]["f1"] for c in REQUIRED if block["categories"][c]["support"] >= 5]
    return round(sum(values) / len(values), 4) if values else None
