"""The agreement page (``/audit/agreement``): how often second reviews agree with first ones (Cohen's
kappa per category), and each reviewer's decisions and median decision time (claim to decision)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from dashboards.accounts import decision_times, second_reviews
from dashboards.accounts.store import AccountStore
from dashboards.i18n import N_
from dashboards.review.agreement import ANY, Agreement, Judgement, agreement
from dashboards.review.audit import decisions_by_id, verdict_counts
from dashboards.views.review_labels import VERDICT_LABELS, category_label
from vigil.warehouse import Warehouse


@dataclass(frozen=True)
class AgreementRow:
    label: str  # English
    agreement: Agreement


@dataclass(frozen=True)
class ReviewerStats:
    name: str
    decisions: int
    by_verdict: list[int]  # in the order of AgreementView.verdicts
    median_seconds: int | None  # rounded to the second


@dataclass(frozen=True)
class AgreementView:
    rows: list[AgreementRow]
    compared: int  # completed second reviews found in the warehouse
    awaiting: int  # completed, but a decision is not in the warehouse yet
    open: int  # assigned, not yet decided
    verdicts: list[str]  # English labels, the columns of the reviewers' table
    reviewers: list[ReviewerStats]


def agreement_view(warehouse: Warehouse, accounts: AccountStore) -> AgreementView:
    done = second_reviews.completed(accounts)
    found = decisions_by_id(warehouse, [i for r in done for i in (r.first_decision_id, r.second_decision_id) if i])
    pairs = [(found[r.first_decision_id], found[r.second_decision_id or ""]) for r in done
             if r.first_decision_id in found and (r.second_decision_id or "") in found]
    judged = [(Judgement(a.verdict, tuple(a.labels)), Judgement(b.verdict, tuple(b.labels))) for a, b in pairs]
    counts, times = verdict_counts(warehouse), decision_times.seconds_by_reviewer(accounts)
    return AgreementView(
        rows=[AgreementRow(N_("Propaganda at all") if a.category == ANY else category_label(a.category), a)
              for a in agreement(judged)],
        compared=len(pairs), awaiting=len(done) - len(pairs), open=second_reviews.open_count(accounts),
        verdicts=list(VERDICT_LABELS.values()),
        reviewers=[ReviewerStats(name, sum(counts.get(name, {}).values()),
                                 [counts.get(name, {}).get(v, 0) for v in VERDICT_LABELS],
                                 round(statistics.median(times[name])) if times.get(name) else None)
                   for name in sorted(set(counts) | set(times))],
    )
