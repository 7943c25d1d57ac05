"""The one write path of a review decision.

A decision is a ``ReviewDecision`` message, and only the classifiers' feedback stage stores it:

- **distributed mode**: published to ``review-decisions`` with ``vigil.bus.open_publisher``, keyed by
  the document id, and flushed before :func:`decide` returns (a failed delivery raises
  ``vigil.bus.BusError``); the feedback consumer stores it;
- **embedded mode**: no consumer runs outside this process, so the decision goes in process through
  the feedback stage's own steps: ``classifiers.feedback.check_decision`` (its ``process``) and
  ``apply_decisions`` (its sink), which store it in ``review_decisions`` and, for confirm and
  relabel, add the text to the known-content bank.

Nothing else in the dashboards writes a decision.
"""

from __future__ import annotations

from classifiers.feedback import apply_decisions, check_decision
from classifiers.known.bank import default_bank_path
from vigil.bus import Topic, open_publisher
from vigil.schemas import ReviewDecision
from vigil.settings import Mode, Settings
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located


def decide(settings: Settings, warehouse: Warehouse, decision: ReviewDecision) -> None:
    """Send ``decision`` down the feedback path of ``settings.mode``; return once it is delivered."""
    if settings.mode is Mode.distributed:
        publisher = open_publisher(settings)
        try:
            publisher.send(Topic.review_decisions, decision)
            publisher.flush()
        finally:
            publisher.close()
        return
    apply_decisions(warehouse, default_bank_path(settings.home), [Located(d) for d in check_decision(decision)],
                    settings.classifier.known_threshold)
