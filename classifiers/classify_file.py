"""The ``vigil classify`` contract: JSON lines in, one classification per line out.

Each input line is an object with ``id`` and ``text``; its other fields pass through
unchanged (``text`` is not echoed back). A bad line is reported with its number and
skipped, and the run goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from classifiers.combine import Decision
from classifiers.labeller import Labeller


@dataclass
class FileCounts:
    read: int = 0
    written: int = 0
    bad: int = 0


def parse_line(line: str) -> dict[str, Any]:
    """One input object, or ValueError saying what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if not isinstance(record.get("id"), (str, int)) or isinstance(record.get("id"), bool) or record.get("id") == "":
        raise ValueError("missing or invalid 'id' (a non-empty string or an integer)")
    if not isinstance(record.get("text"), str):
        raise ValueError("missing or invalid 'text' (a string)")
    try:
        record["text"].encode("utf-8")
    except UnicodeEncodeError:  # JSON allows "\ud800" escapes; nothing downstream can encode them
        raise ValueError("'text' holds a lone surrogate (a \\ud800-style escape), not Unicode text") from None
    language = record.get("language")
    if language is not None and not isinstance(language, str):
        raise ValueError("'language' must be a string")
    return record


def output_record(record: dict[str, Any], decision: Decision, model_version: str) -> dict[str, Any]:
    passed = {k: v for k, v in record.items() if k != "text"}
    return {
        **passed,
        "id": record["id"],
        "scores": decision.scores,
        "labels": decision.labels,
        "evidence": [e.model_dump(mode="json", exclude_none=True) for e in decision.evidence],
        "model_version": model_version,
        "language": decision.language,
        "in_coverage": decision.in_coverage,
        "needs_review": decision.needs_review,
    }


def _batches(lines: TextIO, size: int, on_bad: Callable[[int, str], None], counts: FileCounts) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        counts.read += 1
        try:
            batch.append(parse_line(line))
        except ValueError as exc:
            counts.bad += 1
            on_bad(number, str(exc))
            continue
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def classify_file(labeller: Labeller, in_path: Path, out_path: Path, *, batch_size: int = 64,
                  on_bad: Callable[[int, str], None] = lambda n, why: None,
                  on_progress: Callable[[int], None] = lambda n: None) -> FileCounts:
    counts = FileCounts()
    version = labeller.version
    with in_path.open(encoding="utf-8") as lines, out_path.open("w", encoding="utf-8") as out:
        for batch in _batches(lines, batch_size, on_bad, counts):
            decisions = labeller.label_texts([r["text"] for r in batch], [r.get("language") for r in batch])
            for record, decision in zip(batch, decisions):
                out.write(json.dumps(output_record(record, decision, version), ensure_ascii=False) + "\n")
            counts.written += len(batch)
            on_progress(len(batch))
    return counts
