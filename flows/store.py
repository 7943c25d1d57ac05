"""Embedded mode's crawl output: each flushed batch is stored, classified and its labels stored.

The crawler hands documents to an output and flushes it every few hundred
documents, or once a document has waited ``crawl.deliver_every_s``; here a flush
runs the same library functions the bus stages run (:func:`write_documents`, the
classifier, :func:`write_classifications`) directly, in this process, with no bus
in between, and logs its counts and where its time went.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from classifiers.classify import Classify
from vigil.logs import counted_step, get_logger
from vigil.schemas import Document
from vigil.warehouse import Warehouse
from vigil.warehouse.sink import Located, SinkCounts, write_classifications, write_documents

log = get_logger(__name__)


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
        with counted_step(log, "store batch") as counts:
            began = time.perf_counter()
            stored = write_documents(self.warehouse, [Located(d) for d in batch])
            self.counts.add(stored)
            stored_at = time.perf_counter()
            results = self.classify(batch)
            classified_at = time.perf_counter()
            self.counts.add(write_classifications(self.warehouse, [Located(c) for c in results],
                                                  {d.id: d for d in batch}))
            for item in results:
                self.flagged.update(item.labels)
                self.model_versions.add(item.model_version)
            counts.update(documents=len(batch), new=stored.new, changed=stored.changed,
                          flagged=sum(bool(item.labels) for item in results),
                          store_ms=round((stored_at - began) * 1000),
                          classify_ms=round((classified_at - stored_at) * 1000),
                          labels_ms=round((time.perf_counter() - classified_at) * 1000))
