"""A bank of known propaganda, matched by MinHash LSH so that reposts are caught.

Reposts are edited a little (a channel name added, a line cut, emoji swapped), so
exact hashes miss them; MinHash over word shingles estimates the Jaccard similarity
of the shingle sets and LSH finds candidates without comparing with every item.
Items are stored as MinHash signatures, never as text, in a JSON-lines file (the
warehouse will hold them later; :class:`KnownBank` is the narrow interface both use).
"""

from __future__ import annotations

import fcntl
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

from vigil.schemas import ReviewDecision, normalise_text

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures are only comparable under it
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class KnownItem:
    item_id: str
    categories: tuple[str, ...]
    hashvalues: tuple[int, ...]
    source_document_id: str | None = None
    added_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))


@dataclass(frozen=True)
class KnownMatch:
    item_id: str
    similarity: float
    categories: tuple[str, ...]
    source_document_id: str | None


def shingles(text: str, size: int = 3) -> set[str]:
    """Word n-grams of the normalised text (the words themselves for very short texts)."""
    words = _TOKEN.findall(normalise_text(text))
    if len(words) < size:
        return set(words)
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash:
    sig = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    for shingle in shingles(text):
        sig.update(shingle.encode("utf-8"))
    return sig


def _restore(item: KnownItem) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=np.asarray(item.hashvalues, dtype=np.uint64))


class KnownBank:
    """Known items in memory with an LSH index; ``save`` writes them to ``path``."""

    def __init__(self, path: Path | None = None, threshold: float = 0.6) -> None:
        self.path = path
        self.threshold = threshold
        self._load()

    def _load(self) -> None:
        self._items: dict[str, KnownItem] = {}
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)
        self._loaded_mtime = self._mtime()
        if self.path is not None and self.path.is_file():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    raw = json.loads(line)
                    self._index(KnownItem(raw["item_id"], tuple(raw["categories"]), tuple(raw["hashvalues"]),
                                          raw.get("source_document_id"), raw["added_at"]))

    def _mtime(self) -> int | None:
        try:
            return self.path.stat().st_mtime_ns if self.path is not None else None
        except FileNotFoundError:
            return None

    def refresh(self) -> bool:
        """Reload from ``path`` if another process saved it since; True when it did. Long-running
        classify consumers call this per batch, so items reviewers confirm take effect without a restart."""
        if self.path is None or self._mtime() == self._loaded_mtime:
            return False
        self._load()
        return True

    def __len__(self) -> int:
        return len(self._items)

    def _index(self, item: KnownItem) -> None:
        if item.item_id in self._items:
            self._lsh.remove(item.item_id)
        self._items[item.item_id] = item
        self._lsh.insert(item.item_id, _restore(item))

    def add(self, item_id: str, text: str, categories: list[str] | tuple[str, ...],
            source_document_id: str | None = None) -> KnownItem:
        """Add (or replace) one item; the text itself is not kept, only its signature."""
        if not shingles(text):
            raise ValueError(f"known item {item_id} has no words to match on")
        item = KnownItem(item_id, tuple(categories), tuple(int(v) for v in signature(text).hashvalues),
                         source_document_id)
        self._index(item)
        return item

    def add_confirmed(self, decision: ReviewDecision, text: str) -> KnownItem | None:
        """A reviewer-confirmed document joins the bank; other verdicts are ignored."""
        if decision.verdict not in {"confirm", "relabel"}:
            return None
        return self.add(f"review:{decision.document_id}", text, decision.labels, decision.document_id)

    def match(self, text: str, limit: int = 3) -> list[KnownMatch]:
        """Known items whose estimated similarity to ``text`` reaches the threshold, nearest first."""
        if not self._items or not shingles(text):
            return []
        sig = signature(text)
        found = []
        for item_id in self._lsh.query(sig):
            item = self._items[item_id]
            similarity = sig.jaccard(_restore(item))
            if similarity >= self.threshold:
                found.append(KnownMatch(item_id, float(similarity), item.categories, item.source_document_id))
        return sorted(found, key=lambda m: -m.similarity)[:limit]

    def save(self) -> None:
        if self.path is None:
            raise ValueError("this bank has no file to save to")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for item in self._items.values():
                out.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
        tmp.replace(self.path)
        self._loaded_mtime = self._mtime()


@contextmanager
def updating(path: Path, threshold: float = 0.6) -> Iterator[KnownBank]:
    """The bank at ``path``, read fresh under an exclusive file lock and saved on success: the way for
    several processes (feedback consumers, ``vigil known-add``) to add items without losing each other's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        bank = KnownBank(path, threshold)
        yield bank
        bank.save()


def default_bank_path(home: Path) -> Path:
    return home / "known" / "bank.jsonl"
