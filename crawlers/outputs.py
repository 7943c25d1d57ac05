"""Where a crawl's documents go: a JSONL file, or the bus (Kafka or in-process, by the settings' mode)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Protocol

from vigil.schemas import Document
from vigil.settings import Settings


class DocumentOutput(Protocol):
    """Where a crawl hands its documents: ``send`` each, ``flush`` before the crawl state is saved."""

    def send(self, document: Document) -> None: ...
    def flush(self) -> None: ...


class JsonlOutput:
    """One Document JSON object per line; appends, so repeated crawls can share a file."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[bytes] = path.open("ab")

    def send(self, document: Document) -> None:
        self._file.write(document.to_json_bytes() + b"\n")

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()


class BusOutput:
    """Publishes each document to the raw-documents topic."""

    def __init__(self, settings: Settings):
        from vigil.bus import Topic, open_publisher

        self._topic = Topic.raw_documents
        self._publisher = open_publisher(settings)

    def send(self, document: Document) -> None:
        self._publisher.send(self._topic, document)

    def flush(self) -> None:
        self._publisher.flush()

    def close(self) -> None:
        self._publisher.close()
