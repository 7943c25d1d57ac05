"""Render the model card (Markdown) from a run's metrics; written beside every trained model."""

from __future__ import annotations

from collections import Counter

from classifiers.training.data import DATASETS, MAPPING_NOTES
from classifiers.taxonomy import load_taxonomy

LIMITS = [
    "Labels of the shared sets are heuristic mappings, not gold; Russian positives are weak (topic plus "
    "inappropriateness), and recruitment positives are keyword-mined from account-level labels.",
    "English xenophobia and Russian recruitment/neo-Nazism have no real labelled data: the model relies on "
    "templated synthetic sentences and cross-lingual transfer (e5), so real-world recall there is unknown.",
    "The functional suite and identity sets are synthetic and small; they catch regressions, they do not prove fairness. "
    "The suite also informed the lexicon and the choice of routes, so its figures for rule-driven functionalities "
    "(codes, donation appeals, glorification, Russian calls to violence, the recruitment calls of lexicon v4, and "
    "lexicon v6's derogation frames and v7's threat, exclusion, disgust, stereotype and conspiracy frames, all "
    "written with the suite's misses in view) are optimistic; the frames are "
    "also tested on sentences written apart from the suite (tests/classifiers/rules/test_derogation.py).",
    "Every group's false-positive rate is measured after the group swaps (classifiers/model/counterfactual.py: a "
    "model flag on a text naming a group stands only if it survives with the group swapped for others). They "
    "reach only the 19 groups of classifiers/groups.py in the forms listed there, and they cost hate the model "
    "recognises for one group only; the weights themselves still read some positive mentions of a group as hate.",
    "Model-backed categories are labelled at thresholds well under 0.5 (see Thresholds): a score of 0.4 can be a label.",
    "Languages outside coverage are scored by the fallback head but always marked in_coverage=false and routed to review.",
    "No labelled data for Kazakh, Kyrgyz, Armenian, Tajik, Uzbek or Belarusian.",
    "Sarcasm, images and audio are not understood; coded language newer than the lexicon is missed by the rules.",
]


def _fmt(value: object) -> str:
    return "-" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def _dev_table(dev: dict) -> list[str]:
    lines = ["| language | category | support | precision | recall | F1 | PR-AUC | ECE | threshold |",
             "|---|---|---|---|---|---|---|---|---|"]
    for lang, block in dev.items():
        for cat, m in block["categories"].items():
            lines.append(f"| {lang} | {cat} | {m['support']} | {_fmt(m['precision'])} | {_fmt(m['recall'])} | "
                         f"{_fmt(m['f1'])} | {_fmt(m['pr_auc'])} | {_fmt(m['ece'])} | {_fmt(m['threshold'])} |")
        lines.append(f"| {lang} | **macro-F1** (support >= 5) | | | | {_fmt(block['macro_f1'])} | | | |")
    return lines


def card_intro(manifest: dict) -> tuple[list[str], set[str], list[str]]:
    """The card's title and purpose, the categories the model scores and those left to rules."""
    model_cats = set(manifest["categories"])
    rule_only = [c for c in load_taxonomy().names if c not in model_cats]
    return [f"# Model card: {manifest['version']}", "",
            "Multi-label classifier for the categories of the CSTO statement on countering radicalisation "
            "(classifiers/taxonomy.yaml). For triage by trained reviewers: every flag needs human review; "
            "never use it to judge people or to associate any religion, nationality or ethnic group with extremism.",
            ""], model_cats, rule_only


