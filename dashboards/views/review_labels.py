"""How the reviewers' pages name categories, verdicts and evidence layers (English; templates translate)."""

from __future__ import annotations

from dashboards.i18n import N_

CATEGORY_LABELS: dict[str, str] = {
    "incitement": N_("Incitement"),
    "recruitment": N_("Recruitment"),
    "neo_nazism": N_("Neo-Nazism"),
    "xenophobia": N_("Xenophobia"),
    "terrorism_justification": N_("Justification of terrorism"),
    "racism": N_("Racism"),
    "religious_intolerance": N_("Religious intolerance"),
    "aggressive_nationalism": N_("Aggressive nationalism"),
    "financing": N_("Financing"),
}
VERDICT_LABELS: dict[str, str] = {
    "confirm": N_("Confirmed"),
    "relabel": N_("Relabelled"),
    "reject": N_("Rejected (false positive)"),
    "escalate": N_("Escalated"),
    "unsure": N_("Unsure"),
}
LAYER_LABELS: dict[str, str] = {"model": N_("model window"), "rules": N_("matched rule"), "known": N_("known item")}
SEVERITY_LABELS: dict[str, str] = {"critical": N_("critical"), "high": N_("high"), "medium": N_("medium"),
                                   "low": N_("low")}


def category_label(name: str) -> str:
    """The English label of a category; an unknown name (from an old classifier) stays as it is."""
    return CATEGORY_LABELS.get(name, name)
