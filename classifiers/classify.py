"""The one ``Classify`` contract and the classifiers every stage gets from the settings.

``Classify`` is what the classify consumer, the embedded store, the rescore flow
and ``vigil run`` call: documents in, one :class:`Classification` per document
out. The factories build it from the configured model lazily, so importing this
module needs no ML extra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from vigil.heap import trim_heap
from vigil.logs import get_logger
from vigil.schemas import Classification, Document
from vigil.settings import Settings

if TYPE_CHECKING:
    from classifiers.labeller import Labeller

log = get_logger(__name__)

Classify = Callable[[Sequence[Document]], list[Classification]]


def labelled(settings: Settings, labeller: Labeller, documents: Sequence[Document]) -> list[Classification]:
    """One batch through the labeller, then the heap's free pages back to the system (``classifier.trim_heap``):
    the batch's activations are freed by now, and their sizes change from batch to batch (:mod:`vigil.heap`)."""
    from classifiers.labeller import classify_documents

    try:
        return classify_documents(labeller, list(documents))
    finally:
        if settings.classifier.trim_heap:
            trim_heap()


def default_classifier(settings: Settings) -> Classify:
    """The labeller the settings describe; its rules alone when the model cannot be loaded (no
    trained model yet), said loudly, so a first run still works."""
    from classifiers.labeller import Labeller, build_labeller
    from classifiers.rules.matcher import load_lexicon
    from classifiers.taxonomy import load_taxonomy

    try:
        labeller = build_labeller(settings)
    except (OSError, ValueError) as exc:
        log.warning("classifier model unavailable; classifying with the rules only", extra={"error": str(exc)})
        labeller = Labeller(model=None, lexicon=load_lexicon(), bank=None, taxonomy=load_taxonomy())
    return lambda documents: labelled(settings, labeller, documents)


def live_classifier(settings: Settings) -> Classify:
    """The labeller the settings name, reloaded when it changes on disk (the retrain flow promoting
    a model into ``<home>/models/current``), so a running consumer needs no restart."""
    from classifiers.labeller import build_labeller, model_signature

    state: dict = {"signature": None, "labeller": None}

    def classify(documents: Sequence[Document]) -> list[Classification]:
        signature = model_signature(settings)
        if signature != state["signature"]:
            state["labeller"] = None  # the old model's memory goes before the new one is read (one model at a time)
            state["labeller"], state["signature"] = build_labeller(settings), signature
            log.info("classify stage loaded a model", extra={"model_version": state["labeller"].version})
        return labelled(settings, state["labeller"], documents)

    return classify