def render_model_card(metrics: dict) -> str:
    cfg, manifest = metrics["config"], metrics["manifest"]
    intro, model_cats, rule_only = card_intro(manifest)
    sources = Counter(metrics["examples_per_source"])
    out = intro + [
           "## Architecture",
           f"Small heads (MLP, hidden {cfg['hidden']}) over frozen sentence encoders; only the heads are stored here. "
           f"Routes by language: {manifest['routes']}; other languages use the `{manifest['fallback']}` head and are "
           f"marked outside coverage. Encoders: " + ", ".join(f"`{k}` = {v['encoder']}" for k, v in manifest["heads"].items()) + ".",
           "Probabilities are Platt-calibrated per category. Windows of long texts are pooled by maximum.", "",
           "Scored by the model: " + ", ".join(sorted(model_cats)) + ".",
           "**No supporting labelled data, scores come from the rule lexicon and the known-content bank only:** "
           + ", ".join(rule_only) + ".", "",
           "## Training data", "| set | language | licence | examples used |", "|---|---|---|---|"]
    for name, count in sorted(sources.items()):
        what, lang, licence = DATASETS.get(name, (name, "?", "?"))
        out.append(f"| {what} | {lang} | {licence} | {count} |")
    out += ["", "**Licence consequence:** the Russian set is CC BY-NC-SA 4.0, so this model, trained on it, may be used "
            "for non-commercial purposes only and must be shared under the same terms. Commercial users must set "
            "`exclude_sources: [ru-sensitive-topics]` in the training config and retrain (Russian then relies on synthetic "
            "data and cross-lingual transfer).", "",
            f"Subsampled to keep CPU training modest: at most {cfg['max_negatives_per_source']} negatives per set and "
            f"{cfg['max_positives_per_label']} positives per label per set (seed {cfg['seed']}). HateCheck, Multilingual "
            "HateCheck and ETHOS were not used for training or tuning.", "", "Label mapping:"]
    out += [f"- {note}" for note in MAPPING_NOTES]
    out += ["", "## Dev split", f"Stratified by set, language and labels: {metrics['split']}. The calibration part fits Platt "
            "scaling and chooses thresholds; figures below are on the test part.", ""]
    for key, head in metrics["heads"].items():
        out += [f"### Head `{key}` ({head['encoder']})", ""] + _dev_table(head["dev"]) + [""]
    out += ["## Thresholds", f"Per category: the best-F1 threshold among those reaching precision {cfg['target_precision']} "
            "on the calibration part; otherwise best F1; 0.5 with fewer than 5 positives. Rule and known-item scores are "
            "labelled at the taxonomy threshold (0.5).", ""]
    for key, head in manifest["heads"].items():
        out.append(f"- `{key}`: " + "; ".join(f"{c} {t} ({head['threshold_method'][c]})" for c, t in head["thresholds"].items()))
    out += ["", "## Encoder comparison", "Per language: dev macro-F1 of each head, and its worst false-positive rate on the "
            "functional suite's identity and news/counter-speech sets (rules included). The route goes to the head with "
            "the best macro-F1 minus that rate.", "", "| language | head | dev macro-F1 | worst FPR |", "|---|---|---|---|"]
    for lang, by_head in metrics["encoder_comparison"].items():
        for key, row in by_head.items():
            out.append(f"| {lang} | {key} | {_fmt(row['macro_f1'])} | {_fmt(row['worst_fpr'])} |")
    out += ["", f"Chosen routes: {manifest['routes']}.", "",
            f"**Required macro-F1** (incitement, recruitment, neo_nazism, xenophobia; routed heads, per language): "
            f"{metrics['required_macro_f1']}", "", "## Functional suite (synthetic, English and Russian)",
            "| functionality/language | cases | accuracy |", "|---|---|---|"]
    suite = metrics["suite"]
    out += [f"| {k} | {suite['cases'][k]} | {_fmt(v)} |" for k, v in suite["accuracy"].items()]
    out += ["", "False-positive rate per identity group (held-out neutral and positive sentences) and on news/counter-speech:", "",
            "| group/language | FPR |", "|---|---|"]
    out += [f"| {k} | {_fmt(v)} |" for k, v in suite["false_positive_rate"].items()]
    out += ["", "## Known limits"] + [f"- {x}" for x in LIMITS] + [""]
    return "\n".join(out)
