"""Embedded mode's crawl output: each flushed batch is stored, classified and its labels stored.

The crawler hands documents to an output and flushes it every few hundred
documents; here a flush runs the same library functions the bus stages run
(:func:`write_documents`, the classifier, :func:`write_classifications`)
directly, in this process, with no bus in between.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from classifiers.classify import Classify
from vigil.schemas import Document
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, SinkCounts, write_classifications, write_documents


@dataclass
class StoreOutput:
    """A crawl output (:class:`crawlers.outputs.DocumentOutput`) that stores and classifies in process."""

    warehouse: Warehouse
    classify: Classify
    counts: SinkCounts = field(default_factory=SinkCounts)
    flagged: Counter = field(default_factory=Counter)
    model_versions: set[str] = field(default_factory=set)
    _buffer: list[Document] = field(default_factory=list)

    def send(self, document: Document) -> None:
        self._buffer.append(document)

    def flush(self) -> None:
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        self.counts.add(write_documents(self.warehouse, [Located(d) for d in batch]))
        results = self.classify(batch)
        for item in results:
            self.flagged.update(item.labels)
            self.model_versions.add(item.model_version)
        self.counts.add(write_classifications(
            self.warehouse, [Located(c) for c in results], {d.id: d for d in batch}))
