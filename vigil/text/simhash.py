"""64-bit SimHash: a near-duplicate signature that ties reposts across sources together.

Two texts that share most of their words and word pairs get signatures a few bits apart,
so an analyst (or the warehouse) can group reposts with small edits by Hamming
distance, where the exact content hash only groups identical copies.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from vigil.schemas import normalise_text

_WORD = re.compile(r"\w+", re.UNICODE)
BITS = 64
_SHIFTS = np.arange(BITS, dtype=np.uint64)


def _features(text: str, width: int = 2) -> list[str]:
    words = _WORD.findall(normalise_text(text))
    return words + [" ".join(words[i:i + width]) for i in range(len(words) - width + 1)]


def simhash(text: str) -> str:
    """The signature as 16 hex digits (all zero for text without words)."""
    features = _features(text)
    if not features:
        return "0" * 16
    values = np.fromiter(
        (int.from_bytes(hashlib.blake2b(f.encode("utf-8"), digest_size=8).digest(), "big") for f in features),
        dtype=np.uint64, count=len(features))
    ones = ((values[:, None] >> _SHIFTS) & np.uint64(1)).sum(axis=0, dtype=np.int64)
    signature = sum(1 << bit for bit in range(BITS) if 2 * int(ones[bit]) > len(features))
    return f"{signature:016x}"


def hamming(a: str, b: str) -> int:
    """Bits that differ between two signatures; a few (<= NEAR_DUPLICATE_BITS) means near duplicates."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


# Reposts of a news paragraph with small edits (a changed word, an added credit line) measured
# 1 to 7 bits apart; unrelated paragraphs that share much vocabulary, 9 or more. On single
# sentences SimHash is too coarse to tell the two apart: a one-word edit can move it 15 bits.
NEAR_DUPLICATE_BITS = 8


def cluster_signatures(signatures: list[str], max_distance: int = NEAR_DUPLICATE_BITS) -> list[int]:
    """A cluster number per signature: signatures within ``max_distance`` bits are linked, and
    clusters are the connected groups (single linkage). Empty or all-zero signatures (no words)
    are never linked. Pairwise on numpy, for the few thousand documents of one spike."""
    n = len(signatures)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    usable = [i for i, sig in enumerate(signatures) if sig and int(sig, 16) != 0]
    if len(usable) > 1:
        values = np.array([int(signatures[i], 16) for i in usable], dtype=np.uint64)
        for row, i in enumerate(usable[:-1]):
            distances = np.bitwise_count(values[row + 1:] ^ values[row])
            for offset in np.flatnonzero(distances <= max_distance):
                a, b = root(i), root(usable[row + 1 + int(offset)])
                if a != b:
                    parent[b] = a
    roots: dict[int, int] = {}
    return [roots.setdefault(root(i), len(roots)) for i in range(n)]
