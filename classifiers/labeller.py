"""The classify stage: texts or Documents in, one decision per taxonomy category out.

Every entry point (``vigil classify``, the bus consumer, flows) is a thin shell over
:func:`classify_documents` or :meth:`Labeller.label_texts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from classifiers.combine import Decision, ModelPart, combine
from classifiers.groups import GROUPS
from classifiers.known.bank import KnownBank, default_bank_path
from classifiers.language import detect_language
from classifiers.model.counterfactual import group_blind
from classifiers.model.predict import MANIFEST, ModelClassifier, Prediction, RunOptions, load
from classifiers.model.quotes import cited_only
from classifiers.model.targets import untargeted
from classifiers.rules.fold import Folded
from classifiers.rules.matcher import Lexicon, load_lexicon
from classifiers.rules.readable import original_span, readable_views
from classifiers.rules.respell import Speller
from classifiers.taxonomy import Taxonomy, load_taxonomy
from vigil.logs import get_logger
from vigil.schemas import Classification, Document
from vigil.settings import Settings

log = get_logger(__name__)

# The model reads at most this much of a document (hundreds of windows); rules and
# known-item matching always see the whole text.
MAX_MODEL_CHARS = 50_000


@dataclass
class Labeller:
    model: ModelClassifier | None
    lexicon: Lexicon
    bank: KnownBank | None
    taxonomy: Taxonomy
    respell: bool = True  # model and rules also read misspelt key terms restored (classifiers/rules/respell.py)
    group_swaps: int = 6  # readings with the named groups swapped; a model flag needs a third flagged (0: off)
    quotes: bool = True  # a model flag only a short text's quotations carry is damped (classifiers/model/quotes.py)
    untargeted: float = 0.5  # a group category's model flag on a text naming no group is multiplied by this (1: off)
    speller: Speller | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        if self.respell:
            self.speller = default_speller(self.lexicon)

    @property
    def version(self) -> str:
        model = self.model.version if self.model else "rules-only"
        return f"{model}+lexicon.v{self.lexicon.version}+taxonomy.v{self.taxonomy.version}"

    def label_texts(self, texts: list[str], languages: list[str | None] | None = None) -> list[Decision]:
        if self.bank is not None:
            self.bank.refresh()
        langs = [lang or detect_language(text) for text, lang in zip(texts, languages or [None] * len(texts))]
        parts: list[ModelPart | None] = [None] * len(texts)
        # Readable views of what the model reads (at most MAX_MODEL_CHARS): the model scores them, and the rules
        # match them besides the whole text, so a misspelt or glued key term is found by both layers.
        views = [readable_views(text[:MAX_MODEL_CHARS], self.speller) for text in texts]
        # The rules read a text in its language (a language file's forms are read in its texts only); an obfuscated
        # text's language is told from its readable view: "c1g4n0s s4o t0d0s l4dr03s" reads as English,
        # "ciganos sao todos ladroes" as Portuguese.
        rule_langs = [lang if given or not readable else detect_language(readable[0].text)
                      for lang, given, readable in zip(langs, languages or [None] * len(texts), views)]
        rules = [self.lexicon.match(text, readable, lang) for text, readable, lang in zip(texts, views, rule_langs)]
        if self.model is not None and texts:
            read = [t[:MAX_MODEL_CHARS] for t in texts]
            pred = predict_with_readable_views(self.model, read, langs, self.speller, views)
            # The group swaps check what the model alone flags: a text the rules flag is flagged whatever it names.
            ruled = [any(m.score >= self.taxonomy.categories[m.category].threshold for m in found) for found in rules]
            pred, cleared = group_blind(self.model, pred, read, langs, self.group_swaps, skip=ruled)
            if cleared:
                log.debug("model flags cleared by group swaps", extra={"texts": len(texts), "cleared": cleared})
            # The checks below leave alone a text the rules flag, and an obfuscated one: its flag may come from a
            # readable view a re-read would not see, and the group's name is what obfuscation hides.
            settled = [r or bool(v) for r, v in zip(ruled, views)]
            # Quoted words, and claims the text attributes and rejects ("saying X are criminals is wrong"), are
            # cited, not said: a flag only they carry is damped as such a rule hit is.
            factor = self.lexicon.context_factor if self.quotes else 1.0
            pred, damped = cited_only(self.model, pred, read, langs, factor, skip=settled, claims=self.lexicon.claims)
            if damped:
                log.debug("model flags carried by quotations damped", extra={"texts": len(texts), "damped": damped})
            # A derogation the text denies ("X are not vermin") says no hate: a flag only it carries falls to the
            # reading without it.
            pred, denied = cited_only(self.model, pred, read, langs, 0.0 if self.quotes else 1.0,
                                      skip=settled, spans_of=self.lexicon.denials)
            if denied:
                log.debug("model flags carried by denied derogations cleared", extra={"texts": len(texts),
                                                                                    "cleared": denied})
            # Xenophobia, racism and religious intolerance are hate of a group: a flag on a text that names none
            # ("Чиновники — это воры") is damped, except in a language the lexicon lists no group words for.
            pred, untargeted_flags = untargeted(
                pred, lambda i: self.lexicon.names_target(read[i], views[i], rules[i]), self.lexicon.group_categories,
                self.untargeted, skip=[done or lang not in self.lexicon.target_languages
                                       for done, lang in zip(settled, langs)])
            if untargeted_flags:
                log.debug("model flags of a group category on texts naming no group damped",
                          extra={"texts": len(texts), "damped": untargeted_flags})
            cats = pred.categories
            parts = [ModelPart(dict(zip(cats, map(float, pred.probabilities[i]))),
                               dict(zip(cats, map(float, pred.thresholds[i]))), dict(zip(cats, pred.spans[i])))
                     for i in range(len(texts))]
        coverage = self.model.coverage if self.model else frozenset()
        # A model that learned reporting context (fine-tuned on counter-speech frames) is not damped again.
        damp = not getattr(self.model, "learns_context", False)
        return [
            combine(text, self.taxonomy, part, found, self.bank.match(text) if self.bank else [],
                    language=lang, in_coverage=lang in coverage,
                    model_factor=self.lexicon.model_context_factor
                    if damp and self.lexicon.reporting_context(text, lang) else 1.0)
            for text, lang, part, found in zip(texts, langs, parts, rules)
        ]


def predict_with_readable_views(model: ModelClassifier, texts: list[str], languages: list[str | None],
                                speller: Speller | None = None,
                                views: list[list[Folded]] | None = None) -> Prediction:
    """The model's prediction, where a text was obfuscated (:func:`readable_views`: obfuscation undone,
    and misspelt key terms restored) also scoring each view and keeping the highest probability per
    category, its evidence span mapped back to the original. Clean text is scored once, exactly as before.
    ``views`` (one list per text) saves computing them again."""
    pred = model.predict(texts, languages)
    per_text = views if views is not None else [readable_views(text, speller) for text in texts]
    views = [(i, view) for i, found in enumerate(per_text) for view in found if view.text.strip()]
    if not views:
        return pred
    again = model.predict([view.text for _, view in views], [languages[i] for i, _ in views])
    for row, (i, view) in enumerate(views):
        spans = list(pred.spans[i])
        for j in range(len(pred.categories)):
            if again.probabilities[row, j] > pred.probabilities[i, j]:
                pred.probabilities[i, j] = again.probabilities[row, j]
                spans[j] = original_span(view, *again.spans[row][j])
        pred.spans[i] = spans
    return pred


@lru_cache(maxsize=4)
def default_speller(lexicon: Lexicon) -> Speller:
    """Key terms: the lexicon's (``respell`` and its single-word phrases) and the single-word English group
    names (plural and singular). Known words: the packaged MiniLM's English vocabulary and the lexicon's
    Russian function words. Russian group names are not key terms: with no Russian vocabulary to guard real
    words, one letter from a group's case form is often another real word ("Украины", Ukraine's, is one
    letter from "украинцы", Ukrainians), and one such name inside another word ("христианство")
    would be split out of it."""
    from classifiers.model.encoders import packaged_english_words

    terms = set(lexicon.respell_terms)
    for group in GROUPS:
        if " " not in group.en:
            name = group.en.lower()
            terms |= {name, name.removesuffix("s")}
    return Speller.build(terms, packaged_english_words() | set(lexicon.respell_known))


# The model name that loads no model: rules and known content label alone (no encoder in memory, hundreds of
# documents a second on a CPU core), every document outside what the rules cover left unflagged.
RULES_ONLY = "rules"


def promoted_model_dir(settings: Settings) -> Path:
    """Where the retrain flow puts a model it promoted; ``default`` means this one once it exists."""
    return settings.home / "models" / "current"


def resolve_model(settings: Settings, model: str | None = None) -> str:
    """``model`` or the configured one, with ``default`` resolved to the promoted model if there is one."""
    name = model or settings.classifier.model
    if name == "default" and (promoted_model_dir(settings) / MANIFEST).is_file():
        return str(promoted_model_dir(settings))
    return name


def model_signature(settings: Settings, model: str | None = None) -> tuple[str, int | None]:
    """What identifies the model in force: its resolved name and its manifest's modification time."""
    name = resolve_model(settings, model)
    manifest = Path(name) / MANIFEST
    try:
        return name, manifest.stat().st_mtime_ns
    except OSError:
        return name, None


