"""The bad-input corpus (``tests/data/bad_input/``, see its README) and the inputs too large to commit,
generated here at test time: a 10 MB single line, 50,000 nested divs, deeply nested JSON and a Kafka
record bigger than the producer's default request size. Every text is harmless: bakeries, bread, rivers."""

from __future__ import annotations

import json
from pathlib import Path

from vigil.schemas import Document

CORPUS = Path(__file__).parent / "data" / "bad_input"
TEN_MB = 10 * 1024 * 1024
SENTENCE = "The neighbourhood bakery opened a second branch near the river. "


def corpus(kind: str) -> list[Path]:
    """The files of one part of the corpus (``html``, ``feeds``, ``messages``, ``text``), by name."""
    return sorted((CORPUS / kind).iterdir())


def read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def ten_megabyte_line(unit: str = SENTENCE) -> str:
    """A single line of 10 MiB (``unit`` repeated, no newline)."""
    return (unit * (TEN_MB // len(unit) + 1))[:TEN_MB]


def deep_divs(depth: int = 50_000, text: str = SENTENCE * 5) -> bytes:
    """An HTML page whose text sits inside ``depth`` nested divs."""
    return (f"<html><head><title>Deep</title></head><body>{'<div>' * depth}<p>{text}</p>{'</div>' * depth}"
            "</body></html>").encode()


def deep_json(depth: int = 100_000) -> bytes:
    """A JSON value nested ``depth`` levels deep (Python's json module recurses once per level)."""
    return b'{"a":' * depth + b"1" + b"}" * depth


def document(n: int, text: str | None = None) -> Document:
    url = f"https://news.example.org/bakery/{n}"
    return Document.build(url=url, text=text if text is not None else f"Bakery bulletin {n}: fresh rye bread.",
                          source_id="bad-input", source_kind="rss")


def oversized_document_json(chars: int = 3_000_000) -> bytes:
    """A Document whose text is over the schema's 2,000,000 characters (3 MB of JSON): more than the
    producer's default 1 MiB request, yet it compresses to a few kilobytes, so a broker takes it."""
    data = json.loads(document(0).model_dump_json())
    data["text"] = "bread " * (chars // 6)
    return json.dumps(data).encode()
