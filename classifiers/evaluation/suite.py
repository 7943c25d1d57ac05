"""Run the functional suite through a labeller and report it.

Figures, each per language: accuracy per functionality; the false-positive rate per group on
its neutral and positive mentions (``identity_*`` cases), with the flagged and total counts the
retrain gate compares; the worst group; the must-not-flag rate over news, counter-speech,
negation, history and the statement (``news_counter_speech``); the statement's paragraphs
flagged; and a summary block, per language in ``by_language[lang]["summary"]`` and flat in
``summary`` (``"<figure>/<language>"``, in the issue's order, then ``statement_paragraphs_flagged``):

- ``functional_accuracy``: the mean accuracy over the functionalities (each weighs the same;
  every functionality of this suite is within the taxonomy's scope);
- ``slur_recall``, ``derogation_recall``, ``profanity_recall``: hate flagged (any hate category);
- ``<variant>_recall`` for each spelling variant (``spell_leet_recall``, ...);
- ``negation_not_flagged``, ``counter_quote_not_flagged``, ``counter_reference_not_flagged``,
  ``counter_attributed_not_flagged`` (a claim attributed and rejected without quotation marks), and
  ``attributed_endorsed_recall`` (the same attributions endorsed);
- ``worst_group_fpr`` and ``worst_group`` (neutral and positive mentions);
- ``recruitment_recall``: over all recruitment calls (join, travel, pledge, contact);
- ``chatter_recall``: direct hate set inside everyday chatter (``hate_in_chatter``);
- ``statement_flagged``: the statement's paragraphs flagged (``None`` in a language it is not in).

The labeller needs only ``label_texts(texts, languages)`` returning objects with ``labels``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from classifiers.evaluation.functional import IN_CHATTER, STATEMENT, Case, functional_cases
from classifiers.evaluation.spelling import VARIANTS
from classifiers.evaluation.templates_hateful import RECRUITMENT

IDENTITY_PREFIX = "identity_"
CONTRAST_BUCKET = "news_counter_speech"


class Labels(Protocol):
    labels: list[str]


class CanLabel(Protocol):
    def label_texts(self, texts: list[str], languages: list[str | None] | None = None) -> list[Labels]: ...


def _correct(case: Case, labels: list[str]) -> bool:
    return bool(set(labels) & set(case.expected)) if case.expected else not labels


def _rate(counts: list[int]) -> float:
    return round(counts[0] / counts[1], 4) if counts[1] else 0.0


def run_suite(labeller: CanLabel, cases: list[Case] | None = None) -> dict:
    """Figures for the model card; languages are given, not detected, so each case tests its language."""
    cases = cases if cases is not None else functional_cases()
    decisions = labeller.label_texts([c.text for c in cases], [c.language for c in cases])
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    fp: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures = []
    for case, decision in zip(cases, decisions):
        ok = _correct(case, decision.labels)
        key = f"{case.functionality}/{case.language}"
        tally[key][0] += ok
        tally[key][1] += 1
        if not case.expected:
            identity = case.functionality.startswith(IDENTITY_PREFIX) and case.group
            bucket = f"{case.group if identity else CONTRAST_BUCKET}/{case.language}"
            fp[bucket][0] += bool(decision.labels)
            fp[bucket][1] += 1
        if not ok:
            failures.append({"functionality": case.functionality, "language": case.language,
                             "group": case.group, "labels": list(decision.labels)})
    group_flags = {k: list(v) for k, v in sorted(fp.items()) if not k.startswith(CONTRAST_BUCKET + "/")}
    languages = sorted({c.language for c in cases})
    report = {
        "accuracy": {k: _rate(v) for k, v in sorted(tally.items())},
        "cases": {k: n for k, (_, n) in sorted(tally.items())},
        "false_positive_rate": {k: _rate(v) for k, v in sorted(fp.items())},
        "group_flags": group_flags,
        "max_identity_fpr": max((_rate(v) for v in group_flags.values()), default=0.0),
        "failures": failures,
    }
    report["by_language"] = {lang: _language_block(report, lang) for lang in languages}
    report["statement"] = _statement_block(tally)
    for lang in languages:
        report["by_language"][lang]["summary"] = _summary(report, tally, lang)
    report["summary"] = {f"{key}/{lang}": report["by_language"][lang]["summary"][key]
                         for key, _ in SUMMARY_ROWS for lang in languages}
    report["summary"]["statement_paragraphs_flagged"] = report["statement"]["flagged"]
    return report


def _language_block(report: dict, lang: str) -> dict:
    suffix = "/" + lang
    accuracy = {k[:-len(suffix)]: v for k, v in report["accuracy"].items() if k.endswith(suffix)}
    groups = {k[:-len(suffix)]: _rate(v) for k, v in report["group_flags"].items() if k.endswith(suffix)}
    worst = max(sorted(groups.items()), key=lambda kv: kv[1], default=(None, 0.0))  # ties: the first by name
    return {"accuracy": accuracy, "group_fpr": groups, "worst_group": worst[0] if worst[1] else None,
            "worst_group_fpr": worst[1],
            "news_counter_speech_fpr": report["false_positive_rate"].get(CONTRAST_BUCKET + suffix)}


def _statement_block(tally: dict[str, list[int]]) -> dict:
    counts = [0, 0]
    for key, (ok, n) in tally.items():
        if key.startswith(STATEMENT + "/"):
            counts[0] += n - ok
            counts[1] += n
    return {"paragraphs": counts[1], "flagged": counts[0]}


def _pooled(tally: dict[str, list[int]], names: tuple[str, ...] | list[str], lang: str) -> float | None:
    ok = sum(tally[f"{n}/{lang}"][0] for n in names if f"{n}/{lang}" in tally)
    total = sum(tally[f"{n}/{lang}"][1] for n in names if f"{n}/{lang}" in tally)
    return round(ok / total, 4) if total else None


def _misses(tally: dict[str, list[int]], key: str) -> int | None:
    return tally[key][1] - tally[key][0] if key in tally else None


def _summary(report: dict, tally: dict[str, list[int]], lang: str) -> dict:
    block = report["by_language"][lang]
    accuracies = list(block["accuracy"].values())
    return {
        "functional_accuracy": round(sum(accuracies) / len(accuracies), 4) if accuracies else None,
        "slur_recall": _pooled(tally, ["slur"], lang),
        "derogation_recall": _pooled(tally, ["derogation"], lang),
        "profanity_recall": _pooled(tally, ["profanity_hate"], lang),
        **{f"{v}_recall": _pooled(tally, [v], lang) for v in VARIANTS},
        "negation_not_flagged": _pooled(tally, ["negation"], lang),
        "counter_quote_not_flagged": _pooled(tally, ["counter_speech_quote"], lang),
        "counter_reference_not_flagged": _pooled(tally, ["counter_speech_reference"], lang),
        "counter_attributed_not_flagged": _pooled(tally, ["counter_speech_attributed"], lang),
        "attributed_endorsed_recall": _pooled(tally, ["attributed_endorsed"], lang),
        "worst_group_fpr": block["worst_group_fpr"],
        "worst_group": block["worst_group"],
        "recruitment_recall": _pooled(tally, RECRUITMENT, lang),
        "chatter_recall": _pooled(tally, [IN_CHATTER], lang),
        "statement_flagged": _misses(tally, f"{STATEMENT}/{lang}"),
    }


SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("functional_accuracy", "functional accuracy (mean over functionalities)"),
    ("slur_recall", "recall: slurs"),
    ("derogation_recall", "recall: derogation"),
    ("profanity_recall", "recall: profanity-laden hate"),
    *((f"{v}_recall", f"recall: {v.replace('_', ' ')}") for v in VARIANTS),
    ("negation_not_flagged", "not flagged: negated hate"),
    ("counter_quote_not_flagged", "not flagged: counter-speech quoting hate"),
    ("counter_reference_not_flagged", "not flagged: counter-speech referring to hate"),
    ("counter_attributed_not_flagged", "not flagged: a claim attributed and rejected"),
    ("attributed_endorsed_recall", "recall: a claim attributed and endorsed"),
    ("worst_group_fpr", "worst group FPR (neutral and positive mentions)"),
    ("worst_group", "worst group"),
    ("recruitment_recall", "recall: recruitment calls"),
    ("chatter_recall", "recall: hate inside everyday chatter"),
    ("statement_flagged", "statement paragraphs flagged"),
)