def build_labeller(settings: Settings, model: str | None = None) -> Labeller:
    """The labeller the settings describe (``model`` overrides ``settings.classifier.model``)."""
    c = settings.classifier
    if c.threads:
        import torch

        torch.set_num_threads(c.threads)
    if c.mmap_threshold_kib:
        from vigil.heap import set_mmap_threshold

        set_mmap_threshold(c.mmap_threshold_kib)
    options = RunOptions(device=c.device, batch_size=c.batch_size, max_length=c.max_length, overlap=c.window_stride,
                         window_chars=c.window_chars, precision=c.precision, whole_tokens=c.whole_tokens)
    name = resolve_model(settings, model)
    return Labeller(model=None if name == RULES_ONLY else load(name, options), lexicon=load_lexicon(),
                    bank=KnownBank(default_bank_path(settings.home), threshold=c.known_threshold),
                    taxonomy=load_taxonomy(), group_swaps=c.group_swaps, quotes=c.cited_quotes,
                    untargeted=c.untargeted_factor)


def to_classification(document_id: str, decision: Decision, model_version: str) -> Classification:
    return Classification(document_id=document_id, model_version=model_version, scores=decision.scores,
                          labels=decision.labels, evidence=decision.evidence, language=decision.language,
                          in_coverage=decision.in_coverage, needs_review=decision.needs_review)


def classify_documents(labeller: Labeller, documents: list[Document]) -> list[Classification]:
    """The pure stage function the bus consumer batches over."""
    decisions = labeller.label_texts([d.text for d in documents], [d.language for d in documents])
    return [to_classification(d.id, decision, labeller.version) for d, decision in zip(documents, decisions)]


def classify_document(labeller: Labeller, document: Document) -> Classification:
    return classify_documents(labeller, [document])[0]
