"""Run the functional suite through a labeller: accuracy per functionality, false-positive rate per group."""

from __future__ import annotations

from collections import defaultdict

from classifiers.evaluation.functional import Case, functional_cases
from classifiers.labeller import Labeller

CONTRASTS = ("news_attack_arrest", "counter_speech_quote", "condemnation", "historical_educational", "negation")


def _correct(case: Case, labels: list[str]) -> bool:
    return bool(set(labels) & set(case.expected)) if case.expected else not labels


def run_suite(labeller: Labeller, cases: list[Case] | None = None) -> dict:
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
            bucket = case.group if case.group else ("news_counter_speech" if case.functionality in CONTRASTS else None)
            if bucket:
                fp[f"{bucket}/{case.language}"][0] += bool(decision.labels)
                fp[f"{bucket}/{case.language}"][1] += 1
        if not ok:
            failures.append({"functionality": case.functionality, "language": case.language,
                             "group": case.group, "labels": decision.labels})
    return {
        "accuracy": {k: round(ok / n, 4) for k, (ok, n) in sorted(tally.items())},
        "cases": {k: n for k, (_, n) in sorted(tally.items())},
        "false_positive_rate": {k: round(bad / n, 4) for k, (bad, n) in sorted(fp.items())},
        "max_identity_fpr": max((bad / n for k, (bad, n) in fp.items() if not k.startswith("news_")), default=0.0),
        "failures": failures,
    }
