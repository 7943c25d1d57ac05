"""The item page (``/items/{document_id}``): the text with its evidence, the scores and why, the
document's facts, its thread and copies, the raw JSON, and the decision form with its shortcuts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from markupsafe import Markup

from classifiers.labeller import resolve_model
from classifiers.taxonomy import load_taxonomy
from dashboards.accounts import second_reviews
from dashboards.accounts.claims import Claim
from dashboards.accounts.models import Role, User
from dashboards.accounts.store import AccountStore
from dashboards.i18n import N_
from dashboards.review import item as stored
from dashboards.review.audit import AuditRow, decisions_on
from dashboards.review.evidence import DISPLAY_CHARS, highlight, locate
from dashboards.review.priority import Priority, priority
from dashboards.review.queue import QueueFilters
from dashboards.review.related import RelatedDocument, near_duplicates, thread
from dashboards.review.wellbeing import leave_href, should_blur
from dashboards.review.workflow import neighbours
from dashboards.views.model_info import applied_thresholds, model_manifest
from dashboards.views.review_labels import LAYER_LABELS, SEVERITY_LABELS, VERDICT_LABELS, category_label
from vigil.schemas import CATEGORIES, Evidence
from vigil.settings import Settings
from vigil.warehouse import Warehouse

REVIEWED_ITEM = re.compile(r"review:([0-9a-f]{32})")  # a known item added by a reviewer's confirmation
# (action, label, key, button style): the decision buttons and their keyboard shortcuts.
ACTIONS = (("confirm", N_("Confirm"), "c", "primary"), ("reject", N_("Reject: false positive"), "r", "danger"),
           ("escalate", N_("Escalate"), "e", ""), ("unsure", N_("Unsure"), "u", ""))


@dataclass(frozen=True)
class KnownRef:
    item_id: str
    similarity: float | None
    href: str | None  # the reviewed document a "review:<id>" item came from


@dataclass(frozen=True)
class CategoryRow:
    name: str
    label: str  # English; the template translates
    severity: str  # English
    score: float | None
    threshold: float
    labelled: bool  # the model's (combined) label
    checked: bool  # ticked on the form
    key: str  # keyboard shortcut that ticks it
    model_windows: list[str]
    rules: list[str]
    known: list[KnownRef]


@dataclass(frozen=True)
class Link:
    url: str  # shown as text, never as a live link
    leave_href: str | None  # the warning page; None when the URL may not be opened (not http/https)


@dataclass(frozen=True)
class Action:
    value: str
    label: str  # English
    key: str
    style: str
    needs_reason: bool


@dataclass(frozen=True)
class Unplaced:
    category: str  # English label
    layer: str  # English label
    text: str


@dataclass(frozen=True)
class Decided:
    decision: AuditRow
    verdict_label: str  # English
    labels: list[str]  # English


@dataclass(frozen=True)
class FormState:
    """What the decision form shows: the model's labels at first, the reviewer's choice after a refusal."""

    categories: tuple[str, ...] | None = None
    note: str = ""
    error: str | None = None  # translated by the template


@dataclass(frozen=True)
class ItemView:
    document: stored.StoredDocument
    heading: str | None  # the title or thread title (crawled, so blurred with the text)
    classification: stored.StoredClassification | None
    text_html: Markup
    truncated: bool
    unplaced: list[Unplaced]
    categories: list[CategoryRow]
    evidence_categories: list[CategoryRow]  # those with some evidence: the highlight toggles
    priority: Priority | None
    priority_category: str  # English label of the category that sets the priority ("" without one)
    blurred: bool
    url: Link
    links: list[Link]
    views: int | None
    forwarded_from: str | None
    media: list[Link]
    thread_before: list[RelatedDocument]
    thread_after: list[RelatedDocument]
    duplicates: list[RelatedDocument]
    decisions: list[Decided]
    blind: bool  # a second review: earlier decisions are hidden
    claim: Claim | None
    claim_is_mine: bool
    can_decide: bool  # the user's role may decide and they hold the claim
    is_reviewer: bool
    actions: list[Action]
    reason_actions: list[str]  # English labels of the actions that need a note
    relabel_needs_reason: bool  # confirming other categories than the model's needs a note
    form: FormState
    filters_query: str
    previous_href: str | None
    next_href: str | None
    raw_document: str
    raw_classification: str
    layers: list[tuple[str, str]] = field(default_factory=lambda: list(LAYER_LABELS.items()))


def item_view(warehouse: Warehouse, accounts: AccountStore, settings: Settings, user: User,
              document: stored.StoredDocument, claim: Claim | None, filters: QueueFilters,
              form: FormState | None = None) -> ItemView:
    classification = stored.latest_classification(warehouse, document.id)
    labels = classification.labels if classification else []
    form = form or FormState()
    checked = set(labels if form.categories is None else form.categories)
    shown = document.text[:DISPLAY_CHARS]
    evidence = classification.evidence if classification else []
    placed = [(item, locate(shown, item)) for item in evidence]
    blind = second_reviews.blind_for(accounts, document.id, user.id) is not None
    is_reviewer = user.can(Role.reviewer)
    previous, following = neighbours(accounts, warehouse, settings, user, filters, document.id) if is_reviewer \
        else (None, None)
    query = filters.query()
    before, after = thread(warehouse, document)
    applied = applied_thresholds(model_manifest(resolve_model(settings)), classification.model_version,
                                 classification.language) if classification else {}
    categories = _categories(classification, evidence, checked, applied)
    actions = [Action(value, label, key, style, value in settings.dashboards.reason_required_for)
               for value, label, key, style in ACTIONS]
    mine = claim is not None and claim.user_id == user.id
    ranked = priority(classification.scores, labels, document.extra, document.posted_at, datetime.now(timezone.utc),
                      settings.dashboards.priority_half_life_hours) if classification and labels else None
    views = document.extra.get("views")
    return ItemView(
        document=document, heading=document.title or document.thread_title, classification=classification,
        text_html=highlight(shown, [span for _, span in placed if span is not None]),
        truncated=len(document.text) > DISPLAY_CHARS,
        unplaced=[Unplaced(category_label(e.category), LAYER_LABELS.get(e.layer, e.layer), e.text)
                  for e, span in placed if span is None],
        categories=categories,
        evidence_categories=[row for row in categories if row.model_windows or row.rules or row.known],
        priority=ranked,
        priority_category=category_label(ranked.category) if ranked and ranked.category else "",
        blurred=should_blur(labels, user.blur_media),
        url=_link(document.url), links=[_link(url) for url in document.links],
        views=views if isinstance(views, int) else None,
        forwarded_from=str(document.extra.get("forwarded_from") or "") or None,
        media=[_link(url) for url in document.extra.get("media", []) if isinstance(url, str)],
        thread_before=before, thread_after=after,
        duplicates=near_duplicates(warehouse, document),
        decisions=[] if blind else [_decided(d) for d in decisions_on(warehouse, document.id)],
        blind=blind, claim=claim, claim_is_mine=mine, is_reviewer=is_reviewer, can_decide=is_reviewer and mine,
        actions=actions, reason_actions=[action.label for action in actions if action.needs_reason],
        relabel_needs_reason="relabel" in settings.dashboards.reason_required_for,
        form=FormState(tuple(sorted(checked)), form.note, form.error), filters_query=query,
        previous_href=_href(previous, query), next_href=_href(following, query),
        raw_document=stored.to_json(document.raw),
        raw_classification=stored.to_json(classification.raw) if classification else "",
    )


def _categories(classification: stored.StoredClassification | None, evidence: list[Evidence],
                checked: set[str], applied: dict[str, float]) -> list[CategoryRow]:
    """One row per category; its threshold is the one the model applied for the document's language
    (``applied``), or the taxonomy's where the model has none for it."""
    taxonomy = load_taxonomy().categories
    rows = []
    for number, name in enumerate(CATEGORIES, start=1):
        mine = [e for e in evidence if e.category == name]
        rows.append(CategoryRow(
            name=name, label=category_label(name), severity=SEVERITY_LABELS.get(taxonomy[name].severity, ""),
            score=classification.scores.get(name) if classification else None, threshold=applied.get(name, taxonomy[name].threshold),
            labelled=classification is not None and name in classification.labels, checked=name in checked,
            key=str(number), model_windows=[e.text for e in mine if e.layer == "model"],
            rules=[e.text for e in mine if e.layer == "rules"],
            known=[KnownRef(e.known_item_id or "", e.similarity, _known_href(e.known_item_id))
                   for e in mine if e.layer == "known"]))
    return rows


def _known_href(item_id: str | None) -> str | None:
    found = REVIEWED_ITEM.fullmatch(item_id or "")
    return f"/items/{found.group(1)}" if found else None


def _decided(decision: AuditRow) -> Decided:
    return Decided(decision, VERDICT_LABELS.get(decision.verdict, decision.verdict),
                   [category_label(label) for label in decision.labels])


def _link(url: str) -> Link:
    return Link(url, leave_href(url))


def _href(document_id: str | None, query: str) -> str | None:
    if document_id is None:
        return None
    return f"/items/{document_id}" + (f"?{query}" if query else "")
