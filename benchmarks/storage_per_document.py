"""Bytes on disk per stored document: N synthetic documents and their classifications written into a
fresh chDB warehouse through the real sink (``write_documents``, ``write_classifications``: documents,
classifications, the counted events and the hourly/daily aggregates their views fold), then each
table's active parts read from ``system.parts`` after ``OPTIMIZE ... FINAL`` (the merged, steady state).

    .venv/bin/python benchmarks/storage_per_document.py [--documents 100000] [--batch 2000] [--seed 7]

The documents are a mix of kinds with their own text lengths (log-normal, medians: news 2,400
characters, forum posts 500, channel messages 300; 40/35/25 %), over 30 days, 300 sources, English
and Russian. Their words are drawn Zipf-wise from the words of this repository's README and the
dashboards' Russian translation, so that ZSTD meets text about as compressible as prose (repeated
filler would compress far better than real pages). 6 % are flagged with evidence. Storage scales
with text length: the output gives bytes per document and per kilobyte of text, so other mixes can
be estimated. It also gives the sink's rate in documents per second of wall time and per CPU
second of this process (chDB's threads included), the latter less disturbed by other work on a
shared machine. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

END = datetime(2026, 6, 1, tzinfo=timezone.utc)
KINDS = (  # kind, share, median characters, sigma of log(length)
    ("rss", 0.40, 2400, 0.6),
    ("forum", 0.35, 500, 0.8),
    ("telegram", 0.25, 300, 0.9),
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def vocabulary(pattern: str, *files: Path) -> tuple[list[str], list[float]]:
    """Words matching ``pattern`` in ``files``, most frequent first, with Zipf weights by rank."""
    counts: Counter[str] = Counter()
    for path in files:
        counts.update(w.lower() for w in _WORD.findall(path.read_text(encoding="utf-8"))
                      if re.fullmatch(pattern, w.lower()))
    words = [w for w, _ in counts.most_common()]
    return words, [1 / (rank + 1) ** 1.07 for rank in range(len(words))]


def text_of(rng: random.Random, words: tuple[list[str], list[float]], length: int) -> str:
    out, size = [], 0
    while size < length:
        sentence = rng.choices(words[0], words[1], k=rng.randint(6, 18))
        line = " ".join(sentence).capitalize() + "."
        out.append(line)
        size += len(line) + 1
    return " ".join(out)[:max(length, 20)]


def make_batch(rng: random.Random, start: int, count: int, vocab: dict) -> tuple[list, list]:
    from vigil.schemas import CATEGORIES, Classification, Document, Entities, Evidence

    docs, labels = [], []
    for n in range(start, start + count):
        kind, _, median, sigma = rng.choices(KINDS, [k[1] for k in KINDS])[0]
        language = "ru" if rng.random() < 0.4 else "en"
        length = int(median * math.exp(rng.gauss(0, sigma)))
        text = text_of(rng, vocab[language], length)
        source = n % 300
        published = END - timedelta(seconds=rng.randrange(30 * 86400))
        url = (f"https://t.me/s/channel{source}/{n}" if kind == "telegram"
               else f"https://site{source}.example.org/{'thread' if kind == 'forum' else 'news'}/{n}")
        doc = Document.build(
            url=url, text=text, source_id=f"source-{source}", source_kind=kind, language=language,
            language_confidence=round(rng.uniform(0.7, 1), 3), published_at=published,
            fetched_at=published + timedelta(minutes=rng.randrange(2, 240)),
            title=text_of(rng, vocab[language], 60) if kind == "rss" else None,
            author=f"author-{rng.randrange(20000)}" if kind != "rss" or rng.random() < 0.5 else None,
            post_id=str(n) if kind != "rss" else None, tags=[kind, language],
            links=[f"https://site{rng.randrange(300)}.example.org/news/{rng.randrange(10**6)}"
                   for _ in range(rng.randrange(0 if kind == "telegram" else 1, 5))],
            entities=Entities(hashtags=[f"#{w}" for w in rng.sample(vocab[language][0][:300], 2)]
                              if kind == "telegram" else []),
            near_duplicate_signature=f"{rng.getrandbits(64):016x}",
            crawl_run_id=f"run-{published:%Y%m%d%H}")  # one crawl flow run an hour covers every due source
        flagged = rng.random() < 0.06
        chosen = [rng.choice(CATEGORIES)] if flagged else []
        scores = {c: round(rng.uniform(0.6, 0.99) if c in chosen else rng.uniform(0, 0.2), 4) for c in CATEGORIES}
        evidence = [Evidence(category=c, start=0, end=min(120, len(text)), text=text[:120], layer="model")
                    for c in chosen]
        labels.append(Classification(document_id=doc.id, model_version="bench-1", scores=scores, labels=chosen,
                                     evidence=evidence, language=language, needs_review=flagged,
                                     classified_at=doc.fetched_at + timedelta(seconds=30)))
        docs.append(doc)
    return docs, labels


def measure(directory: Path, total: int, batch: int, seed: int) -> dict:
    from vigil.warehouse import EmbeddedWarehouse, migrate
    from vigil.warehouse.sink import Located, write_classifications, write_documents

    vocab = {
        "en": vocabulary(r"[a-z]+", REPO / "README.md"),
        "ru": vocabulary(r"[а-яё]+", *sorted((REPO / "dashboards" / "translations").rglob("*.po"))),
    }
    rng = random.Random(seed)
    warehouse = EmbeddedWarehouse.open(directory, "storage")
    migrate(warehouse)
    text_bytes, written, sink_s, sink_cpu_s, offset = 0, 0, 0.0, 0.0, 0
    while written < total:
        docs, labels = make_batch(rng, written, min(batch, total - written), vocab)
        text_bytes += sum(len(d.text.encode("utf-8")) for d in docs)
        began, began_cpu = time.perf_counter(), time.process_time()
        write_documents(warehouse, [Located(d, 0, offset + i) for i, d in enumerate(docs)])
        write_classifications(warehouse, [Located(c, 1, offset + i) for i, c in enumerate(labels)],
                              {d.id: d for d in docs})
        sink_s += time.perf_counter() - began
        sink_cpu_s += time.process_time() - began_cpu  # every thread of this process: chDB's too
        offset += len(docs)
        written += len(docs)
    for row in warehouse.query("SELECT DISTINCT table FROM system.parts WHERE active AND database = 'storage'"):
        warehouse.command(f"OPTIMIZE TABLE {row['table']} FINAL")
    parts = warehouse.query(
        "SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS disk, sum(data_compressed_bytes) AS compressed, "
        "sum(data_uncompressed_bytes) AS raw, sum(primary_key_bytes_in_memory) AS pk "
        "FROM system.parts WHERE active AND database = 'storage' GROUP BY table ORDER BY disk DESC")
    columns = warehouse.query(
        "SELECT column AS name, sum(column_data_compressed_bytes) AS compressed, "
        "sum(column_data_uncompressed_bytes) AS raw FROM system.parts_columns "
        "WHERE active AND database = 'storage' AND table = 'documents' GROUP BY column "
        "ORDER BY compressed DESC LIMIT 5")  # per column in wide parts only (compact parts report 0)
    stored = warehouse.scalar("SELECT count() FROM documents FINAL")
    warehouse.close()
    disk = sum(int(r["disk"]) for r in parts)
    return {
        "documents": total, "stored": int(stored), "batch": batch, "seed": seed,
        "mean_text_bytes": round(text_bytes / total),
        "sink_docs_per_s": round(total / sink_s),
        "sink_docs_per_cpu_s": round(total / sink_cpu_s),
        "bytes_on_disk_per_document": round(disk / total),
        "bytes_on_disk_per_text_kb": round(disk / (text_bytes / 1024)),
        "total_mb": round(disk / 2**20, 1),
        "tables": {r["table"]: {"rows": int(r["rows"]), "mb": round(int(r["disk"]) / 2**20, 2),
                                "bytes_per_document": round(int(r["disk"]) / total, 1),
                                "compression": round(int(r["raw"]) / max(int(r["compressed"]), 1), 2),
                                "primary_key_kb_in_memory": round(int(r["pk"]) / 1024, 1)} for r in parts},
        "documents_largest_columns": {r["name"]: {"mb": round(int(r["compressed"]) / 2**20, 2),
                                                  "compression": round(int(r["raw"]) / max(int(r["compressed"]), 1), 2)}
                                      for r in columns},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vigil-storage-") as directory:
        print(json.dumps(measure(Path(directory), args.documents, args.batch, args.seed), indent=2))


if __name__ == "__main__":
    main()
